import { describe, expect, it } from 'vitest'
import type { ResultRow } from '../../../src/contracts/results.js'
import { runCase } from '../../../src/eval/case-runner.js'
import { suiteSchema } from '../../../src/eval/config-schema.js'
import type { PlanItem } from '../../../src/eval/plan.js'
import { runPlan } from '../../../src/eval/runner.js'
import type { LoadedSuite } from '../../../src/eval/suite-cases.js'
import type { CaseMetric } from '../../../src/metrics/types.js'
import { Limiter } from '../../../src/providers/limiter.js'
import { ProviderError } from '../../../src/providers/provider-error.js'
import type { ChatRequest, ModelClient, ServerInfo } from '../../../src/providers/types.js'

const info: ServerInfo = { name: 'llmops-sim', version: '0', models: [] }

/** A fake client answering "echo: <prompt>" after `delay` ms, through a real Limiter. */
function fakeClient(
  name: string,
  concurrency: number,
  delay: number,
  fail?: (prompt: string) => ProviderError | undefined,
) {
  const limiter = new Limiter(concurrency)
  let peak = 0
  const client: ModelClient & { peak: () => number } = {
    provider: name,
    model: `${name}-model`,
    peak: () => peak,
    chat: (req: ChatRequest) =>
      limiter.run(async () => {
        peak = Math.max(peak, limiter.inFlight)
        await new Promise((r) => setTimeout(r, delay))
        const prompt = req.messages.at(-1)!.content
        const error = fail?.(prompt)
        if (error) throw error
        return {
          text: `echo: ${prompt}`,
          texts: [],
          finish_reason: 'stop',
          usage: { prompt_tokens: 1 },
          latency_ms: delay,
          cached: false,
        }
      }),
    complete: () => Promise.reject(new Error('unused')),
    probe: () => Promise.resolve(info),
  }
  return client
}

function suite(n: number, over: Record<string, unknown> = {}): LoadedSuite {
  return {
    config: suiteSchema.parse({ name: 's', prompt: 'q{{ i }}', cases: [{}], ...over }),
    cases: Array.from({ length: n }, (_, i) => ({ id: `c${i}`, vars: { i }, tags: [] })),
  }
}

const containsMetric: CaseMetric = {
  kind: 'case',
  name: 'has_echo',
  score: (input) => ({ has_echo: input.prediction.startsWith('echo:') }),
}

describe('runCase', () => {
  const s = suite(1)
  const item: PlanItem = { suite: s, case: s.cases[0]!, provider: 'p' }
  const ctx = (client: ModelClient, metrics = [containsMetric]) => ({
    client,
    info,
    metrics,
    signal: new AbortController().signal,
  })

  it('scores a case with the task and the case metrics', async () => {
    const r = await runCase(item, ctx(fakeClient('p', 1, 0)))
    expect('row' in r && r.row).toMatchObject({
      suite: 's',
      case: 'c0',
      provider: 'p',
      model: 'p-model',
      output: 'echo: q0',
      metrics: { has_echo: true },
      error: null,
    })
  })

  it('records template, metric and server failures with their kinds', async () => {
    const bad = { ...item, suite: suite(1, { prompt: '{{ i ' }) }
    const t = await runCase(bad, ctx(fakeClient('p', 1, 0)))
    expect('row' in t && t.row.error).toEqual({
      kind: 'template',
      message: expect.stringContaining("suite 's', case 'c0', prompt") as string,
    })
    const throwing: CaseMetric = {
      kind: 'case',
      name: 'boom',
      score: () => {
        throw new Error('no')
      },
    }
    const m = await runCase(item, ctx(fakeClient('p', 1, 0), [throwing]))
    expect('row' in m && m.row.error).toEqual({ kind: 'metric', message: 'metric boom: no' })
    expect('row' in m && m.row.output).toBe('echo: q0')
    const s5 = await runCase(
      item,
      ctx(fakeClient('p', 1, 0, () => new ProviderError('server_error', 'HTTP 500'))),
    )
    expect('row' in s5 && s5.row.error).toEqual({ kind: 'server_error', message: 'HTTP 500' })
  })

  it('turns an unreachable server into a fatal outcome instead of a row', async () => {
    const r = await runCase(
      item,
      ctx(fakeClient('p', 1, 0, () => new ProviderError('connection', 'ECONNREFUSED'))),
    )
    expect('fatal' in r && r.fatal.kind).toBe('connection')
  })
})

describe('runPlan', () => {
  it('keeps each provider at its own concurrency and a slow provider does not hold back a fast one', async () => {
    const s = suite(24)
    const fast = fakeClient('fast', 4, 1)
    const slow = fakeClient('slow', 1, 20)
    const plan: PlanItem[] = s.cases.flatMap((c) => [
      { suite: s, case: c, provider: 'fast' },
      { suite: s, case: c, provider: 'slow' },
    ])
    const order: string[] = []
    const out = await runPlan(plan, {
      clients: new Map<string, ModelClient>([
        ['fast', fast],
        ['slow', slow],
      ]),
      servers: new Map(),
      metrics: new Map([['s', [containsMetric]]]),
      judges: new Map(),
      workers: (p) => (p === 'fast' ? 6 : 2),
      onRow: (row: ResultRow) => order.push(row.provider),
      signal: new AbortController().signal,
    })
    expect(out.rows).toHaveLength(48)
    expect(out.fatal).toBeUndefined()
    expect(fast.peak()).toBe(4)
    expect(slow.peak()).toBe(1)
    // The fast provider needs 6 rounds, the slow one 12 for half its cases: fast finishes first.
    expect(order.slice(0, 24 + 12).filter((p) => p === 'fast')).toHaveLength(24)
  })

  it('stops at the first unreachable provider and keeps what finished', async () => {
    const s = suite(20)
    const client = fakeClient('p', 2, 1, (prompt) =>
      prompt === 'q5' ? new ProviderError('connection', 'ECONNRESET') : undefined,
    )
    const plan: PlanItem[] = s.cases.map((c) => ({ suite: s, case: c, provider: 'p' }))
    const out = await runPlan(plan, {
      clients: new Map([['p', client]]),
      servers: new Map(),
      metrics: new Map(),
      judges: new Map(),
      workers: () => 2,
      onRow: () => undefined,
      signal: new AbortController().signal,
    })
    expect(out.fatal).toMatchObject({ provider: 'p', error: { kind: 'connection' } })
    expect(out.rows.length).toBeGreaterThanOrEqual(5)
    expect(out.rows.length).toBeLessThan(20)
    expect(out.rows.some((r) => r.case === 'c5')).toBe(false)
  })
})
