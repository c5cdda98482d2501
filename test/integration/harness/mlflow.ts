import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { startServer, type RunningServer } from './start-server.js'
import { venvBin } from './paths.js'

/** A running MLflow tracking server: `url` is the tracking URI; REST lives under `${url}/api/2.0/mlflow`. */
export interface MlflowServer extends RunningServer {
  /** Temp dir holding `mlflow.db` (SQLite backend) and `artifacts/`; removed on stop(). */
  dataDir: string
}

/**
 * Starts `mlflow server` from `.venv` on 127.0.0.1 with a SQLite backend and a local artifact store
 * in a fresh temp dir (artifacts served through the server, so REST clients can upload them).
 */
export async function startMlflow(options: { timeoutMs?: number } = {}): Promise<MlflowServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'llmops-mlflow-'))
  const server = await startServer({
    name: 'mlflow',
    command: venvBin('mlflow'),
    args: [
      'server',
      '--host',
      '127.0.0.1',
      '--port',
      '{port}',
      '--workers',
      '1',
      '--backend-store-uri',
      `sqlite:///${path.join(dataDir, 'mlflow.db')}`,
      '--artifacts-destination',
      path.join(dataDir, 'artifacts'),
    ],
    // No huey job consumers: the tests use tracking and the registry only, and 2 cores are scarce.
    env: { MLFLOW_TRACKING_DIR: dataDir, MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false' },
    cwd: dataDir,
    health: 'http://127.0.0.1:{port}/health',
    timeoutMs: options.timeoutMs ?? 180_000,
    onStop: () => rm(dataDir, { recursive: true, force: true }),
  })
  return { ...server, dataDir }
}
