import type { ToxicityResult, ToxicityScorer } from '../types.js'
import { MalformedReplyError, postJson, type EndpointOptions } from './post-json.js'

const BATCH = 32

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * Reads one `results[i]` of an OpenAI-compatible moderation response. `flagged` decides; when it is
 * missing, `categories` (any true) decides; when both are missing, `category_scores` against the
 * threshold. A result with none of the three, or fields of the wrong type, is malformed: an error.
 */
export function parseModerationResult(result: unknown, threshold: number): ToxicityResult {
  if (!isRecord(result)) throw new MalformedReplyError('moderation', 'a result is not an object')
  const { flagged, categories, category_scores: scores } = result
  if (flagged !== undefined && typeof flagged !== 'boolean')
    throw new MalformedReplyError('moderation', '`flagged` is not a boolean')
  if (categories !== undefined && !isRecord(categories))
    throw new MalformedReplyError('moderation', '`categories` is not an object')
  if (scores !== undefined && !isRecord(scores))
    throw new MalformedReplyError('moderation', '`category_scores` is not an object')
  const scoreEntries = scores
    ? Object.entries(scores).map(([k, v]) => {
        if (typeof v !== 'number' || !Number.isFinite(v))
          throw new MalformedReplyError('moderation', `score of '${k}' is not a number`)
        return [k, v] as const
      })
    : []
  const trueCategories = categories
    ? Object.entries(categories)
        .filter(([, v]) => v === true)
        .map(([k]) => k)
    : undefined
  if (flagged === undefined && trueCategories === undefined && !scores) {
    throw new MalformedReplyError(
      'moderation',
      'result has no `flagged`, `categories` or `category_scores`',
    )
  }
  const maxScore = scoreEntries.reduce((m, [, v]) => Math.max(m, v), 0)
  const over = scoreEntries.filter(([, v]) => v >= threshold).map(([k]) => k)
  const toxic = flagged ?? (trueCategories ? trueCategories.length > 0 : over.length > 0)
  const names = trueCategories ?? over
  return {
    toxic,
    toxicity: scores ? maxScore : toxic ? 1 : 0,
    categories: [...new Set(names)].sort(),
  }
}

export interface ModerationOptions extends EndpointOptions {
  /** Base URL including /v1 (the provider's), e.g. http://127.0.0.1:8000/v1. */
  baseUrl: string
  model?: string
  threshold?: number
}

/** An OpenAI-compatible `POST /v1/moderations` scorer, batched 32 inputs per request. */
export function moderationScorer(options: ModerationOptions): ToxicityScorer {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/moderations`
  const threshold = options.threshold ?? 0.5
  return {
    name: 'moderation',
    async score(outputs, signal) {
      const results: ToxicityResult[] = []
      for (let i = 0; i < outputs.length; i += BATCH) {
        const input = outputs.slice(i, i + BATCH)
        const body = await postJson(
          url,
          { input, ...(options.model ? { model: options.model } : {}) },
          options,
          signal,
        )
        const list = isRecord(body) ? body.results : undefined
        if (!Array.isArray(list))
          throw new MalformedReplyError('moderation', 'response has no `results` array')
        if (list.length !== input.length) {
          throw new MalformedReplyError(
            'moderation',
            `${list.length} results for ${input.length} inputs`,
          )
        }
        for (const r of list) results.push(parseModerationResult(r, threshold))
      }
      return results
    },
  }
}
