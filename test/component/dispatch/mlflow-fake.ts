import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What the fake keeps of a run. */
export interface FakeRun {
  runId: string
  experimentId: string
  name: string
  status: string
  tags: Map<string, string>
  params: Map<string, string>
  metrics: { key: string; value: number; step: number }[]
  artifacts: Map<string, { body: string; contentType: string }>
  batches: number
}

export interface FakeVersion {
  name: string
  version: string
  status: 'PENDING_REGISTRATION' | 'READY' | 'FAILED_REGISTRATION'
  status_message?: string
  tags: Map<string, string>
}

/**
 * A fake MLflow tracking server and registry on 127.0.0.1 for fault injection: the subset of the
 * REST API the client calls, MLflow's log-batch limits and key rules enforced as the real server
 * does (400 INVALID_PARAMETER_VALUE), and one-shot faults per path.
 */
export interface FakeMlflow {
  url: string
  experiments: Map<string, string>
  runs: Map<string, FakeRun>
  versions: FakeVersion[]
  aliases: Map<string, string>
  requests: { method: string; path: string; authorization?: string }[]
  /** Artifact root of new runs; `mlflow-artifacts:` (the proxy) unless a test sets e.g. `s3://b`. */
  artifactRoot: string
  /** Status of versions created from now on (READY unless a test sets FAILED_REGISTRATION). */
  newVersionStatus: FakeVersion['status']
  /** The next `times` requests to `path` (e.g. `runs/log-batch`) answer with this status and body. */
  fail(path: string, status: number, body?: unknown, times?: number): void
  close(): Promise<void>
}

const KEY = /^[/\w.\- :]*$/
const badKey = (k: string) =>
  !KEY.test(k) ||
  k.length > 250 ||
  k.startsWith('/') ||
  k.endsWith('/') ||
  k.split('/').some((s) => s === '' || s === '.' || s === '..')

function err(res: ServerResponse, status: number, code: string, message: string) {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ error_code: code, message }))
}
function ok(res: ServerResponse, body: unknown) {
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

async function read(req: IncomingMessage): Promise<string> {
  let body = ''
  for await (const chunk of req) body += String(chunk)
  return body
}

type Json = Record<string, unknown>

export async function startFakeMlflow(): Promise<FakeMlflow> {
  const faults = new Map<string, { status: number; body: unknown; times: number }>()
  const fake = {
    experiments: new Map<string, string>(),
    runs: new Map<string, FakeRun>(),
    versions: [] as FakeVersion[],
    aliases: new Map<string, string>(),
    requests: [] as { method: string; path: string; authorization?: string }[],
  }
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x')
      const text = await read(req)
      const artifact = /^\/api\/2\.0\/mlflow-artifacts\/artifacts\/(.+)$/.exec(url.pathname)
      const p = artifact ? 'artifacts' : url.pathname.replace('/api/2.0/mlflow/', '')
      fake.requests.push({
        method: req.method ?? '',
        path: p,
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      })
      const fault = faults.get(p)
      if (fault && fault.times > 0) {
        fault.times--
        res.writeHead(fault.status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(fault.body ?? { error_code: 'INTERNAL_ERROR', message: 'injected' }))
        return
      }
      if (artifact) {
        const [exp, runId, , ...rest] = decodeURIComponent(artifact[1]!).split('/')
        const run = fake.runs.get(runId ?? '')
        if (!run || run.experimentId !== exp)
          return err(res, 404, 'RESOURCE_DOES_NOT_EXIST', 'no run')
        run.artifacts.set(rest.join('/'), {
          body: text,
          contentType: req.headers['content-type'] ?? '',
        })
        return ok(res, {})
      }
      const body = (text ? JSON.parse(text) : Object.fromEntries(url.searchParams)) as Json
      const run = fake.runs.get(typeof body.run_id === 'string' ? body.run_id : '')
      switch (`${req.method} ${p}`) {
        case 'GET experiments/get-by-name': {
          const id = fake.experiments.get(String(body.experiment_name))
          if (!id) return err(res, 404, 'RESOURCE_DOES_NOT_EXIST', 'no experiment')
          return ok(res, { experiment: { experiment_id: id } })
        }
        case 'POST experiments/create': {
          const id = String(fake.experiments.size + 1)
          fake.experiments.set(String(body.name), id)
          return ok(res, { experiment_id: id })
        }
        case 'POST runs/create': {
          const runId = randomBytes(16).toString('hex')
          const experimentId = String(body.experiment_id)
          const tags = (body.tags ?? []) as { key: string; value: string }[]
          fake.runs.set(runId, {
            runId,
            experimentId,
            name: String(body.run_name),
            status: 'RUNNING',
            tags: new Map(tags.map((t) => [t.key, t.value])),
            params: new Map(),
            metrics: [],
            artifacts: new Map(),
            batches: 0,
          })
          return ok(res, {
            run: {
              info: {
                run_id: runId,
                artifact_uri: `${handle.artifactRoot}/${experimentId}/${runId}/artifacts`,
              },
            },
          })
        }
        case 'POST runs/log-batch': {
          if (!run) return err(res, 404, 'RESOURCE_DOES_NOT_EXIST', 'no run')
          const metrics = (body.metrics ?? []) as { key: string; value: number; step: number }[]
          const params = (body.params ?? []) as { key: string; value: string }[]
          const tags = (body.tags ?? []) as { key: string; value: string }[]
          if (metrics.length > 1000 || params.length > 100 || tags.length > 100)
            return err(
              res,
              400,
              'INVALID_PARAMETER_VALUE',
              'A batch logging request can contain at most ...',
            )
          if (metrics.length + params.length + tags.length > 1000 || text.length > 1_000_000)
            return err(res, 400, 'INVALID_PARAMETER_VALUE', 'too many entities or bytes')
          const bad = [...metrics, ...params, ...tags].find((e) => badKey(e.key))
          if (bad) return err(res, 400, 'INVALID_PARAMETER_VALUE', `Invalid value "${bad.key}"`)
          if (params.some((x) => x.value.length > 6000))
            return err(res, 400, 'INVALID_PARAMETER_VALUE', 'param value too long')
          for (const x of params) {
            const old = run.params.get(x.key)
            if (old !== undefined && old !== x.value)
              return err(
                res,
                400,
                'INVALID_PARAMETER_VALUE',
                `Changing param values is not allowed`,
              )
            run.params.set(x.key, x.value)
          }
          for (const t of tags) run.tags.set(t.key, t.value)
          run.metrics.push(...metrics.map((m) => ({ key: m.key, value: m.value, step: m.step })))
          run.batches++
          return ok(res, {})
        }
        case 'POST runs/set-tag':
          if (!run) return err(res, 404, 'RESOURCE_DOES_NOT_EXIST', 'no run')
          run.tags.set(String(body.key), String(body.value))
          return ok(res, {})
        case 'POST runs/update':
          if (!run) return err(res, 404, 'RESOURCE_DOES_NOT_EXIST', 'no run')
          run.status = String(body.status)
          return ok(res, {})
        case 'POST runs/search': {
          const wanted = [...String(body.filter).matchAll(/tags\.`([^`]+)` = '([^']*)'/g)]
          const exps = body.experiment_ids as string[]
          const runs = [...fake.runs.values()]
            .filter((r) => exps.includes(r.experimentId))
            .filter((r) => wanted.every((m) => r.tags.get(m[1]!) === m[2]))
            .reverse()
            .map((r) => ({
              info: { run_id: r.runId, status: r.status },
              data: {
                tags: [...r.tags].map(([key, value]) => ({ key, value })),
                metrics: r.metrics,
              },
            }))
          return ok(res, runs.length ? { runs } : {})
        }
        case 'GET runs/get':
          if (!run) return err(res, 404, 'RESOURCE_DOES_NOT_EXIST', 'no run')
          return ok(res, { run: { info: { run_id: run.runId, status: run.status }, data: {} } })
        case 'POST registered-models/create':
          if (fake.versions.some((v) => v.name === body.name))
            return err(res, 400, 'RESOURCE_ALREADY_EXISTS', `${String(body.name)} exists`)
          return ok(res, { registered_model: { name: body.name } })
        case 'POST model-versions/create': {
          const version = String(fake.versions.filter((v) => v.name === body.name).length + 1)
          const v: FakeVersion = {
            name: String(body.name),
            version,
            status: handle.newVersionStatus,
            ...(handle.newVersionStatus === 'FAILED_REGISTRATION'
              ? { status_message: 'source not found' }
              : {}),
            tags: new Map(
              ((body.tags as { key: string; value: string }[] | undefined) ?? []).map((t) => [
                t.key,
                t.value,
              ]),
            ),
          }
          fake.versions.push(v)
          return ok(res, { model_version: { ...v, tags: [] } })
        }
        case 'GET model-versions/get': {
          const v = fake.versions.find((x) => x.name === body.name && x.version === body.version)
          if (!v) return err(res, 404, 'RESOURCE_DOES_NOT_EXIST', 'no version')
          return ok(res, { model_version: { ...v, tags: [] } })
        }
        case 'POST model-versions/set-tag': {
          const v = fake.versions.find((x) => x.name === body.name && x.version === body.version)
          v?.tags.set(String(body.key), String(body.value))
          return ok(res, {})
        }
        case 'GET registered-models/alias': {
          const version = fake.aliases.get(`${String(body.name)}@${String(body.alias)}`)
          if (!version)
            return err(res, 400, 'INVALID_PARAMETER_VALUE', `alias ${String(body.alias)} not found`)
          return ok(res, { model_version: { name: body.name, version, status: 'READY' } })
        }
        case 'POST registered-models/alias':
          fake.aliases.set(`${String(body.name)}@${String(body.alias)}`, String(body.version))
          return ok(res, {})
        case 'DELETE registered-models/alias':
          fake.aliases.delete(`${String(body.name)}@${String(body.alias)}`)
          return ok(res, {})
        default:
          return err(res, 404, 'ENDPOINT_NOT_FOUND', `${req.method} ${p}`)
      }
    })().catch((e: unknown) => err(res, 500, 'INTERNAL_ERROR', String(e)))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const handle: FakeMlflow = {
    ...fake,
    url: `http://127.0.0.1:${port}`,
    artifactRoot: 'mlflow-artifacts:',
    newVersionStatus: 'READY',
    fail(path, status, body, times = 1) {
      faults.set(path, { status, body, times })
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
  return handle
}
