/**
 * The logistic-regression models and their objective. Binary: h = sigmoid(w·x), weights
 * `[d + 1]`, predicting 1 where h ≥ 0.5 (that is, where w·x ≥ 0). Multinomial: class
 * probabilities softmax(x·W), weights `[d + 1][k]`, predicting the class of the largest
 * score (the first of equal ones). The loss is the mean negative log-likelihood, in the
 * stable forms softplus(z) − y·z and logsumexp(z) − z_y (finite for every finite score),
 * plus (λ/2)·‖w‖² over every weight but the bias row.
 *
 * @since 0.1.0
 */
import { tensor } from '../backend/tensor.js'
import type { Floating } from '../Floating.js'
import { matmul } from '../tensor/products.js'
import { softplus, stableSoftplus } from '../ops/opTable.js'
import { fromArray, internal, type Tensor } from '../tensor/Tensor.js'
import type { Tensorial } from '../Tensorial.js'
import { classCount, type Dataset } from './data.js'

/**
 * Weights: `[d + 1]` for the binary model, `[d + 1][k]` (row j for feature j, the bias
 * row first; column c for class c) for the multinomial one.
 *
 * @category model
 * @since 0.3.0
 */
export type Weights = ReadonlyArray<number> | ReadonlyArray<ReadonlyArray<number>>

/**
 * Whether weights are those of the multinomial model (a matrix).
 *
 * @example
 * import { lr } from 'ad-ts'
 * lr.isMultinomial([[1, 0], [0, 1]]) // => true
 * lr.isMultinomial([1, 0]) // => false
 *
 * @category utils
 * @since 0.3.0
 */
export const isMultinomial = (w: Weights): w is ReadonlyArray<ReadonlyArray<number>> =>
  Array.isArray(w[0])

/** Weights as a tensor: `[d + 1]` or `[d + 1, k]`. */
export const weightTensor = (w: Weights): Tensor =>
  isMultinomial(w) ? fromArray(w.map((row) => [...row])) : fromArray(w as number[])

/** Weights from a tensor of shape `[d + 1]` or `[d + 1, k]`. */
export const weightsOf = (t: Tensor): Weights => {
  const d = internal.data(t)
  const [rows, k] = t.shape
  if (k === undefined) return Array.from(d)
  return Array.from({ length: rows! }, (_, j) => Array.from(d.subarray(j * k, (j + 1) * k)))
}

/**
 * The negative log-likelihood of one sample (features `xs`, bias first; label `y`) plus
 * (λ/2)·Σⱼ₌₁ wⱼ², as a function of the weights, for any instance. With `classes` = k > 2
 * (or k = 2 and `multinomial`), `w` holds the `[d + 1][k]` weights row-major and the
 * loss is logsumexp(z) − z_y with z_c = Σⱼ wⱼ꜀·xⱼ; otherwise it is softplus(z) − y·z with
 * z = w·x, whose gradient is (sigmoid(w·x) − y)·x.
 *
 * @example
 * import { grad, lr, scalar } from 'ad-ts'
 * grad(lr.sampleLoss([1, 2], 1))(scalar)([0, 0]) // => [-0.5, -1]
 *
 * @category model
 * @since 0.1.0
 */
export const sampleLoss =
  (
    xs: ArrayLike<number>,
    y: number,
    options: { readonly l2?: number; readonly classes?: number } = {},
  ) =>
  <A>(F: Floating<A>) =>
  (w: ReadonlyArray<A>): A => {
    const k = options.classes ?? 1
    const d1 = xs.length
    const score = (c: number) => {
      let z = F.mul(w[c]!, F.fromNumber(xs[0]!))
      for (let j = 1; j < d1; j++) z = F.add(z, F.mul(w[j * k + c]!, F.fromNumber(xs[j]!)))
      return z
    }
    let nll: A
    if (k === 1) {
      const z = score(0)
      nll = y === 0 ? softplus(F)(z) : F.sub(softplus(F)(z), z)
    } else {
      const zs = Array.from({ length: k }, (_, c) => score(c))
      // logsumexp with the largest score taken out (a constant shift: the value is exact).
      const shift = F.fromNumber(Math.max(...zs.map((z) => F.toNumber(z))))
      let total = F.exp(F.sub(zs[0]!, shift))
      for (let c = 1; c < k; c++) total = F.add(total, F.exp(F.sub(zs[c]!, shift)))
      nll = F.sub(F.add(F.log(total), shift), zs[y]!)
    }
    const l2 = options.l2 ?? 0
    if (l2 === 0) return nll
    let penalty = F.mul(w[k]!, w[k]!)
    for (let i = k + 1; i < w.length; i++) penalty = F.add(penalty, F.mul(w[i]!, w[i]!))
    return F.add(nll, F.mul(F.fromNumber(l2 / 2), penalty))
  }

/** One-hot labels `[n, k]`, built once per dataset and model. */
const oneHot = (y: Float64Array, k: number): Tensor => {
  // A fresh buffer filled here and handed to the tensor.
  const out = new Float64Array(y.length * k)
  for (let i = 0; i < y.length; i++) out[i * k + y[i]!] = 1
  return internal.make(out, [y.length, k])
}

/** 1 for every weight but the bias row, shaped to broadcast against the weights. */
const penaltyMask = (rows: number, multinomial: boolean): Tensor => {
  const m = new Float64Array(rows).fill(1)
  m[0] = 0
  return internal.make(m, multinomial ? [rows, 1] : [rows])
}

/**
 * The training objective as a function of the weight tensor: the mean negative
 * log-likelihood over the dataset plus (λ/2)·‖w‖² with the bias row left out. The
 * weights are `[d + 1]` (binary) or `[d + 1, k]` (multinomial); which one is read from
 * their shape. The constants it needs (one-hot labels, the mask) are built once, when
 * it is given the data.
 *
 * @example
 * import { lr, tensor, Tensor } from 'ad-ts'
 * const data = { x: Tensor.fromArray([[1, 0, 0]]), y: Tensor.fromArray([0]) }
 * Tensor.toArray(lr.objective(data)(tensor)(Tensor.fromArray([0, 0, 0]))) // ≈ Math.LN2
 *
 * @category model
 * @since 0.3.0
 */
export const objective = (
  data: Dataset,
  options: { readonly l2?: number; readonly classes?: number } = {},
) => {
  const rows = data.x.shape[1]!
  const l2 = options.l2 ?? 0
  const k = options.classes ?? classCount(data)
  const hot = oneHot(internal.data(data.y), Math.max(k, 2))
  const masks = { binary: penaltyMask(rows, false), multinomial: penaltyMask(rows, true) }
  return <A>(T: Tensorial<A>) =>
    (w: A): A => {
      const multinomial = T.shape(w).length === 2
      const z = T.matmul(T.constant(data.x), w)
      const nll = multinomial
        ? T.mean(T.sub(T.logsumexp(z, { axis: 1 }), T.sum(T.mul(T.constant(hot), z), { axis: 1 })))
        : T.mean(T.sub(softplus(T)(z), T.mul(T.constant(data.y), z)))
      if (l2 === 0) return nll
      const mask = T.constant(multinomial ? masks.multinomial : masks.binary)
      return T.add(nll, T.mul(T.fromNumber(l2 / 2), T.sum(T.mul(mask, T.mul(w, w)))))
    }
}

/**
 * The mean negative log-likelihood of the binary model over a dataset as a function of
 * the weight tensor (`objective` without a penalty).
 *
 * @example
 * import { lr, tensor, Tensor } from 'ad-ts'
 * const data = { x: Tensor.fromArray([[1, 0, 0]]), y: Tensor.fromArray([0]) }
 * Tensor.toArray(lr.meanLoss(data)(tensor)(Tensor.fromArray([0, 0, 0]))) // ≈ Math.LN2
 *
 * @category model
 * @since 0.1.0
 */
export const meanLoss = (data: Dataset) => objective(data)

/**
 * How well weights fit a dataset.
 *
 * @category model
 * @since 0.1.0
 */
export interface Evaluation {
  /** The mean negative log-likelihood (without any penalty). */
  readonly loss: number
  /** The fraction of rows predicted right, in [0, 1]. */
  readonly accuracy: number
}

/** The scores X·W (`[n]` or `[n, k]` flattened) and their width. */
const scoresOf = (weights: Weights, data: Dataset) => {
  const z = internal.data(matmul(data.x, weightTensor(weights)))
  return { z, k: isMultinomial(weights) ? weights[0]!.length : 1 }
}

/** The predicted class of row i: the largest score (the first of equal ones), or z ≥ 0. */
const classAt = (z: Float64Array, k: number, i: number): number => {
  if (k === 1) return z[i]! >= 0 ? 1 : 0
  let best = 0
  for (let c = 1; c < k; c++) if (z[i * k + c]! > z[i * k + best]!) best = c
  return best
}

/**
 * The mean negative log-likelihood and the accuracy of weights on a dataset, from one
 * product X·W and one pass over its scores (an evaluation, not differentiated).
 *
 * @example
 * import { lr } from 'ad-ts'
 * const data = lr.gen2dData({ n: 50, seed: 1 })
 * lr.evaluate([-1, 1, 1], data).accuracy // => 1
 *
 * @category utils
 * @since 0.1.0
 */
export const evaluate = (weights: Weights, data: Dataset): Evaluation => {
  const { z, k } = scoresOf(weights, data)
  const y = internal.data(data.y)
  let loss = 0
  let right = 0
  for (let i = 0; i < y.length; i++) {
    // softplus(z) − z is softplus(−z): written so, a label 1 at z = +∞ costs 0, not ∞ − ∞.
    if (k === 1) loss += y[i] === 1 ? stableSoftplus(-z[i]!) : stableSoftplus(z[i]!)
    else {
      let m = -Infinity
      for (let c = 0; c < k; c++) m = Math.max(m, z[i * k + c]!)
      let s = 0
      for (let c = 0; c < k; c++) s += Math.exp(z[i * k + c]! - m)
      loss += m + Math.log(s) - z[i * k + y[i]!]!
    }
    if (classAt(z, k, i) === y[i]) right++
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
export const lossOf = (weights: Weights, data: Dataset): number => evaluate(weights, data).loss

/**
 * The model's probabilities for every row: h = sigmoid(w·x) of label 1 (binary), or the
 * row of class probabilities softmax(x·W) (multinomial).
 *
 * @example
 * import { lr, Tensor } from 'ad-ts'
 * const data = { x: Tensor.fromArray([[1, 0, 0]]), y: Tensor.fromArray([1]) }
 * lr.probabilities([0, 0, 0], data) // => [0.5]
 * lr.probabilities([[0, 0], [0, 0], [0, 0]], data) // => [[0.5, 0.5]]
 *
 * @category utils
 * @since 0.1.0
 */
export function probabilities(weights: ReadonlyArray<number>, data: Dataset): ReadonlyArray<number>
export function probabilities(
  weights: ReadonlyArray<ReadonlyArray<number>>,
  data: Dataset,
): ReadonlyArray<ReadonlyArray<number>>
export function probabilities(
  weights: Weights,
  data: Dataset,
): ReadonlyArray<number> | ReadonlyArray<ReadonlyArray<number>>
export function probabilities(
  weights: Weights,
  data: Dataset,
): ReadonlyArray<number> | ReadonlyArray<ReadonlyArray<number>> {
  const z = matmul(data.x, weightTensor(weights))
  if (!isMultinomial(weights)) return Array.from(internal.data(tensor.sigmoid(z)))
  return weightsOf(tensor.softmax(z)) as ReadonlyArray<ReadonlyArray<number>>
}

/**
 * The predicted class of every row: 1 where h ≥ 0.5, else 0 (binary); the class of the
 * largest probability, the first of equal ones (multinomial).
 *
 * @example
 * import { lr, Tensor } from 'ad-ts'
 * const data = { x: Tensor.fromArray([[1, 0.2, 0.3], [1, 0.9, 0.8]]), y: Tensor.fromArray([0, 1]) }
 * lr.predict([-1, 1, 1], data) // => [0, 1]
 *
 * @category utils
 * @since 0.1.0
 */
export const predict = (weights: Weights, data: Dataset): ReadonlyArray<number> => {
  const { z, k } = scoresOf(weights, data)
  return Array.from({ length: data.x.shape[0]! }, (_, i) => classAt(z, k, i))
}

/**
 * The fraction of rows whose predicted class equals their label, in [0, 1].
 *
 * @example
 * import { lr } from 'ad-ts'
 * const data = lr.gen2dData({ n: 50, seed: 1 })
 * lr.accuracy([-1, 1, 1], data) // => 1
 *
 * @category utils
 * @since 0.1.0
 */
export const accuracy = (weights: Weights, data: Dataset): number =>
  evaluate(weights, data).accuracy
