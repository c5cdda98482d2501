import { notAvailable } from '../cli/not-available.js'

/** `llmops gate`: Compare candidate with baseline and decide pass, fail or inconclusive. */
export const gateCommand = notAvailable(
  'gate',
  'Compare candidate with baseline and decide pass, fail or inconclusive',
  'llmops gate --baseline D --candidate D [--config F] [--out D]',
  4,
)
