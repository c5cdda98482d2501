import { notAvailable } from '../cli/not-available.js'

/** `llmops command`: Handle a PR comment command (/eval, /benchmark, /deploy, /finetune, /help). */
export const commandCommand = notAvailable(
  'command',
  'Handle a PR comment command (/eval, /benchmark, /deploy, /finetune, /help)',
  'llmops command --event F',
  7,
)
