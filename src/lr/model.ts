/**
 * The logistic-regression model: h = sigmoid(w·x), predicting 1 where h ≥ 0.5 (that is,
 * where w·x ≥ 0), and its loss, the negative log-likelihood written in the stable form
 * softplus(z) − y·z (equal to −[y·log h + (1 − y)·log(1 − h)], but finite for every
 * finite z: a confident prediction never takes log(0)).
 *
 * @since 0.1.0
 */
import { tensor } from '../backend/tensor.js'
import type { Floating } from '../Floating.js'
import { matmul } from '../linalg.js'
import { softplus, stableSoftplus } from '../opTable.js'
import { fromArray, internal, type Tensor } from '../Tensor.js'
import type { Tensorial } from '../Tensorial.js'
import type { Dataset } from './data.js'

/**
 * The negative log-likelihood of one sample (features `xs`, label `y`) as a function
 * of the weights, for any instance: its gradient is (sigmoid(w·x) − y)·x.
 *
 * @example
 * import { grad, lr, scalar } from 'ad-ts'
 * grad(lr.sampleLoss([1, 2], 1))(scalar)([0, 0]) // => [-0.5, -1]
 *
 * @category model
 * @since 0.1.0
 */
export const sampleLoss =
  (xs: ArrayLike<number>, y: number) =>
  <A>(F: Floating<A>) =>
  (w: ReadonlyArray<A>): A => {
    let z = F.mul(w[0]!, F.fromNumber(xs[0]!))
    for (let j = 1; j < w.length; j++) z = F.add(z, F.mul(w[j]!, F.fromNumber(xs[j]!)))
    const nll = softplus(F)(z)
    return y === 0 ? nll : F.sub(nll, z)
  }

/**
 * The mean negative log-likelihood over a dataset as a function of the weight tensor.
 *
 * @example
 * import { lr, tensor, Tensor } from 'ad-ts'
 * const data = { x: Tensor.fromArray([[1, 0, 0]]), y: Tensor.fromArray([0]) }
 * Tensor.toArray(lr.meanLoss(data)(tensor)(Tensor.fromArray([0, 0, 0]))) // ≈ Math.LN2
 *
 * @category model
 * @since 0.1.0
 */
export const meanLoss =
  (data: Dataset) =>
  <A>(T: Tensorial<A>) =>
  (w: A): A => {
    const z = T.matmul(T.constant(data.x), w)
    return T.mean(T.sub(softplus(T)(z), T.mul(T.constant(data.y), z)))
  }

/**
 * How well weights fit a dataset.
 *
 * @category model
 * @since 0.1.0
 */
export interface Evaluation {
  /** The mean negative log-likelihood. */
  readonly loss: number
  /** The fraction of rows predicted right, in [0, 1]. */
  readonly accuracy: number
}

/**
 * The mean negative log-likelihood and the accuracy of weights on a dataset, from one
 * product X·w and one pass over its scores (an evaluation, not differentiated).
 *
 * @example
 * import { lr } from 'ad-ts'
 * const data = lr.gen2dData({ n: 50, seed: 1 })
 * lr.evaluate([-1, 1, 1], data).accuracy // => 1
 *
 * @category utils
 * @since 0.1.0
 */
export const evaluate = (weights: ReadonlyArray<number>, data: Dataset): Evaluation => {
  const z = internal.data(matmul(data.x, fromArray(weights as number[])))
  const y = internal.data(data.y)
  let loss = 0
  let right = 0
  for (let i = 0; i < y.length; i++) {
    loss += stableSoftplus(z[i]!) - y[i]! * z[i]!
    // h ≥ 0.5 exactly where z ≥ 0 (sigmoid is monotone and sigmoid(0) = 0.5).
    if ((z[i]! >= 0 ? 1 : 0) === y[i]) right++
  }
  return { loss: loss / y.length, accuracy: right / y.length }
}

/**
 * The mean negative log-likelihood of weights on a dataset, as a number.
 *
 * @example
 * import { lr, Tensor } from 'ad-ts'
 * const data = { x: Tensor.fromArray([[1, 0, 0]]), y: Tensor.fromArray([1]) }
 * lr.lossOf([0, 0, 0], data) // ≈ Math.LN2
 *
 * @category utils
 * @since 0.1.0
 */
export const lossOf = (weights: ReadonlyArray<number>, data: Dataset): number =>
  evaluate(weights, data).loss

/**
 * The probability h = sigmoid(w·x) of label 1 for every row.
 *
 * @example
 * import { lr, Tensor } from 'ad-ts'
 * const data = { x: Tensor.fromArray([[1, 0, 0]]), y: Tensor.fromArray([1]) }
 * lr.probabilities([0, 0, 0], data) // => [0.5]
 *
 * @category utils
 * @since 0.1.0
 */
export const probabilities = (
  weights: ReadonlyArray<number>,
  data: Dataset,
): ReadonlyArray<number> =>
  Array.from(internal.data(tensor.sigmoid(matmul(data.x, fromArray(weights as number[])))))

/**
 * The predicted label of every row: 1 where h ≥ 0.5, else 0.
 *
 * @example
 * import { lr, Tensor } from 'ad-ts'
 * const data = { x: Tensor.fromArray([[1, 0.2, 0.3], [1, 0.9, 0.8]]), y: Tensor.fromArray([0, 1]) }
 * lr.predict([-1, 1, 1], data) // => [0, 1]
 *
 * @category utils
 * @since 0.1.0
 */
export const predict = (weights: ReadonlyArray<number>, data: Dataset): ReadonlyArray<0 | 1> =>
  probabilities(weights, data).map((h) => (h >= 0.5 ? 1 : 0))

/**
 * The fraction of rows whose predicted label equals their label, in [0, 1].
 *
 * @example
 * import { lr } from 'ad-ts'
 * const data = lr.gen2dData({ n: 50, seed: 1 })
 * lr.accuracy([-1, 1, 1], data) // => 1
 *
 * @category utils
 * @since 0.1.0
 */
export const accuracy = (weights: ReadonlyArray<number>, data: Dataset): number =>
  evaluate(weights, data).accuracy

/** Internal: the weight vector as a tensor. */
export const weightTensor = (weights: ReadonlyArray<number>): Tensor =>
  fromArray(weights as number[])
