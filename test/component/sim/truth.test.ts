import { request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import type { RequestTruth } from '../../../src/sim/metrics.js'
import { startSimServer, type SimServer } from '../../../src/sim/server.js'

let sim: SimServer | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

const post = async (url: string, id: string | null, stream: boolean) => {
  const res = await request(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(id ? { 'x-request-id': id } : {}) },
    body: JSON.stringify({
      model: 'm',
      messages: [{ role: 'user', content: 'hello' }],
      max_tokens: 4,
      ignore_eos: true,
      stream,
    }),
  })
  await res.body.text()
}

describe('simulator request records and /metrics', () => {
  it('records what it did with each request that carried an x-request-id', async () => {
    sim = await startSimServer({
      profile: { models: { m: { timing: { ttft_ms: 10, itl_ms: 5, tokens_per_chunk: 2 } } } },
    })
    await post(sim.url, 'req-1', true)
    await post(sim.url, null, true)
    await post(sim.url, 'req-2', false)
    const res = await request(`${sim.origin}/sim/requests`)
    const { requests } = (await res.body.json()) as { requests: RequestTruth[] }
    expect(requests.map((r) => r.id)).toEqual(['req-1', 'req-2'])
    const [streamed, whole] = requests as [RequestTruth, RequestTruth]
    // Four tokens in chunks of two: two writes.
    expect(streamed.tokens).toEqual([2, 2])
    expect(streamed.token_ms[0]! - streamed.arrival_ms).toBeGreaterThanOrEqual(9.5)
    expect(streamed.end_ms).not.toBeNull()
    expect(whole.tokens).toEqual([4])

    const metrics = await (await request(`${sim.origin}/metrics`)).body.text()
    expect(metrics).toContain('vllm:e2e_request_latency_seconds_count{engine="0",model_name="m"} 3')
    expect(metrics).toContain('vllm:inter_token_latency_seconds_count{engine="0",model_name="m"} 2')

    await request(`${sim.origin}/sim/requests`, { method: 'DELETE' })
    const after = (await (await request(`${sim.origin}/sim/requests`)).body.json()) as {
      requests: unknown[]
    }
    expect(after.requests).toEqual([])
  })
})
