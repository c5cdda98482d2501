import { describe, expect, it } from 'vitest'
import { binomialCdf } from '../../../src/stats/binomial.js'
import { erfc, normalCdf, normalQuantile } from '../../../src/stats/normal.js'
import { studentTCdf, studentTQuantile } from '../../../src/stats/student-t.js'

// Reference values from scipy 1.17.1 (scipy.special.erfc, scipy.stats.norm / t / binom).
describe('normal distribution', () => {
  it.each([
    [0.3, 0.6713732405408726],
    [0.49, 0.48833173881147696],
    [1, 0.15729920705028516],
    [2.5, 0.00040695201744495886],
    [4.2, 2.855494179592188e-9],
    [5, 1.5374597944280347e-12],
    [-1, 1.8427007929497148],
  ])('erfc(%f) matches scipy', (x, want) => {
    expect(erfc(x) / want - 1).toBeCloseTo(0, 13)
  })

  it('has the quantiles and CDF scipy gives', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12)
    expect(normalQuantile(0.8)).toBeCloseTo(0.8416212335729143, 12)
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 10)
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 14)
    expect(normalQuantile(0)).toBe(-Infinity)
    expect(normalQuantile(1)).toBe(Infinity)
  })
})

describe('Student t', () => {
  it.each([
    [0.975, 1, 12.706204736174694],
    [0.975, 5, 2.5705818356363146],
    [0.975, 19, 2.0930240544083087],
    [0.8, 19, 0.8609505502689286],
    [0.975, 499, 1.9647293909876886],
    [0.995, 3, 5.840909309733355],
  ])('quantile(%f, df=%i) matches scipy', (p, df, want) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(want, 9)
  })

  it('CDF matches scipy', () => {
    expect(studentTCdf(-2.5, 7)).toBeCloseTo(0.020496109292876444, 12)
  })
})

describe('binomial CDF', () => {
  it('matches scipy, including large n', () => {
    expect(binomialCdf(3, 10, 0.3)).toBeCloseTo(0.6496107184000002, 12)
    expect(binomialCdf(480, 1000, 0.5)).toBeCloseTo(0.10872414660207075, 11)
    expect(binomialCdf(-1, 5, 0.5)).toBe(0)
    expect(binomialCdf(5, 5, 0.5)).toBe(1)
  })
})
