import { notAvailable } from '../cli/not-available.js'

/** `llmops demo`: Run the whole PR gate offline on the built-in simulated model server. */
export const demoCommand = notAvailable(
  'demo',
  'Run the whole PR gate offline on the built-in simulated model server',
  'llmops demo [--out D]',
  9,
)
