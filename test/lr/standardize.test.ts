import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { lr, Tensor } from '../../src/index.js'

const dataOf = (column: ReadonlyArray<number>): lr.Dataset => ({
  x: Tensor.fromArray(column.map((v) => [1, v])),
  y: Tensor.fromArray(column.map((_, i) => i % 2)),
})
const zScores = (column: ReadonlyArray<number>) => {
  const data = dataOf(column)
  return (Tensor.toArray(lr.standardize(data, lr.fitScaler(data)).x) as number[][]).map(
    (r) => r[1]!,
  )
}

describe('lr.fitScaler and lr.standardize', () => {
  // Subnormal values are left out: a spread such as [0, 5e-324] has no representable
  // mean, so its z-scores cannot be exact (documented on Scaler).
  const value = fc
    .double({ min: -100, max: 100, noNaN: true })
    .map((v) => (Math.abs(v) < 1e-300 ? 0 : v))
  fcTest.prop([fc.array(value, { minLength: 2, maxLength: 30 })])(
    'the z-scores have mean 0 and population standard deviation 1 (or are all 0 for a constant column)',
    (column) => {
      const z = zScores(column)
      const n = z.length
      const mean = z.reduce((a, b) => a + b, 0) / n
      const sd = Math.sqrt(z.reduce((a, b) => a + (b - mean) ** 2, 0) / n)
      expect(mean).toBeClose(0, { abs: 1e-9 })
      if (z.every((v) => v === 0)) expect(new Set(column).size).toBe(1)
      else expect(sd).toBeClose(1, { rel: 1e-9 })
    },
  )

  test('a constant column gives z-scores of exactly 0 (its mean was 7.000000000000001, every z −1)', () => {
    expect(zScores([7, 7, 7, 7, 7, 7])).toEqual([0, 0, 0, 0, 0, 0])
    expect(lr.fitScaler(dataOf([7, 7, 7]))).toEqual({ mean: [7], scale: [1] })
  })

  test.each([1e200, 1e-200, 1e300])(
    'z-scores do not depend on the scale of a column (at %d the variance overflowed or underflowed)',
    (s) => {
      const column = [1, 2, 3, 4, 7]
      expect(zScores(column.map((v) => v * s))).toBeClose(zScores(column), {
        rel: 1e-12,
        abs: 1e-12,
      })
    },
  )
})
