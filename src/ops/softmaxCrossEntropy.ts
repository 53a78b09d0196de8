/**
 * `softmaxCrossEntropy`: the loss of a classifier that outputs logits, the mean over rows
 * of −log softmax(logits)[label], from integer labels or from target rows. Built on the
 * instance's `logSoftmax`, so it is finite at logits of ±1000 and runs on every instance.
 *
 * @since 0.5.0
 */
import type { Tensorial } from '../Tensorial.js'
import { oneHot } from '../tensor/oneHot.js'
import { fromArray, isTensor, showShape, type Tensor } from '../tensor/Tensor.js'

const sameShape = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i])

/** Targets of logits' shape: one-hot rows of integer labels (by `eq`), or the targets given. */
const targetsOf = <A>(
  T: Tensorial<A>,
  shape: ReadonlyArray<number>,
  y: A,
): readonly [A, boolean] => {
  const ys = T.shape(y)
  const k = shape[shape.length - 1]!
  if (sameShape(ys, shape)) return [y, false]
  if (!sameShape(ys, shape.slice(0, -1))) {
    throw new Error(
      `softmaxCrossEntropy: logits of shape ${showShape(shape)} and labels of shape ${showShape(ys)}; expected labels of shape ${showShape(shape.slice(0, -1))} (integers) or ${showShape(shape)} (targets)`,
    )
  }
  const classes = T.constant(fromArray(Array.from({ length: k }, (_, i) => i)))
  return [T.eq(T.expandDims(y, -1), classes), true]
}

/**
 * The mean over rows of −log softmax(logits)[label]: logits `[n, k]` (or `[k]` for one
 * example), labels either n integer labels (an array of numbers, or a shape-`[n]` value
 * of the instance or Tensor) or targets of the logits' shape (one-hot rows, or any rows
 * of probabilities: the loss is then −Σⱼ targetⱼ · log softmaxⱼ, averaged over rows).
 * Shape `[]`. Finite at logits of ±1000 (it uses `logSoftmax`); a logit of −Infinity
 * whose target is 0 contributes 0, not NaN.
 *
 * Derivative with respect to the logits: (softmax(logits) − onehot(labels)) / n; the
 * labels are constants (derivative 0).
 *
 * Errors: an array of labels with one that is not an integer in [0, k) throws an
 * `Error` naming it (as `oneHot`); labels that are values of the instance are not read
 * (they may be traced or batched), so a row whose label is not an integer in [0, k)
 * makes the loss NaN instead. Labels of a shape that fits neither form throw an `Error`
 * naming both shapes.
 *
 * @example
 * import { grad, softmaxCrossEntropy, tensor, Tensor, type Tensorial } from 'ad-ts'
 * const logits = Tensor.fromArray([[0, 0], [1000, -1000]])
 * Tensor.toArray(softmaxCrossEntropy(tensor)(logits, [0, 0])) // ≈ Math.log(2) / 2
 * const g = grad(<A>(T: Tensorial<A>) => (z: A) => softmaxCrossEntropy(T)(z, [1, 0]))
 * Tensor.toArray(g(tensor)(logits)) // ≈ [[0.25, -0.25], [0, 0]]
 *
 * @category combinators
 * @since 0.5.0
 */
export const softmaxCrossEntropy =
  <A>(T: Tensorial<A>) =>
  (logits: A, labels: A | Tensor | ReadonlyArray<number>): A => {
    const shape = T.shape(logits)
    if (shape.length !== 1 && shape.length !== 2) {
      throw new Error(
        `softmaxCrossEntropy: logits of shape ${showShape(shape)}; expected shape [n, k] or [k]`,
      )
    }
    const k = shape[shape.length - 1]!
    if (Array.isArray(labels) && (shape.length !== 2 || labels.length !== shape[0])) {
      throw new Error(
        `softmaxCrossEntropy: logits of shape ${showShape(shape)} and an array of ${labels.length} labels; expected logits of shape [${labels.length}, k]`,
      )
    }
    const y = Array.isArray(labels)
      ? T.constant(oneHot(labels as ReadonlyArray<number>, k))
      : isTensor(labels)
        ? T.constant(labels)
        : (labels as A)
    const [targets, fromIntegers] = targetsOf(T, shape, y)
    const logp = T.logSoftmax(logits, -1)
    // Where a target is 0 its term is 0, even against a log-probability of −Infinity.
    const terms = T.where(targets, T.mul(targets, logp), T.zero)
    const rows = T.neg(T.sum(terms, { axis: -1 }))
    // A row of integer labels with no 1 had a label outside [0, k): its loss is NaN.
    const checked = fromIntegers
      ? T.where(T.sum(targets, { axis: -1 }), rows, T.fromNumber(NaN))
      : rows
    return T.mean(checked)
  }
