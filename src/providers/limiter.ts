import { ProviderError } from './provider-error.js'

/** A counting semaphore: at most `limit` tasks run at once, the rest wait in FIFO order. */
export class Limiter {
  private active = 0
  private readonly waiting: { start: () => void; reject: (e: unknown) => void }[] = []

  constructor(readonly limit: number) {}

  /** Tasks running right now. */
  get inFlight(): number {
    return this.active
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
      this.active++
      return Promise.resolve()
    }
    return new Promise<void>((resolve, reject) => {
      const entry = {
        start: () => {
          signal?.removeEventListener('abort', onAbort)
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
    this.active--
    this.waiting.shift()?.start()
  }
}
