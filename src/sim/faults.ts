import { unitHash } from './hash.js'
import { faultSchema, type Fault, type FaultKind } from './profile.js'

/** A fault injected at run time: it hits the next `times` requests (default 1), then expires. */
export type InjectedFault = Fault & { remaining: number }

/** Chooses which fault, if any, hits a request: run-time injections first, then the profile's faults. */
export class FaultPlan {
  private readonly injected: InjectedFault[] = []
  private readonly used = new Map<Fault, number>()

  /** Queues a fault for the next requests (validated like a profile fault). */
  inject(input: unknown): Fault {
    const fault = faultSchema.parse(input)
    this.injected.push({ ...fault, remaining: fault.times ?? 1 })
    return fault
  }

  clear(): void {
    this.injected.length = 0
  }

  /** The fault for request number `seq` with the given input text, consuming it. */
  pick(seq: number, input: string, profileFaults: readonly Fault[]): Fault | undefined {
    const index = this.injected.findIndex(
      (f) => f.match === undefined || new RegExp(f.match).test(input),
    )
    const injected = this.injected[index]
    if (injected) {
      injected.remaining -= 1
      if (injected.remaining <= 0) this.injected.splice(index, 1)
      return injected
    }
    for (const fault of profileFaults) {
      if (fault.match !== undefined && !new RegExp(fault.match).test(input)) continue
      const used = this.used.get(fault) ?? 0
      if (fault.times !== undefined && used >= fault.times) continue
      if (fault.rate !== undefined && unitHash(String(seq), fault.seed) >= fault.rate) continue
      this.used.set(fault, used + 1)
      return fault
    }
    return undefined
  }
}

/** Faults answered with an HTTP status instead of a stream. */
export const STATUS_FAULTS: Partial<Record<FaultKind, number>> = {
  '429': 429,
  '500': 500,
  '503': 503,
}
