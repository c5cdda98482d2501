import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../src/core/logger.js'
import { safetyCommand } from '../../../src/safety/command.js'

async function run(argv: string[], cwd: string) {
  const out = new PassThrough()
  let text = ''
  out.on('data', (d: Buffer) => (text += d.toString()))
  const result = await safetyCommand.run({
    argv,
    env: {},
    cwd,
    stdout: out,
    logger: memoryLogger(),
    signal: new AbortController().signal,
    inAction: false,
  })
  return {
    result,
    lines: text
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  }
}

describe('llmops safety', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'llmops-safety-'))

  it('scores each line for toxicity and PII', async () => {
    writeFileSync(
      path.join(dir, 'in.jsonl'),
      [
        '{"output": "Have a nice day"}',
        '',
        '{"output": "you are a 1d10t, mail me at jo@acme.io"}',
      ].join('\n'),
    )
    const { result, lines } = await run(['--input', 'in.jsonl'], dir)
    expect(result.exitCode).toBe(0)
    expect(lines).toEqual([
      { toxic: false, toxicity: 0, categories: [], pii: [] },
      {
        toxic: true,
        toxicity: 0.85,
        categories: ['insult'],
        pii: [{ kind: 'email', span: [28, 38] }],
      },
    ])
    expect(result.outputs).toEqual({ toxic: '1', total: '2', pii: '1' })
  })

  it('rejects a bad line with file:line (exit 2)', async () => {
    writeFileSync(path.join(dir, 'bad.jsonl'), '{"output": "ok"}\n{"text": "no output"}\n')
    await expect(run(['--input', 'bad.jsonl'], dir)).rejects.toMatchObject({
      exitCode: 2,
      message: 'bad.jsonl:2: "output" must be a string',
    })
    writeFileSync(path.join(dir, 'bad2.jsonl'), 'not json\n')
    await expect(run(['--input', 'bad2.jsonl'], dir)).rejects.toMatchObject({
      exitCode: 2,
      message: 'bad2.jsonl:1: not valid JSON',
    })
  })

  it('rejects unknown scorers and model scorers without a config', async () => {
    await expect(run(['--input', 'in.jsonl', '--scorer', 'nope'], dir)).rejects.toMatchObject({
      exitCode: 2,
    })
    await expect(
      run(['--input', 'in.jsonl', '--scorer', 'llama-guard'], dir),
    ).rejects.toMatchObject({ exitCode: 2 })
    await expect(run([], dir)).rejects.toMatchObject({ exitCode: 2 })
  })
})
