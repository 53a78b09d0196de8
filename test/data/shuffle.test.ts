import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { shuffle } from '../../src/index.js'

const seed = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })

describe('shuffle', () => {
  fcTest.prop([seed, fc.integer({ min: 0, max: 200 })])(
    'is a permutation of 0 … n − 1, the same one for the same seed',
    (s, n) => {
      const p = shuffle(s)(n)
      expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i))
      expect(shuffle(s)(n)).toEqual(p)
    },
  )

  test('different seeds give different orders', () => {
    const orders = new Set([1, 2, 3, 4, 5].map((s) => shuffle(s)(20).join(',')))
    expect(orders.size).toBe(5)
  })

  test('every position is reached about equally often (Fisher–Yates, not a biased sort)', () => {
    const counts = Array.from({ length: 4 }, () => [0, 0, 0, 0])
    for (let s = 0; s < 4000; s++) shuffle(s)(4).forEach((v, i) => counts[i]![v]!++)
    for (const row of counts) for (const c of row) expect(Math.abs(c - 1000)).toBeLessThan(120)
  })

  test('a seed that is not an integer, or a length that is not a count, throws naming it', () => {
    expect(() => shuffle(1.5)(3)).toThrow('shuffle: seed is 1.5; expected an integer')
    expect(() => shuffle(1)(-1)).toThrow('shuffle: n is -1; expected a non-negative integer')
    expect(() => shuffle(1)(NaN)).toThrow('shuffle: n is NaN; expected a non-negative integer')
  })
})
