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
import { softplus } from '../opTable.js'
import { fromArray, internal, type Tensor } from '../Tensor.js'
import type { Tensorial } from '../Tensorial.js'
import type { Dataset } from './data.js'

/**
 * The negative log-likelihood of one sample (features `xs`, label `y`) as a function
 * of the weights, for any instance: its gradient is (sigmoid(w·x) − y)·x.
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
 * The mean negative log-likelihood of weights on a dataset, as a number.
 *
 * @category utils
 * @since 0.1.0
 */
export const lossOf = (weights: ReadonlyArray<number>, data: Dataset): number =>
  tensor.toNumber(meanLoss(data)(tensor)(fromArray(weights as number[])))

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
export const accuracy = (weights: ReadonlyArray<number>, data: Dataset): number => {
  const labels = internal.data(data.y)
  const predicted = predict(weights, data)
  let right = 0
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) right++
  return right / labels.length
}

/** Internal: the weight vector as a tensor. */
export const weightTensor = (weights: ReadonlyArray<number>): Tensor =>
  fromArray(weights as number[])
