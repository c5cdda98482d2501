import { Xoshiro128 } from '../stats/prng.js'

function normal(rng: Xoshiro128): number {
  const u = 1 - rng.nextFloat()
  const v = rng.nextFloat()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

/** One Gamma(shape, 1) draw (Marsaglia and Tsang 2000; shape < 1 via the u^(1/shape) boost). */
export function gammaSample(shape: number, rng: Xoshiro128): number {
  if (shape < 1) return gammaSample(shape + 1, rng) * Math.pow(1 - rng.nextFloat(), 1 / shape)
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    let x: number
    let v: number
    do {
      x = normal(rng)
      v = 1 + c * x
    } while (v <= 0)
    v = v * v * v
    const u = 1 - rng.nextFloat()
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v
  }
}

/**
 * Absolute send offsets (ms from the start) of an open-loop run: inter-arrival times are
 * Gamma(shape = burstiness, scale = 1 / (rate * burstiness)), so burstiness 1 is Poisson, below 1
 * burstier, above 1 more regular. Drawn once from a seeded generator; the sender never sleeps relative
 * intervals, so errors do not accumulate.
 */
export function arrivalOffsets(
  count: number,
  rate: number,
  burstiness: number,
  seed: number,
): number[] {
  const rng = new Xoshiro128(seed)
  const out: number[] = []
  let t = 0
  for (let i = 0; i < count; i++) {
    out.push(t)
    t += (gammaSample(burstiness, rng) / (rate * burstiness)) * 1000
  }
  return out
}
