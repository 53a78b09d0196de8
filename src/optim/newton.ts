/**
 * Damped Newton's method: the Newton direction from the Hessian (shifted towards the
 * identity until it is positive definite) and a backtracking line search.
 *
 * @since 0.3.0
 */
import { tensor } from '../backend/tensor.js'
import { Tensor } from '../tensor/Tensor.js'
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
 * Options of `newton`.
 *
 * @category model
 * @since 0.3.0
 */
export type NewtonOptions = StopOptions

/**
 * Solves (H + μI)·d = −g with the public `cholesky` and `triangularSolve`, or undefined
 * when H + μI is not positive definite (its factor is NaN).
 */
const shiftedSolve = (
  h: Float64Array,
  g: Float64Array,
  shift: number,
): Float64Array | undefined => {
  const n = g.length
  // A fresh copy of H with the shift on its diagonal, filled here.
  const a = Float64Array.from(h)
  for (let i = 0; i < n; i++) a[i * n + i] = a[i * n + i]! + shift
  const l = tensor.cholesky(Tensor.fromArray(a, [n, n]))
  if (Number.isNaN(Tensor.toFlat(l)[0]!)) return undefined
  const rhs = tensor.neg(Tensor.fromArray(g, [n, 1]))
  const y = tensor.triangularSolve(l, rhs)
  const d = Tensor.toFlat(tensor.triangularSolve(l, y, { transposeA: true }))
  return d.every(Number.isFinite) ? d : undefined
}

/**
 * The Newton direction −(H + μI)⁻¹g with the least μ of the sequence of Nocedal and
 * Wright's Algorithm 3.3 ("Cholesky with added multiple of the identity") for which
 * H + μI is positive definite: μ = 0 when every Hᵢᵢ > 0, else −min Hᵢᵢ + β, doubling
 * (at least β) after each failure, with β = 1e-3·max(1, max |Hᵢᵢ|), so that the shifted
 * matrix is never singular by cancellation.
 */
const newtonDirection = (h: Float64Array, g: Float64Array): Float64Array | undefined => {
  const n = g.length
  let least = Infinity
  let scale = 1
  for (let i = 0; i < n; i++) {
    least = Math.min(least, h[i * n + i]!)
    scale = Math.max(scale, Math.abs(h[i * n + i]!))
  }
  const beta = 1e-3 * scale
  for (let shift = least > 0 ? 0 : beta - least, tries = 0; tries < 60; tries++) {
    const d = shiftedSolve(h, g, shift)
    if (d !== undefined) return d
    shift = Math.max(2 * shift, beta)
  }
  return undefined
}

/**
 * d shortened to at most 10·max(1, ‖x‖): where the Hessian is tiny (a flat tail, e^−10x
 * at x = 5 has curvature 1.9e−20) the Newton step is 1e19 long and no number of
 * halvings brings it back; capped, the halvings find a decrease.
 */
const capped = (d: Float64Array, x: Float64Array): Float64Array => {
  const norm = Math.sqrt(dotFlat(d, d))
  const limit = 10 * Math.max(1, Math.sqrt(dotFlat(x, x)))
  return norm <= limit ? d : d.map((v) => (v * limit) / norm)
}

/**
 * The first of the steps t·d, t = 1, ½, ¼, … (60 of them) that decreases the objective by
 * at least 1e-4·t·gᵀd (Armijo; within the rounding of f, the approximate form of Hager
 * and Zhang that `wolfeLineSearch` also takes): the point, value and gradient there;
 * undefined when none does or d is not a descent direction, `'noStep'` when the step is
 * too small to move any coordinate.
 */
const backtrack = (
  objective: FlatObjective,
  it: FlatIterate,
  d: Float64Array,
): readonly [Float64Array, number, Float64Array] | 'noStep' | undefined => {
  const slope = dotFlat(it.gradient, d)
  if (!(slope < 0)) return undefined
  for (let t = 1, halvings = 0; halvings < 60; t /= 2, halvings++) {
    const x = axpy(it.x, t, d)
    const [value, g] = objective.valueAndGrad(x)
    const armijo = value <= it.value + 1e-4 * t * slope
    const approximate =
      value <= it.value + 1e-10 * Math.abs(it.value) && dotFlat(g, d) <= (2e-4 - 1) * slope
    if (Number.isFinite(value) && (armijo || approximate)) {
      return x.every((v, i) => v === it.x[i]) ? 'noStep' : [x, value, g]
    }
  }
  return undefined
}

/**
 * Newton's method, damped: the direction solves (H + μI)·d = −g with the smallest
 * shift μ ≥ 0 that makes the Hessian positive definite, and the step is the first of
 * 1, ½, ¼, … that decreases the objective by at least 1e-4·t·gᵀd (Armijo; within the
 * rounding of f, the approximate form of `wolfeLineSearch`). Needs an
 * objective with Hessian-vector products (`optim.objective(f)(F)` gives them; the
 * Hessian costs n of them, so this is for problems of at most a few hundred
 * parameters). Stops at a gradient 2-norm ≤ `tolerance` (default 1e-8), after
 * `maxIterations` (default 1000), or with `'lineSearchFailed'` when no halving
 * decreases the objective. Throws when the objective has no Hessian-vector products.
 *
 * @example
 * import { optim, scalar, type Floating } from 'ad-ts'
 * const f = <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => F.add(F.exp(xs[0]!), F.exp(F.neg(xs[0]!)))
 * const found = optim.minimize(optim.newton())(optim.objective(f)(scalar))([1])
 * found.params[0] // ≈ 0 ± 1e-12
 * found.value // => 2
 * found.reason // => 'converged'
 *
 * @category constructors
 * @since 0.3.0
 */
export const newton = (options: NewtonOptions = {}): Minimizer<FlatIterate> => {
  const limits = stopOptions('newton', options)
  const hessianOf = (objective: FlatObjective) => {
    if (objective.hessian === undefined) {
      throw new Error(
        'newton: the objective has no hessianVectorProduct; build it with optim.objective(f)(F), which gives one by AD',
      )
    }
    return objective.hessian
  }
  return {
    name: 'newton',
    start: (objective, x0) => {
      hessianOf(objective)
      const [value, g] = objective.valueAndGrad(x0)
      return iterateAt(limits, 0, x0, value, g)
    },
    next: (objective, it) => {
      const failed: FlatIterate = { ...it, stop: 'lineSearchFailed' }
      const newtonStep = newtonDirection(hessianOf(objective)(it.x), it.gradient)
      // The Newton direction first; where its line search fails, the steepest descent
      // (both capped), so a tiny or indefinite Hessian slows the method but never stops it.
      const steepest = it.gradient.map((v) => -v)
      for (const raw of newtonStep === undefined ? [steepest] : [newtonStep, steepest]) {
        const next = backtrack(objective, it, capped(raw, it.x))
        if (next === 'noStep') return failed
        if (next !== undefined)
          return iterateAt(limits, it.iteration + 1, next[0], next[1], next[2])
      }
      return failed
    },
    current: (state) => state,
  }
}
