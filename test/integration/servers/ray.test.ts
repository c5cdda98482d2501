import { setTimeout as sleep } from 'node:timers/promises'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRayHead, type RayHead } from '../harness/ray.js'

let ray: RayHead

interface JobDetails {
  submission_id: string
  status: 'PENDING' | 'RUNNING' | 'STOPPED' | 'SUCCEEDED' | 'FAILED'
  driver_exit_code?: number | null
  metadata?: Record<string, string>
}

// undici's request, not fetch: Ray's dashboard answers 405 to anything that looks like a browser,
// and fetch sends `Sec-Fetch-Mode` (ray/dashboard/optional_utils.py `is_browser_request`).
async function call(
  method: 'GET' | 'POST',
  route: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const response = await request(`${ray.url}${route}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  })
  const text = await response.body.text()
  try {
    return { status: response.statusCode, json: JSON.parse(text) as unknown }
  } catch {
    // Ray answers some errors (e.g. a duplicate submission id) with a plain-text traceback.
    return { status: response.statusCode, json: text }
  }
}

async function job(id: string): Promise<JobDetails> {
  const { status, json } = await call('GET', `/api/jobs/${id}`)
  expect(status).toBe(200)
  return json as JobDetails
}

async function until(id: string, timeoutMs: number): Promise<JobDetails> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const details = await job(id)
    if (['SUCCEEDED', 'FAILED', 'STOPPED'].includes(details.status) || Date.now() > deadline)
      return details
    await sleep(500)
  }
}

beforeAll(async () => {
  ray = await startRayHead()
})

afterAll(async () => {
  await ray?.stop()
})

describe('Ray head (real, jobs REST API)', () => {
  it('answers GET /api/version', async () => {
    const { status, json } = await call('GET', '/api/version')
    expect(status).toBe(200)
    const body = json as { ray_version: string; version: string }
    expect(body.ray_version).toBe('2.60.0')
    expect(body.version).toMatch(/^\d+$/)
  })

  it('runs a submitted job to SUCCEEDED and returns its logs', async () => {
    const submissionId = `llmops-harness-${Date.now()}`
    const submitted = await call('POST', '/api/jobs/', {
      entrypoint: "python -c \"import os; print('hello from', os.environ['GREETING'])\"",
      submission_id: submissionId,
      runtime_env: { env_vars: { GREETING: 'llmops' } },
      metadata: { pr: '42' },
    })
    expect(submitted).toMatchObject({ status: 200, json: { submission_id: submissionId } })

    const details = await until(submissionId, 240_000)
    expect(details).toMatchObject({
      submission_id: submissionId,
      status: 'SUCCEEDED',
      metadata: { pr: '42' },
    })
    const logs = await call('GET', `/api/jobs/${submissionId}/logs`)
    expect((logs.json as { logs: string }).logs).toContain('hello from llmops')

    const duplicate = await call('POST', '/api/jobs/', {
      entrypoint: 'true',
      submission_id: submissionId,
    })
    // Ray 2.60 answers a reused submission_id with 500 and a plain-text traceback (not a 400).
    expect(duplicate.status).toBe(500)
    expect(duplicate.json).toContain(`Job with submission_id ${submissionId} already exists`)
  })
})
