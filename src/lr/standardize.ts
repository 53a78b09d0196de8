/**
 * Standardisation of features: z-scores with the training rows' mean and population
 * standard deviation, as scikit-learn's StandardScaler computes them.
 *
 * @since 0.3.0
 */
import { internal } from '../tensor/Tensor.js'
import type { Dataset } from './data.js'

/**
 * The mean and the scale of each feature column (the bias column is not a feature).
 * The scale is the population standard deviation (divisor n), or 1 for a constant
 * column, so that it is left centred rather than divided by 0.
 *
 * @category model
 * @since 0.3.0
 */
export interface Scaler {
  /** The mean of each feature column over the rows fitted. */
  readonly mean: ReadonlyArray<number>
  /** Its population standard deviation, or 1 for a constant column. */
  readonly scale: ReadonlyArray<number>
}

/**
 * The scaler of a dataset's feature columns (every column of x after the bias).
 *
 * @example
 * import { lr, Tensor } from 'ad-ts'
 * const data = { x: Tensor.fromArray([[1, 1, 5], [1, 3, 5]]), y: Tensor.fromArray([0, 1]) }
 * lr.fitScaler(data) // => { mean: [2, 5], scale: [1, 1] }
 *
 * @category constructors
 * @since 0.3.0
 */
export const fitScaler = (data: Dataset): Scaler => {
  const [n, k] = data.x.shape as [number, number]
  const x = internal.data(data.x)
  const mean = new Array<number>(k - 1).fill(0)
  const scale = new Array<number>(k - 1).fill(0)
  for (let i = 0; i < n; i++) for (let j = 1; j < k; j++) mean[j - 1]! += x[i * k + j]! / n
  // Two passes (mean first), not Σx² − n·mean²: no cancellation for columns far from 0.
  for (let i = 0; i < n; i++)
    for (let j = 1; j < k; j++) scale[j - 1]! += (x[i * k + j]! - mean[j - 1]!) ** 2 / n
  return { mean, scale: scale.map((v) => (v > 0 ? Math.sqrt(v) : 1)) }
}

/**
 * The dataset with every feature replaced by (x − mean)/scale; the bias column and the
 * labels unchanged.
 *
 * @example
 * import { lr, Tensor } from 'ad-ts'
 * const data = { x: Tensor.fromArray([[1, 1], [1, 3]]), y: Tensor.fromArray([0, 1]) }
 * Tensor.toArray(lr.standardize(data, lr.fitScaler(data)).x) // => [[1, -1], [1, 1]]
 *
 * @category combinators
 * @since 0.3.0
 */
export const standardize = (data: Dataset, scaler: Scaler): Dataset => {
  const [n, k] = data.x.shape as [number, number]
  const x = internal.data(data.x)
  // A fresh buffer filled here and handed to the new tensor.
  const out = new Float64Array(n * k)
  for (let i = 0; i < n; i++) {
    out[i * k] = x[i * k]!
    for (let j = 1; j < k; j++)
      out[i * k + j] = (x[i * k + j]! - scaler.mean[j - 1]!) / scaler.scale[j - 1]!
  }
  return { x: internal.make(out, [n, k]), y: data.y }
}
