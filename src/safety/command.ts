import { notAvailable } from '../cli/not-available.js'

/** `llmops safety`: Score existing outputs for toxicity and PII leakage. */
export const safetyCommand = notAvailable(
  'safety',
  'Score existing outputs for toxicity and PII leakage',
  'llmops safety --input F.jsonl [--scorer lexicon|moderation|llama-guard|classifier]',
  6,
)
