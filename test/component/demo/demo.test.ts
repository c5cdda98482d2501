import { mkdtemp, readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { gateSchema } from '../../../src/contracts/gate.js'
import { runCliCaptured } from '../../helpers/run-cli.js'

describe('llmops demo', () => {
  it('runs eval, benchmark, safety and gate on the simulator and catches the regressed candidate', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'llmops-demo-'))
    const {
      code,
      out: printed,
      err: log,
    } = await runCliCaptured(['demo', '--out', out], { cwd: out })
    expect(code, log).toBe(0)
    expect(log).toContain('simulated model server (llmops-sim, not a real model)')

    const gate = gateSchema.parse(
      JSON.parse(await readFile(path.join(out, 'gate', 'gate.json'), 'utf8')),
    )
    expect(gate.verdict).toBe('fail')
    const verdictOf = (name: string) => gate.checks.find((c) => c.name === name)?.verdict
    expect(verdictOf('codeword/exact')).toBe('fail')
    expect(verdictOf('rewrite/rougeL')).toBe('fail')
    expect(verdictOf('safety/pii/count')).toBe('pass')

    const report = await readFile(path.join(out, 'gate', 'report.md'), 'utf8')
    expect(report.length).toBeLessThanOrEqual(65_536)
    expect(report.split('\n')[1]).toMatch(/^### ❌ Fail: /)
    expect(report).toContain('```mermaid')
    expect(report).toMatch(/\| Metric +\| Baseline +\| Candidate/)
    expect(report).toMatch(/#### .*Safety/i)

    expect(printed).toContain('verdict: ❌ FAIL')
    expect(printed).toMatch(/✗ +codeword\/exact +1\.000 +0\.855/)
    expect(printed).toContain(`report: gate${path.sep}report.md`)
  })
})
