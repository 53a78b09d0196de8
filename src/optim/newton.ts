/**
 * Damped Newton's method: the Newton direction from the Hessian (shifted towards the
 * identity until it is positive definite) and a backtracking line search.
 *
 * @since 0.3.0
 */
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
 * The Cholesky factor L (lower, row-major) of the n × n matrix a + shift·I, or
 * undefined when that matrix is not (numerically) positive definite.
 */
export const cholesky = (a: Float64Array, n: number, shift: number): Float64Array | undefined => {
  // A fresh factor filled here and returned.
  const l = new Float64Array(n * n)
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]! + shift
    for (let k = 0; k < j; k++) d -= l[j * n + k]! ** 2
    if (!(d > 0)) return undefined
    const ljj = Math.sqrt(d)
    l[j * n + j] = ljj
    for (let i = j + 1; i < n; i++) {
      let s = (a[i * n + j]! + a[j * n + i]!) / 2
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!
      l[i * n + j] = s / ljj
    }
  }
  return l
}

/** Solves L·Lᵀ·x = b. */
export const choleskySolve = (l: Float64Array, n: number, b: Float64Array): Float64Array => {
  // A fresh vector, solved in place here and returned.
  const x = Float64Array.from(b)
  for (let i = 0; i < n; i++) {
    let s = x[i]!
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * x[k]!
    x[i] = s / l[i * n + i]!
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!
    x[i] = s / l[i * n + i]!
  }
  return x
}

/**
 * The Newton direction −(H + μI)⁻¹g with the least μ in 0, then 1e-10·s, growing
 * tenfold (s the largest |Hᵢᵢ|, at least 1), for which H + μI is positive definite
 * (Nocedal and Wright, Algorithm 3.3, "Cholesky with added multiple of the identity").
 */
const newtonDirection = (h: Float64Array, g: Float64Array): Float64Array | undefined => {
  const n = g.length
  let scale = 1
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(h[i * n + i]!))
  for (let shift = 0, tries = 0; tries < 40; tries++) {
    const l = cholesky(h, n, shift)
    if (l !== undefined) {
      const d = choleskySolve(l, n, g)
      for (let i = 0; i < n; i++) d[i] = -d[i]!
      return d
    }
    shift = shift === 0 ? 1e-10 * scale : shift * 10
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
 * Math.abs(found.params[0]!) < 1e-8 // => true
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
      const d = newtonDirection(hessianOf(objective)(it.x), it.gradient)
      if (d === undefined) return failed
      const slope = dotFlat(it.gradient, d)
      if (!(slope < 0)) return failed
      for (let t = 1, halvings = 0; halvings < 60; t /= 2, halvings++) {
        const x = axpy(it.x, t, d)
        const [value, g] = objective.valueAndGrad(x)
        // Armijo, or where the decrease is below the rounding of f, the approximate form
        // of Hager and Zhang that wolfeLineSearch also takes (see there).
        const armijo = value <= it.value + 1e-4 * t * slope
        const approximate =
          value <= it.value + 1e-10 * Math.abs(it.value) && dotFlat(g, d) <= (2e-4 - 1) * slope
        if (Number.isFinite(value) && (armijo || approximate)) {
          // A step too small to move any coordinate is no step: stop rather than count it.
          if (x.every((v, i) => v === it.x[i])) return failed
          return iterateAt(limits, it.iteration + 1, x, value, g)
        }
      }
      return failed
    },
    current: (state) => state,
  }
}
