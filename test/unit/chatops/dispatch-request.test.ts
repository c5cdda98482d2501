import { describe, expect, it } from 'vitest'
import { EMPTY_CATALOG } from '../../../src/chatops/command-specs.js'
import { buildDispatch, MAX_CLIENT_PAYLOAD_KEYS } from '../../../src/chatops/dispatch-request.js'

const order = {
  command: 'deploy' as const,
  args: {},
  pr: 3,
  sha: 'b'.repeat(40),
  commentId: 11,
  actor: 'alice',
  environment: 'staging',
  checkRunId: 5,
}

describe('buildDispatch', () => {
  it('sends repository_dispatch llmops-<command> by default, within the 10-key cap', () => {
    const request = buildDispatch(order, EMPTY_CATALOG, 'main')
    expect(request).toEqual({
      kind: 'repository_dispatch',
      eventType: 'llmops-deploy',
      clientPayload: {
        command: 'deploy',
        args: {},
        pr: 3,
        sha: order.sha,
        comment_id: 11,
        actor: 'alice',
        command_id: 'llmops-deploy-pr3-c11',
        environment: 'staging',
        check_run_id: 5,
      },
    })
    if (request.kind === 'repository_dispatch') {
      expect(Object.keys(request.clientPayload).length).toBeLessThanOrEqual(MAX_CLIENT_PAYLOAD_KEYS)
    }
  })

  it('sends workflow_dispatch on the configured ref with string inputs', () => {
    const catalog = {
      ...EMPTY_CATALOG,
      commands: { eval: { workflow: 'eval.yml', ref: 'release' } },
    }
    const request = buildDispatch(
      { ...order, command: 'eval', args: { suite: 'qa' } },
      catalog,
      'main',
    )
    expect(request).toMatchObject({
      kind: 'workflow_dispatch',
      workflow: 'eval.yml',
      ref: 'release',
    })
    if (request.kind !== 'workflow_dispatch') throw new Error('expected workflow_dispatch')
    expect(request.inputs.suite).toBe('qa')
    expect(request.inputs.pr).toBe('3')
    expect(Object.values(request.inputs).every((v) => typeof v === 'string')).toBe(true)
  })
})
