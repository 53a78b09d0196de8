/**
 * Limited-memory BFGS (Nocedal 1980; Liu and Nocedal 1989): the two-loop recursion
 * over the last m curvature pairs, with a strong Wolfe line search.
 *
 * @since 0.3.0
 */
import { showValue } from '../util/show.js'
import { wolfeLineSearch, type LinePoint } from './lineSearch.js'
import {
  axpy,
  dotFlat,
  iterateAt,
  stopOptions,
  type FlatIterate,
  type FlatObjective,
  type Minimizer,
  type StopOptions,
} from './Minimizer.js'

/**
 * Options of `lbfgs`.
 *
 * @category model
 * @since 0.3.0
 */
export interface LbfgsOptions extends StopOptions {
  /** Curvature pairs kept (default 10). */
  readonly memory?: number
}

/**
 * One curvature pair of `lbfgs`.
 *
 * @category model
 * @since 0.3.0
 */
export interface Pair {
  /** s = x₊ − x, the step. */
  readonly s: Float64Array
  /** y = g₊ − g, the change of the gradient. */
  readonly y: Float64Array
  /** ρ = 1/(yᵀs). */
  readonly rho: number
}

/**
 * The state of `lbfgs`: the current iterate and the pairs kept, oldest first.
 *
 * @category model
 * @since 0.3.0
 */
export interface LbfgsState {
  /** The current iterate. */
  readonly iterate: FlatIterate
  /** The curvature pairs kept, oldest first. */
  readonly pairs: ReadonlyArray<Pair>
}

/** −H·g by the two-loop recursion, H₀ = γ·I with γ = sᵀy/yᵀy of the newest pair. */
const direction = (g: Float64Array, pairs: ReadonlyArray<Pair>): Float64Array => {
  // A fresh vector, worked on here and returned.
  const q = Float64Array.from(g)
  const alpha = new Float64Array(pairs.length)
  for (let i = pairs.length - 1; i >= 0; i--) {
    const { s, y, rho } = pairs[i]!
    alpha[i] = rho * dotFlat(s, q)
    for (let j = 0; j < q.length; j++) q[j] = q[j]! - alpha[i]! * y[j]!
  }
  const newest = pairs[pairs.length - 1]
  const gamma = newest === undefined ? 1 : dotFlat(newest.s, newest.y) / dotFlat(newest.y, newest.y)
  for (let j = 0; j < q.length; j++) q[j] = q[j]! * gamma
  for (let i = 0; i < pairs.length; i++) {
    const { s, y, rho } = pairs[i]!
    const beta = rho * dotFlat(y, q)
    for (let j = 0; j < q.length; j++) q[j] = q[j]! + (alpha[i]! - beta) * s[j]!
  }
  for (let j = 0; j < q.length; j++) q[j] = -q[j]!
  return q
}

type Found = LinePoint<{ readonly x: Float64Array; readonly g: Float64Array }>

/** A Wolfe step along d from the iterate, or undefined. */
const search = (objective: FlatObjective, it: FlatIterate, d: Float64Array, initial: number) => {
  const at = (step: number): Found => {
    const x = axpy(it.x, step, d)
    const [value, g] = objective.valueAndGrad(x)
    return { step, value, slope: dotFlat(g, d), payload: { x, g } }
  }
  const start: Found = {
    step: 0,
    value: it.value,
    slope: dotFlat(it.gradient, d),
    payload: { x: it.x, g: it.gradient },
  }
  return wolfeLineSearch(at, start, { initial })
}

/**
 * L-BFGS: the quasi-Newton direction from the last `memory` pairs (s, y) by the two-loop
 * recursion (Nocedal and Wright, Algorithm 7.4), a step satisfying the strong Wolfe
 * conditions (c₁ = 1e-4, c₂ = 0.9), and a pair kept only when yᵀs > 0. Where no step
 * is found along that direction, it forgets the pairs and tries steepest descent once
 * before stopping with `'lineSearchFailed'`. Stops at a gradient 2-norm ≤ `tolerance`
 * (default 1e-8) or after `maxIterations` (default 1000). Throws for a memory that is
 * not a positive integer.
 *
 * @example
 * import { optim, scalar, type Floating } from 'ad-ts'
 * const rosenbrock = <A>(F: Floating<A>) => ([x, y]: ReadonlyArray<A>) =>
 *   F.add(F.pow(F.sub(F.one, x!), F.fromNumber(2)), F.mul(F.fromNumber(100), F.pow(F.sub(y!, F.mul(x!, x!)), F.fromNumber(2))))
 * const found = optim.minimize(optim.lbfgs())(optim.objective(rosenbrock)(scalar))([-1.2, 1])
 * found.params // ≈ [1, 1]
 *
 * @category constructors
 * @since 0.3.0
 */
export const lbfgs = (options: LbfgsOptions = {}): Minimizer<LbfgsState> => {
  const limits = stopOptions('lbfgs', options)
  const memory = options.memory ?? 10
  if (!Number.isSafeInteger(memory) || memory < 1) {
    throw new Error(`lbfgs: memory must be a positive integer, got ${showValue(memory)}`)
  }
  return {
    name: 'lbfgs',
    start: (objective, x0) => {
      const [value, g] = objective.valueAndGrad(x0)
      return { iterate: iterateAt(limits, 0, x0, value, g), pairs: [] }
    },
    next: (objective, { iterate: it, pairs }) => {
      const failed = { iterate: { ...it, stop: 'lineSearchFailed' as const }, pairs }
      let found: Found | undefined
      let kept = pairs
      if (pairs.length > 0) found = search(objective, it, direction(it.gradient, pairs), 1)
      if (found === undefined) {
        // No history yet, or its direction failed: steepest descent, first step of length 1.
        kept = []
        found = search(
          objective,
          it,
          direction(it.gradient, []),
          1 / Math.max(it.gradientNorm, 1e-300),
        )
      }
      if (found === undefined) return failed
      const { x, g } = found.payload
      // A step too small to move any coordinate is no step: stop rather than count it.
      if (x.every((v, i) => v === it.x[i])) return failed
      const s = axpy(x, -1, it.x)
      const y = axpy(g, -1, it.gradient)
      const sy = dotFlat(s, y)
      const nextPairs =
        sy > 0
          ? [...kept.slice(Math.max(0, kept.length + 1 - memory)), { s, y, rho: 1 / sy }]
          : kept
      return { iterate: iterateAt(limits, it.iteration + 1, x, found.value, g), pairs: nextPairs }
    },
    current: (state) => state.iterate,
  }
}
