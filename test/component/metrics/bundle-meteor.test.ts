import { mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { meteorText } from '../../../src/metrics/meteor.js'
import { runBundledCli } from '../../helpers/run-bundle.js'

describe('METEOR from the bundle', () => {
  it('finds the WordNet data the bundle ships and scores like the source', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'llmops-meteor-'))
    // "guide" / "guiding" and "commands" / "directions" only match through stems and WordNet synonyms.
    const pair = {
      prediction:
        'It is a guide to action which ensures that the military always obeys the commands of the party',
      references: [
        'It is the practical guide for the army always to heed the directions of the party',
      ],
    }
    await writeFile(path.join(dir, 'in.jsonl'), `${JSON.stringify(pair)}\n`)
    const r = await runBundledCli(['score', '--metric', 'meteor', '--input', 'in.jsonl'], {
      cwd: dir,
    })
    expect(r.exitCode, r.stderr).toBe(0)
    const line = JSON.parse(r.stdout.trim()) as { score: number }
    expect(line.score).toBeCloseTo(meteorText(pair.references, pair.prediction), 12)
    expect(line.score).toBeGreaterThan(0)
  })
})
