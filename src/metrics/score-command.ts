import { notAvailable } from '../cli/not-available.js'

/** `llmops score`: Score existing outputs offline with a reference-exact metric. */
export const scoreCommand = notAvailable(
  'score',
  'Score existing outputs offline with a reference-exact metric',
  'llmops score --metric M [--input F.jsonl] [--corpus] [--stemmer]',
  3,
)
