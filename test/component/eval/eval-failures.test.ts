import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startSimServer, type SimServer } from '../../../src/sim/server.js'
import {
  evalCli,
  exampleProfile,
  exampleSuites,
  readOut,
  simProviders,
  writeConfig,
} from './helpers.js'

let sim: SimServer | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

describe('llmops eval when servers fail', () => {
  it('retries injected 429 and 5xx answers and ends with every case scored', async () => {
    sim = await startSimServer({ profile: await exampleProfile() })
    sim.inject({ kind: '429', times: 3, retry_after_s: 0 })
    sim.inject({ kind: '503', times: 2, retry_after_s: 0 })
    sim.inject({ kind: '500', times: 2 })
    const dir = await writeConfig({
      providers: simProviders(sim.url),
      suites: exampleSuites().slice(0, 1),
    })
    const { result, lines } = await evalCli(dir, ['--out', 'out', '--no-cache'])
    expect(result.exitCode).toBe(0)
    const { rows, summary } = await readOut(path.join(dir, 'out'))
    expect(rows).toHaveLength(20)
    expect(rows.every((r) => r.error === null)).toBe(true)
    expect(sim.stats.faults).toMatchObject({ '429': 3, '503': 2, '500': 2 })
    const clients = summary.clients as Record<string, { retries: number }>
    expect(clients.baseline!.retries + clients.candidate!.retries).toBe(7)
    expect(lines.filter((l) => l.startsWith('warning: ') && l.includes('retry')).length).toBe(7)
  })

  it('records a case that keeps failing with its error kind, counts it and exits 0', async () => {
    const profile = await exampleProfile()
    profile.models.candidate!.faults.push({
      kind: '500',
      match: 'leap year',
      seed: 0,
      after_chunks: 0,
      retry_after_s: 0,
    })
    sim = await startSimServer({ profile })
    const dir = await writeConfig({
      providers: simProviders(sim.url, { max_retries: 2 }),
      suites: exampleSuites().slice(0, 1),
    })
    const { result, lines } = await evalCli(dir, ['--out', 'out', '--no-cache'])
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({ cases: '20', errors: '1' })
    const { rows, summary } = await readOut(path.join(dir, 'out'))
    const failed = rows.filter((r) => r.error)
    expect(failed.map((r) => [r.provider, r.case, r.error!.kind])).toEqual([
      ['candidate', 'qa-03', 'server_error'],
    ])
    expect(failed[0]!.error!.message).toContain('HTTP 500')
    const cand = summary.suites.qa!.providers.candidate!
    expect(cand).toMatchObject({ cases: 10, errors: 1, errors_by_kind: { server_error: 1 } })
    expect(cand.metrics.exact!.n).toBe(9)
    expect(summary.totals).toMatchObject({ cases: 20, errors: 1, scored: 19 })
    expect(lines.some((l) => l.includes('20 cases (19 scored, 1 errors'))).toBe(true)
  })

  it('exits 3 naming the URL and the last error when the server is unreachable, and still writes the summary', async () => {
    const closed = createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((r) => closed.close(() => r()))
    const url = `http://127.0.0.1:${port}/v1`
    const dir = await writeConfig({
      providers: { candidate: { base_url: url, model: 'm', max_retries: 2 } },
      suites: exampleSuites().slice(0, 1),
    })
    const { result, lines } = await evalCli(dir, ['--out', 'out'])
    expect(result.exitCode).toBe(3)
    const error = lines.find((l) => l.startsWith('error: '))!
    expect(error).toContain(`provider 'candidate' at ${url} is unreachable after retries`)
    expect(error).toContain('ECONNREFUSED')
    expect(lines.filter((l) => l.includes('retry')).length).toBe(2)
    expect(existsSync(path.join(dir, 'out', 'summary.json'))).toBe(true)
    const { summary } = await readOut(path.join(dir, 'out'))
    expect(summary.totals).toMatchObject({ cases: 0, planned: 10, not_run: 10 })
  })

  it('records multiple-choice cases as unsupported on a server without prompt logprobs (llama.cpp)', async () => {
    // A llama.cpp-shaped server: /props, and /v1/completions that returns logprobs of generated tokens only.
    const server: Server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json')
      if (req.url === '/props')
        return res.end(
          JSON.stringify({
            default_generation_settings: {},
            total_slots: 1,
            build_info: 'b5000-test',
          }),
        )
      if (req.url === '/v1/models') return res.end(JSON.stringify({ data: [{ id: 'm' }] }))
      if (req.url === '/v1/completions') {
        return res.end(
          JSON.stringify({
            choices: [
              {
                index: 0,
                text: 'x',
                finish_reason: 'length',
                logprobs: { tokens: ['x'], token_logprobs: [-0.5], top_logprobs: [{ x: -0.5 }] },
              },
            ],
          }),
        )
      }
      res.statusCode = 404
      res.end('{}')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
      const dir = await writeConfig({
        providers: { candidate: { base_url: url, model: 'm' } },
        suites: exampleSuites().slice(1),
      })
      const { result } = await evalCli(dir, ['--out', 'out'])
      expect(result.exitCode).toBe(0)
      const { rows, summary } = await readOut(path.join(dir, 'out'))
      expect(rows).toHaveLength(8)
      expect(rows.every((r) => r.error?.kind === 'unsupported')).toBe(true)
      expect(rows[0]!.error!.message).toContain(
        "provider 'candidate' (llama.cpp b5000-test) does not return prompt logprobs",
      )
      expect(summary.suites.mc!.providers.candidate!.errors_by_kind).toEqual({ unsupported: 8 })
      expect(summary.provenance.servers.candidate).toMatchObject({
        name: 'llama.cpp',
        version: 'b5000-test',
        prompt_logprobs: false,
      })
    } finally {
      await new Promise<void>((r) => server.close(() => r()))
    }
  })
})
