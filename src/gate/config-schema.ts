import { z } from 'zod'
import { positiveInt } from '../config/common.js'

/** One gate policy on a metric path such as `support-qa/rougeL` or `bench/chat-short/ttft_ms/p95` (`*` matches one segment). */
export const gateRuleSchema = z
  .strictObject({
    metric: z.string().min(1),
    min: z.number().optional(),
    max: z.number().optional(),
    max_drop: z.number().min(0).optional(),
    max_increase: z.number().min(0).optional(),
    min_cases: positiveInt.optional(),
    max_error_rate: z.number().min(0).max(1).optional(),
    /** Which way is better; defaults from the metric's name (latency, toxicity, error rates: lower). */
    direction: z.enum(['higher', 'lower']).optional(),
  })
  .refine(
    (r) =>
      [r.min, r.max, r.max_drop, r.max_increase, r.min_cases, r.max_error_rate].some(
        (v) => v !== undefined,
      ),
    'a gate needs at least one of min, max, max_drop, max_increase, min_cases, max_error_rate',
  )
export type GateRule = z.infer<typeof gateRuleSchema>

export const gateOptionsSchema = z.strictObject({
  /** Name of this gate: one sticky comment and one check run per PR and name. */
  name: z
    .string()
    .regex(/^[A-Za-z0-9._/-]{1,100}$/, 'letters, digits, . _ / - only (it keys the sticky comment)')
    .default('llmops'),
  on_inconclusive: z.enum(['pass', 'fail', 'neutral']).default('neutral'),
  alpha: z.number().gt(0).lt(0.5).default(0.05),
  resamples: z.int().min(10_000).default(10_000),
  seed: z.int().default(1),
  /**
   * Margin for metrics no rule gives `max_drop`/`max_increase`; unset means one point on the metric's
   * scale (0.01 for 0-1 metrics, 1 for 0-100 metrics, else 1% of the baseline mean).
   */
  default_max_drop: z.number().min(0).optional(),
  /** Share of cases that may end in an error (or be missing) on the candidate before the gate fails. */
  max_error_rate: z.number().min(0).max(1).default(0.05),
  /** Fewest paired cases a suite needs before the gate may pass. */
  min_cases: positiveInt.default(1),
  baseline: z
    .strictObject({
      source: z.enum(['side-by-side', 'merge-base', 'path']).default('side-by-side'),
      provider: z.string().optional(),
      candidate_provider: z.string().optional(),
      max_age_days: z.number().positive().default(14),
      artifact: z.string().default('llmops-results'),
    })
    .optional(),
  comment: z.strictObject({ mode: z.enum(['sticky', 'new']).default('sticky') }).optional(),
})
export type GateOptions = z.infer<typeof gateOptionsSchema>
