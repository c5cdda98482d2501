import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { benchCommand } from '../../../src/bench/command.js'
import type { CommandContext, CommandResult } from '../../../src/cli/command.js'
import { memoryLogger } from '../../../src/core/logger.js'
import { githubTags, mlflowKey, logRun, type RunRecord } from '../../../src/dispatch/mlflow-runs.js'
import { runEvalCommand } from '../../../src/eval/command.js'
import { runMergeCommand } from '../../../src/eval/merge-command.js'
import { startSimServer, type SimServer } from '../../../src/sim/server.js'
import { startFakeMlflow, type FakeMlflow, type FakeRun } from './mlflow-fake.js'

let sim: SimServer
let mlflow: FakeMlflow
let dir: string
const sha = 'a1'.repeat(20)

const githubEnv = {
  GITHUB_REPOSITORY: 'octo/models',
  GITHUB_SHA: sha,
  GITHUB_REF: 'refs/pull/42/merge',
  GITHUB_RUN_ID: '99',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_SERVER_URL: 'https://github.com',
  LLMOPS_PR: '42',
}

function context(argv: string[], env: Record<string, string> = {}, signal?: AbortSignal) {
  const logger = memoryLogger()
  const ctx: CommandContext = {
    argv,
    env: { ...githubEnv, ...env },
    cwd: dir,
    stdout: new PassThrough(),
    logger,
    signal: signal ?? new AbortController().signal,
    inAction: false,
  }
  return { ctx, logger }
}

async function evalRun(args: string[], env: Record<string, string> = {}, signal?: AbortSignal) {
  const out = await mkdtemp(path.join(os.tmpdir(), 'llmops-mlflow-eval-'))
  const { ctx, logger } = context(
    [
      '--config',
      'llmops.yml',
      '--out',
      out,
      '--no-cache',
      ...(args.includes('--provider') ? [] : ['--provider', 'candidate']),
      ...args,
    ],
    env,
    signal,
  )
  const result: CommandResult = await runEvalCommand(ctx)
  return { result, logger, out }
}

const onlyRun = (): FakeRun => {
  expect(mlflow.runs.size).toBe(1)
  return [...mlflow.runs.values()][0]!
}

async function writeLlmopsYml(mlflowBlock: string[]) {
  const cases = Array.from({ length: 4 }, (_, i) => `{ w: "otter-${i}" }`).join(', ')
  await writeFile(
    path.join(dir, 'llmops.yml'),
    [
      'version: 1',
      'providers:',
      `  candidate: { base_url: "${sim.url}", model: healthy, max_retries: 0 }`,
      `  dead: { base_url: "http://127.0.0.1:9/v1", model: gone, max_retries: 0 }`,
      'suites:',
      '  - name: words',
      `    cases: [${cases}]`,
      '    prompt: "Repeat exactly the code word: {{ w }}"',
      '    reference: w',
      '    generation: { temperature: 0, max_tokens: 8, seed: 3 }',
      '    metrics: [exact]',
      ...mlflowBlock,
    ].join('\n'),
  )
}

describe('eval and benchmark runs logged to MLflow (fake server with fault injection)', () => {
  beforeAll(async () => {
    sim = await startSimServer({
      profile: {
        models: {
          healthy: { rules: [{ match: 'code word: ([a-z]+-\\d+)', reply: { template: '{{1}}' } }] },
        },
      },
    })
    dir = await mkdtemp(path.join(os.tmpdir(), 'llmops-mlflow-'))
  })
  afterAll(async () => {
    await sim?.close()
  })
  beforeEach(async () => {
    await mlflow?.close()
    mlflow = await startFakeMlflow()
    await writeLlmopsYml(['mlflow:', `  tracking_uri: "${mlflow.url}"`, '  experiment: pr-evals'])
  })

  it('logs params, metrics, GitHub tags and the report as artifacts, and ends the run FINISHED', async () => {
    const { result, out } = await evalRun([])
    expect(result.exitCode).toBe(0)
    const run = onlyRun()
    expect(mlflow.experiments.get('pr-evals')).toBe(run.experimentId)
    expect(run.status).toBe('FINISHED')
    expect(Object.fromEntries(run.params)).toMatchObject({
      suites: 'words',
      providers: 'candidate',
      'provider.candidate.model': 'healthy',
      'provider.candidate.host': new URL(sim.url).host,
      'suite.words.generation.temperature': '0',
      'suite.words.generation.max_tokens': '8',
      'suite.words.generation.seed': '3',
    })
    const metrics = Object.fromEntries(run.metrics.map((m) => [m.key, m.value]))
    expect(metrics).toMatchObject({
      'words/candidate/exact': 1,
      'words/candidate/cases': 4,
      'words/candidate/errors': 0,
      'totals/cases': 4,
    })
    expect(Object.fromEntries(run.tags)).toMatchObject({
      'llmops.repository': 'octo/models',
      'llmops.pr': '42',
      'llmops.sha': sha,
      'llmops.ref': 'refs/pull/42/merge',
      'llmops.run_url': 'https://github.com/octo/models/actions/runs/99',
      'mlflow.source.git.commit': sha,
      'mlflow.runName': `eval words @ ${sha.slice(0, 12)}`,
      'llmops.kind': 'eval',
      'llmops.attempt': '1',
      'llmops.logging': 'complete',
    })
    const summary = JSON.parse(run.artifacts.get('summary.json')?.body ?? '{}') as {
      totals?: { cases: number }
    }
    expect(summary.totals?.cases).toBe(4)
    expect(run.artifacts.get('summary.json')?.contentType).toBe('application/json')
    expect(run.artifacts.get('report.md')?.body).toContain('| words | candidate | 4 | 0 |')
    expect(result.outputs).toMatchObject({
      'mlflow-status': 'logged',
      'mlflow-run-id': run.runId,
      'mlflow-run-url': `${mlflow.url}/#/experiments/${run.experimentId}/runs/${run.runId}`,
    })
    expect(result.summary).toContain(`MLflow: eval run [\`${run.runId}\`]`)
    const record = JSON.parse(await readFile(path.join(out, 'mlflow.json'), 'utf8')) as {
      status: string
      runId: string
    }
    expect(record).toMatchObject({ status: 'logged', runId: run.runId })
  })

  it('a rerun of the same commit and suites is a new run that names the attempt before it', async () => {
    const first = await evalRun([])
    const second = await evalRun([])
    const [a, b] = [...mlflow.runs.values()]
    expect(b?.tags.get('llmops.attempt')).toBe('2')
    expect(b?.tags.get('llmops.previous_run_id')).toBe(a?.runId)
    expect(b?.tags.get('llmops.identity')).toBe(a?.tags.get('llmops.identity'))
    expect(second.result.outputs?.['mlflow-run-id']).toBe(b?.runId)
    expect(first.result.outputs?.['mlflow-run-id']).toBe(a?.runId)
    // Another commit starts again at attempt 1.
    await evalRun([], { GITHUB_SHA: 'b2'.repeat(20) })
    expect([...mlflow.runs.values()][2]?.tags.get('llmops.attempt')).toBe('1')
  })

  it('an eval whose provider is unreachable still logs, and the run ends FAILED saying why', async () => {
    const { result } = await evalRun(['--provider', 'dead'])
    expect(result.exitCode).toBe(3)
    const run = onlyRun()
    expect(run.status).toBe('FAILED')
    expect(run.tags.get('llmops.outcome')).toMatch(/unreachable/)
    expect(run.tags.get('llmops.logging')).toBe('complete')
  })

  it('an artifact upload that fails leaves no silent half-record: run FAILED, tagged incomplete, eval unaffected', async () => {
    mlflow.fail('artifacts', 500, { error_code: 'INTERNAL_ERROR', message: 'disk full' })
    const { result, logger, out } = await evalRun([])
    expect(result.exitCode).toBe(0)
    const run = onlyRun()
    expect(run.status).toBe('FAILED')
    expect(run.tags.get('llmops.logging')).toMatch(/^incomplete: .*HTTP 500/)
    expect(result.outputs).toMatchObject({ 'mlflow-status': 'failed', 'mlflow-run-id': run.runId })
    expect(result.summary).toMatch(/⚠️ MLflow logging failed \(run `[0-9a-f]+` is incomplete/)
    expect(logger.lines.join('\n')).toMatch(/MLflow: the eval run was NOT logged completely/)
    const record = JSON.parse(await readFile(path.join(out, 'mlflow.json'), 'utf8')) as {
      status: string
      error: string
    }
    expect(record.status).toBe('failed')
    expect(record.error).toMatch(/uploading summary\.json failed with HTTP 500/)
  })

  it('a store the server does not proxy: params and metrics logged, the missing report said', async () => {
    mlflow.artifactRoot = 's3://bucket/mlruns'
    const { result } = await evalRun([])
    const run = onlyRun()
    expect(run.status).toBe('FINISHED')
    expect(run.artifacts.size).toBe(0)
    expect(run.metrics.length).toBeGreaterThan(0)
    expect(run.tags.get('llmops.artifacts')).toMatch(
      /^artifact store s3:\/\/bucket\/mlruns\/.* is not proxied .*; summary\.json, report\.md not uploaded$/,
    )
    expect(result.outputs?.['mlflow-status']).toBe('logged')
    expect(result.summary).toContain('report not attached: artifact store s3:')
    expect(mlflow.requests.some((r) => r.path === 'artifacts')).toBe(false)
  })

  it('sends MLflow credentials as MLflow does and never shows them', async () => {
    const withUser = mlflow.url.replace('http://', 'http://ci-bot:s3cret@')
    await writeLlmopsYml(['mlflow:', `  tracking_uri: "${withUser}"`])
    const basic = await evalRun([])
    expect(mlflow.requests.every((r) => r.authorization === `Basic ${btoa('ci-bot:s3cret')}`)).toBe(
      true,
    )
    expect(JSON.stringify(basic.result)).not.toContain('s3cret')
    expect(basic.result.outputs?.['mlflow-run-url']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#\//)
    const n = mlflow.requests.length
    await writeLlmopsYml(['mlflow:', `  tracking_uri: "${mlflow.url}"`])
    await evalRun([], { MLFLOW_TRACKING_TOKEN: 'tok-1' })
    expect(mlflow.requests.slice(n).every((r) => r.authorization === 'Bearer tok-1')).toBe(true)
    await evalRun([], { MLFLOW_TRACKING_USERNAME: 'u', MLFLOW_TRACKING_PASSWORD: 'p' })
    expect(mlflow.requests.at(-1)?.authorization).toBe(`Basic ${btoa('u:p')}`)
  })

  it('a cancelled eval starts no MLflow record and says so', async () => {
    const abort = new AbortController()
    abort.abort()
    const { result, logger } = await evalRun([], {}, abort.signal)
    expect(mlflow.requests).toEqual([])
    expect(result.outputs?.['mlflow-status']).toBe('failed')
    expect(logger.lines.join('\n')).toContain(
      'MLflow: not logged: the eval was cancelled before its run was logged',
    )
  })

  it('an unreachable MLflow is a warning and a recorded failure, never a failed eval', async () => {
    await writeLlmopsYml(['mlflow:', '  tracking_uri: "http://127.0.0.1:9"'])
    const { result, logger } = await evalRun([])
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({
      cases: '4',
      'mlflow-status': 'failed',
      'mlflow-run-id': '',
    })
    expect(logger.lines.join('\n')).toMatch(
      /MLflow: the eval run was NOT logged: MLflow at http:\/\/127\.0\.0\.1:9 is unreachable/,
    )
  }, 60_000)

  it('logs nothing for a shard, with --no-mlflow, or with mlflow.log_runs: false', async () => {
    const shard = await evalRun(['--shard', '1/2'])
    const off = await evalRun(['--no-mlflow'])
    await writeLlmopsYml(['mlflow:', `  tracking_uri: "${mlflow.url}"`, '  log_runs: false'])
    const notLogged = await evalRun([], { MLFLOW_TRACKING_URI: mlflow.url })
    expect(mlflow.runs.size).toBe(0)
    for (const r of [shard, off, notLogged])
      expect(r.result.outputs?.['mlflow-status']).toBeUndefined()
  })

  it('MLFLOW_TRACKING_URI alone turns logging on; llmops merge logs the merged shards once', async () => {
    await writeLlmopsYml([])
    const a = await evalRun(['--shard', '1/2'], { MLFLOW_TRACKING_URI: mlflow.url })
    const b = await evalRun(['--shard', '2/2'], { MLFLOW_TRACKING_URI: mlflow.url })
    expect(mlflow.runs.size).toBe(0)
    const merged = await mkdtemp(path.join(os.tmpdir(), 'llmops-mlflow-merged-'))
    const { ctx } = context(['--out', merged, '--config', 'llmops.yml', a.out, b.out], {
      MLFLOW_TRACKING_URI: mlflow.url,
    })
    const result = await runMergeCommand(ctx)
    const run = onlyRun()
    expect(mlflow.experiments.has('llmops')).toBe(true)
    expect(run.metrics.find((m) => m.key === 'totals/cases')?.value).toBe(4)
    expect(run.params.get('provider.candidate.host')).toBe(new URL(sim.url).host)
    expect(result.outputs?.['mlflow-run-id']).toBe(run.runId)
  })

  it('logs a benchmark: load params, latency metrics, bench.json and the report', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'llmops-mlflow-bench-'))
    const { ctx } = context([
      '--endpoint',
      sim.url,
      '--model',
      'healthy',
      '--concurrency',
      '1,2',
      '--requests',
      '6',
      '--warmup',
      '1',
      '--input-tokens',
      '8',
      '--output-tokens',
      '4',
      '--no-calibrate',
      '--out',
      out,
      '--mlflow-uri',
      mlflow.url,
    ])
    const result = await benchCommand.run(ctx)
    expect(result.exitCode).toBe(0)
    const run = onlyRun()
    expect(Object.fromEntries(run.params)).toMatchObject({
      scenarios: 'default',
      model: 'healthy',
      'endpoint.host': new URL(sim.url).host,
      'scenario.default.concurrency': '1,2',
      'scenario.default.requests': '6',
      'scenario.default.input_tokens': '8',
      'scenario.default.output_tokens': '4',
    })
    const keys = run.metrics.map((m) => m.key)
    // Six requests are too few for percentiles (p50 needs 20): only means and counts are logged.
    expect(keys).toContain('default/concurrency_1/ttft_ms.mean')
    expect(keys).not.toContain('default/concurrency_1/ttft_ms.p50')
    expect(run.metrics.find((m) => m.key === 'default/concurrency_2/completed')?.value).toBe(6)
    expect(run.tags.get('llmops.kind')).toBe('bench')
    expect(run.status).toBe(result.outputs?.validity === 'invalid' ? 'FAILED' : 'FINISHED')
    expect(run.artifacts.has('bench.json')).toBe(true)
    expect(run.artifacts.get('report.md')?.body.length).toBeGreaterThan(0)
    expect(result.outputs?.['mlflow-run-id']).toBe(run.runId)
  })

  it('splits large records into log-batch requests the server accepts and cleans keys it would refuse', async () => {
    const record: RunRecord = {
      kind: 'eval',
      identity: 'big',
      name: 'big',
      commit: sha,
      params: Object.fromEntries(
        Array.from({ length: 250 }, (_, i) => [`p${i}`, 'x'.repeat(i === 0 ? 9000 : 5000)]),
      ),
      metrics: [
        ...Array.from({ length: 2300 }, (_, i) => ({ key: `suite/m=${i}`, value: i })),
        { key: 'bad//key/../x', value: 1 },
        { key: 'nan', value: Number.NaN },
      ],
      artifacts: [],
    }
    const result = await logRun({ trackingUri: mlflow.url, experiment: 'big' }, record, {
      env: {},
      logger: memoryLogger(),
    })
    expect(result.status).toBe('logged')
    const run = onlyRun()
    expect(run.params.size).toBe(250)
    expect(run.params.get('p0')).toHaveLength(6000)
    expect(run.metrics).toHaveLength(2301)
    expect(run.metrics.some((m) => m.key === 'suite/m_17')).toBe(true)
    expect(run.metrics.some((m) => m.key === 'bad/key/__/x')).toBe(true)
    // 250 params of ~5 kB exceed 1 MB per request long before 100 params: more requests than counts alone need.
    expect(result.requests).toBe(run.batches)
    expect(run.batches).toBeGreaterThanOrEqual(5)
  })
})

describe('githubTags', () => {
  it('on a pull_request event: the PR number and head SHA from the payload, the merge commit as sha', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'llmops-tags-'))
    const repository = { full_name: 'octo/models', name: 'models', owner: { login: 'octo' } }
    const event = path.join(tmp, 'event.json')
    await writeFile(
      event,
      JSON.stringify({
        action: 'synchronize',
        number: 5,
        repository,
        pull_request: {
          number: 5,
          state: 'open',
          user: null,
          head: { sha: 'd'.repeat(40), ref: 'feature', repo: repository },
          base: { sha: 'e'.repeat(40), ref: 'main', repo: repository },
        },
      }),
    )
    const merge = 'f'.repeat(40)
    const tags = githubTags(
      {
        GITHUB_REPOSITORY: 'octo/models',
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: event,
        GITHUB_SHA: merge,
        GITHUB_REF: 'refs/pull/5/merge',
      },
      merge,
    )
    expect(Object.fromEntries(tags.map((t) => [t.key, t.value]))).toEqual({
      'llmops.sha': merge,
      'llmops.repository': 'octo/models',
      'llmops.pr': '5',
      'llmops.head_sha': 'd'.repeat(40),
      'llmops.ref': 'refs/pull/5/merge',
      'llmops.event': 'pull_request',
      'mlflow.source.name': 'https://github.com/octo/models',
      'mlflow.source.git.commit': merge,
    })
  })
})

describe('mlflowKey', () => {
  it('keeps valid keys and makes long ones unique within 250 characters', () => {
    expect(mlflowKey('qa/candidate/rougeL.ci95_low')).toBe('qa/candidate/rougeL.ci95_low')
    const a = mlflowKey(`${'k'.repeat(300)}a`)
    const b = mlflowKey(`${'k'.repeat(300)}b`)
    expect(a).toHaveLength(250)
    expect(a).not.toBe(b)
  })
})
