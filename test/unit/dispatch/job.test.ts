import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../src/core/logger.js'
import { followJob, tail, type JobDriver, type JobState } from '../../../src/dispatch/job.js'
import { fakeClock } from './fakes.js'

function scripted(states: JobState['phase'][], logs: string[] = []) {
  let i = 0
  const cancelled: string[] = []
  const driver: JobDriver = {
    target: 'fake',
    submit: () => Promise.resolve({ id: 'j1', resumed: false }),
    status: () => {
      const phase = states[Math.min(i++, states.length - 1)]!
      return Promise.resolve({ phase, status: phase.toUpperCase() })
    },
    logs: () => Promise.resolve(logs[Math.min(i, logs.length - 1)] ?? ''),
    cancel: (id) => {
      cancelled.push(id)
      states.push('stopped')
      i = states.length - 1
      return Promise.resolve()
    },
  }
  return { driver, cancelled }
}

describe('followJob', () => {
  it('polls to a terminal state and streams only new log lines', async () => {
    const logger = memoryLogger()
    const { driver } = scripted(
      ['pending', 'running', 'running', 'succeeded'],
      ['', 'a\n', 'a\nb\n', 'a\nb\nc\n', 'a\nb\nc\n'],
    )
    const r = await followJob(driver, 'j1', {
      timeoutMs: 60_000,
      pollMs: 1000,
      logger,
      clock: fakeClock(),
    })
    expect(r.state.phase).toBe('succeeded')
    expect(r.timedOut).toBe(false)
    expect(logger.lines.filter((l) => l.startsWith('[fake]'))).toEqual([
      '[fake] a',
      '[fake] b',
      '[fake] c',
    ])
    expect(r.logTail).toBe('a\nb\nc')
  })

  it('stops the job on timeout and reports it', async () => {
    const { driver, cancelled } = scripted(['running'])
    const r = await followJob(driver, 'j1', {
      timeoutMs: 5000,
      pollMs: 1000,
      logger: memoryLogger(),
      clock: fakeClock(),
    })
    expect(cancelled).toEqual(['j1'])
    expect(r).toMatchObject({ timedOut: true, cancelled: false, state: { phase: 'stopped' } })
  })

  it('stops the job when the signal aborts', async () => {
    const { driver, cancelled } = scripted(['running'])
    const ac = new AbortController()
    ac.abort()
    const r = await followJob(driver, 'j1', {
      timeoutMs: 60_000,
      pollMs: 1000,
      logger: memoryLogger(),
      clock: fakeClock(),
      signal: ac.signal,
    })
    expect(cancelled).toEqual(['j1'])
    expect(r).toMatchObject({ timedOut: false, cancelled: true, state: { phase: 'stopped' } })
  })
})

describe('tail', () => {
  it('keeps the last n lines without trailing whitespace', () => {
    expect(tail('1\n2\n3\n4\n', 2)).toBe('3\n4')
    expect(tail('', 3)).toBe('')
  })
})
