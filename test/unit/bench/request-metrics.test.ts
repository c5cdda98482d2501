import { describe, expect, it } from 'vitest'
import { itlSamples, measureRequest, type RawResult } from '../../../src/bench/request-metrics.js'

function raw(events: [number, string][], extra: Partial<RawResult> = {}): RawResult {
  return {
    index: 0,
    warmup: false,
    requestId: 'r-0',
    tIntended: null,
    tSend: 0,
    tHeaders: 5,
    status: 200,
    error: null,
    raw: { chunks: events.map(([, s]) => Buffer.from(`${s}\n\n`)), times: events.map(([t]) => t) },
    inputTokens: 10,
    requestedOutput: 6,
    ...extra,
  }
}
const delta = (content: string, usage?: number) =>
  `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }], ...(usage !== undefined ? { usage: { prompt_tokens: 10, completion_tokens: usage } } : {}) })}`
const role = (usage?: number) =>
  `data: ${JSON.stringify({ choices: [{ index: 0, delta: { role: 'assistant', content: '' } }], ...(usage !== undefined ? { usage: { completion_tokens: usage } } : {}) })}`
const usageChunk = (n: number) =>
  `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 10, completion_tokens: n } })}`
const labels = { scenario: 's', load: 'concurrency=1' }

describe('measureRequest', () => {
  it('never takes the role-only chunk as the first token and splits ITL by token deltas', () => {
    const m = measureRequest(
      raw([
        [10, role(0)],
        [50, delta('ab', 2)],
        [60, delta('c', 3)],
        [80, delta('def', 6)],
        [81, usageChunk(6)],
        [82, 'data: [DONE]'],
      ]),
      labels,
    )
    expect(m).toMatchObject({
      ok: true,
      ttfb_ms: 10,
      ttft_ms: 50,
      ttfo_ms: 50,
      e2e_ms: 80,
      done_ms: 82,
      output_tokens: 6,
      token_source: 'usage_continuous',
      headers_ms: 5,
    })
    expect(m.tpot_ms).toBe(6)
    expect(m.icl_ms).toEqual([10, 20])
    expect(m.itl_ms).toHaveLength(4)
    expect(m.itl_ms.reduce((a, b) => a + b, 0)).toBeCloseTo(30)
    expect(m.token_counts).toEqual([2, 1, 3])
  })

  it('uses final usage when there is no continuous usage and marks ITL estimated', () => {
    const m = measureRequest(
      raw([
        [10, role()],
        [50, delta('ab')],
        [60, delta('c')],
        [80, delta('def')],
        [81, usageChunk(6)],
        [82, 'data: [DONE]'],
      ]),
      labels,
    )
    expect(m).toMatchObject({
      token_source: 'usage_final',
      output_tokens: 6,
      itl_estimated: true,
      tpot_ms: 6,
      e2e_ms: 80,
    })
  })

  it('falls back to counting chunks without usage', () => {
    const m = measureRequest(
      raw([
        [50, delta('a')],
        [60, delta('b')],
        [62, 'data: [DONE]'],
      ]),
      labels,
    )
    expect(m).toMatchObject({ token_source: 'chunk_count', output_tokens: 2, tpot_ms: 10 })
  })

  it('counts reasoning as a token for TTFT but not for TTFO', () => {
    const reasoning = `data: ${JSON.stringify({ choices: [{ delta: { reasoning_content: 'hm' } }] })}`
    const m = measureRequest(
      raw([
        [10, role()],
        [30, reasoning],
        [70, delta('x')],
        [71, 'data: [DONE]'],
      ]),
      labels,
    )
    expect(m.ttft_ms).toBe(30)
    expect(m.ttfo_ms).toBe(70)
  })

  it('records truncated, malformed, HTTP and transport failures with their partial timings', () => {
    expect(
      measureRequest(
        raw([
          [10, role()],
          [40, delta('a')],
        ]),
        labels,
      ),
    ).toMatchObject({ ok: false, error: 'truncated stream (no [DONE])', ttft_ms: 40 })
    expect(
      measureRequest(
        raw([
          [40, delta('a')],
          [50, 'data: {"x'],
          [60, 'data: [DONE]'],
        ]),
        labels,
      ).error,
    ).toBe('malformed SSE event')
    expect(measureRequest(raw([[5, '{"error":"x"}']], { status: 429 }), labels).error).toBe(
      'http 429',
    )
    expect(
      measureRequest(raw([[40, delta('a')]], { error: 'stalled: no bytes for 100 ms' }), labels),
    ).toMatchObject({ ok: false, error: 'stalled: no bytes for 100 ms', ttft_ms: 40 })
  })

  it('computes the truth from embedded send times', () => {
    const sent = (ms: number, body: string) =>
      body.replace('data: {', `data: {"sim_sent_ns":"${ms * 1e6}",`)
    const m = measureRequest(
      raw([
        [11, sent(10, role())],
        [52, sent(50, delta('a', 1))],
        [63, sent(60, delta('b', 2))],
        [64, 'data: [DONE]'],
      ]),
      labels,
    )
    expect(m.truth).toEqual({ ttft_ms: 50, tpot_ms: 10, e2e_ms: 60, event_delay_ms: [1, 2, 3] })
  })
})

describe('itlSamples', () => {
  it('spreads each gap over the tokens of the later event', () => {
    expect(itlSamples([0, 10, 40], [1, 1, 3])).toEqual([10, 10, 10, 10])
  })
})
