/**
 * A seeded split of a dataset into training and test rows.
 *
 * @since 0.3.0
 */
import { permutation } from '../data/shuffle.js'
import { mulberry32 } from '../tensor/random.js'
import { internal, type Tensor } from '../tensor/Tensor.js'
import { showValue } from '../util/show.js'
import type { Dataset } from './data.js'

/** The rows `idx` of a dataset, in that order. */
export const rowsOf = (data: Dataset, idx: ArrayLike<number>): Dataset => {
  const k = data.x.shape[1]!
  const x = internal.data(data.x)
  const y = internal.data(data.y)
  // Fresh buffers filled here and handed to the new tensors.
  const xs = new Float64Array(idx.length * k)
  const ys = new Float64Array(idx.length)
  for (let i = 0; i < idx.length; i++) {
    xs.set(x.subarray(idx[i]! * k, (idx[i]! + 1) * k), i * k)
    ys[i] = y[idx[i]!]!
  }
  return { x: internal.make(xs, [idx.length, k]) as Tensor, y: internal.make(ys, [idx.length]) }
}

/**
 * The two parts of a split dataset.
 *
 * @category model
 * @since 0.3.0
 */
export interface Split {
  /** The training rows, in data order. */
  readonly train: Dataset
  /** The test rows, in data order; absent for a fraction of 0. */
  readonly test?: Dataset
}

/**
 * Splits a dataset: round(fraction·n) rows, drawn by a seeded Fisher–Yates shuffle
 * (mulberry32), form the test part; the rest the training part; each part keeps the
 * data's row order. A fraction of 0 gives no test part. Throws for a fraction outside
 * [0, 1) or one that would leave no training row.
 *
 * @example
 * import { lr, Tensor } from 'ad-ts'
 * const { train, test } = lr.splitData(lr.gen2dData({ n: 10, seed: 1 }), { testFraction: 0.3, seed: 2 })
 * Tensor.shape(train.x) // => [7, 3]
 * Tensor.shape(test!.x) // => [3, 3]
 *
 * @category utils
 * @since 0.3.0
 */
export const splitData = (
  data: Dataset,
  options: { readonly testFraction: number; readonly seed: number },
): Split => {
  const n = data.y.shape[0]!
  const f = options.testFraction
  if (!(f >= 0 && f < 1))
    throw new Error(`splitData: testFraction must be in [0, 1), got ${showValue(f)}`)
  const nTest = Math.round(f * n)
  if (nTest === 0) return { train: data }
  if (nTest >= n)
    throw new Error(`splitData: a test fraction of ${f} of ${n} rows leaves no training row`)
  const idx = permutation(n, mulberry32(options.seed))
  const test = idx.subarray(0, nTest).sort()
  const train = idx.subarray(nTest).sort()
  return { train: rowsOf(data, train), test: rowsOf(data, test) }
}
