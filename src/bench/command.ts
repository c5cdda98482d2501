import { notAvailable } from '../cli/not-available.js'

/** `llmops bench`: Run the streaming latency benchmark (TTFT, TPOT, ITL, throughput, goodput). */
export const benchCommand = notAvailable(
  'bench',
  'Run the streaming latency benchmark (TTFT, TPOT, ITL, throughput, goodput)',
  'llmops bench [--config F] [--endpoint URL --model M] [--concurrency N,...] [--rate R] [--requests K] [--input-tokens I] [--output-tokens O] [--out D]',
  5,
)
