import { describe, expect, it } from 'vitest'
import { formatDuration, Progress, progressLine } from '../../../src/eval/progress.js'

describe('progress', () => {
  it('formats done/total, rate and ETA', () => {
    expect(progressLine(50, 200, 2, 10_000)).toBe(
      'eval: 50/200 cases (25%), 2 errors, 5.0 cases/s, ETA 30s',
    )
    expect(progressLine(200, 200, 0, 4_000)).toBe(
      'eval: 200/200 cases (100%), 0 errors, 50.0 cases/s, ETA 0s',
    )
    expect(formatDuration(3725)).toBe('1h02m')
    expect(formatDuration(185)).toBe('3m05s')
  })

  it('prints at most once per interval, and always at the end', () => {
    let t = 0
    const lines: string[] = []
    const p = new Progress(
      10,
      (l) => lines.push(l),
      () => t,
    )
    for (let i = 0; i < 10; i++) {
      t += 300
      p.tick(i === 3)
    }
    p.finish()
    // ticks at 300 ms (first), 1500 ms and 2700 ms print; then the final line.
    expect(lines).toHaveLength(4)
    expect(lines.at(-1)).toBe('eval: 10/10 cases (100%), 1 errors, 3.3 cases/s, ETA 0s')
  })
})
