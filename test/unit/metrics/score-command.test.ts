import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { CommandContext } from '../../../src/cli/command.js'
import { UsageError } from '../../../src/errors.js'
import { scoreCommand } from '../../../src/metrics/score-command.js'

const root = join(import.meta.dirname, '..', '..', '..')

async function run(
  argv: string[],
  stdin?: string,
): Promise<{ code: number; lines: Record<string, unknown>[] }> {
  const out = new PassThrough()
  let text = ''
  out.on('data', (c: Buffer) => (text += c.toString('utf8')))
  const input = new PassThrough()
  input.end(stdin ?? '')
  const ctx: CommandContext = {
    argv,
    env: {},
    cwd: root,
    stdout: out,
    stdin: input,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    signal: new AbortController().signal,
    inAction: false,
  }
  const res = await scoreCommand.run(ctx)
  return {
    code: res.exitCode,
    lines:
      text.trim() === ''
        ? []
        : text
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as Record<string, unknown>),
  }
}

describe('llmops score', () => {
  it('one line per input line (blank lines skipped), BLEU on the 0-100 scale', async () => {
    const { code, lines } = await run([
      '--metric',
      'bleu',
      '--input',
      'fixtures/metrics/score-input.jsonl',
    ])
    expect(code).toBe(0)
    expect(lines).toHaveLength(3)
    expect(lines[0]?.score).toBeCloseTo(100, 9)
    expect(lines[0]?.signature).toBe('nrefs:2|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0')
    expect(lines[0]).toHaveProperty('counts')
  })

  it('--corpus gives one corpus BLEU line', async () => {
    const { lines } = await run([
      '--metric',
      'bleu',
      '--corpus',
      '--input',
      'fixtures/metrics/score-input.jsonl',
    ])
    expect(lines).toHaveLength(1)
    expect(lines[0]?.score).toBeCloseTo(48.530827, 6)
    expect(lines[0]?.n).toBe(3)
  })

  it('reads stdin; ROUGE with --stemmer has components on the 0-1 scale', async () => {
    const { lines } = await run(
      ['--metric', 'rougeL', '--stemmer'],
      '{"prediction":"the dogs ran","references":["the dog ran"]}\n',
    )
    expect(lines).toEqual([{ score: 1, precision: 1, recall: 1 }])
    const plain = await run(
      ['--metric', 'rougeL'],
      '{"prediction":"the dogs ran","references":["the dog ran"]}\n',
    )
    expect(plain.lines[0]?.score).toBeCloseTo(2 / 3, 12)
  })

  it('METEOR, chrF and exact', async () => {
    const line = '{"prediction":"It is a cat","references":["it is a cat"]}\n'
    expect((await run(['--metric', 'meteor'], line)).lines[0]?.score).toBeGreaterThan(0.9)
    expect((await run(['--metric', 'chrf'], line)).lines[0]?.score).toBeLessThan(100)
    expect((await run(['--metric', 'exact'], line)).lines[0]).toEqual({ score: 0 })
  })

  it('malformed lines exit 2 naming file:line and write nothing', async () => {
    const bad = '{"prediction":"a","references":["a"]}\n{"prediction":"a"}\n'
    await expect(run(['--metric', 'bleu'], bad)).rejects.toThrow(
      new UsageError('<stdin>:2: "references" must be a non-empty array of strings'),
    )
    await expect(run(['--metric', 'bleu'], 'not json\n')).rejects.toThrow(
      /<stdin>:1: not valid JSON/,
    )
  })

  it('unknown metric and misplaced --stemmer are usage errors', async () => {
    await expect(run(['--metric', 'blue'], '')).rejects.toThrow(/Did you mean 'bleu'/)
    await expect(run(['--metric', 'bleu', '--stemmer'], '')).rejects.toThrow(/ROUGE metrics only/)
  })
})
