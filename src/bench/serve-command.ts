import { notAvailable } from '../cli/not-available.js'

/** `llmops serve`: start an OpenAI-compatible server, wait for readiness, stop it in the post step. */
export const serveCommand = notAvailable(
  'serve',
  'Start an OpenAI-compatible model server and wait until it is ready',
  'llmops serve --model M [--server-command CMD] [--port P] [--timeout S]',
  5,
)
