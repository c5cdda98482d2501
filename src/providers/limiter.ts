import { ProviderError } from './provider-error.js'

/** A counting semaphore: at most `limit` tasks run at once, the rest wait in FIFO order. */
export class Limiter {
  private active = 0
  private slotMs = 0
  private lastChange = performance.now()
  private readonly waiting: { start: () => void; reject: (e: unknown) => void }[] = []

  constructor(readonly limit: number) {}

  /** Tasks running right now. */
  get inFlight(): number {
    return this.active
  }

  /** Occupied slot-milliseconds so far (the integral of in-flight tasks over time). */
  get occupiedMs(): number {
    return this.slotMs + this.active * (performance.now() - this.lastChange)
  }

  private mark(): void {
    const t = performance.now()
    this.slotMs += this.active * (t - this.lastChange)
    this.lastChange = t
  }

  /** Runs `task` when a slot is free; a task still waiting when `signal` aborts is rejected as cancelled. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal)
    try {
      return await task()
    } finally {
      this.release()
    }
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new ProviderError('cancelled', 'cancelled'))
    if (this.active < this.limit) {
      this.mark()
      this.active++
      return Promise.resolve()
    }
    return new Promise<void>((resolve, reject) => {
      const entry = {
        start: () => {
          signal?.removeEventListener('abort', onAbort)
          this.mark()
          this.active++
          resolve()
        },
        reject,
      }
      const onAbort = () => {
        const i = this.waiting.indexOf(entry)
        if (i >= 0) this.waiting.splice(i, 1)
        reject(new ProviderError('cancelled', 'cancelled'))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.waiting.push(entry)
    })
  }

  private release(): void {
    this.mark()
    this.active--
    this.waiting.shift()?.start()
  }
}
