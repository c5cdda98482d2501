import { z } from 'zod'
import { httpUrl, name, positiveInt } from '../config/common.js'

/** An OpenAI-compatible endpoint: vLLM, TGI, SGLang, llama.cpp's server, Ollama or a hosted API. */
export const providerSchema = z.strictObject({
  base_url: httpUrl.describe('Base URL including /v1, e.g. http://127.0.0.1:8000/v1'),
  model: z.string().min(1),
  api_key_env: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name')
    .optional()
    .describe('Name of the environment variable that holds the API key (sent as a Bearer token).'),
  headers: z.record(z.string(), z.string()).optional(),
  timeout_ms: positiveInt.default(120_000),
  max_retries: z.int().min(0).max(20).default(4),
  concurrency: positiveInt.max(1024).default(8),
  context_length: z
    .int()
    .min(3)
    .optional()
    .describe(
      "The server's context length in tokens (perplexity suites cap max_length at it); probed from vLLM /v1/models or llama.cpp /props when absent.",
    ),
  prefix_token_id: z
    .int()
    .min(0)
    .optional()
    .describe(
      "Context token of a document's first rolling window (lm-eval prefix_token_id: BOS, else EOS); probed from /tokenize when absent.",
    ),
})
export type ProviderConfig = z.infer<typeof providerSchema>

export const generationSchema = z.strictObject({
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().gt(0).max(1).optional(),
  max_tokens: positiveInt.optional(),
  seed: z.int().optional(),
  stop: z.array(z.string()).max(16).optional(),
})
export type GenerationConfig = z.infer<typeof generationSchema>

/** A metric: a bare name (`rougeL`) or a one-key object with its options (`{ contains: "{{ x }}" }`). */
export const metricSpecSchema = z.union([
  z.string().min(1),
  z
    .record(z.string(), z.unknown())
    .refine(
      (o) => Object.keys(o).length === 1,
      'a metric object has exactly one key: the metric name',
    ),
])
export type MetricSpec = z.infer<typeof metricSpecSchema>

export const messageSchema = z.strictObject({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
})

export const suiteSchema = z.strictObject({
  name,
  description: z.string().optional(),
  task: z.enum(['generate', 'multiple_choice', 'perplexity']).default('generate'),
  dataset: z
    .string()
    .min(1)
    .optional()
    .describe('JSONL, CSV or JSON file, relative to the config file.'),
  cases: z.array(z.record(z.string(), z.unknown())).optional(),
  system: z.string().optional(),
  prompt: z.string().optional().describe('Jinja template of the user message.'),
  messages: z.array(messageSchema).optional(),
  few_shot: z.array(z.record(z.string(), z.unknown())).optional(),
  reference: z
    .string()
    .optional()
    .describe('Jinja template or field name of the reference answer(s).'),
  choices: z.string().optional().describe('Field holding the choices (multiple_choice).'),
  gold: z.string().optional().describe('Field holding the gold index or answer (multiple_choice).'),
  labels: z
    .string()
    .optional()
    .describe(
      'multiple_choice: field or template holding a 0/1 label per choice (TruthfulQA MC2 targets); adds the mc2 metric, and gold defaults to the first true choice.',
    ),
  id: z.string().optional().describe('Field holding a stable case id; a content hash otherwise.'),
  metrics: z.array(metricSpecSchema).default([]),
  generation: generationSchema.optional(),
  providers: z.array(name).optional(),
  tags: z.array(z.string()).optional(),
  samples: z.int().min(0).max(20).optional().describe('Extra sampled answers (SelfCheckGPT).'),
  judge: name
    .optional()
    .describe('Provider that model metrics (judges, SelfCheckGPT) call; default `judge`.'),
  stream: z.boolean().optional().describe('Request answers over SSE (generate task).'),
  target_delimiter: z
    .string()
    .optional()
    .describe('multiple_choice: text between the question and each choice (default " ").'),
  fewshot_delimiter: z
    .string()
    .optional()
    .describe('multiple_choice: text between few-shot examples (default "\\n\\n").'),
  max_length: z
    .int()
    .min(3)
    .optional()
    .describe(
      "perplexity: lm-eval max_length of a rolling window's request in tokens (default 2048), capped at the provider's context length.",
    ),
})
export type SuiteConfig = z.infer<typeof suiteSchema>
