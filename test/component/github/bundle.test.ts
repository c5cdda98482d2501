import { beforeAll, describe, expect, it } from 'vitest'
import {
  bundlePath,
  parseFileCommands,
  runBundledAction,
  runBundledCli,
} from '../../helpers/run-bundle.js'

// The first test process to get here builds the ncc bundle (minutes on a busy machine); the rest reuse it.
beforeAll(async () => {
  await bundlePath()
}, 900_000)

describe('the bundled entry', () => {
  it('runs as the CLI', async () => {
    const result = await runBundledCli(['--version'])
    expect(result.exitCode).toBe(0)
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('fails the step for an unknown command input', async () => {
    const result = await runBundledAction({ command: 'nope' })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain(
      "::error::unknown command input 'nope'; expected one of eval, benchmark, gate",
    )
  })

  it('fails the step when a required input of the selected command is missing (root action)', async () => {
    const result = await runBundledAction({ command: 'gate', inputs: { candidate: 'x' } })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain("::error::input 'baseline' is required for llmops gate")
    expect(result.state).toMatchObject({ 'llmops-main-ran': 'true' })
  })

  it('does nothing in the post step of a command without a post', async () => {
    const result = await runBundledAction({
      command: 'gate',
      postState: { 'llmops-main-ran': 'true' },
    })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toBe('')
  })
})

describe('parseFileCommands', () => {
  it('reads heredoc and key=value lines', () => {
    expect(parseFileCommands('a<<EOF_1\nline 1\nline 2\nEOF_1\nb=2\n')).toEqual({
      a: 'line 1\nline 2',
      b: '2',
    })
  })
})
