/**
 * The logistic-regression demo's data: n points uniform in the unit square, labelled
 * by which side of x1 + x2 = 1 they fall, with a bias column first.
 *
 * @since 0.1.0
 */
import { mulberry32 } from '../tensor/random.js'
import { internal, showShape, type Tensor } from '../tensor/Tensor.js'
import { showValue } from '../util/show.js'

/**
 * A dataset: `x` of shape `[n, d + 1]` (the first column the bias 1), `y` of shape
 * `[n]` holding the class labels 0..k−1 (0 and 1 for the binary model).
 *
 * @category model
 * @since 0.1.0
 */
export interface Dataset {
  /** Features, `[n, d + 1]`, the bias column first. */
  readonly x: Tensor
  /** Class labels 0..k−1, `[n]`. */
  readonly y: Tensor
}

/**
 * The largest n `gen2dData` accepts: 10⁸ points take 3.2 GB.
 *
 * @example
 * import { lr } from 'ad-ts'
 * lr.maxPoints // => 100000000
 *
 * @category utils
 * @since 0.1.0
 */
export const maxPoints = 100_000_000

/**
 * n points uniform in the unit square from the mulberry32 PRNG: `x` is `[n, 3]` with
 * rows `[1, x1, x2]`, `y` is 0 where x1 + x2 < 1 and 1 elsewhere. Same seed, same data,
 * on every machine. Throws for an n that is not an integer in [1, 10⁸] or a seed that
 * is not an integer.
 *
 * @example
 * import { lr, Tensor } from 'ad-ts'
 * const { x, y } = lr.gen2dData({ n: 100, seed: 7 })
 * Tensor.shape(x) // => [100, 3]
 * Tensor.shape(y) // => [100]
 *
 * @category constructors
 * @since 0.1.0
 */
export const gen2dData = ({ n, seed }: { readonly n: number; readonly seed: number }): Dataset => {
  if (!Number.isSafeInteger(n) || n < 1 || n > maxPoints) {
    throw new Error(`gen2dData: n must be an integer from 1 to ${maxPoints}, got ${showValue(n)}`)
  }
  if (!Number.isSafeInteger(seed)) {
    throw new Error(`gen2dData: seed must be an integer, got ${showValue(seed)}`)
  }
  const next = mulberry32(seed)
  // Fresh buffers filled here and handed to the tensors: nothing else holds them.
  const x = new Float64Array(3 * n)
  const y = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const x1 = next()
    const x2 = next()
    x[3 * i] = 1
    x[3 * i + 1] = x1
    x[3 * i + 2] = x2
    y[i] = x1 + x2 < 1 ? 0 : 1
  }
  return { x: internal.make(x, [n, 3]), y: internal.make(y, [n]) }
}

/**
 * The number of classes k of a dataset's labels (the largest label + 1).
 *
 * @example
 * import { lr, Tensor } from 'ad-ts'
 * lr.classCount({ x: Tensor.fromArray([[1], [1], [1]]), y: Tensor.fromArray([0, 2, 1]) }) // => 3
 *
 * @category utils
 * @since 0.3.0
 */
export const classCount = (data: Dataset): number => {
  let k = 0
  for (const v of internal.data(data.y)) k = Math.max(k, v + 1)
  return k
}

/**
 * Checks that a dataset has the shapes and labels training needs: `x` of shape
 * `[n, d + 1]`, finite; `y` of shape `[n]` holding the labels 0..k−1, every one of
 * them present, k ≥ 2. Returns a message naming the problem, or undefined.
 *
 * @example
 * import { lr, Tensor } from 'ad-ts'
 * lr.datasetProblem({ x: Tensor.fromArray([[1, 0.5]]), y: Tensor.fromArray([0.5]) }) // => 'data.y[0]: expected a class label 0, 1, 2, …, got 0.5'
 *
 * @category utils
 * @since 0.1.0
 */
export const datasetProblem = (data: Dataset): string | undefined => {
  const [n, k] = data.x.shape
  if (data.x.shape.length !== 2 || n === undefined || k === undefined || n < 1 || k < 1) {
    return `data.x: expected a tensor of shape [n, k] with n, k ≥ 1, got ${showShape(data.x.shape)}`
  }
  if (data.y.shape.length !== 1 || data.y.shape[0] !== n) {
    return `data.y: expected a tensor of shape [${n}] (one label per row of x), got ${showShape(data.y.shape)}`
  }
  const xs = internal.data(data.x)
  const nonFinite = xs.findIndex((v) => !Number.isFinite(v))
  if (nonFinite >= 0) {
    return `data.x[${Math.floor(nonFinite / k)}][${nonFinite % k}]: expected a finite number, got ${showValue(xs[nonFinite])}`
  }
  const labels = internal.data(data.y)
  const bad = labels.findIndex((v) => !Number.isSafeInteger(v) || v < 0)
  if (bad >= 0)
    return `data.y[${bad}]: expected a class label 0, 1, 2, …, got ${showValue(labels[bad])}`
  const classes = classCount(data)
  const seen = new Uint8Array(classes)
  for (const v of labels) seen[v] = 1
  const missing = seen.indexOf(0)
  if (classes < 2)
    return `data.y: expected at least two classes, got only class ${showValue(labels[0])}`
  if (missing >= 0) {
    return `data.y: expected every class 0..${classes - 1} to have a row (labels go up to ${classes - 1}), but class ${missing} has none`
  }
  return undefined
}

export { mulberry32 }
