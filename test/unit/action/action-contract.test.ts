import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { renderAllActionYml } from '../../../src/action/action-yml.js'
import { inputsToArgv } from '../../../src/action/inputs.js'
import { actionIo, type ActionSpec } from '../../../src/action/io.js'
import { UsageError } from '../../../src/errors.js'

const root = path.resolve(import.meta.dirname, '../../..')
const files = [...renderAllActionYml(actionIo)]

describe('action.yml contract', () => {
  it.each(files)(
    '%s is what scripts/gen-action-yml.ts generates from src/action/io.ts',
    (file, expected) => {
      expect(readFileSync(path.join(root, file), 'utf8')).toBe(expected)
    },
  )

  it.each(Object.entries(actionIo))(
    'sub-action %s declares exactly the registry inputs and outputs',
    (key, spec) => {
      const yml = parse(readFileSync(path.join(root, `actions/${key}/action.yml`), 'utf8')) as {
        inputs: Record<string, { required: boolean; default?: string }>
        outputs: Record<string, unknown>
        runs: { using: string; main: string; post?: string }
      }
      expect(Object.keys(yml.inputs).sort()).toEqual(
        ['command', ...Object.keys(spec.inputs)].sort(),
      )
      expect(yml.inputs.command?.default).toBe(key)
      for (const [name, input] of Object.entries(
        spec.inputs as Record<string, ActionSpec['inputs'][string]>,
      )) {
        expect(yml.inputs[name]?.required).toBe(input.required === true)
        expect(yml.inputs[name]?.default).toBe(input.default)
      }
      expect(Object.keys(yml.outputs).sort()).toEqual(Object.keys(spec.outputs).sort())
      expect(yml.runs).toEqual({
        using: 'node24',
        main: '../../dist/index.js',
        ...((spec as ActionSpec).post ? { post: '../../dist/index.js' } : {}),
      })
    },
  )

  it('the root action requires command and offers every input of every sub-action', () => {
    const yml = parse(readFileSync(path.join(root, 'action.yml'), 'utf8')) as {
      inputs: Record<string, { required: boolean }>
      runs: { main: string }
    }
    expect(yml.inputs.command?.required).toBe(true)
    const union = new Set(Object.values(actionIo).flatMap((s) => Object.keys(s.inputs)))
    expect(
      Object.keys(yml.inputs)
        .filter((k) => k !== 'command')
        .sort(),
    ).toEqual([...union].sort())
    expect(Object.entries(yml.inputs).filter(([k, v]) => k !== 'command' && v.required)).toEqual([])
    expect(yml.runs.main).toBe('dist/index.js')
  })

  it.each(Object.entries(actionIo))(
    'every input of %s maps to exactly one flag or environment variable',
    (_key, spec) => {
      expect(spec.command).toMatch(/^[a-z]+$/)
      for (const input of Object.values(
        spec.inputs as Record<string, ActionSpec['inputs'][string]>,
      )) {
        expect(Boolean(input.flag) !== Boolean(input.env)).toBe(true)
        if (input.flag) expect(input.flag).toMatch(/^--[a-z][a-z0-9-]*$/)
      }
    },
  )
})

describe('inputsToArgv', () => {
  const spec: ActionSpec = {
    name: 'llmops test',
    description: 'd',
    command: 'gate',
    inputs: {
      baseline: { description: 'b', required: true, flag: '--baseline' },
      out: { description: 'o', default: 'results', flag: '--out' },
      comment: { description: 'c', default: 'true', flag: '--comment', boolean: true },
      check: { description: 'k', flag: '--check', boolean: true },
      token: { description: 't', default: '${{ github.token }}', env: 'GITHUB_TOKEN' },
    },
    outputs: {},
  }

  it('maps values to flags and env, booleans to bare flags, and applies registry defaults', () => {
    const inputs: Record<string, string> = { baseline: ' base ', check: 'false', token: 'ghs_x' }
    expect(inputsToArgv(spec, (n) => inputs[n] ?? '')).toEqual({
      argv: ['--baseline=base', '--out=results', '--comment'],
      env: { GITHUB_TOKEN: 'ghs_x' },
    })
  })

  it('keeps values with spaces or shell characters as one argument', () => {
    const { argv } = inputsToArgv(spec, (n) => (n === 'baseline' ? 'a b; $(rm -rf /)' : ''))
    expect(argv[0]).toBe('--baseline=a b; $(rm -rf /)')
  })

  it('rejects a missing required input and a non-boolean boolean', () => {
    expect(() => inputsToArgv(spec, () => '')).toThrow(
      new UsageError("input 'baseline' is required for llmops test"),
    )
    expect(() =>
      inputsToArgv(spec, (n) => (n === 'baseline' ? 'b' : n === 'check' ? 'yes' : '')),
    ).toThrow("input 'check' must be 'true' or 'false', got 'yes'")
  })
})
