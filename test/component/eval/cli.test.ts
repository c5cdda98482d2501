import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../../src/cli/main.js'
import { writeConfig } from './helpers.js'

function capture() {
  const stream = new PassThrough()
  let text = ''
  stream.on('data', (c: Buffer) => (text += c.toString()))
  return { stream, text: () => text }
}

async function cli(argv: string[], cwd: string) {
  const stdout = capture()
  const stderr = capture()
  const code = await runCli(argv, {
    env: {},
    cwd,
    stdout: stdout.stream,
    stderr: stderr.stream,
    signal: new AbortController().signal,
  })
  return { code, stderr: stderr.text() }
}

describe('llmops eval / merge through the CLI', () => {
  it('reports every malformed dataset row with file:line and exits 2', async () => {
    const dir = await writeConfig({
      providers: { candidate: { base_url: 'http://127.0.0.1:9/v1', model: 'm' } },
      suites: [{ name: 's', dataset: 'rows.jsonl', prompt: '{{ q }}' }],
    })
    await writeFile(path.join(dir, 'rows.jsonl'), '{"q": "a"}\n{"q": \n{"q": "c"}\n[]\n')
    const { code, stderr } = await cli(['eval', '--config', 'llmops.yml'], dir)
    expect(code).toBe(2)
    expect(stderr).toContain('rows.jsonl:2: not valid JSON')
    expect(stderr).toContain('rows.jsonl:4: each line must be a JSON object, got an array')
  })

  it('rejects a bad --shard as usage (exit 2)', async () => {
    const dir = await writeConfig({
      providers: {},
      suites: [{ name: 's', cases: [{ q: 1 }], prompt: '{{ q }}' }],
    })
    const { code, stderr } = await cli(['eval', '--config', 'llmops.yml', '--shard', '3/2'], dir)
    expect(code).toBe(2)
    expect(stderr).toContain('--shard must be i/n with 1 <= i <= n')
  })

  it('merge needs --out and at least one directory', async () => {
    const dir = await writeConfig({ providers: {}, suites: [] })
    expect((await cli(['merge', 'a'], dir)).stderr).toContain('--out is required')
    const { code, stderr } = await cli(['merge', 'missing', '--out', 'o'], dir)
    expect(code).toBe(2)
    expect(stderr).toContain('missing or not JSON')
  })
})
