import { mkdtemp, rm } from 'node:fs/promises'
import { request } from 'undici'
import { freePorts } from './free-port.js'
import { startServer, type RunningServer, type ServerAddress } from './start-server.js'
import { venvBin } from './paths.js'

/** A running Ray head: `url` is the dashboard, which also serves the Jobs REST API (`/api/jobs/`). */
export interface RayHead extends RunningServer {
  /** `127.0.0.1:<port>` of the GCS, for `ray.init(address=...)` or a worker `ray start --address`. */
  gcsAddress: string
  /** Ray's session dir root (`--temp-dir`); removed on stop(). */
  tempDir: string
}

export interface RayHeadOptions {
  /** CPUs the head advertises (default 1: jobs queue instead of oversubscribing 2 cores). */
  numCpus?: number
  /** Object store size in bytes (default 100 MB; Ray's minimum is about 75 MB). */
  objectStoreBytes?: number
  timeoutMs?: number
}

async function jobsApiReady({ url }: ServerAddress): Promise<boolean> {
  for (const route of ['/api/version', '/api/jobs/']) {
    const response = await request(url + route, { headersTimeout: 5_000, bodyTimeout: 5_000 })
    await response.body.dump()
    if (response.statusCode !== 200) return false
  }
  return true
}

/**
 * Starts a Ray head from `.venv` (`ray start --head --block`) with every port it opens chosen free on
 * 127.0.0.1, so several heads and other servers never collide. The head runs in the foreground as
 * the leader of its own process group, so stop() ends the GCS, raylet, dashboard and workers with
 * it, without `ray stop` (which would stop every Ray instance of this user on the machine).
 */
export async function startRayHead(options: RayHeadOptions = {}): Promise<RayHead> {
  // Short path: Ray puts Unix sockets under it and socket paths are limited to 107 bytes.
  const tempDir = await mkdtemp('/tmp/ray-')
  const [
    gcs,
    client,
    nodeManager,
    objectManager,
    metrics,
    agentListen,
    agentGrpc,
    runtimeEnvAgent,
  ] = await freePorts(8)
  const server = await startServer({
    name: 'ray-head',
    command: venvBin('ray'),
    args: [
      'start',
      '--head',
      '--block',
      '--disable-usage-stats',
      '--node-ip-address',
      '127.0.0.1',
      '--port',
      String(gcs),
      '--include-dashboard',
      'true',
      '--dashboard-host',
      '127.0.0.1',
      '--dashboard-port',
      '{port}',
      '--ray-client-server-port',
      String(client),
      '--node-manager-port',
      String(nodeManager),
      '--object-manager-port',
      String(objectManager),
      '--metrics-export-port',
      String(metrics),
      '--dashboard-agent-listen-port',
      String(agentListen),
      '--dashboard-agent-grpc-port',
      String(agentGrpc),
      '--runtime-env-agent-port',
      String(runtimeEnvAgent),
      '--num-cpus',
      String(options.numCpus ?? 1),
      '--num-gpus',
      '0',
      '--object-store-memory',
      String(options.objectStoreBytes ?? 100_000_000),
      '--temp-dir',
      tempDir,
    ],
    env: { RAY_USAGE_STATS_ENABLED: '0', RAY_ADDRESS: '' },
    health: jobsApiReady,
    timeoutMs: options.timeoutMs ?? 180_000,
    // The raylet and the dashboard agents outlive SIGTERM to the group (measured: still up after
    // 15 s), so the group gets SIGKILL after a short grace; nothing of a test head needs keeping.
    stopGraceMs: 3_000,
    onStop: () => rm(tempDir, { recursive: true, force: true }),
  })
  return { ...server, gcsAddress: `127.0.0.1:${gcs}`, tempDir }
}
