import { notAvailable } from '../cli/not-available.js'

/** `llmops report`: Post the gate report as the sticky PR comment and the check run. */
export const reportCommand = notAvailable(
  'report',
  'Post the gate report as the sticky PR comment and the check run',
  'llmops report --gate D [--comment] [--check]',
  4,
)
