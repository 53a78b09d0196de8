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
  const fit = scalerFit(data.x.shape[1]! - 1)
  for (const pass of fit.passes) if (pass.needed()) pass.visit(data)
  return fit.scaler()
}

/**
 * One pass of a scaler fit: `needed()` is asked once before the pass (false: skip it),
 * then `visit` sees every chunk of rows in order.
 *
 * @category model
 * @since 0.4.0
 */
export interface ScalerPass {
  /** Asked once before the pass: whether it must run. */
  readonly needed: () => boolean
  /** Sees the next chunk of rows. */
  readonly visit: (data: Dataset) => void
}

/**
 * A scaler being fitted: its passes, and the scaler once they have run.
 *
 * @category model
 * @since 0.4.0
 */
export interface ScalerFit {
  /** The passes over the rows, in order. */
  readonly passes: ReadonlyArray<ScalerPass>
  /** The scaler of the rows seen. */
  readonly scaler: () => Scaler
}

/**
 * A scaler fitted over chunks of rows: feed every chunk, in order, to each pass in turn
 * (skipping a pass whose `needed()` is false), then read `scaler()`. The sums run in row
 * order, so chunks of any size give the scaler of the rows held whole, bit for bit. Its
 * accumulators belong to this one fit.
 *
 * @example
 * import { lr, Tensor } from 'ad-ts'
 * const fit = lr.scalerFit(1)
 * const chunks = [[[1, 1], [1, 3]], [[1, 5]]].map((x) => ({ x: Tensor.fromArray(x), y: Tensor.fromArray(x.map(() => 0)) }))
 * for (const pass of fit.passes) if (pass.needed()) for (const c of chunks) pass.visit(c)
 * fit.scaler().mean // => [3]
 *
 * @category constructors
 * @since 0.4.0
 */
export const scalerFit = (d: number): ScalerFit => {
  const lo = new Float64Array(d).fill(Infinity)
  const hi = new Float64Array(d).fill(-Infinity)
  const sum = new Float64Array(d)
  const mean = new Float64Array(d)
  const big = new Float64Array(d)
  const ss = new Float64Array(d)
  let n = 0
  const each = (data: Dataset, visit: (v: number, j: number) => void) => {
    const x = internal.data(data.x)
    const k = d + 1
    for (let i = 0; i < x.length; i += k) for (let j = 0; j < d; j++) visit(x[i + j + 1]!, j)
  }
  // Σx/n, or Σ(x/n) where the sum overflows (values near the largest double).
  const means = () => {
    for (let j = 0; j < d; j++) mean[j] = lo[j] === hi[j] ? lo[j]! : sum[j]! / n
  }
  const overflowed = (j: number) => lo[j] !== hi[j] && !Number.isFinite(sum[j]! / n)
  const passes: ReadonlyArray<ScalerPass> = [
    {
      needed: () => true,
      visit: (data) => {
        n += data.y.shape[0]!
        each(data, (v, j) => {
          lo[j] = Math.min(lo[j]!, v)
          hi[j] = Math.max(hi[j]!, v)
          sum[j]! += v
        })
      },
    },
    {
      needed: () => {
        means()
        const any = mean.some((_, j) => overflowed(j))
        for (let j = 0; j < d; j++) if (overflowed(j)) mean[j] = 0
        return any
      },
      visit: (data) => each(data, (v, j) => void (overflowed(j) && (mean[j]! += v / n))),
    },
    // The deviations scaled by the largest one before squaring (two passes, the mean
    // first): neither overflow at 1e200 nor underflow at 1e-200, no cancellation.
    {
      needed: () => true,
      visit: (data) =>
        each(data, (v, j) => void (big[j] = Math.max(big[j]!, Math.abs(v - mean[j]!)))),
    },
    {
      needed: () => true,
      visit: (data) => each(data, (v, j) => void (ss[j]! += ((v - mean[j]!) / big[j]!) ** 2)),
    },
  ]
  return {
    passes,
    scaler: (): Scaler => ({
      mean: Array.from(mean),
      scale: Array.from(mean, (_, j) => {
        if (lo[j] === hi[j]) return 1
        const sd = big[j]! * Math.sqrt(ss[j]! / n)
        return sd > 0 && Number.isFinite(sd) ? sd : 1
      }),
    }),
  }
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
