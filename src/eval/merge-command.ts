import { notAvailable } from '../cli/not-available.js'

/** `llmops merge`: Merge the outputs of sharded eval runs. */
export const mergeCommand = notAvailable(
  'merge',
  'Merge the outputs of sharded eval runs',
  'llmops merge D1 D2 ... --out D',
  3,
)
