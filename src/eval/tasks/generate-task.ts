import type { CallOptions, ChatRequest, ModelClient } from '../../providers/types.js'
import type { SuiteConfig } from '../config-schema.js'
import { renderMessages, renderReferences } from '../prompt-render.js'
import type { EvalCase } from '../suite-cases.js'
import { addUsage, type TaskOutcome } from './task-outcome.js'

/** The chat request of a generate case: its messages and the suite's generation parameters. */
export function chatRequest(suite: SuiteConfig, messages: ChatRequest['messages']): ChatRequest {
  const g = suite.generation ?? {}
  const req: ChatRequest = { messages }
  if (g.temperature !== undefined) req.temperature = g.temperature
  if (g.top_p !== undefined) req.top_p = g.top_p
  if (g.max_tokens !== undefined) req.max_tokens = g.max_tokens
  if (g.seed !== undefined) req.seed = g.seed
  if (g.stop !== undefined) req.stop = g.stop
  if (suite.stream) req.stream = true
  return req
}

/**
 * Runs a generate case: one chat completion, plus `samples` extra answers at temperature 1 with
 * seeds seed+1.. (what SelfCheckGPT compares the answer against).
 */
export async function runGenerateTask(
  suite: SuiteConfig,
  c: EvalCase,
  client: ModelClient,
  options: CallOptions,
): Promise<TaskOutcome> {
  const messages = renderMessages(suite, c.vars, c.id)
  const references = renderReferences(suite, c.vars, c.id)
  const request = chatRequest(suite, messages)
  const res = await client.chat(request, options)
  const outcome: TaskOutcome = {
    input: messages,
    output: res.text,
    references,
    metrics: {},
    prompt: messages.at(-1)?.content ?? '',
    latency_ms: res.latency_ms,
    usage: res.usage,
    cached: res.cached,
  }
  const n = suite.samples ?? 0
  if (n > 0) {
    const base = suite.generation?.seed ?? 0
    const samples = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        client.chat({ ...request, temperature: 1, seed: base + i + 1, stream: false }, options),
      ),
    )
    outcome.samples = samples.map((s) => s.text)
    for (const s of samples) outcome.usage = addUsage(outcome.usage, s.usage)
  }
  return outcome
}
