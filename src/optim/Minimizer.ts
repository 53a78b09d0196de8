/**
 * Second-order minimisers (`newton`, `lbfgs`) for small smooth problems: each is a
 * pure step from one iterate to the next, folded until the gradient norm reaches the
 * tolerance, the iterations run out, or no step can be found. They see the parameters
 * as one flat vector (`flatten`), so any tree of numbers and Tensors can be minimised.
 *
 * @since 0.3.0
 */
import { showValue } from '../util/show.js'
import { flatten, unflatten, type Params } from './params.js'
import { lossNumber, type LossAndGrad } from './steps.js'

/**
 * Why a minimiser stopped: `'converged'` (gradient norm ≤ tolerance), `'maxIterations'`,
 * `'lineSearchFailed'` (no step decreased the objective: at a minimum below the
 * tolerance's reach in floating point, or a function that is not smooth there), or
 * `'notFinite'` (the objective or its gradient was NaN or infinite).
 *
 * @category model
 * @since 0.3.0
 */
export type StopReason = 'converged' | 'maxIterations' | 'lineSearchFailed' | 'notFinite'

/**
 * What a minimiser needs: the objective's value and gradient, and for Newton's method
 * Hessian-vector products H(p)·v. `optim.objective(f)(F)` builds both by AD.
 *
 * @category model
 * @since 0.3.0
 */
export interface Objective<P> {
  /** The objective's value (a number or a shape-`[]` Tensor) and gradient at a point. */
  readonly valueAndGrad: LossAndGrad<P>
  /** H(p)·v, shaped like the parameters (Newton's method needs it). */
  readonly hessianVectorProduct?: (params: P, v: P) => P
}

/**
 * An objective on flat vectors, as the minimisers see it.
 *
 * @category model
 * @since 0.3.0
 */
export interface FlatObjective {
  /** The value and the gradient at x. */
  readonly valueAndGrad: (x: Float64Array) => readonly [number, Float64Array]
  /** The Hessian, n × n row-major, if the objective can give it. */
  readonly hessian?: (x: Float64Array) => Float64Array
}

/**
 * An iterate on flat vectors.
 *
 * @category model
 * @since 0.3.0
 */
export interface FlatIterate {
  /** The iteration's number, 0 for the start. */
  readonly iteration: number
  /** The point. */
  readonly x: Float64Array
  /** The objective there. */
  readonly value: number
  /** The gradient there. */
  readonly gradient: Float64Array
  /** The gradient's 2-norm. */
  readonly gradientNorm: number
  /** On the last iterate, why the minimiser stopped. */
  readonly stop?: StopReason
}

/**
 * Options every minimiser takes.
 *
 * @category model
 * @since 0.3.0
 */
export interface StopOptions {
  /** Stop when the gradient's 2-norm is at most this (default 1e-8). */
  readonly tolerance?: number
  /** Stop after this many iterations (default 1000). */
  readonly maxIterations?: number
}

/**
 * A second-order minimiser with internal state `S`: where it starts, its pure step,
 * and the iterate a state stands for.
 *
 * @category model
 * @since 0.3.0
 */
export interface Minimizer<S> {
  /** The method's name. */
  readonly name: string
  // Method syntax on purpose: every minimiser is then a Minimizer<unknown>, so a choice
  // between two of them (`l2 > 0 ? newton() : lbfgs()`) has one type.
  /** The state at the starting point x0. */
  start(objective: FlatObjective, x0: Float64Array): S
  /** The state after one more iteration. */
  next(objective: FlatObjective, state: S): S
  /** The iterate a state stands for. */
  current(state: S): FlatIterate
}

/**
 * An iterate: its number (0 for the starting point), the parameters, the objective's
 * value and gradient there, the gradient's 2-norm, and on the last one why it stopped.
 *
 * @category model
 * @since 0.3.0
 */
export interface Iterate<P> {
  /** The iteration's number, 0 for the start. */
  readonly iteration: number
  /** The parameters. */
  readonly params: P
  /** The objective there. */
  readonly value: number
  /** The gradient there, shaped like the parameters. */
  readonly gradient: P
  /** The gradient's 2-norm. */
  readonly gradientNorm: number
  /** On the last iterate, why the minimiser stopped. */
  readonly stop?: StopReason
}

/**
 * One entry of a minimiser's history.
 *
 * @category model
 * @since 0.3.0
 */
export interface HistoryEntry {
  /** The iteration's number, 0 for the start. */
  readonly iteration: number
  /** The objective there. */
  readonly value: number
  /** The gradient's 2-norm there. */
  readonly gradientNorm: number
}

/**
 * The result of `minimize`.
 *
 * @category model
 * @since 0.3.0
 */
export interface Minimum<P> {
  /** The parameters at the last iterate. */
  readonly params: P
  /** The objective there. */
  readonly value: number
  /** The gradient's 2-norm there. */
  readonly gradientNorm: number
  /** Iterations taken (0 when the start already met the tolerance). */
  readonly iterations: number
  /** Why it stopped. */
  readonly reason: StopReason
  /** Value and gradient norm at every iterate, the start first. */
  readonly history: ReadonlyArray<HistoryEntry>
}

/** The Euclidean norm. */
export const norm2 = (v: ArrayLike<number>): number => {
  let scale = 0
  for (let i = 0; i < v.length; i++) scale = Math.max(scale, Math.abs(v[i]!))
  if (scale === 0 || !Number.isFinite(scale)) return scale
  let s = 0
  for (let i = 0; i < v.length; i++) s += (v[i]! / scale) ** 2
  return scale * Math.sqrt(s)
}

/** Σ aᵢ·bᵢ. */
export const dotFlat = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}

/** x + t·d, fresh. */
export const axpy = (x: Float64Array, t: number, d: Float64Array): Float64Array => {
  // A fresh vector filled here and returned.
  const out = new Float64Array(x.length)
  for (let i = 0; i < x.length; i++) out[i] = x[i]! + t * d[i]!
  return out
}

/** The tolerance and iteration limit with their defaults, checked. */
export const stopOptions = (name: string, options: StopOptions) => {
  const tolerance = options.tolerance ?? 1e-8
  const maxIterations = options.maxIterations ?? 1000
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) {
    throw new Error(`${name}: tolerance must be finite and ≥ 0, got ${showValue(tolerance)}`)
  }
  if (!Number.isSafeInteger(maxIterations) || maxIterations < 0) {
    throw new Error(
      `${name}: maxIterations must be an integer ≥ 0, got ${showValue(maxIterations)}`,
    )
  }
  return { tolerance, maxIterations }
}

/** An iterate at x, stopped if it meets the tolerance, is not finite, or is the last allowed. */
export const iterateAt = (
  limits: { readonly tolerance: number; readonly maxIterations: number },
  iteration: number,
  x: Float64Array,
  value: number,
  gradient: Float64Array,
): FlatIterate => {
  const gradientNorm = norm2(gradient)
  const stop: StopReason | undefined =
    !Number.isFinite(value) || !Number.isFinite(gradientNorm)
      ? 'notFinite'
      : gradientNorm <= limits.tolerance
        ? 'converged'
        : iteration >= limits.maxIterations
          ? 'maxIterations'
          : undefined
  return { iteration, x, value, gradient, gradientNorm, ...(stop === undefined ? {} : { stop }) }
}

/** Internal: the objective on flat vectors, for parameters shaped like `like`. */
export const flatObjective = <P extends Params>(
  objective: Objective<P>,
  like: P,
): FlatObjective => {
  const hvp = objective.hessianVectorProduct
  return {
    valueAndGrad: (x) => {
      const [value, g] = objective.valueAndGrad(unflatten(like, x))
      return [lossNumber('minimize', value), flatten(g)]
    },
    ...(hvp === undefined
      ? {}
      : {
          hessian: (x: Float64Array) => {
            const n = x.length
            const p = unflatten(like, x)
            // Fresh buffers filled here: column j of H is H·eⱼ.
            const h = new Float64Array(n * n)
            const e = new Float64Array(n)
            for (let j = 0; j < n; j++) {
              e.fill(0)
              e[j] = 1
              const col = flatten(hvp(p, unflatten(like, e)))
              for (let i = 0; i < n; i++) h[i * n + j] = col[i]!
            }
            return h
          },
        }),
  }
}

/**
 * The iterates of a minimiser from `params`, computed as the iterable is read: the
 * starting point first (iteration 0), the last one carrying `stop`.
 *
 * @example
 * import { optim, scalar, type Floating } from 'ad-ts'
 * const f = <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => F.mul(F.sub(xs[0]!, F.one), F.sub(xs[0]!, F.one))
 * const all = [...optim.iterates(optim.lbfgs())(optim.objective(f)(scalar))([3])]
 * all[all.length - 1]!.stop // => 'converged'
 *
 * @category combinators
 * @since 0.3.0
 */
export const iterates =
  <S>(method: Minimizer<S>) =>
  <P extends Params>(objective: Objective<P>) =>
  (params: P): Iterable<Iterate<P>> => ({
    *[Symbol.iterator]() {
      const flat = flatObjective(objective, params)
      let state = method.start(flat, flatten(params))
      for (;;) {
        const it = method.current(state)
        yield {
          iteration: it.iteration,
          params: unflatten(params, it.x),
          value: it.value,
          gradient: unflatten(params, it.gradient),
          gradientNorm: it.gradientNorm,
          ...(it.stop === undefined ? {} : { stop: it.stop }),
        }
        if (it.stop !== undefined) return
        state = method.next(flat, state)
      }
    },
  })

/**
 * Minimises from `params` to the end: the parameters at the last iterate, why it
 * stopped, and the value and gradient norm at every iterate.
 *
 * @example
 * import { optim, tensor, Tensor, type Tensorial } from 'ad-ts'
 * const f = <A>(T: Tensorial<A>) => (p: { w: A }) => T.sum(T.mul(T.sub(p.w, T.fromNumber(2)), T.sub(p.w, T.fromNumber(2))))
 * const found = optim.minimize(optim.newton())(optim.objective(f)(tensor))({ w: Tensor.fromArray([0, 5]) })
 * Tensor.toArray(found.params.w) // ≈ [2, 2]
 * found.reason // => 'converged'
 *
 * @category combinators
 * @since 0.3.0
 */
export const minimize =
  <S>(method: Minimizer<S>) =>
  <P extends Params>(objective: Objective<P>) =>
  (params: P): Minimum<P> => {
    const history: HistoryEntry[] = []
    let last: Iterate<P> | undefined
    for (const it of iterates(method)(objective)(params)) {
      // A failed step repeats the iterate it started from: one entry for it.
      if (last === undefined || it.iteration !== last.iteration) {
        history.push({ iteration: it.iteration, value: it.value, gradientNorm: it.gradientNorm })
      }
      last = it
    }
    const end = last!
    return {
      params: end.params,
      value: end.value,
      gradientNorm: end.gradientNorm,
      iterations: end.iteration,
      reason: end.stop!,
      history,
    }
  }
