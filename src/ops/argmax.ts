/**
 * `argmax` and `argmin`: the index of the largest or smallest entry along an axis, as a
 * value of the instance with derivative 0. They are written with the instance's own ops
 * (`extremum`, `eq`, `where`, `stopGradient`) and a constant index vector, never by
 * reading numbers, so the same definition runs on tensors, in forward and reverse mode,
 * under `jit` and under `vmap`.
 *
 * Ties go to the first index, and a NaN along the axis gives the index of the first NaN,
 * as numpy's `argmax` and `argmin` do.
 *
 * @since 0.5.0
 */
import type { Tensorial } from '../Tensorial.js'
import { normaliseAxis } from '../tensor/axes.js'
import { fromArray, showShape } from '../tensor/Tensor.js'

const argExtremum =
  (name: 'argmax' | 'argmin', which: 'max' | 'min') =>
  <A>(T: Tensorial<A>) =>
  (x: A, axis = -1): A => {
    const shape = T.shape(x)
    const a = normaliseAxis(name, axis, shape.length)
    const n = shape[a]!
    if (n === 0) {
      throw new Error(
        `${name}: axis ${axis} of shape ${showShape(shape)} has length 0; expected at least one entry`,
      )
    }
    // 0, 1, …, n − 1 along the axis, shaped [n, 1, …, 1] to broadcast against x.
    const ones = shape.slice(a + 1).map(() => 1)
    const index = T.constant(
      fromArray(
        Array.from({ length: n }, (_, i) => i),
        [n, ...ones],
      ),
    )
    const best = T.extremum(x, which, { axis: a, keepDims: true })
    // An entry equal to the extremum keeps its index, and so does a NaN (a NaN makes the
    // extremum NaN, which nothing equals); every other entry gets n, past every index.
    const isNumber = T.eq(x, x)
    const candidates = T.where(T.eq(x, best), index, T.where(isNumber, T.fromNumber(n), index))
    return T.stopGradient(T.extremum(candidates, 'min', { axis: a }))
  }

/**
 * The index of the largest entry of `x` along `axis` (default the last; negative counts
 * from the end), as a value of the instance with derivative 0: shape of `x` without
 * that axis. Ties give the first index; a NaN along the axis gives the index of the
 * first NaN (numpy's rule). Works on every instance (tensors, both modes, `jit`,
 * `vmap`): it uses the instance's ops, never its numbers.
 *
 * Throws an `Error` for a rank-0 `x`, an axis out of range, or an axis of length 0.
 *
 * @example
 * import { argmax, tensor, Tensor } from 'ad-ts'
 * const x = Tensor.fromArray([[1, 5, 5], [7, 2, 3]])
 * Tensor.toArray(argmax(tensor)(x)) // => [1, 0]
 * Tensor.toArray(argmax(tensor)(x, 0)) // => [1, 0, 0]
 *
 * @category combinators
 * @since 0.5.0
 */
export const argmax = argExtremum('argmax', 'max')

/**
 * The index of the smallest entry of `x` along `axis` (default the last), as `argmax`
 * does for the largest: derivative 0, ties to the first index, a NaN gives the index of
 * the first NaN, the same errors.
 *
 * @example
 * import { argmin, tensor, Tensor } from 'ad-ts'
 * Tensor.toArray(argmin(tensor)(Tensor.fromArray([[4, 1, 1], [0, 2, NaN]]))) // => [1, 2]
 *
 * @category combinators
 * @since 0.5.0
 */
export const argmin = argExtremum('argmin', 'min')
