import { safetyCheckProvider } from '../safety/compare.js'
import type { CheckProvider } from './check-provider.js'

/**
 * The latency and safety comparisons that join the gate's Holm family. Each capability adds its
 * provider here (`src/bench/compare.ts`, `src/safety/compare.ts`); a provider returns no checks when
 * its inputs are absent on either side.
 */
export const checkProviders: readonly CheckProvider[] = [safetyCheckProvider]
