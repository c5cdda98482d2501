import { notAvailable } from '../cli/not-available.js'

/** `llmops eval`: Run evaluation suites against OpenAI-compatible servers. */
export const evalCommand = notAvailable(
  'eval',
  'Run evaluation suites against OpenAI-compatible servers',
  'llmops eval --config F [--suite S] [--provider P] [--shard i/n] [--resume] [--out D]',
  3,
)
