import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import { ConfigurationError } from '../errors.js'

const replySchema = z.union([
  z.string(),
  z.strictObject({ template: z.string() }),
  z.array(z.union([z.string(), z.strictObject({ template: z.string() })])).min(1),
])
/** A reply: fixed text, a `{template}` with `{{input}}`, `{{model}}` and `{{1}}`..`{{9}}` (regex groups), or a list sampled when temperature > 0. */
export type Reply = z.infer<typeof replySchema>

const regexString = z.string().refine(
  (s) => {
    try {
      new RegExp(s)
      return true
    } catch {
      return false
    }
  },
  { message: 'must be a valid regular expression' },
)

export const ruleSchema = z.strictObject({
  /** Regular expression tested against the last user message (chat) or the prompt (completions). */
  match: regexString.default(''),
  flags: z
    .string()
    .regex(/^[imsu]*$/)
    .default('i'),
  reply: replySchema.optional(),
  /** For echo/logprobs scoring: a continuation this rule makes likely when the prompt ends with it. */
  prefer: z.string().optional(),
  reasoning: z.string().optional(),
})
export type Rule = z.infer<typeof ruleSchema>

export const degradeSchema = z.strictObject({
  rate: z.number().min(0).max(1),
  seed: z.int().default(0),
  mode: z.enum(['wrong', 'truncate', 'refuse', 'toxic']).default('wrong'),
  /** The text used by `wrong`, `refuse` and `toxic` (each has a built-in default). */
  text: z.string().optional(),
})
export type Degrade = z.infer<typeof degradeSchema>

export const timingSchema = z.strictObject({
  ttft_ms: z.number().min(0).default(0),
  itl_ms: z.number().min(0).default(0),
  /** Uniform jitter of +-jitter_ms on every gap, from a seeded generator. */
  jitter_ms: z.number().min(0).default(0),
  jitter_seed: z.int().default(0),
  tokens_per_chunk: z.int().positive().default(1),
  /** Chat streams start with a `{role: "assistant"}` chunk that carries no token (as vLLM does). */
  role_chunk: z.boolean().default(true),
  /** Delay of the role-only chunk after the request; it is sent before the first token. */
  role_chunk_ms: z.number().min(0).default(0),
  /** Reasoning tokens streamed as `delta.<reasoning_field>` before the content (chat only). */
  reasoning_tokens: z.int().min(0).default(0),
  reasoning_field: z.enum(['reasoning_content', 'reasoning']).default('reasoning_content'),
  /** Emit events on a shared grid of itl_ms from server start, like a continuous-batching decode step. */
  aligned: z.boolean().default(false),
  /** Put the server's process.hrtime.bigint() send time (ns, as a string) into every chunk as `sim_sent_ns`. */
  embed_send_time: z.boolean().default(false),
  /** Non-streaming responses wait for the simulated generation time too. */
  delay_non_streaming: z.boolean().default(true),
  /**
   * At most this many requests of the model generate at once (vLLM's max_num_seqs); later ones wait
   * in a FIFO queue, so TTFT grows and throughput stops growing past it, like a saturated server.
   */
  max_running: z.int().positive().optional(),
})
export type Timing = z.infer<typeof timingSchema>

export const faultKindSchema = z.enum([
  '429',
  '500',
  '503',
  'reset',
  'malformed',
  'truncate',
  'stall',
])
export type FaultKind = z.infer<typeof faultKindSchema>

export const faultSchema = z.strictObject({
  kind: faultKindSchema,
  /** Share of requests hit, chosen by a hash of the request sequence number and seed. */
  rate: z.number().min(0).max(1).optional(),
  /** Hit only the first `times` eligible requests. */
  times: z.int().positive().optional(),
  match: regexString.optional(),
  seed: z.int().default(0),
  /** For stream faults: how many chunks go out before the fault. */
  after_chunks: z.int().min(0).default(0),
  retry_after_s: z.number().min(0).default(1),
})
export type Fault = z.infer<typeof faultSchema>

export const modelProfileSchema = z.strictObject({
  rules: z.array(ruleSchema).default([]),
  default_reply: replySchema.default({ template: 'You said: {{input}}' }),
  degrade: degradeSchema.optional(),
  timing: timingSchema.default(timingSchema.parse({})),
  faults: z.array(faultSchema).default([]),
  max_model_len: z.int().positive().default(8192),
  /** Logprob given to each token of a preferred continuation; other tokens get about -2 to -5. */
  prefer_logprob: z.number().max(0).default(-0.05),
})
export type ModelProfile = z.infer<typeof modelProfileSchema>

/** A simulator profile: behaviour per served model name. The model `*` answers for any unknown name. */
export const simProfileSchema = z.strictObject({
  models: z.record(z.string().min(1), modelProfileSchema),
})
export type SimProfile = z.infer<typeof simProfileSchema>
/** A profile as written by hand: every field with a default may be left out. */
export type SimProfileInput = z.input<typeof simProfileSchema>

/** A profile that echoes, for `llmops sim` without a file and for quick tests. */
export const defaultProfileInput: SimProfileInput = { models: { 'llmops-sim': {} } }

/** Validates a profile object, naming each bad key path. */
export function parseProfile(input: unknown, source = 'profile'): SimProfile {
  const result = simProfileSchema.safeParse(input)
  if (result.success) return result.data
  const problems = result.error.issues.map(
    (i) => `${source}: ${i.path.join('.') || '(root)'}: ${i.message}`,
  )
  throw new ConfigurationError(problems.join('\n'), problems)
}

/** Reads a profile from a YAML or JSON file. */
export async function loadProfile(file: string): Promise<SimProfile> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new ConfigurationError(
      `cannot read simulator profile ${file}: ${(error as Error).message}`,
    )
  }
  let data: unknown
  try {
    data = path.extname(file) === '.json' ? JSON.parse(text) : parseYaml(text)
  } catch (error) {
    throw new ConfigurationError(`${file}: not valid YAML/JSON: ${(error as Error).message}`)
  }
  return parseProfile(data, file)
}

/** The profile serving a model name, or undefined when the name is not served. */
export function modelProfile(profile: SimProfile, model: string): ModelProfile | undefined {
  return profile.models[model] ?? profile.models['*']
}
