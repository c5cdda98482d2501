/** Formats seconds as `1h02m`, `3m05s` or `12s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?'
  const s = Math.max(0, Math.round(seconds))
  if (s >= 3600)
    return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
  return `${s}s`
}

/** One progress line: done/total, errors, rate and ETA. */
export function progressLine(
  done: number,
  total: number,
  errors: number,
  elapsedMs: number,
): string {
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0
  const eta = rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY
  const pct = total > 0 ? Math.floor((done * 100) / total) : 100
  return `eval: ${done}/${total} cases (${pct}%), ${errors} errors, ${rate.toFixed(1)} cases/s, ETA ${done >= total ? '0s' : formatDuration(eta)}`
}

/** Reports progress at most once per interval (and always at the end), to a line sink such as stderr. */
export class Progress {
  private done = 0
  private errors = 0
  private lastPrint = Number.NEGATIVE_INFINITY
  private readonly started: number

  constructor(
    private readonly total: number,
    private readonly write: (line: string) => void,
    private readonly now: () => number = () => performance.now(),
    private readonly intervalMs = 1_000,
  ) {
    this.started = now()
  }

  tick(error: boolean): void {
    this.done++
    if (error) this.errors++
    const t = this.now()
    if (t - this.lastPrint >= this.intervalMs) {
      this.lastPrint = t
      this.write(progressLine(this.done, this.total, this.errors, t - this.started))
    }
  }

  finish(): void {
    this.write(progressLine(this.done, this.total, this.errors, this.now() - this.started))
  }
}
