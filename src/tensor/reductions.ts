/**
 * Reductions of a tensor over axes: `sum` and `extremum` (the largest or smallest
 * element), the values only (`Tensorial`'s reductions give them derivatives; `mean` is
 * built from `sum` with the other composites, in `backend/composites.ts`).
 *
 * @since 0.1.0
 */
import { keptShape, reducedAxes, reducedShape, type ReduceOptions } from './axes.js'
import { reduceTo } from './broadcast.js'
import { reshape } from './reshape.js'
import { internal, type Tensor } from './Tensor.js'

/**
 * The sum of all elements, shape `[]`.
 *
 * @example
 * import { Tensor } from 'ad-ts'
 * import { sum } from 'ad-ts/internal'
 * Tensor.toArray(sum(Tensor.fromArray([1, 2, 3]))) // => 6
 *
 * @category combinators
 * @since 0.1.0
 */
export const sum = (t: Tensor, options?: ReduceOptions): Tensor => {
  if (options !== undefined && (options.axis !== undefined || options.keepDims === true)) {
    const axes = reducedAxes('sum', t.shape, options)
    const r = reduceTo(t, keptShape(t.shape, axes), 'sum')
    return reshape(r, reducedShape(t.shape, axes, options.keepDims === true))
  }
  const x = internal.data(t)
  let s = 0
  for (let i = 0; i < x.length; i++) s += x[i]!
  return internal.make(Float64Array.of(s), [])
}

/**
 * The largest (`'max'`) or smallest (`'min'`) element over the given axes; NaN where a
 * group holds NaN. The value only: `Tensorial`'s `max` and `min` give it a derivative.
 *
 * @example
 * import { Tensor } from 'ad-ts'
 * import { extremum } from 'ad-ts/internal'
 * Tensor.toArray(extremum(Tensor.fromArray([[1, 5], [3, 4]]), 'max', { axis: 1 })) // => [5, 4]
 *
 * @category combinators
 * @since 0.2.0
 */
export const extremum = (t: Tensor, which: 'max' | 'min', options?: ReduceOptions): Tensor => {
  const axes = reducedAxes(which, t.shape, options)
  const r = reduceTo(t, keptShape(t.shape, axes), which)
  return reshape(r, reducedShape(t.shape, axes, options?.keepDims === true))
}
