import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '../..')
let built: Promise<string> | undefined

function sourceHash(): string {
  const hash = createHash('sha256')
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else {
        hash.update(path.relative(root, full))
        hash.update(readFileSync(full))
      }
    }
  }
  walk(path.join(root, 'src'))
  for (const file of ['package-lock.json', 'package.json', 'tsconfig.json'])
    hash.update(readFileSync(path.join(root, file)))
  return hash.digest('hex').slice(0, 16)
}

function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? 1, out }))
  })
}

async function build(): Promise<string> {
  if (process.env.LLMOPS_TEST_BUNDLE) return path.resolve(process.env.LLMOPS_TEST_BUNDLE)
  const dir = path.join(tmpdir(), `llmops-bundle-${sourceHash()}`)
  const entry = path.join(dir, 'index.js')
  const lock = `${dir}.lock`
  // Test files run in separate workers: one builds, the others wait for its result.
  for (;;) {
    if (existsSync(entry)) return entry
    try {
      mkdirSync(lock)
      break
    } catch {
      // A lock older than any build is left over from a killed process.
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()
      if (Date.now() - since > 15 * 60_000) rmSync(lock, { recursive: true, force: true })
      await new Promise((r) => setTimeout(r, 1000))
    }
  }
  try {
    if (existsSync(entry)) return entry
    const staging = mkdtempSync(path.join(tmpdir(), 'llmops-bundle-build-'))
    const ncc = path.join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js')
    const result = await run(
      process.execPath,
      [ncc, 'build', 'src/index.ts', '-o', staging, '--target', 'es2022'],
      { cwd: root, env: process.env },
    )
    if (result.code !== 0 || !existsSync(path.join(staging, 'index.js')))
      throw new Error(`ncc build failed:\n${result.out}`)
    rmSync(dir, { recursive: true, force: true })
    renameSync(staging, dir)
    return entry
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

/**
 * The ncc bundle of `src/index.ts` (what `dist/index.js` ships), built once per source state and
 * shared by every test process through a content-hashed temp directory. `LLMOPS_TEST_BUNDLE`
 * points at a prebuilt bundle instead.
 */
export function bundlePath(): Promise<string> {
  built ??= build()
  return built
}

export interface BundleRun {
  exitCode: number
  stdout: string
  stderr: string
  /** Parsed `GITHUB_OUTPUT` file (action runs). */
  outputs: Record<string, string>
  /** Contents of `GITHUB_STEP_SUMMARY`. */
  summary: string
  /** Parsed `GITHUB_STATE` file, to pass to a post step. */
  state: Record<string, string>
  /** The temp directory holding the runner files (event, output, summary). */
  runnerDir: string
}

/** Parses GitHub's `name<<DELIM\nvalue\nDELIM` and `name=value` file-command format. */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const value: string[] = []
      while (++i < lines.length && lines[i] !== heredoc[2]) value.push(lines[i]!)
      out[heredoc[1]!] = value.join('\n')
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1)
    }
  }
  return out
}

function baseEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  // Only what a runner provides: nothing from the test process's own GITHUB_*/INPUT_* variables.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: tmpdir(),
    NODE_OPTIONS: '',
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v
  return env
}

function exec(
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  timeoutMs: number,
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ exitCode: code ?? (signal ? 128 : 1), stdout, stderr })
    })
  })
}

export interface ActionRunOptions {
  /** The `command` input (sub-action key: eval, gate, command ...). */
  command?: string
  inputs?: Record<string, string>
  /** `GITHUB_*` and anything else; `GITHUB_API_URL` should be the double's URL. */
  env?: Record<string, string | undefined>
  eventName?: string
  event?: unknown
  cwd?: string
  timeoutMs?: number
  /** Run the post step with this state (from a previous run's `state`). */
  postState?: Record<string, string>
}

/** Runs the bundle as the action does on a runner: `INPUT_*` variables and runner files. */
export async function runBundledAction(options: ActionRunOptions = {}): Promise<BundleRun> {
  const entry = await bundlePath()
  const runnerDir = mkdtempSync(path.join(tmpdir(), 'llmops-runner-'))
  const files = {
    output: 'output.txt',
    state: 'state.txt',
    summary: 'summary.md',
    env: 'env.txt',
    path: 'path.txt',
    event: 'event.json',
  }
  for (const name of Object.values(files)) writeFileSync(path.join(runnerDir, name), '')
  writeFileSync(path.join(runnerDir, files.event), JSON.stringify(options.event ?? {}))
  const inputs: Record<string, string> = {
    ...(options.command ? { command: options.command } : {}),
    ...options.inputs,
  }
  const inputEnv = Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v]),
  )
  const stateEnv = Object.fromEntries(
    Object.entries(options.postState ?? {}).map(([k, v]) => [`STATE_${k}`, v]),
  )
  const cwd = options.cwd ?? runnerDir
  const env = baseEnv({
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_REPOSITORY: 'acme/models',
    GITHUB_EVENT_NAME: options.eventName ?? 'workflow_dispatch',
    GITHUB_EVENT_PATH: path.join(runnerDir, files.event),
    GITHUB_SHA: '0'.repeat(40),
    GITHUB_REF: 'refs/heads/main',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTOR: 'octocat',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_WORKSPACE: cwd,
    RUNNER_TEMP: runnerDir,
    GITHUB_OUTPUT: path.join(runnerDir, files.output),
    GITHUB_STATE: path.join(runnerDir, files.state),
    GITHUB_STEP_SUMMARY: path.join(runnerDir, files.summary),
    GITHUB_ENV: path.join(runnerDir, files.env),
    GITHUB_PATH: path.join(runnerDir, files.path),
    ...inputEnv,
    ...stateEnv,
    ...options.env,
  })
  const result = await exec(entry, [], env, cwd, options.timeoutMs ?? 120_000)
  const read = (name: string) => readFileSync(path.join(runnerDir, name), 'utf8')
  return {
    ...result,
    outputs: parseFileCommands(read(files.output)),
    summary: read(files.summary),
    state: parseFileCommands(read(files.state)),
    runnerDir,
  }
}

/** Runs the bundle as the `llmops` CLI (`LLMOPS_ENTRY=cli`). */
export async function runBundledCli(
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number } = {},
): Promise<Omit<BundleRun, 'outputs' | 'summary' | 'state' | 'runnerDir'>> {
  const entry = await bundlePath()
  const env = baseEnv({ ...options.env, LLMOPS_ENTRY: 'cli' })
  return exec(entry, args, env, options.cwd ?? root, options.timeoutMs ?? 120_000)
}
