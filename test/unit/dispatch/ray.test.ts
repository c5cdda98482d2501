import { describe, expect, it } from 'vitest'
import { rayDriver, raySubmissionId } from '../../../src/dispatch/ray.js'
import { InfrastructureError } from '../../../src/errors.js'
import { fakeHttp } from './fakes.js'

const spec = {
  entrypoint: 'python train.py',
  submissionId: 'llmops-ft-o-r-0123456789ab-deadbeef',
  envVars: { LLMOPS_CONFIG: '$(rm -rf /)' },
  metadata: { 'llmops.sha': 'x' },
  numGpus: 1,
}

describe('raySubmissionId', () => {
  it('is deterministic and safe', () => {
    const sha = '0123456789abcdef0123456789abcdef01234567'
    expect(raySubmissionId('My-Org/Repo.Name', sha, 'deadbeefcafe')).toBe(
      'llmops-ft-my-org-repo-name-0123456789ab-deadbeef',
    )
    expect(raySubmissionId('My-Org/Repo.Name', sha, 'deadbeefcafe')).toBe(
      raySubmissionId('My-Org/Repo.Name', sha, 'deadbeefcafe'),
    )
  })
})

describe('rayDriver', () => {
  it('submits with user values only in runtime_env.env_vars, never in the entrypoint', async () => {
    const http = fakeHttp(() => ({
      status: 200,
      body: { submission_id: spec.submissionId, job_id: null },
    }))
    const d = rayDriver('http://127.0.0.1:8265/', spec, { http })
    expect(await d.submit()).toEqual({ id: spec.submissionId, resumed: false })
    expect(http.calls[0]).toEqual({
      method: 'POST',
      url: 'http://127.0.0.1:8265/api/jobs/',
      body: {
        entrypoint: 'python train.py',
        submission_id: spec.submissionId,
        runtime_env: { env_vars: { LLMOPS_CONFIG: '$(rm -rf /)' } },
        metadata: { 'llmops.sha': 'x' },
        entrypoint_num_gpus: 1,
      },
    })
  })

  it('resumes following a duplicate submission instead of failing', async () => {
    const http = fakeHttp((c) =>
      c.method === 'POST'
        ? {
            status: 500,
            body: `ValueError: Job with submission_id ${spec.submissionId} already exists.`,
          }
        : { status: 200, body: { status: 'RUNNING', submission_id: spec.submissionId } },
    )
    expect(await rayDriver('http://h:8265', spec, { http }).submit()).toEqual({
      id: spec.submissionId,
      resumed: true,
    })
  })

  it('maps statuses and keeps the message', async () => {
    const http = fakeHttp(() => ({
      status: 200,
      body: { status: 'FAILED', message: 'exit 1', error_type: 'JOB_ENTRYPOINT_COMMAND_ERROR' },
    }))
    expect(await rayDriver('http://h:8265', spec, { http }).status('x')).toEqual({
      phase: 'failed',
      status: 'FAILED',
      message: 'exit 1 (JOB_ENTRYPOINT_COMMAND_ERROR)',
    })
  })

  it('reports an unexpected answer as an infrastructure error', async () => {
    const http = fakeHttp(() => ({ status: 200, body: { status: 'WEIRD' } }))
    await expect(rayDriver('http://h:8265', spec, { http }).status('x')).rejects.toBeInstanceOf(
      InfrastructureError,
    )
    const http404 = fakeHttp(() => ({ status: 404, body: { message: 'no such job' } }))
    await expect(rayDriver('http://h:8265', spec, { http: http404 }).status('x')).rejects.toThrow(
      'Ray at http://h:8265: reading job x failed with HTTP 404: no such job',
    )
  })

  it('reads logs and stops jobs through the REST paths', async () => {
    const http = fakeHttp((c) =>
      c.url.endsWith('/logs')
        ? { status: 200, body: { logs: 'hello\n' } }
        : { status: 200, body: { stopped: true } },
    )
    const d = rayDriver('http://h:8265', spec, { http })
    expect(await d.logs('a b')).toBe('hello\n')
    await d.cancel('a b')
    expect(http.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET http://h:8265/api/jobs/a%20b/logs',
      'POST http://h:8265/api/jobs/a%20b/stop',
    ])
  })
})
