/**
 * Short spellings for tensors in specs: `t` from nested arrays, `arr` back to them, and
 * `matrixOf` for m×n nested arrays of finite doubles.
 */
import fc from 'fast-check'
import { Tensor, type Nested } from '../../src/index.js'

export const t = (x: Nested): Tensor => Tensor.fromArray(x)
export const arr = (x: Tensor): Nested => Tensor.toArray(x)

/** m×n nested arrays of doubles in [−5, 5]. */
export const matrixOf = (m: number, n: number): fc.Arbitrary<number[][]> =>
  fc.array(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: n, maxLength: n }), {
    minLength: m,
    maxLength: m,
  })
