import { execFile } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { bundlePath } from '../../helpers/run-bundle.js'

const run = promisify(execFile)

/** The action bundle: the shared build of test/helpers/run-bundle.ts (or `LLMOPS_TEST_BUNDLE`). */
export function buildBundle(): Promise<string> {
  return bundlePath()
}

/** The result of one bundled action step: exit code, step outputs, job summary, logs. */
export interface StepResult {
  code: number
  outputs: Record<string, string>
  summary: string
  stdout: string
}

/**
 * Runs the bundled action as the runner does: inputs as INPUT_* variables, GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files, the event payload file, and the API URL of the GitHub double.
 */
export async function runBundledAction(
  bundle: string,
  inputs: Record<string, string>,
  env: Record<string, string>,
  cwd: string,
): Promise<StepResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'llmops-step-'))
  const output = path.join(dir, 'output')
  const summary = path.join(dir, 'summary')
  await writeFile(output, '')
  await writeFile(summary, '')
  const inputEnv = Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v]),
  )
  let code = 0
  let stdout: string
  try {
    ;({ stdout } = await run(process.execPath, [bundle], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        GITHUB_ACTIONS: 'true',
        GITHUB_OUTPUT: output,
        GITHUB_STEP_SUMMARY: summary,
        ...inputEnv,
        ...env,
      },
      maxBuffer: 64 * 1024 * 1024,
    }))
  } catch (error) {
    const e = error as { code?: number; stdout?: string }
    code = typeof e.code === 'number' ? e.code : 1
    stdout = e.stdout ?? ''
  }
  return {
    code,
    outputs: parseOutputs(await readFile(output, 'utf8')),
    summary: await readFile(summary, 'utf8'),
    stdout,
  }
}

/** Parses the GITHUB_OUTPUT file format (`name<<DELIM ... DELIM` blocks). */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!)
    if (!m) continue
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]!)
    out[m[1]!] = value.join('\n')
  }
  return out
}
