import type { GateCheck } from '../contracts/gate.js'
import type { ReportSection } from '../report/section.js'
import type { GateRule } from './config-schema.js'
import type { Side } from './sides.js'

/** What a check provider gets: both sides as loaded, the configured rules and the statistics settings. */
export interface CheckProviderInput {
  baseline: Side
  candidate: Side
  rules: readonly GateRule[]
  alpha: number
  resamples: number
  seed: number
}

/** Checks (with raw p-values; the gate applies Holm over the whole family) and report sections. */
export interface CheckProviderOutput {
  checks: GateCheck[]
  sections: ReportSection[]
}

/**
 * The seam through which latency (`src/bench/compare.ts`) and safety (`src/safety/compare.ts`)
 * comparisons join the gate. A provider returns nothing when its inputs (bench.json, safety outputs)
 * are absent on either side.
 */
export interface CheckProvider {
  id: string
  compare(input: CheckProviderInput): Promise<CheckProviderOutput> | CheckProviderOutput
}
