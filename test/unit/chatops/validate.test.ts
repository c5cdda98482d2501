import { describe, expect, it } from 'vitest'
import { EMPTY_CATALOG, type CommandCatalog } from '../../../src/chatops/command-specs.js'
import { parseCommandLine } from '../../../src/chatops/grammar.js'
import { validateCommand } from '../../../src/chatops/validate.js'

const SHA = 'a'.repeat(40)
const catalog: CommandCatalog = {
  ...EMPTY_CATALOG,
  suites: ['support-qa', 'arc-easy'],
  providers: ['candidate'],
  scenarios: ['chat-short'],
}

function validate(line: string, c: CommandCatalog = EMPTY_CATALOG) {
  const parsed = parseCommandLine(line)
  if (!parsed) throw new Error(`not a command line: ${line}`)
  return validateCommand(parsed, c)
}

describe('validateCommand: accepted', () => {
  it.each([
    ['/eval', { name: 'eval', args: {} }],
    [
      '/eval suite=support-qa provider=candidate',
      { name: 'eval', args: { suite: 'support-qa', provider: 'candidate' } },
    ],
    [`/eval sha=${SHA}`, { name: 'eval', args: {}, sha: SHA }],
    ['/benchmark scenario=chat-short', { name: 'benchmark', args: { scenario: 'chat-short' } }],
    ['/deploy staging', { name: 'deploy', args: {}, positional: 'staging' }],
    [
      `/deploy production sha=${SHA}`,
      { name: 'deploy', args: {}, positional: 'production', sha: SHA },
    ],
    ['/finetune config=train/lora.yaml', { name: 'finetune', args: { config: 'train/lora.yaml' } }],
    ['/help', { name: 'help', args: {} }],
    ['/help deploy', { name: 'help', args: {}, positional: 'deploy' }],
    ['/EVAL Suite=support-qa', { name: 'eval', args: { suite: 'support-qa' } }],
  ])('%s', (line, command) => {
    expect(validate(line, catalog)).toEqual({ ok: true, command })
  })

  it('accepts any well-formed name when nothing is configured', () => {
    expect(validate('/eval suite=anything.v2')).toMatchObject({
      ok: true,
      command: { args: { suite: 'anything.v2' } },
    })
  })
})

describe('validateCommand: rejected', () => {
  it.each([
    ['/eval suite=$(id)', 'suite must be 1-64'],
    ['/eval suite=`whoami`', 'suite must be 1-64'],
    ['/eval suite=${{secrets.TOKEN}}', 'suite must be 1-64'],
    ['/eval suite="a; rm -rf /"', 'suite must be 1-64'],
    ['/eval suite=-rf', 'suite must be 1-64'],
    ['/eval sha=abc', 'sha must be the full 40-character'],
    [`/eval sha=${'A'.repeat(40)}`, 'sha must be the full 40-character'],
    ['/eval suite=nope', 'suite is not one of the configured suites'],
    ['/eval suite=support-q', 'did you mean support-qa?'],
    ['/eval suit=support-qa', 'unknown argument suit (did you mean suite?)'],
    ['/eval now', 'unexpected words'],
    ['/deploy', 'the environment is missing'],
    ['/deploy Prod!', 'the environment is not a valid name'],
    ['/deploy staging production', 'unexpected extra words'],
    ['/finetune config=../secrets.yml', 'config must be a relative path'],
    ['/finetune config=/etc/passwd', 'config must be a relative path'],
    ['/help me please', 'unexpected extra words'],
    ['/eval suite="x', 'unterminated double quote'],
  ])('%s', (line, problem) => {
    const result = validate(line, catalog)
    expect(result.ok).toBe(false)
    if (result.ok || result.kind !== 'malformed') throw new Error('expected malformed')
    expect(result.problems.join('\n')).toContain(problem)
  })

  it.each([
    ['/evalx', 'eval'],
    ['/deplyo staging', 'deploy'],
    ['/lgtm', undefined],
  ])('%s is unknown (suggestion %s)', (line, suggestion) => {
    expect(validate(line)).toEqual({
      ok: false,
      kind: 'unknown',
      name: line.slice(1).split(' ')[0],
      ...(suggestion ? { suggestion } : {}),
    })
  })
})
