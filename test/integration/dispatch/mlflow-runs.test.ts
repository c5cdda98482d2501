import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../src/core/logger.js'
import { findEvidence } from '../../../src/dispatch/deploy-evidence.js'
import { MlflowClient } from '../../../src/dispatch/mlflow.js'
import { logRun } from '../../../src/dispatch/mlflow-runs.js'
import { startSimServer, type SimServer } from '../../../src/sim/server.js'
import { runCliCaptured } from '../../helpers/run-cli.js'
import { startMlflow, type MlflowServer } from '../harness/index.js'

let mlflow: MlflowServer
let sim: SimServer
let dir: string
const sha = '5e'.repeat(20)
const env = () => ({
  GITHUB_REPOSITORY: 'octo/models',
  GITHUB_SHA: sha,
  GITHUB_REF: 'refs/heads/feature',
  GITHUB_RUN_ID: '1234',
  GITHUB_EVENT_NAME: 'workflow_dispatch',
  LLMOPS_PR: '7',
})

type KV = { key: string; value: string }
interface StoredRun {
  info: { run_id: string; status: string; experiment_id: string; run_name: string }
  data: { params?: KV[]; metrics?: { key: string; value: number }[]; tags?: KV[] }
}

async function rest<T>(method: 'GET' | 'POST', api: string, body?: unknown): Promise<T> {
  const res = await fetch(`${mlflow.url}/api/2.0/mlflow/${api}`, {
    method,
    ...(body
      ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
      : {}),
  })
  expect(res.status).toBe(200)
  return (await res.json()) as T
}

async function runsOf(experiment: string, filter: string): Promise<StoredRun[]> {
  const { experiment: e } = await rest<{ experiment: { experiment_id: string } }>(
    'GET',
    `experiments/get-by-name?experiment_name=${experiment}`,
  )
  const r = await rest<{ runs?: StoredRun[] }>('POST', 'runs/search', {
    experiment_ids: [e.experiment_id],
    filter,
    order_by: ['attributes.start_time ASC'],
  })
  return r.runs ?? []
}

const asMap = (kvs: KV[] | undefined) =>
  Object.fromEntries((kvs ?? []).map((t) => [t.key, t.value]))

describe('eval and benchmark runs on a real MLflow server', () => {
  beforeAll(async () => {
    ;[mlflow, sim] = await Promise.all([
      startMlflow(),
      startSimServer({
        profile: {
          models: {
            tiny: { rules: [{ match: 'word: ([a-z]+-\\d+)', reply: { template: '{{1}}' } }] },
          },
        },
      }),
    ])
    dir = await mkdtemp(path.join(os.tmpdir(), 'llmops-mlflow-int-'))
    const cases = Array.from({ length: 5 }, (_, i) => `{ w: "heron-${i}" }`).join(', ')
    await writeFile(
      path.join(dir, 'llmops.yml'),
      [
        'version: 1',
        'providers:',
        `  candidate: { base_url: "${sim.url}", model: tiny }`,
        'suites:',
        '  - name: echo',
        `    cases: [${cases}]`,
        '    prompt: "Say the word: {{ w }}"',
        '    reference: w',
        '    generation: { temperature: 0, max_tokens: 8 }',
        '    metrics: [exact, rougeL]',
        'mlflow:',
        `  tracking_uri: "${mlflow.url}"`,
        '  experiment: llmops-int-evals',
      ].join('\n'),
    )
  })
  afterAll(async () => {
    await Promise.all([mlflow?.stop(), sim?.close()])
  })

  it('an eval run is stored with params, metrics, tags and summary.json, found by its commit', async () => {
    const r = await runCliCaptured(
      ['eval', '--config', 'llmops.yml', '--out', 'out1', '--no-cache'],
      { cwd: dir, env: env() },
    )
    expect(r.code).toBe(0)
    const [run] = await runsOf('llmops-int-evals', `tags.\`llmops.sha\` = '${sha}'`)
    expect(run?.info.status).toBe('FINISHED')
    expect(run?.info.run_name).toBe(`eval echo @ ${sha.slice(0, 12)}`)
    const full = await rest<{ run: StoredRun }>('GET', `runs/get?run_id=${run?.info.run_id}`)
    expect(asMap(full.run.data.params)).toMatchObject({
      suites: 'echo',
      'provider.candidate.model': 'tiny',
      'provider.candidate.host': new URL(sim.url).host,
      'suite.echo.generation.max_tokens': '8',
    })
    const metrics = Object.fromEntries((full.run.data.metrics ?? []).map((m) => [m.key, m.value]))
    expect(metrics).toMatchObject({
      'echo/candidate/exact': 1,
      'echo/candidate/cases': 5,
      'echo/candidate/errors': 0,
    })
    expect(metrics['echo/candidate/rougeL']).toBe(1)
    expect(asMap(full.run.data.tags)).toMatchObject({
      'llmops.repository': 'octo/models',
      'llmops.pr': '7',
      'llmops.ref': 'refs/heads/feature',
      'llmops.run_url': 'https://github.com/octo/models/actions/runs/1234',
      'mlflow.source.git.commit': sha,
      'llmops.logging': 'complete',
      'llmops.attempt': '1',
    })
    const listed = await rest<{ files?: { path: string }[] }>(
      'GET',
      `artifacts/list?run_id=${run?.info.run_id}`,
    )
    expect(listed.files?.map((f) => f.path).sort()).toEqual(['report.md', 'summary.json'])
    const stored = await fetch(
      `${mlflow.url}/api/2.0/mlflow-artifacts/artifacts/${run?.info.experiment_id}/${run?.info.run_id}/artifacts/summary.json`,
    ).then((x) => x.text())
    expect(JSON.parse(stored)).toEqual(
      JSON.parse(await readFile(path.join(dir, 'out1', 'summary.json'), 'utf8')),
    )
    const record = JSON.parse(await readFile(path.join(dir, 'out1', 'mlflow.json'), 'utf8')) as {
      runId: string
    }
    expect(record.runId).toBe(run?.info.run_id)
  })

  it('a rerun for the same commit is a second run, findable by tag search with its attempt', async () => {
    const r = await runCliCaptured(
      ['eval', '--config', 'llmops.yml', '--out', 'out2', '--no-cache'],
      { cwd: dir, env: env() },
    )
    expect(r.code).toBe(0)
    const runs = await runsOf(
      'llmops-int-evals',
      `tags.\`llmops.sha\` = '${sha}' and tags.\`llmops.kind\` = 'eval'`,
    )
    expect(runs).toHaveLength(2)
    expect(asMap(runs[1]?.data.tags)).toMatchObject({
      'llmops.attempt': '2',
      'llmops.previous_run_id': runs[0]?.info.run_id,
    })
  })

  it('a deploy of the merged PR finds the newest eval run as its evidence', async () => {
    const runs = await runsOf('llmops-int-evals', `tags.\`llmops.kind\` = 'eval'`)
    const evidence = await findEvidence(new MlflowClient(mlflow.url), 'llmops-int-evals', {
      sha: 'f'.repeat(40),
      pr: 7,
    })
    expect(evidence.error).toBeUndefined()
    expect(evidence.runs).toHaveLength(1)
    expect(evidence.runs[0]).toMatchObject({
      kind: 'eval',
      runId: runs.at(-1)?.info.run_id,
      status: 'FINISHED',
      attempt: '2',
    })
    expect(evidence.runs[0]?.metrics['echo/candidate/exact']).toBe(1)
    expect(Object.keys(evidence.runs[0]?.metrics ?? {}).some((k) => k.endsWith('.n'))).toBe(false)
  })

  it('a benchmark run is stored with its load params and latency metrics', async () => {
    const r = await runCliCaptured(
      [
        'bench',
        '--endpoint',
        sim.url,
        '--model',
        'tiny',
        '--concurrency',
        '2',
        '--requests',
        '20',
        '--warmup',
        '1',
        '--input-tokens',
        '8',
        '--output-tokens',
        '4',
        '--no-calibrate',
        '--out',
        'bench',
        '--mlflow-uri',
        mlflow.url,
      ],
      { cwd: dir, env: env() },
    )
    expect(r.code).toBe(0)
    const [run] = await runsOf('llmops', `tags.\`llmops.kind\` = 'bench'`)
    expect(asMap(run?.data.params)).toMatchObject({
      model: 'tiny',
      'scenario.default.concurrency': '2',
      'scenario.default.requests': '20',
    })
    const keys = (run?.data.metrics ?? []).map((m) => m.key)
    expect(keys).toContain('default/concurrency_2/ttft_ms.p50')
    expect(keys).toContain('default/concurrency_2/request_throughput')
    const listed = await rest<{ files?: { path: string }[] }>(
      'GET',
      `artifacts/list?run_id=${run?.info.run_id}`,
    )
    expect(listed.files?.map((f) => f.path).sort()).toEqual(['bench.json', 'report.md'])
  })

  it('the real server accepts a record far above one log-batch request, with every value kept', async () => {
    const result = await logRun(
      { trackingUri: mlflow.url, experiment: 'llmops-int-big' },
      {
        kind: 'eval',
        identity: 'big',
        name: 'big',
        commit: sha,
        params: Object.fromEntries(
          Array.from({ length: 230 }, (_, i) => [`p${i}`, 'v'.repeat(i === 0 ? 7000 : 5900)]),
        ),
        metrics: Array.from({ length: 2100 }, (_, i) => ({
          key: `${'k'.repeat(230)}/m:${i}`,
          value: i,
        })),
        artifacts: [],
      },
      { env: {}, logger: memoryLogger() },
    )
    expect(result).toMatchObject({ status: 'logged' })
    expect(result.requests).toBeGreaterThanOrEqual(5)
    const full = await rest<{ run: StoredRun }>('GET', `runs/get?run_id=${result.runId}`)
    expect(full.run.data.params).toHaveLength(230)
    expect(asMap(full.run.data.params).p0).toHaveLength(6000)
    expect(full.run.data.metrics).toHaveLength(2100)
  })
})
