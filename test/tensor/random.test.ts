import { describe, expect, test } from 'vitest'
import { normal, Tensor, uniform } from '../../src/index.js'
import { mulberry32 } from '../../src/internal.js'

describe('seeded random tensors', () => {
  test('the same seed gives the same values; another seed, others', () => {
    const a = Tensor.toFlat(uniform([100], { seed: 42 }))
    expect(Tensor.toFlat(uniform([100], { seed: 42 }))).toEqual(a)
    expect(Tensor.toFlat(uniform([100], { seed: 43 }))).not.toEqual(a)
    expect(Tensor.toFlat(normal([3], { seed: 1 }))).toEqual(Tensor.toFlat(normal([3], { seed: 1 })))
  })

  test('mulberry32 gives distinct values in [0, 1) and restarts from its seed', () => {
    const next = mulberry32(1)
    const first = [next(), next(), next()]
    expect(first.every((u) => u >= 0 && u < 1)).toBe(true)
    expect(new Set(first).size).toBe(3)
    expect(mulberry32(1)()).toBe(first[0])
  })

  test('uniform lies in [low, high) with the mean of the interval', () => {
    const u = Array.from(Tensor.toFlat(uniform([100_000], { seed: 7, low: -2, high: 3 })))
    expect(u.every((x) => x >= -2 && x < 3)).toBe(true)
    const mean = u.reduce((s, x) => s + x, 0) / u.length
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.05)
  })

  test('normal has the mean and standard deviation asked for', () => {
    const z = Array.from(Tensor.toFlat(normal([100_001], { seed: 9, mean: 1, std: 2 })))
    const mean = z.reduce((s, x) => s + x, 0) / z.length
    const sd = Math.sqrt(z.reduce((s, x) => s + (x - mean) ** 2, 0) / z.length)
    expect(Math.abs(mean - 1)).toBeLessThan(0.03)
    expect(Math.abs(sd - 2)).toBeLessThan(0.03)
    expect(z.every(Number.isFinite)).toBe(true)
  })

  test('a shape that is not one is refused', () => {
    expect(() => uniform([2, -1], { seed: 1 })).toThrow(
      'uniform: expected a shape of non-negative integers, got [2,-1]',
    )
  })
})
