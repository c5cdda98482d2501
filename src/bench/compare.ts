import type { Bench, BenchRequest } from '../contracts/bench.js'
import type { GateCheck, Verdict } from '../contracts/gate.js'
import type { CheckProvider } from '../gate/check-provider.js'
import type { GateRule } from '../gate/config-schema.js'
import { ruleMatches } from '../gate/policy.js'
import { bootstrapDifference } from '../stats/bootstrap.js'
import { clusterBootstrapDifference } from '../stats/cluster-bootstrap.js'
import { normalCdf } from '../stats/normal.js'
import { quantileSorted } from '../stats/percentile.js'
import { minSamples, QUANTILES } from './aggregate.js'
import { latencySection } from './report-section.js'

type Run = Bench['runs'][number]
const PER_REQUEST = ['ttft_ms', 'tpot_ms', 'e2e_ms', 'ttfb_ms', 'ttfo_ms', 'done_ms'] as const
type RequestMetric = (typeof PER_REQUEST)[number]
/** Per-token metrics pooled over requests: compared by resampling whole requests. */
const POOLED = ['itl_ms', 'icl_ms'] as const
const STATS = ['mean', 'p50', 'p90', 'p95', 'p99'] as const
type Stat = (typeof STATS)[number]

/** Check names: `bench/<scenario>/<metric>/<stat>`, with `[<load>]` after the scenario when it has several loads. */
function checkNames(
  run: Run,
  runs: readonly Run[],
  metric: string,
  stat: string,
): { name: string; plain: string } {
  const plain = `bench/${run.scenario}/${metric}/${stat}`
  const several = runs.filter((r) => r.scenario === run.scenario).length > 1
  return { name: several ? `bench/${run.scenario}[${run.load}]/${metric}/${stat}` : plain, plain }
}

function statistic(stat: Stat): (s: Float64Array) => number {
  if (stat === 'mean') return (s) => s.reduce((a, b) => a + b, 0) / s.length
  const q = QUANTILES[stat]
  return (s) => quantileSorted(s.sort(), q)
}

function samples(requests: readonly BenchRequest[], run: Run, metric: RequestMetric): number[] {
  return requests
    .filter((r) => r.scenario === run.scenario && r.load === run.load && r.ok)
    .map((r) => r[metric])
    .filter((v): v is number => v !== null)
}

function summaryValue(
  run: Run,
  metric: string,
  stat: string,
): { value: number | null; ci: [number, number] | null } {
  const entry = run.summary[metric]
  if (typeof entry === 'number') return { value: entry, ci: null }
  if (entry === null || entry === undefined || typeof entry === 'string')
    return { value: null, ci: null }
  const value = (entry as Record<string, unknown>)[stat]
  const ci = entry.ci95?.[stat] ?? null
  return { value: typeof value === 'number' ? value : null, ci }
}

const r3 = (v: number) => Math.round(v * 1000) / 1000
type CheckInput = Pick<
  GateCheck,
  'name' | 'baseline' | 'candidate' | 'delta' | 'ci95' | 'p_value' | 'verdict' | 'reason'
> & { n?: number }
const check = (c: CheckInput): GateCheck => ({ kind: 'latency', adjusted_p: null, ...c })

/**
 * Latency gate checks. `max`/`min` are SLOs judged on the candidate's 95% confidence bounds (pass when
 * the upper bound is within the SLO, fail when the lower bound is beyond it, else inconclusive);
 * `max_increase`/`max_drop` compare with the baseline's bench.json by a bootstrap of the difference
 * (requests resampled on each side) with a one-sided p-value against the margin (raw: the gate applies
 * Holm). Only a valid run can fail: degraded or invalid runs give inconclusive.
 */
export function compareBench(
  baseline: Bench | null,
  candidate: Bench,
  rules: readonly GateRule[],
  options: { resamples: number; seed: number; alpha: number },
): GateCheck[] {
  const checks: GateCheck[] = []
  for (const run of candidate.runs) {
    const metrics = Object.keys(run.summary)
    for (const metric of metrics) {
      const stats =
        typeof run.summary[metric] === 'number'
          ? ['value']
          : typeof run.summary[metric] === 'object' && run.summary[metric] !== null
            ? STATS
            : []
      for (const stat of stats) {
        const { name, plain } = checkNames(run, candidate.runs, metric, stat)
        const alt = `bench/${run.scenario}/${metric}`
        const matching = rules.filter(
          (r) =>
            ruleMatches(r.metric, name) ||
            ruleMatches(r.metric, plain) ||
            (stat === 'value' &&
              (ruleMatches(r.metric, alt) || ruleMatches(r.metric, name.replace(/\/value$/, '')))),
        )
        for (const rule of matching)
          checks.push(...judge(rule, run, metric, stat, name, baseline, candidate, options))
      }
    }
  }
  return checks
}

function judge(
  rule: GateRule,
  run: Run,
  metric: string,
  stat: string,
  name: string,
  baseline: Bench | null,
  candidate: Bench,
  options: { resamples: number; seed: number; alpha: number },
): GateCheck[] {
  const out: GateCheck[] = []
  const { value, ci } = summaryValue(run, metric, stat === 'value' ? 'value' : stat)
  const validity = run.validity.verdict
  const invalidNote =
    validity === 'valid'
      ? null
      : `run is ${validity} (${run.validity.reasons.slice(0, 2).join('; ') || 'see bench.json'}): only a valid run can fail a gate`
  const n = (run.summary[metric] as { n?: number } | undefined)?.n
  const higherIsBetter =
    rule.direction === 'higher' ||
    (rule.direction === undefined && /throughput|goodput|attainment/.test(metric))
  const base = {
    name,
    baseline: null,
    candidate: value,
    delta: null,
    ci95: ci,
    p_value: null,
    ...(n !== undefined ? { n } : {}),
  }
  for (const [bound, limit] of [
    ['max', rule.max],
    ['min', rule.min],
  ] as const) {
    if (limit === undefined) continue
    if (value === null) {
      const need =
        stat in QUANTILES
          ? ` (${stat} needs n >= ${minSamples(QUANTILES[stat as keyof typeof QUANTILES])})`
          : ''
      out.push(check({ ...base, verdict: 'inconclusive', reason: `no value${need}` }))
      continue
    }
    const [lo, hi] = ci ?? [value, value]
    const within = bound === 'max' ? hi <= limit : lo >= limit
    const beyond = bound === 'max' ? lo > limit : hi < limit
    let verdict: Verdict = within ? 'pass' : beyond ? 'fail' : 'inconclusive'
    let reason = `${bound} ${limit}: ${r3(value)}${ci ? ` (95% CI ${r3(lo)}..${r3(hi)})` : ''}; ${within ? 'within the SLO at 95% confidence' : beyond ? 'beyond the SLO at 95% confidence' : 'the CI straddles the SLO: more requests needed'}`
    if (verdict === 'fail' && invalidNote) {
      verdict = 'inconclusive'
      reason = `${reason}; ${invalidNote}`
    }
    out.push(check({ ...base, verdict, reason }))
  }
  const margin = higherIsBetter ? rule.max_drop : rule.max_increase
  if (margin === undefined && rule.max_increase === undefined && rule.max_drop === undefined)
    return out
  const baseRun = baseline?.runs.find((r) => r.scenario === run.scenario && r.load === run.load)
  if (!baseline || !baseRun) {
    out.push(
      check({
        ...base,
        verdict: 'inconclusive',
        reason: 'no baseline bench.json run with the same scenario and load',
      }),
    )
    return out
  }
  const baseValue = summaryValue(baseRun, metric, stat).value
  const allowed = margin ?? 0
  if ((POOLED as readonly string[]).includes(metric) && stat !== 'value') {
    const groups = (bench: Bench, r: Run) =>
      bench.requests
        .filter((x) => x.scenario === r.scenario && x.load === r.load && x.ok)
        .map((x) => (metric === 'itl_ms' ? x.itl_ms : (x.icl_ms ?? [])))
    const q = stat === 'mean' ? null : QUANTILES[stat as keyof typeof QUANTILES]
    const boot = clusterBootstrapDifference(groups(baseline, baseRun), groups(candidate, run), q, {
      resamples: Math.min(options.resamples, 2000),
      seed: options.seed,
    })
    if (!boot || value === null || baseValue === null) {
      out.push(
        check({
          ...base,
          baseline: baseValue,
          verdict: 'inconclusive',
          reason: `too few requests with ${metric} on one side for ${stat}`,
        }),
      )
      return out
    }
    out.push(
      latencyVerdict(
        boot,
        allowed,
        stat,
        invalidNote,
        { ...base, baseline: baseValue },
        'requests',
      ),
    )
    return out
  }
  if (!(PER_REQUEST as readonly string[]).includes(metric) || stat === 'value') {
    const delta = value !== null && baseValue !== null ? value - baseValue : null
    const worse = delta !== null && (higherIsBetter ? -delta > allowed : delta > allowed)
    out.push(
      check({
        ...base,
        baseline: baseValue,
        delta,
        verdict:
          delta === null
            ? 'inconclusive'
            : worse
              ? invalidNote
                ? 'inconclusive'
                : 'fail'
              : 'pass',
        reason: `change ${delta === null ? 'unknown' : r3(delta)} vs allowed ${allowed} (no per-request samples: point estimates)`,
      }),
    )
    return out
  }
  const a = samples(baseline.requests, baseRun, metric as RequestMetric)
  const b = samples(candidate.requests, run, metric as RequestMetric)
  const q = stat === 'mean' ? null : QUANTILES[stat as keyof typeof QUANTILES]
  if (
    a.length < 2 ||
    b.length < 2 ||
    (q !== null && Math.min(a.length, b.length) < minSamples(q))
  ) {
    out.push(
      check({
        ...base,
        baseline: baseValue,
        verdict: 'inconclusive',
        reason: `too few samples (baseline ${a.length}, candidate ${b.length}) for ${stat}`,
      }),
    )
    return out
  }
  const boot = bootstrapDifference(a, b, statistic(stat as Stat), {
    resamples: Math.min(options.resamples, 2000),
    seed: options.seed,
  })
  out.push(
    latencyVerdict(
      boot,
      allowed,
      stat,
      invalidNote,
      { ...base, baseline: baseValue, candidate: value },
      'samples',
      b.length,
    ),
  )
  return out
}

/**
 * A latency difference judged against the allowed increase (lower is better): fail when the CI's
 * lower bound exceeds it, pass when its upper bound is within it; the one-sided p-value (normal
 * approximation from the bootstrap SE, against the margin) goes to Holm.
 */
function latencyVerdict(
  boot: { estimate: number; ci: [number, number]; se: number },
  allowed: number,
  stat: string,
  invalidNote: string | null,
  base: Omit<CheckInput, 'verdict' | 'reason'>,
  unit: 'samples' | 'requests',
  n?: number,
): GateCheck {
  const excess = boot.estimate - allowed
  const p = boot.se > 0 ? 1 - normalCdf(excess / boot.se) : excess > 0 ? 0 : 1
  const regressed = boot.ci[0] > allowed
  const improvedOrSame = boot.ci[1] <= allowed
  let verdict: Verdict = regressed ? 'fail' : improvedOrSame ? 'pass' : 'inconclusive'
  let reason = `${stat} changed by ${r3(boot.estimate)} ms (95% CI ${r3(boot.ci[0])}..${r3(boot.ci[1])}; allowed increase ${allowed}${unit === 'requests' ? '; whole requests resampled' : ''})`
  if (verdict === 'fail' && invalidNote) {
    verdict = 'inconclusive'
    reason = `${reason}; ${invalidNote}`
  }
  return check({
    ...base,
    delta: r3(boot.estimate),
    ci95: [r3(boot.ci[0]), r3(boot.ci[1])],
    p_value: Math.max(0, Math.min(1, p)),
    ...(n !== undefined ? { n } : {}),
    verdict,
    reason,
  })
}

/** The gate's latency check provider: nothing when the candidate has no bench.json. */
export const benchCheckProvider: CheckProvider = {
  id: 'latency',
  compare(input) {
    const candidate = input.candidate.bench
    if (!candidate) return { checks: [], sections: [] }
    const checks = compareBench(input.baseline.bench, candidate, input.rules, input)
    return { checks, sections: [latencySection(input.baseline.bench, candidate, checks)] }
  },
}
