import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root (the harness lives three folders below it). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

/** Where `scripts/integration.sh` puts logs and temporary server state (git-ignored). */
export const integrationDir = path.join(repoRoot, '.integration')

/** Where `scripts/integration.sh` writes the generated tiny model. */
export const tinyModelDir = path.join(repoRoot, '.cache', 'tiny-model')

/**
 * The path of an executable in the project's virtualenv (`scripts/setup-venv.sh`). Throws with the
 * fix when the venv is missing, so a test never silently falls back to whatever is on PATH.
 */
export function venvBin(name: string): string {
  const bin = path.join(repoRoot, '.venv', 'bin', name)
  if (!existsSync(bin)) {
    throw new Error(
      `${bin} is missing: run 'bash scripts/setup-venv.sh' (or 'npm run test:integration') first`,
    )
  }
  return bin
}
