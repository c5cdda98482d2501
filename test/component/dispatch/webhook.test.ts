import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../src/core/logger.js'
import { driverFor } from '../../../src/dispatch/drivers.js'
import { followJob } from '../../../src/dispatch/job.js'
import { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../../src/dispatch/webhook.js'

let server: Server
const SECRET = 's3cret'

/** A receiver that checks the signature, starts a job and walks it running → succeeded. */
async function receiver(finalStatus = 'succeeded') {
  const jobs = new Map<string, { polls: number; body: unknown }>()
  const received: { body: string; headers: IncomingMessage['headers'] }[] = []
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => (body += d.toString()))
    req.on('end', () => {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      if (req.method === 'POST' && req.url === '/hooks/finetune') {
        received.push({ body, headers: req.headers })
        const ts = String(req.headers[TIMESTAMP_HEADER])
        if (req.headers[SIGNATURE_HEADER] !== signWebhook(SECRET, ts, body)) {
          res
            .writeHead(401, { 'content-type': 'application/json' })
            .end('{"message":"bad signature"}')
          return
        }
        const key = (JSON.parse(body) as { idempotency_key: string }).idempotency_key
        const existed = jobs.has(key)
        if (!existed) jobs.set(key, { polls: 0, body: JSON.parse(body) })
        res.writeHead(existed ? 200 : 202, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ id: key, status_url: `${base}/jobs/${key}` }))
        return
      }
      const m = /^\/jobs\/([^/]+)(\/cancel)?$/.exec(req.url ?? '')
      const job = m ? jobs.get(m[1]!) : undefined
      if (!job) return void res.writeHead(404).end()
      job.polls++
      const status = job.polls < 3 ? 'running' : finalStatus
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ status, logs: `poll ${job.polls}\n`.repeat(job.polls) }))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/finetune`,
    received,
    jobs,
  }
}

afterEach(async () => {
  await new Promise((r) => server?.close(r))
})

const ids = { repo: 'octo/models', sha: 'e'.repeat(40), configHash: 'abc', kind: 'finetune' }

describe('webhook target', () => {
  it('signs the delivery, carries user values as data, and follows the job to SUCCEEDED', async () => {
    const hook = await receiver()
    const driver = driverFor(
      { target: 'webhook', url: hook.url, secret_env: 'HOOK_SECRET', timeout_s: 60 },
      ids,
      { HOOK_SECRET: SECRET },
      { LR: '$(reboot)' },
    )
    const { id, resumed } = await driver.submit()
    expect(resumed).toBe(false)
    const r = await followJob(driver, id, { timeoutMs: 30_000, pollMs: 10, logger: memoryLogger() })
    expect(r.state).toEqual({ phase: 'succeeded', status: 'SUCCEEDED' })
    const body = JSON.parse(hook.received[0]!.body) as Record<string, unknown>
    expect(body).toMatchObject({
      kind: 'finetune',
      repository: 'octo/models',
      sha: ids.sha,
      env: { LR: '$(reboot)', LLMOPS_SHA: ids.sha },
    })
    const again = await driver.submit()
    expect(again).toEqual({ id, resumed: true })
    expect(hook.jobs.size).toBe(1)
  })

  it('a wrong secret is refused by the receiver and reported with its status', async () => {
    const hook = await receiver()
    const driver = driverFor(
      { target: 'webhook', url: hook.url, secret_env: 'HOOK_SECRET', timeout_s: 60 },
      ids,
      { HOOK_SECRET: 'wrong' },
      {},
    )
    await expect(driver.submit()).rejects.toThrow(
      /starting the job failed with HTTP 401: bad signature/,
    )
  })

  it('an unset secret variable is a configuration error naming it', () => {
    expect(() =>
      driverFor(
        { target: 'webhook', url: 'http://127.0.0.1:1/x', secret_env: 'NOPE', timeout_s: 60 },
        ids,
        {},
        {},
      ),
    ).toThrow('webhook target: environment variable NOPE (secret_env) is not set')
  })

  it('a failed job ends FAILED', async () => {
    const hook = await receiver('failed')
    const driver = driverFor(
      { target: 'webhook', url: hook.url, secret_env: 'HOOK_SECRET', timeout_s: 60 },
      ids,
      { HOOK_SECRET: SECRET },
      {},
    )
    const { id } = await driver.submit()
    const r = await followJob(driver, id, { timeoutMs: 30_000, pollMs: 10, logger: memoryLogger() })
    expect(r.state.phase).toBe('failed')
    expect(r.logTail).toMatch(/^poll \d+$/m)
  })
})
