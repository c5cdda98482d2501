/**
 * xoshiro128** (Blackman and Vigna, 2018): a 32-bit generator with a 2^128 - 1 period that passes
 * BigCrush, chosen because it needs only 32-bit integer arithmetic (`Math.imul`), so it is fast in
 * JavaScript and gives the same stream on every platform. The four words of state are seeded from one
 * 32-bit seed with splitmix32, as the authors recommend, so nearby seeds give unrelated streams.
 */
export class Xoshiro128 {
  private s0: number
  private s1: number
  private s2: number
  private s3: number

  /** A generator seeded from one integer (only its low 32 bits are used). */
  constructor(seed: number) {
    let x = seed >>> 0
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0
      let z = x
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.s0 = next()
    this.s1 = next()
    this.s2 = next()
    this.s3 = next()
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1
  }

  /** A generator with the exact state given (for the reference test vectors). */
  static fromState(state: readonly [number, number, number, number]): Xoshiro128 {
    const g = new Xoshiro128(0)
    ;[g.s0, g.s1, g.s2, g.s3] = state.map((v) => v >>> 0) as [number, number, number, number]
    return g
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0
    const t = this.s1 << 9
    this.s2 ^= this.s0
    this.s3 ^= this.s1
    this.s1 ^= this.s2
    this.s0 ^= this.s3
    this.s2 ^= t
    this.s3 = rotl(this.s3, 11)
    return result
  }

  /** A float in [0, 1) with 32 random bits (enough for resampling indices below 2^20). */
  nextFloat(): number {
    return this.nextUint32() / 4294967296
  }

  /**
   * An integer in [0, n). Multiply-shift (Lemire) without the rejection step: the bias is below
   * n / 2^32, i.e. under 1e-4 even for a million cases, far below bootstrap Monte Carlo error.
   */
  nextInt(n: number): number {
    return Math.floor((this.nextUint32() / 4294967296) * n)
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}
