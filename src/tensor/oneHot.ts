/**
 * `oneHot`: integer class labels as rows of a `[n, k]` Tensor, the target of a
 * classifier's cross-entropy.
 *
 * @since 0.5.0
 */
import { showValue } from '../util/show.js'
import { internal, isTensor, showShape, type Tensor } from './Tensor.js'

/**
 * A `[n, k]` Tensor whose row i is 1 at column `labels[i]` and 0 elsewhere, from n integer
 * labels: an array of numbers or a shape-`[n]` Tensor.
 *
 * Throws an `Error` naming the label and its position when a label is not an integer in
 * [0, k), naming `k` when it is not a non-negative integer, and naming the shape when a
 * Tensor of labels is not of rank 1.
 *
 * @example
 * import { oneHot, Tensor } from 'ad-ts'
 * Tensor.toArray(oneHot([2, 0], 3)) // => [[0, 0, 1], [1, 0, 0]]
 * Tensor.shape(oneHot(Tensor.fromArray([1, 1, 0]), 2)) // => [3, 2]
 *
 * @category constructors
 * @since 0.5.0
 */
export const oneHot = (labels: ReadonlyArray<number> | Tensor, k: number): Tensor => {
  if (!Number.isSafeInteger(k) || k < 0) {
    throw new Error(`oneHot: k is ${showValue(k)}; expected a non-negative integer`)
  }
  if (isTensor(labels) && labels.shape.length !== 1) {
    throw new Error(`oneHot: labels of shape ${showShape(labels.shape)}; expected shape [n]`)
  }
  const ys = isTensor(labels) ? internal.data(labels) : labels
  const n = ys.length
  // A fresh buffer, filled here and then owned by the returned tensor.
  const out = new Float64Array(n * k)
  for (let i = 0; i < n; i++) {
    const y = ys[i]!
    if (!Number.isInteger(y) || y < 0 || y >= k) {
      throw new Error(`oneHot: label ${showValue(y)} at index ${i} is not an integer in [0, ${k})`)
    }
    out[i * k + y] = 1
  }
  return internal.make(out, [n, k])
}
