import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { interpolate, parseConfig } from '../../../src/config/load.js'
import { ConfigurationError } from '../../../src/errors.js'

const dir = 'fixtures/config/invalid'
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.yml'))
  .sort()

function problemsOf(file: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(readFileSync(path.join(dir, file), 'utf8'), file, env)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError)
    return [...(error as ConfigurationError).problems]
  }
  throw new Error(`${file} parsed without error`)
}

describe('parseConfig on invalid configs', () => {
  it('has at least 20 invalid fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20)
  })

  it.each(fixtures)('%s fails with file:line:col and a key path', (file) => {
    const problems = problemsOf(file)
    expect(problems.length).toBeGreaterThan(0)
    for (const p of problems)
      expect(p).toMatch(new RegExp(`^${file.replace('.', '\\.')}:\\d+:\\d+: `))
  })

  it.each([
    [
      '02-unknown-top-key.yml',
      "02-unknown-top-key.yml:2:1: suits: unknown key. Did you mean 'suites'? Allowed: version, providers, suites, safety, benchmark, gates, gate, commands, finetune, deploy, mlflow, on_merge",
    ],
    [
      '03-unknown-provider-key.yml',
      "03-unknown-provider-key.yml:6:5: providers.candidate.concurency: unknown key. Did you mean 'concurrency'? Allowed: base_url, model, api_key_env, headers, timeout_ms, max_retries, concurrency, context_length, prefix_token_id",
    ],
    ['04-wrong-version.yml', '04-wrong-version.yml:1:10: version: must be 1, got number 2'],
    [
      '05-missing-version.yml',
      '05-missing-version.yml:1:1: version: required key is missing (expected 1)',
    ],
    ['06-bad-url.yml', '06-bad-url.yml:4:15: providers.candidate.base_url: must be an http(s) URL'],
    [
      '08-unset-var.yml',
      '08-unset-var.yml:4:15: providers.candidate.base_url: environment variable LLMOPS_TEST_UNSET_URL is not set (use ${LLMOPS_TEST_UNSET_URL:-default} for a default)',
    ],
    [
      '09-wrong-type-concurrency.yml',
      '09-wrong-type-concurrency.yml:6:18: providers.candidate.concurrency: expected number, got string "many"',
    ],
    [
      '10-duplicate-suite.yml',
      "10-duplicate-suite.yml:5:11: suites[1].name: duplicate suite name 'qa' (first at suites[0])",
    ],
    [
      '17-unknown-suite-provider.yml',
      "17-unknown-suite-provider.yml:7:17: suites[0].providers[0]: unknown provider 'candidat'. Did you mean 'candidate'? Defined providers: candidate",
    ],
    [
      '22-duplicate-key.yml',
      '22-duplicate-key.yml:4:3: YAML syntax error: Map keys must be unique',
    ],
  ])('%s gives the exact message', (file, message) => {
    expect(problemsOf(file)).toEqual([message])
  })

  it('reports every problem at once', () => {
    const text = [
      'version: 1',
      'providers:',
      '  a: { base_url: "${NOPE_ONE}", model: m }',
      '  b: { base_url: "${NOPE_TWO}", model: m }',
    ].join('\n')
    expect(() => parseConfig(text, 'x.yml', {})).toThrow(ConfigurationError)
    try {
      parseConfig(text, 'x.yml', {})
    } catch (error) {
      expect((error as ConfigurationError).problems).toEqual([
        'x.yml:3:18: providers.a.base_url: environment variable NOPE_ONE is not set (use ${NOPE_ONE:-default} for a default)',
        'x.yml:4:18: providers.b.base_url: environment variable NOPE_TWO is not set (use ${NOPE_TWO:-default} for a default)',
      ])
    }
  })

  it('reports several schema problems of one file together', () => {
    const text =
      'version: 1\nsuites:\n  - name: qa\n    task: gen\n    cases: []\n    generation: { temperature: 9 }\n'
    try {
      parseConfig(text, 'y.yml', {})
      expect.unreachable()
    } catch (error) {
      expect((error as ConfigurationError).problems).toEqual([
        'y.yml:4:11: suites[0].task: must be one of "generate", "multiple_choice", "perplexity"; got string "gen"',
        'y.yml:6:32: suites[0].generation.temperature: must be <= 2, got number 9',
      ])
    }
  })
})

describe('parseConfig on valid configs', () => {
  it('interpolates ${VAR} from the environment and applies defaults', () => {
    const text = 'version: 1\nproviders:\n  candidate: { base_url: "${URL}", model: m }\n'
    const config = parseConfig(text, 'c.yml', { URL: 'http://127.0.0.1:9/v1' })
    expect(config.providers.candidate).toEqual({
      base_url: 'http://127.0.0.1:9/v1',
      model: 'm',
      timeout_ms: 120000,
      max_retries: 4,
      concurrency: 8,
    })
  })

  it.each(readdirSync('fixtures/config/valid').filter((f) => f.endsWith('.yml')))(
    '%s parses',
    (file) => {
      const config = parseConfig(
        readFileSync(path.join('fixtures/config/valid', file), 'utf8'),
        file,
        {
          CANDIDATE_URL: 'http://127.0.0.1:8000/v1',
          BASELINE_URL: 'http://127.0.0.1:8001/v1',
          JUDGE_URL: 'http://127.0.0.1:8002/v1',
          RAY_ADDRESS: 'http://127.0.0.1:8265',
        },
      )
      expect(config.version).toBe(1)
    },
  )
})

describe('interpolate', () => {
  it.each([
    ['${A}', { A: 'x' }, 'x', []],
    ['a-${A}-b', { A: 'x' }, 'a-x-b', []],
    ['${B:-fallback}', {}, 'fallback', []],
    ['$${A}', { A: 'x' }, '${A}', []],
    ['${A} ${B}', {}, '${A} ${B}', ['A', 'B']],
    ['${A}', { A: '' }, '${A}', ['A']],
  ])('%s', (text, env, value, missing) => {
    expect(interpolate(text, env)).toEqual({ value, missing })
  })
})
