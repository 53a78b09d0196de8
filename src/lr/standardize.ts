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
 * column (whose mean is then its value, so its z-scores are exactly 0). Columns of any
 * magnitude up to the largest double are standardised alike; a column whose values
 * differ only by subnormal amounts (below 2.2e-308) has no representable mean, and its
 * z-scores are only approximate.
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
  const mean: number[] = []
  const scale: number[] = []
  for (let j = 1; j < k; j++) {
    let lo = Infinity
    let hi = -Infinity
    let sum = 0
    for (let i = 0; i < n; i++) {
      const v = x[i * k + j]!
      lo = Math.min(lo, v)
      hi = Math.max(hi, v)
      sum += v
    }
    // A constant column: its value and scale 1, so its z-scores are exactly 0.
    if (lo === hi) {
      mean.push(lo)
      scale.push(1)
      continue
    }
    // Σx/n, or Σ(x/n) where the sum overflows (values near the largest double).
    let m = sum / n
    if (!Number.isFinite(m)) {
      m = 0
      for (let i = 0; i < n; i++) m += x[i * k + j]! / n
    }
    // The deviations scaled by the largest one before squaring (two passes, the mean
    // first): neither overflow at 1e200 nor underflow at 1e-200, no cancellation.
    let big = 0
    for (let i = 0; i < n; i++) big = Math.max(big, Math.abs(x[i * k + j]! - m))
    let ss = 0
    for (let i = 0; i < n; i++) ss += ((x[i * k + j]! - m) / big) ** 2
    const sd = big * Math.sqrt(ss / n)
    mean.push(m)
    scale.push(sd > 0 && Number.isFinite(sd) ? sd : 1)
  }
  return { mean, scale }
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
