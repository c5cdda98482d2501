import { studentTQuantile } from './student-t.js'

/** Mean, sample standard deviation and the Student-t confidence interval of the mean. */
export interface MeanCi {
  n: number
  mean: number
  sd: number
  ci: [number, number] | null
}

/**
 * The t interval mean ± t(1 - α/2, n - 1) · s / √n (as `scipy.stats.t.interval(conf, n-1, mean, sem)`).
 * NaN values are ignored; the interval is null below two values.
 */
export function meanCi(values: ArrayLike<number>, confidence = 0.95): MeanCi {
  let n = 0
  let sum = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (!Number.isNaN(v)) {
      n++
      sum += v
    }
  }
  if (n === 0) return { n, mean: NaN, sd: NaN, ci: null }
  const mean = sum / n
  let ss = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (!Number.isNaN(v)) ss += (v - mean) ** 2
  }
  if (n < 2) return { n, mean, sd: NaN, ci: null }
  const sd = Math.sqrt(ss / (n - 1))
  const half = studentTQuantile(1 - (1 - confidence) / 2, n - 1) * (sd / Math.sqrt(n))
  return { n, mean, sd, ci: [mean - half, mean + half] }
}
