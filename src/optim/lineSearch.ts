/**
 * A line search satisfying the strong Wolfe conditions (Nocedal and Wright, Numerical
 * Optimization, 2nd ed., Algorithms 3.5 and 3.6, with the safeguarded cubic
 * interpolation of their section 3.5).
 *
 * @since 0.3.0
 */

/**
 * The function along the line at step a: φ(a), φ′(a), and whatever the caller wants
 * back for the accepted step (the point and its gradient).
 *
 * @category model
 * @since 0.3.0
 */
export interface LinePoint<T> {
  /** The step a along the direction. */
  readonly step: number
  /** φ(a), the objective there. */
  readonly value: number
  /** φ′(a), the directional derivative there. */
  readonly slope: number
  /** What the caller keeps for the accepted step. */
  readonly payload: T
}

/**
 * Options of `wolfeLineSearch`.
 *
 * @category model
 * @since 0.3.0
 */
export interface WolfeOptions {
  /** Sufficient decrease: φ(a) ≤ φ(0) + c₁·a·φ′(0) (default 1e-4). */
  readonly c1?: number
  /** Curvature: |φ′(a)| ≤ c₂·|φ′(0)| (default 0.9, as for quasi-Newton methods). */
  readonly c2?: number
  /** The first trial step (default 1). */
  readonly initial?: number
  /** The largest step tried (default 1e10). */
  readonly maxStep?: number
  /** Evaluations allowed before giving up (default 40). */
  readonly maxEvaluations?: number
}

/** The minimiser of the cubic through (a, fa, ga) and (b, fb, gb), safeguarded inside [a, b]. */
const cubicStep = (a: LinePoint<unknown>, b: LinePoint<unknown>): number => {
  const lo = Math.min(a.step, b.step)
  const hi = Math.max(a.step, b.step)
  const d1 = a.slope + b.slope - (3 * (a.value - b.value)) / (a.step - b.step)
  const disc = d1 * d1 - a.slope * b.slope
  let t = NaN
  if (disc >= 0) {
    const d2 = Math.sign(b.step - a.step) * Math.sqrt(disc)
    t = b.step - (b.step - a.step) * ((b.slope + d2 - d1) / (b.slope - a.slope + 2 * d2))
  }
  // Keep the trial well inside the bracket, or bisect when the cubic gives nothing useful.
  const margin = 0.1 * (hi - lo)
  if (!Number.isFinite(t) || t < lo + margin || t > hi - margin) return (lo + hi) / 2
  return t
}

/**
 * A step a > 0 along a descent direction satisfying the strong Wolfe conditions
 * φ(a) ≤ φ(0) + c₁·a·φ′(0) and |φ′(a)| ≤ c₂·|φ′(0)|, with the point found there (where
 * the decrease is below the rounding of φ, the first condition may be met in Hager and
 * Zhang's approximate form: φ(a) ≤ φ(0) + 1e-10·|φ(0)| and φ′(a) ≤ (2c₁ − 1)·φ′(0)).
 * When the evaluations allowed run out first (a function unbounded below, say), the
 * lowest point of sufficient decrease seen, whose curvature condition may not hold; and
 * `undefined` when there is none (a direction that is not one of descent, a function
 * that is not finite there, or rounding that hides any decrease). `phi(a)` evaluates the
 * function along the line.
 *
 * @example
 * import { optim } from 'ad-ts'
 * // φ(a) = (a − 3)², φ′(0) = −6 < 0
 * const phi = (a: number) => ({ step: a, value: (a - 3) ** 2, slope: 2 * (a - 3), payload: a })
 * const found = optim.wolfeLineSearch(phi, phi(0))
 * // The first step tried, a = 1, decreases φ enough and flattens it: |φ′(1)| = 4 ≤ 0.9·6.
 * found // => { step: 1, value: 4, slope: -4, payload: 1 }
 *
 * @category combinators
 * @since 0.3.0
 */
export const wolfeLineSearch = <T>(
  phi: (step: number) => LinePoint<T>,
  start: LinePoint<T>,
  options: WolfeOptions = {},
): LinePoint<T> | undefined => {
  const c1 = options.c1 ?? 1e-4
  const c2 = options.c2 ?? 0.9
  const maxStep = options.maxStep ?? 1e10
  let budget = options.maxEvaluations ?? 40
  if (!(start.slope < 0) || !Number.isFinite(start.value)) return undefined
  // Near a minimum the decrease a step can make falls below the rounding of φ, and the
  // Armijo test fails on noise. There the approximate Wolfe condition of Hager and Zhang
  // (SIAM J. Optim. 16, 2005) stands in: φ within 1e-10·|φ(0)| of φ(0) and the slope's
  // decrease (2c₁ − 1)·φ′(0) ≥ φ′(a), which implies sufficient decrease for a quadratic.
  const noise = 1e-10 * Math.abs(start.value)
  const sufficient = (p: LinePoint<T>) =>
    Number.isFinite(p.value) &&
    (p.value <= start.value + c1 * p.step * start.slope ||
      (p.value <= start.value + noise && p.slope <= (2 * c1 - 1) * start.slope))
  const worse = (p: LinePoint<T>, q: LinePoint<T>) => p.value > q.value + noise
  // The lowest point of sufficient decrease seen: given back when the evaluations run out
  // before the curvature condition is met, rather than nothing.
  let best: LinePoint<T> | undefined
  const evaluate = (step: number): LinePoint<T> => {
    const p = phi(step)
    if (sufficient(p) && (best === undefined || p.value < best.value)) best = p
    return p
  }
  const curvature = (p: LinePoint<T>) => Math.abs(p.slope) <= -c2 * start.slope

  const zoom = (lo: LinePoint<T>, hi: LinePoint<T>): LinePoint<T> | undefined => {
    while (budget-- > 0) {
      const p = evaluate(cubicStep(lo, hi))
      if (!sufficient(p) || worse(p, lo)) hi = p
      else {
        if (curvature(p)) return p
        if (p.slope * (hi.step - lo.step) >= 0) hi = lo
        lo = p
      }
      if (Math.abs(hi.step - lo.step) <= 1e-16 * Math.max(1, lo.step)) break
    }
    return best
  }

  let previous = start
  let step = Math.min(options.initial ?? 1, maxStep)
  for (let i = 0; budget-- > 0; i++) {
    const p = evaluate(step)
    if (!Number.isFinite(p.value)) {
      // Overflowed: come back towards the last good step.
      step = (previous.step + step) / 2
      continue
    }
    if (!sufficient(p) || (i > 0 && worse(p, previous))) return zoom(previous, p)
    if (curvature(p)) return p
    if (p.slope >= 0) return zoom(p, previous)
    previous = p
    if (step >= maxStep) return best
    step = Math.min(2 * step, maxStep)
  }
  return best
}
