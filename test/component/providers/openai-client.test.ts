import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigurationError } from '../../../src/errors.js'
import { providerSchema } from '../../../src/eval/config-schema.js'
import { createModelClient } from '../../../src/providers/openai-client.js'
import type { Clock } from '../../../src/providers/retry.js'

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void

let server: Server | undefined
afterEach(async () => {
  server?.closeAllConnections()
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()))
  server = undefined
})

async function serve(handler: Handler): Promise<string> {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => handler(req, res, body))
  })
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
}

const chatBody = JSON.stringify({
  choices: [{ message: { content: 'ok' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1, completion_tokens: 1 },
})
const messages = [{ role: 'user' as const, content: 'hi' }]

function recordingClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = []
  return { sleeps, now: () => 0, sleep: (ms) => (sleeps.push(ms), Promise.resolve()) }
}

describe('OpenAIClient over HTTP', () => {
  it('sends the bearer token from the named environment variable and the configured headers', async () => {
    const seen: IncomingMessage['headers'][] = []
    const url = await serve((req, res) => {
      seen.push(req.headers)
      res.end(chatBody)
    })
    const config = providerSchema.parse({
      base_url: url,
      model: 'm',
      api_key_env: 'MY_KEY',
      headers: { 'x-team': 'evals' },
    })
    const client = createModelClient('p', config, { env: { MY_KEY: 'sk-test' } })
    expect((await client.chat({ messages })).text).toBe('ok')
    expect(seen[0]).toMatchObject({
      authorization: 'Bearer sk-test',
      'x-team': 'evals',
      'content-type': 'application/json',
    })
    await client.close()
    expect(() => createModelClient('p', config, { env: {} })).toThrow(ConfigurationError)
    expect(() => createModelClient('p', config, { env: {} })).toThrow(
      'providers.p.api_key_env: environment variable MY_KEY is not set',
    )
  })

  it('honours Retry-After on a 429 and then succeeds', async () => {
    let calls = 0
    const url = await serve((_req, res) => {
      if (calls++ === 0) {
        res.writeHead(429, { 'retry-after': '7' })
        return res.end('{"error":"slow down"}')
      }
      res.end(chatBody)
    })
    const clock = recordingClock()
    const client = createModelClient('p', providerSchema.parse({ base_url: url, model: 'm' }), {
      env: {},
      clock,
      random: () => 0.5,
    })
    expect((await client.chat({ messages })).text).toBe('ok')
    expect(clock.sleeps).toEqual([7000])
    expect(client.stats()).toMatchObject({ requests: 2, retries: 1 })
    await client.close()
  })

  it('classifies a server that never answers as timeout after its retries', async () => {
    const url = await serve(() => undefined)
    const clock = recordingClock()
    const client = createModelClient(
      'p',
      providerSchema.parse({ base_url: url, model: 'm', timeout_ms: 100, max_retries: 1 }),
      { env: {}, clock, random: () => 0 },
    )
    await expect(client.chat({ messages })).rejects.toMatchObject({
      kind: 'timeout',
      message: expect.stringContaining('within 100 ms') as string,
    })
    expect(clock.sleeps).toHaveLength(1)
    await client.close()
  })

  it('cancels an in-flight request when the signal aborts', async () => {
    const url = await serve(() => undefined)
    const client = createModelClient('p', providerSchema.parse({ base_url: url, model: 'm' }), {
      env: {},
    })
    const controller = new AbortController()
    const pending = client.chat({ messages }, { signal: controller.signal })
    setTimeout(() => controller.abort(), 20)
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled' })
    await client.close()
  })

  it('reports a body that is not JSON as bad_response without retrying', async () => {
    let calls = 0
    const url = await serve((_req, res) => {
      calls++
      res.end('<html>gateway</html>')
    })
    const client = createModelClient('p', providerSchema.parse({ base_url: url, model: 'm' }), {
      env: {},
      clock: recordingClock(),
    })
    await expect(client.chat({ messages })).rejects.toMatchObject({ kind: 'bad_response' })
    expect(calls).toBe(1)
    await client.close()
  })

  it('assembles a streamed answer and passes each delta on', async () => {
    const url = await serve((_req, res, body) => {
      expect(JSON.parse(body)).toMatchObject({
        stream: true,
        stream_options: { include_usage: true },
      })
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      for (const piece of ['Hel', 'lo', '!'])
        res.write(
          `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: piece } }] })}\n\n`,
        )
      res.write(
        `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`,
      )
      res.write(
        `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 2, completion_tokens: 3 } })}\n\n`,
      )
      res.end('data: [DONE]\n\n')
    })
    const client = createModelClient('p', providerSchema.parse({ base_url: url, model: 'm' }), {
      env: {},
    })
    const deltas: string[] = []
    const res = await client.chat({ messages, stream: true }, { onDelta: (d) => deltas.push(d) })
    expect(deltas).toEqual(['Hel', 'lo', '!'])
    expect(res).toMatchObject({
      text: 'Hello!',
      finish_reason: 'stop',
      usage: { prompt_tokens: 2, completion_tokens: 3 },
      cached: false,
    })
    expect(res.ttft_ms).toBeGreaterThanOrEqual(0)
    await client.close()
  })
})
