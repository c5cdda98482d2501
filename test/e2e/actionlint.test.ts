import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../..')

function workflows(dir: string): string[] {
  const full = path.join(root, dir)
  if (!existsSync(full)) return []
  return readdirSync(full)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => path.join(dir, f))
}

describe('actionlint', () => {
  it('finds nothing in any example or repository workflow', () => {
    const bin = process.env.LLMOPS_ACTIONLINT ?? path.join(root, '.cache/bin/actionlint')
    if (!existsSync(bin))
      throw new Error(`actionlint is not built at ${bin}: run scripts/setup-tools.sh`)
    const files = [...workflows('examples/workflows'), ...workflows('.github/workflows')]
    expect(files.length).toBeGreaterThanOrEqual(3)
    // -shellcheck= / -pyflakes= : no external linters, so the result does not depend on the machine.
    const config = path.join('test/e2e/actionlint.yaml') // self-hosted runner labels (gpu)
    const args = ['-no-color', '-shellcheck=', '-pyflakes=', '-config-file', config, ...files]
    const r = spawnSync(bin, args, {
      cwd: root,
      encoding: 'utf8',
    })
    expect(r.stdout + r.stderr).toBe('')
    expect(r.status).toBe(0)
  })
})
