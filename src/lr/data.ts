/**
 * The logistic-regression demo's data: n points uniform in the unit square, labelled
 * by which side of x1 + x2 = 1 they fall, with a bias column first.
 *
 * @since 0.1.0
 */
import { mulberry32 } from '../random.js'
import { internal, showShape, type Tensor } from '../Tensor.js'
import { showValue } from '../show.js'

/**
 * A dataset: `x` of shape `[n, k]` (the first column the bias 1), `y` of shape `[n]`
 * holding labels 0 and 1.
 *
 * @category model
 * @since 0.1.0
 */
export interface Dataset {
  /** Features, `[n, k]`, the bias column first. */
  readonly x: Tensor
  /** Labels 0 and 1, `[n]`. */
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
 * Checks that a dataset has the shapes and labels training needs; returns a message
 * naming the problem, or undefined.
 *
 * @example
 * import { lr, Tensor } from 'ad-ts'
 * lr.datasetProblem({ x: Tensor.fromArray([[1, 0.5]]), y: Tensor.fromArray([2]) }) // => 'data.y[0]: expected 0 or 1, got 2'
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
  const labels = internal.data(data.y)
  const bad = labels.findIndex((v) => v !== 0 && v !== 1)
  if (bad >= 0) return `data.y[${bad}]: expected 0 or 1, got ${showValue(labels[bad])}`
  const xs = internal.data(data.x)
  const nonFinite = xs.findIndex((v) => !Number.isFinite(v))
  if (nonFinite >= 0) {
    return `data.x[${Math.floor(nonFinite / k)}][${nonFinite % k}]: expected a finite number, got ${showValue(xs[nonFinite])}`
  }
  return undefined
}

export { mulberry32 }
