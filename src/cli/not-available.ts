import { UsageError } from '../errors.js'
import type { Command } from './command.js'

/** A registered command whose capability has not landed yet: it exits 2 and says so, never a silent no-op. */
export function notAvailable(name: string, summary: string, usage: string, issue: number): Command {
  return {
    name,
    summary,
    usage,
    run() {
      return Promise.reject(
        new UsageError(
          `llmops ${name} is not available yet in this version (tracked in issue #${issue}).`,
        ),
      )
    },
  }
}
