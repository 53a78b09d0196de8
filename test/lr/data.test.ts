import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { lr, Tensor } from '../../src/index.js'

const seed = fc.integer({ min: -1e9, max: 1e9 })
const n = fc.integer({ min: 1, max: 300 })

describe('lr.gen2dData', () => {
  fcTest.prop([n, seed])('the same seed gives bit-identical data', (k, s) => {
    const a = lr.gen2dData({ n: k, seed: s })
    const b = lr.gen2dData({ n: k, seed: s })
    expect(Tensor.toFlat(a.x)).toEqual(Tensor.toFlat(b.x))
    expect(Tensor.toFlat(a.y)).toEqual(Tensor.toFlat(b.y))
  })

  fcTest.prop([seed, seed])('different seeds give different data', (s, t) => {
    fc.pre(s !== t)
    expect(Tensor.toFlat(lr.gen2dData({ n: 20, seed: s }).x)).not.toEqual(
      Tensor.toFlat(lr.gen2dData({ n: 20, seed: t }).x),
    )
  })

  fcTest.prop([n, seed])(
    'x is [n, 3] with bias 1 first and points in the unit square; y is 0 exactly where x1 + x2 < 1',
    (k, s) => {
      const { x, y } = lr.gen2dData({ n: k, seed: s })
      expect(Tensor.shape(x)).toEqual([k, 3])
      expect(Tensor.shape(y)).toEqual([k])
      const rows = Tensor.toArray(x) as number[][]
      const labels = Tensor.toArray(y) as number[]
      rows.forEach(([bias, x1, x2], i) => {
        expect(bias).toBe(1)
        for (const v of [x1!, x2!]) expect(v >= 0 && v < 1).toBe(true)
        expect(labels[i]).toBe(x1! + x2! < 1 ? 0 : 1)
      })
    },
  )

  test('roughly half the points of a large sample fall in each class', () => {
    const labels = Tensor.toFlat(lr.gen2dData({ n: 20_000, seed: 9 }).y)
    const ones = labels.reduce((a, b) => a + b, 0) / labels.length
    expect(Math.abs(ones - 0.5)).toBeLessThan(0.02)
  })

  test.each([
    [{ n: 0, seed: 1 }, 'gen2dData: n must be an integer from 1 to 100000000, got 0'],
    [{ n: 2.5, seed: 1 }, 'gen2dData: n must be an integer from 1 to 100000000, got 2.5'],
    [
      { n: 1e12, seed: 1 },
      'gen2dData: n must be an integer from 1 to 100000000, got 1000000000000',
    ],
    [{ n: 10, seed: NaN }, 'gen2dData: seed must be an integer, got NaN'],
  ])('refuses %o with a message naming the parameter', (args, message) => {
    expect(() => lr.gen2dData(args)).toThrow(message)
  })
})
