/** Statistics used by the gate, the latency benchmark and the safety comparison. Pure and seeded. */
export { Xoshiro128 } from './prng.js'
export { erfc, normalCdf, normalQuantile } from './normal.js'
export { studentTCdf, studentTQuantile, incompleteBeta } from './student-t.js'
export { binomialCdf } from './binomial.js'
export { percentile, percentiles, quantileSorted, sortedFinite } from './percentile.js'
export {
  pairedBootstrapMeanDelta,
  bootstrapMeanBca,
  bootstrapStatistic,
  bootstrapDifference,
  bcaInterval,
  type BootstrapOptions,
  type BootstrapResult,
} from './bootstrap.js'
export { mcnemarExact, mcnemarExactOneSided, mcnemarPaired, type McNemarResult } from './mcnemar.js'
export {
  pairedPermutationTest,
  unpairedPermutationTest,
  type Alternative,
  type PermutationOptions,
  type PermutationResult,
} from './permutation.js'
export { holmAdjust } from './holm.js'
export { wilsonInterval } from './wilson.js'
export { meanCi, type MeanCi } from './mean-ci.js'
export { mdePairedMean, mdePairedProportions, type PowerOptions } from './mde.js'
export { effectiveSampleSize } from './effective-sample-size.js'
