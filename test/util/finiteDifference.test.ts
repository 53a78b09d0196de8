import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect } from 'vitest'
import { centralDifference, defaultStep, directionalDifference } from '../../src/internal.js'

describe('finite differences', () => {
  fcTest.prop([fc.double({ min: -5, max: 5, noNaN: true })])(
    'the central difference of sin is cos to about h²/6',
    (x) => {
      expect(centralDifference(Math.sin, x)).toBeClose(Math.cos(x), { abs: 1e-7 })
    },
  )

  fcTest.prop([
    fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 2, maxLength: 2 }),
    fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 2, maxLength: 2 }),
  ])(
    'the directional difference of a product is x₂v₁ + x₁v₂, even for tiny directions',
    (xs, vs) => {
      const [fd] = directionalDifference((p) => [p[0]! * p[1]!], xs, vs)
      const exact = xs[1]! * vs[0]! + xs[0]! * vs[1]!
      expect(fd!).toBeClose(exact, {
        rel: 1e-6,
        abs: 1e-9 * (1 + Math.abs(xs[0]!) + Math.abs(xs[1]!)),
      })
    },
  )

  fcTest.prop([fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 4 })])(
    'the default step is 1e-4 · max(1, largest finite |x|)',
    (xs) => {
      const finite = xs.filter(Number.isFinite).map(Math.abs)
      expect(defaultStep(xs)).toBe(1e-4 * Math.max(1, ...finite))
    },
  )
})
