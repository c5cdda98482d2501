import {
  argmax,
  continuationFor,
  scoreMultipleChoice,
  truthfulqaMc2,
} from '../../metrics/lm-eval/multiple-choice.js'
import { ProviderError } from '../../providers/provider-error.js'
import type { CallOptions, ModelClient, ServerInfo } from '../../providers/types.js'
import type { SuiteConfig } from '../config-schema.js'
import { renderChoiceCase } from '../prompt-render.js'
import type { EvalCase } from '../suite-cases.js'
import { scoreContinuations } from './loglikelihood.js'
import type { TaskOutcome } from './task-outcome.js'

/**
 * The error every case of a loglikelihood suite gets on a server without prompt logprobs
 * (llama.cpp's own llama-server, chat-only APIs).
 */
export function promptLogprobsUnsupported(provider: string, info: ServerInfo): ProviderError {
  return new ProviderError(
    'unsupported',
    `provider '${provider}' (${info.name}${info.version ? ` ${info.version}` : ''}) does not return prompt logprobs with echo on /v1/completions, ` +
      "so loglikelihood tasks (multiple_choice, perplexity) cannot be scored on it; use vLLM, SGLang, TGI or llama-cpp-python's server started with '--logits_all true' for these suites",
  )
}

/**
 * Runs a multiple-choice case the way lm-evaluation-harness does: one loglikelihood per choice of
 * `target_delimiter + choice` after the context, through `/v1/completions` with echo and logprobs.
 * The output is the choice with the highest loglikelihood.
 */
export async function runMultipleChoiceTask(
  suite: SuiteConfig,
  c: EvalCase,
  client: ModelClient,
  info: ServerInfo,
  options: CallOptions,
): Promise<TaskOutcome> {
  const mc = renderChoiceCase(suite, c.vars, c.id)
  const delimiter = suite.target_delimiter ?? ' '
  const res = await scoreContinuations(
    client,
    mc.context,
    mc.choices.map((choice) => continuationFor(choice, delimiter)),
    info.tokenize === true,
    options,
  )
  const lls = res.results.map((r) => r.ll)
  const best = argmax(lls)
  return {
    input: {
      context: mc.context,
      choices: mc.choices,
      gold: mc.gold,
      ...(mc.labels ? { labels: mc.labels } : {}),
    },
    output: mc.choices[best] ?? null,
    references: [mc.choices[mc.gold]!],
    metrics: {
      ...scoreMultipleChoice(mc.choices, res.results, mc.gold),
      ...(mc.labels ? { mc2: truthfulqaMc2(lls, mc.labels) } : {}),
    },
    loglikelihoods: lls,
    prompt: mc.context,
    latency_ms: res.latency_ms,
    usage: res.usage,
    cached: res.cached,
  }
}
