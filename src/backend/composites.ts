/**
 * The composite methods of `Tensorial`: the reductions, normalisations and reshapes
 * built from its primitives (`sum` over axes, `extremum`, `broadcastTo`, `reshape` and
 * the elementwise ops) and the linear algebra built on its rows, so
 * that every instance (tensors, forward mode, reverse mode, their nestings) gets them
 * from one definition, with the same derivatives to any order:
 *
 * - `max`, `min`: the extreme value, its derivative split equally among ties;
 * - `mean`, `variance` (population, divisor n);
 * - `logsumexp` without overflow; an entry of −Infinity gets gradient 0, no NaN;
 * - `softmax`, `logSoftmax`, finite at inputs of ±1000;
 * - `norm`, the 2-norm scaled so that it neither overflows nor underflows, with
 *   derivative x / ‖x‖ and 0 at x = 0;
 * - `expandDims`, `squeeze`, `stack`;
 * - the linear algebra (`cholesky`, `solve`, …: `linalg/methods.ts`).
 *
 * @since 0.2.0
 */
import {
  normaliseAxis,
  reducedAxes,
  reducedCount,
  reducedShape,
  type ReduceOptions,
} from '../tensor/axes.js'
import { ruleOps } from '../ops/opTable.js'
import { showShape } from '../tensor/Tensor.js'
import type { Tensorial } from '../Tensorial.js'
import { linalgMethods, type LinalgName } from '../linalg/methods.js'

/** The methods an instance provides itself; the rest of `Tensorial` is built on them. */
export type TensorialCore<A> = Omit<Tensorial<A>, Composite>

/** The composite methods: the names this module builds. */
export type Composite =
  | 'mean'
  | 'max'
  | 'min'
  | 'logsumexp'
  | 'variance'
  | 'softmax'
  | 'logSoftmax'
  | 'norm'
  | 'expandDims'
  | 'squeeze'
  | 'stack'
  | LinalgName

/**
 * A full `Tensorial` from its core: the core's own methods, and the built ones. The core
 * may come in parts (`withComposites(floating, structural, { constant, shape, apply })`),
 * joined in order into one new object; the parts are not changed.
 *
 * @example
 * import { tensor, Tensor } from 'ad-ts'
 * Tensor.toArray(tensor.max(Tensor.fromArray([[1, 5], [3, 4]]), { axis: 1 })) // => [5, 4]
 *
 * @category constructors
 * @since 0.2.0
 */
export function withComposites<A, C extends TensorialCore<A> = TensorialCore<A>>(
  core: C,
): C & Pick<Tensorial<A>, Composite>
export function withComposites<A, C extends TensorialCore<A> = TensorialCore<A>>(
  ...parts: ReadonlyArray<Partial<C>>
): C & Pick<Tensorial<A>, Composite>
export function withComposites<A, C extends TensorialCore<A> = TensorialCore<A>>(
  ...parts: ReadonlyArray<Partial<C>>
): C & Pick<Tensorial<A>, Composite> {
  // One new object, filled by Object.assign: the parts, then the composites and the linear
  // algebra, which call its methods when they run. A spread followed by more members
  // builds the object's hidden class anew on every call: reverse mode makes an instance
  // per recording, and one took 130 µs to build that way, 1.2 µs a member.
  const T = Object.assign({}, ...parts) as C
  const kept = (op: string, x: A, options?: ReduceOptions) => {
    const shape = T.shape(x)
    const axes = reducedAxes(op, shape, options)
    return {
      axes,
      keep: { axis: axes, keepDims: true } as const,
      out: (y: A) =>
        options?.keepDims === true ? y : T.reshape(y, reducedShape(shape, axes, false)),
      count: reducedCount(shape, axes),
    }
  }
  // The extreme value as a constant less a term whose value is +0 and whose derivative
  // is minus the mask of the extreme entries over their count: ties share equally, and
  // the second derivative is 0, as it is for a piecewise-linear function. Subtracting +0
  // keeps the sign of a zero extreme (max of [−0] is −0, as extremum gives it); adding
  // +0 would turn −0 into +0.
  const extreme = (which: 'max' | 'min') => (x: A, options?: ReduceOptions) => {
    const r = kept(which, x, options)
    if (r.count === 0) {
      throw new Error(
        `${which}: cannot reduce an empty axis of ${showShape(T.shape(x))}; the ${which} of no elements is undefined`,
      )
    }
    const m = T.extremum(x, which, r.keep)
    // NaN entries make the mask NaN, so a NaN reaches the derivative as it does the value.
    const mask = T.where(T.eq(x, x), T.eq(x, m), T.fromNumber(NaN))
    const count = T.sum(mask, r.keep)
    const slope = T.sum(T.mul(mask, T.unary(ruleOps.negativeSlopeOnly, x)), r.keep)
    return r.out(T.sub(m, T.div(slope, count)))
  }
  const mean = (x: A, options?: ReduceOptions) => {
    const r = kept('mean', x, options)
    return T.div(T.sum(x, options), T.fromNumber(r.count))
  }
  // A shift that leaves finite values finite: an infinite one would make ∞ − ∞.
  // The shift: the largest entry, or 0 where that is −∞ (every entry −∞).
  const shiftOf = (m: A) => T.where(T.eq(m, T.fromNumber(-Infinity)), T.zero, m)
  // x − m and log Σ exp(x − m) for the constant shift m: logSoftmax subtracts them
  // apart, so large logits keep their precision. With an entry of +∞ the shift is +∞ and
  // x − m is 0 at the +∞ entries (shiftBy), so softmax and the gradient of logsumexp take
  // their limit there: [+∞, 0] gives [1, 0], as at [t, 0] for t → ∞.
  const shifted = (x: A, keep: ReduceOptions) => {
    const m = shiftOf(T.extremum(x, 'max', keep))
    const d = T.binary(ruleOps.shiftBy, x, m)
    return { m, d, logSum: T.log(T.sum(T.exp(d), keep)) }
  }
  const logsumexp = (x: A, options?: ReduceOptions) => {
    const r = kept('logsumexp', x, options)
    const { m, logSum } = shifted(x, r.keep)
    return r.out(T.add(logSum, m))
  }
  const logSoftmax = (op: string, x: A, axis: number) => {
    const a = normaliseAxis(op, axis, T.shape(x).length)
    const { d, logSum } = shifted(x, { axis: a, keepDims: true })
    return T.sub(d, logSum)
  }
  const variance = (x: A, options?: ReduceOptions) => {
    const r = kept('variance', x, options)
    const d = T.sub(x, mean(x, r.keep))
    return mean(T.mul(d, d), options)
  }
  const norm = (x: A, options?: ReduceOptions) => {
    const r = kept('norm', x, options)
    // Scaled by the largest |xᵢ| (a constant), kept at least the smallest normal double
    // so that its reciprocal, in the derivative, is finite; 1 where it is 0 or not
    // finite (an empty or infinite x). x + 0 turns −0 into +0, so at x = 0 every
    // partial 2·xᵢ is a strong zero.
    const size = T.abs(x)
    const largest = T.extremum(size, 'max', r.keep)
    const s = T.maximum(largest, T.fromNumber(2.2250738585072014e-308))
    const bad = T.eq(largest, T.fromNumber(Infinity))
    const zero = T.eq(largest, T.zero)
    const scale = T.where(T.maximum(bad, zero), T.one, s)
    const q = T.div(T.add(x, T.zero), scale)
    // At an infinite entry the slope x/‖x‖ is ∞/∞: a term of value +0 carries NaN there
    // (sqrt′(∞) = +0 would otherwise annihilate that path and give 0).
    const infinite = T.eq(size, T.fromNumber(Infinity))
    const undefinedSlope = T.sum(
      T.where(infinite, T.unary(ruleOps.undefinedSlopeOnly, x), T.zero),
      r.keep,
    )
    return r.out(T.add(T.mul(scale, T.sqrt(T.sum(T.mul(q, q), r.keep))), undefinedSlope))
  }
  const expandDims = (x: A, axis: number) => {
    const shape = T.shape(x)
    const a = normaliseAxis('expandDims', axis, shape.length + 1)
    return T.reshape(x, [...shape.slice(0, a), 1, ...shape.slice(a)])
  }
  const squeeze = (x: A, axis?: number | ReadonlyArray<number>) => {
    const shape = T.shape(x)
    const axes =
      axis === undefined
        ? shape.flatMap((d, i) => (d === 1 ? [i] : []))
        : reducedAxes('squeeze', shape, { axis })
    for (const a of axes) {
      if (shape[a] !== 1) {
        throw new Error(
          `squeeze: axis ${a} of ${showShape(shape)} has length ${shape[a]}; only axes of length 1 can be removed`,
        )
      }
    }
    return T.reshape(
      x,
      shape.filter((_, i) => !axes.includes(i)),
    )
  }
  const stack = (xs: ReadonlyArray<A>, axis = 0) => {
    if (xs.length === 0) throw new Error('stack: expected at least one value, got none')
    const shape = T.shape(xs[0]!)
    xs.forEach((x, i) => {
      const s = T.shape(x)
      if (s.length !== shape.length || s.some((d, k) => d !== shape[k])) {
        throw new Error(
          `stack: value ${i} has shape ${showShape(s)}, value 0 has ${showShape(shape)}; expected one shape`,
        )
      }
    })
    const a = normaliseAxis('stack', axis, shape.length + 1)
    return T.concat(
      xs.map((x) => expandDims(x, a)),
      a,
    )
  }
  const built = Object.assign(T, {
    stack,
    mean,
    max: extreme('max'),
    min: extreme('min'),
    logsumexp,
    variance,
    softmax: (x: A, axis = -1) => T.exp(logSoftmax('softmax', x, axis)),
    logSoftmax: (x: A, axis = -1) => logSoftmax('logSoftmax', x, axis),
    norm,
    expandDims,
    squeeze,
  })
  return Object.assign(built, linalgMethods<A>(built as unknown as Omit<Tensorial<A>, LinalgName>))
}
