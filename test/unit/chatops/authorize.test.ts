import { describe, expect, it } from 'vitest'
import { authorize, meets } from '../../../src/chatops/authorize.js'
import { EMPTY_CATALOG, requiredPermission } from '../../../src/chatops/command-specs.js'
import { fakeGitHub } from './fake-github.js'

describe('meets', () => {
  it.each([
    ['none', 'read', false],
    ['read', 'write', false],
    ['triage', 'write', false],
    ['write', 'write', true],
    ['maintain', 'write', true],
    ['write', 'maintain', false],
    ['admin', 'maintain', true],
    ['none', 'anyone', true],
  ] as const)('%s meets %s: %s', (level, required, expected) => {
    expect(meets(level, required)).toBe(expected)
  })
})

describe('requiredPermission', () => {
  it.each([
    ['eval', 'write'],
    ['benchmark', 'write'],
    ['finetune', 'write'],
    ['deploy', 'maintain'],
    ['help', 'anyone'],
  ] as const)('default for %s is %s', (name, role) => {
    expect(requiredPermission(EMPTY_CATALOG, name)).toBe(role)
  })

  it('takes the configured role', () => {
    const catalog = { ...EMPTY_CATALOG, commands: { eval: { min_permission: 'admin' as const } } }
    expect(requiredPermission(catalog, 'eval')).toBe('admin')
  })
})

describe('authorize', () => {
  it('denies when the lookup fails, without a level', async () => {
    const result = await authorize(fakeGitHub({ role: new Error('boom') }).github, 'alice', 'write')
    expect(result).toEqual({
      allowed: false,
      reason: 'the permission check failed (boom), so the command was not run',
    })
  })

  it('does not look anything up for commands anyone may run', async () => {
    const fake = fakeGitHub({ role: new Error('must not be called') })
    expect(await authorize(fake.github, 'alice', 'anyone')).toEqual({
      allowed: true,
      level: 'unchecked',
    })
    expect(fake.calls.permissionLookups).toEqual([])
  })
})
