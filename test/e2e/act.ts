import { spawn, spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { bundlePath } from '../helpers/run-bundle.js'

const root = path.resolve(import.meta.dirname, '../..')
/** Folder of the test stand-ins for remote actions and tools (see stand-ins/README.md). */
export const standIns = path.join(import.meta.dirname, 'stand-ins')

/** The act binary built by scripts/setup-tools.sh; a missing binary fails the test loudly. */
export function actBinary(): string {
  const bin = process.env.LLMOPS_ACT ?? path.join(root, '.cache/bin/act')
  if (!existsSync(bin))
    throw new Error(
      `act is not built at ${bin}: run scripts/setup-tools.sh (needs Go and the module proxy)`,
    )
  return bin
}

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'e2e',
      GIT_AUTHOR_EMAIL: 'e2e@example.invalid',
      GIT_COMMITTER_NAME: 'e2e',
      GIT_COMMITTER_EMAIL: 'e2e@example.invalid',
    },
  })
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`)
  return r.stdout.trim()
}

/** A local stand-in for the GitHub repository: the sub-actions, the bundle and the workflows. */
export interface OriginRepo {
  /** Folder of the git repository (what the checkout stand-in clones). */
  dir: string
  /** Head of `main` (the default branch) when the repo was made. */
  baseSha: string
  /** Commits `files` (path → content) on a side branch off main and returns the commit SHA. */
  commitOnBranch(branch: string, files: Record<string, string>): string
}

/**
 * Makes the origin repository: `actions/` and `examples/workflows/` of this checkout, the ncc
 * bundle of the current sources as `dist/` and the given extra files, committed on `main`. The
 * working tree of the project is never modified.
 */
export async function makeOrigin(files: Record<string, string> = {}): Promise<OriginRepo> {
  const bundle = path.dirname(await bundlePath())
  const dir = mkdtempSync(path.join(tmpdir(), 'llmops-e2e-origin-'))
  cpSync(path.join(root, 'actions'), path.join(dir, 'actions'), { recursive: true })
  cpSync(bundle, path.join(dir, 'dist'), { recursive: true })
  mkdirSync(path.join(dir, '.github/workflows'), { recursive: true })
  for (const name of readdirSync(path.join(root, 'examples/workflows')))
    cpSync(path.join(root, 'examples/workflows', name), path.join(dir, '.github/workflows', name))
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    writeFileSync(path.join(dir, file), content)
  }
  git(dir, 'init', '-q', '-b', 'main')
  git(dir, 'add', '-A')
  git(dir, 'commit', '-q', '-m', 'default branch')
  const baseSha = git(dir, 'rev-parse', 'HEAD')
  return {
    dir,
    baseSha,
    commitOnBranch(branch, changes) {
      git(dir, 'checkout', '-q', '-B', branch, baseSha)
      for (const [file, content] of Object.entries(changes)) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
        writeFileSync(path.join(dir, file), content)
      }
      git(dir, 'add', '-A')
      git(dir, 'commit', '-q', '-m', `change on ${branch}`)
      const sha = git(dir, 'rev-parse', 'HEAD')
      git(dir, 'checkout', '-q', 'main')
      return sha
    },
  }
}

export interface ActRun {
  exitCode: number
  /** act's combined output (job logs, step results). */
  log: string
}

export interface ActOptions {
  origin: OriginRepo
  /** Workflow file name under the origin's `.github/workflows/`. */
  workflow: string
  eventName: string
  event: unknown
  repository: string
  /** The GitHub double's `doubleEnv(...)` and anything else for `--env`. */
  env: Record<string, string>
  /** `-s` secrets; GITHUB_TOKEN should be the double's token. */
  secrets: Record<string, string>
  actor?: string
  /** Commit the workspace is at (act's GITHUB_SHA); default the head of `main`. */
  sha?: string
  /** Folders put in front of PATH (e.g. the `vllm` stand-in). */
  path?: string[]
  /** Folder shared by the artifact stand-ins across runs. */
  artifacts?: string
  /**
   * Runs act's artifact server on 127.0.0.1 (`--artifact-server-path/-addr/-port`); the
   * upload-artifact stand-in then uploads to it with the v4 protocol, stored under
   * `<path>/<GITHUB_RUN_ID>/<name>/<name>.zip`.
   */
  artifactServer?: { path: string; port: number }
  timeoutMs?: number
}

/**
 * Runs one workflow with act in host mode (`-P ubuntu-latest=-self-hosted`): the workspace is a
 * fresh clone of the origin at `main`, remote actions map to the stand-ins, and GITHUB_API_URL
 * points at the double.
 */
export async function runAct(options: ActOptions): Promise<ActRun> {
  const act = actBinary()
  const work = mkdtempSync(path.join(tmpdir(), 'llmops-e2e-act-'))
  const workspace = path.join(work, 'workspace')
  git(work, 'clone', '-q', options.origin.dir, workspace)
  if (options.sha) git(workspace, 'checkout', '-q', '--detach', options.sha)
  const eventFile = path.join(work, 'event.json')
  writeFileSync(eventFile, JSON.stringify(options.event))
  const artifacts = options.artifacts ?? path.join(work, 'artifacts')
  mkdirSync(artifacts, { recursive: true })
  const env: Record<string, string> = {
    GITHUB_REPOSITORY: options.repository,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
    E2E_ORIGIN: options.origin.dir,
    E2E_ARTIFACTS: artifacts,
    ...options.env,
  }
  const args = [
    options.eventName,
    '-W',
    path.join(workspace, '.github/workflows', options.workflow),
    '-e',
    eventFile,
    '-P',
    'ubuntu-latest=-self-hosted',
    '-P',
    'self-hosted=-self-hosted',
    '--no-skip-checkout',
    '--action-offline-mode',
    '--action-cache-path',
    path.join(work, 'action-cache'),
    '--actor',
    options.actor ?? 'e2e-actor',
    ...[
      'checkout@v4',
      'checkout@v5',
      'upload-artifact@v4',
      'download-artifact@v4',
      'download-artifact@v5',
    ].flatMap((a) => [
      '--local-repository',
      `actions/${a}=${path.join(standIns, a.split('@')[0]!)}`,
    ]),
    ...(options.artifactServer
      ? [
          '--artifact-server-path',
          options.artifactServer.path,
          '--artifact-server-addr',
          '127.0.0.1',
          '--artifact-server-port',
          String(options.artifactServer.port),
        ]
      : []),
    ...Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
    ...Object.entries(options.secrets).flatMap(([k, v]) => ['-s', `${k}=${v}`]),
  ]
  return new Promise((resolve, reject) => {
    const child = spawn(act, args, {
      cwd: workspace,
      env: {
        PATH: [...(options.path ?? []), process.env.PATH].join(path.delimiter),
        HOME: process.env.HOME,
        XDG_CONFIG_HOME: work,
        XDG_CACHE_HOME: path.join(work, 'cache'),
        TMPDIR: tmpdir(),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let log = ''
    child.stdout.on('data', (d: Buffer) => (log += d.toString()))
    child.stderr.on('data', (d: Buffer) => (log += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      // The workspace, act's caches and the default artifact folder go; E2E_KEEP keeps them.
      if (!process.env.E2E_KEEP) rmSync(work, { recursive: true, force: true })
      else log += `\n(e2e: kept ${work})\n`
      resolve({ exitCode: code ?? (signal ? 128 : 1), log })
    })
  })
}
