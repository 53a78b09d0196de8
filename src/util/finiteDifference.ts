/**
 * Central finite differences: the independent judge of both modes.
 *
 * `(f(x + h·v) − f(x − h·v)) / 2h` approximates the directional derivative `J·v` with
 * error O(h²·f‴) from truncation plus O(ε·|f|/h) from rounding; the default step
 * `h = 1e-4 · max(1, |x|∞)` balances the two for smooth functions of moderate size.
 *
 * @since 0.1.0
 */

/**
 * The default step for a point: 1e-4 · max(1, largest |xᵢ|).
 *
 * @example
 * import { defaultStep } from 'ad-ts/internal'
 * defaultStep([0.5]) // => 0.0001
 * defaultStep([-300, 2]) // ≈ 0.03
 *
 * @category utils
 * @since 0.1.0
 */
export const defaultStep = (xs: ReadonlyArray<number>): number =>
  1e-4 * xs.reduce((m, x) => (Number.isFinite(x) ? Math.max(m, Math.abs(x)) : m), 1)

/**
 * The central-difference derivative of `f: ℝ → ℝ` at `x`.
 *
 * @example
 * import { centralDifference } from 'ad-ts/internal'
 * centralDifference(Math.sin, 0) // ≈ 1 ± 1e-8
 *
 * @category utils
 * @since 0.1.0
 */
export const centralDifference = (
  f: (x: number) => number,
  x: number,
  h: number = defaultStep([x]),
): number => (f(x + h) - f(x - h)) / (2 * h)

/**
 * The central-difference directional derivative `J·v` of `f: ℝⁿ → ℝᵐ` at `xs`.
 *
 * @example
 * import { directionalDifference } from 'ad-ts/internal'
 * directionalDifference((xs) => [xs[0]! * xs[1]!], [2, 3], [1, 0]) // ≈ [3] ± 1e-8
 *
 * @category utils
 * @since 0.1.0
 */
export const directionalDifference = (
  f: (xs: ReadonlyArray<number>) => ReadonlyArray<number>,
  xs: ReadonlyArray<number>,
  vs: ReadonlyArray<number>,
  h: number = defaultStep(xs),
): ReadonlyArray<number> => {
  // Step along v / |v|∞ and scale back: a tiny v must not shrink the step below rounding.
  const norm = vs.reduce((m, v) => Math.max(m, Math.abs(v)), 0)
  if (norm === 0) return f(xs).map(() => 0)
  const plus = f(xs.map((x, i) => x + h * (vs[i]! / norm)))
  const minus = f(xs.map((x, i) => x - h * (vs[i]! / norm)))
  return plus.map((p, i) => ((p - minus[i]!) / (2 * h)) * norm)
}

/**
 * Three estimates of the directional derivative `J·v`, for a judge that must not
 * blame a correct derivative where the function is not smooth: the central difference
 * D(h), its Richardson extrapolation (4·D(h/2) − D(h)) / 3 (error O(h⁴) where `f` is
 * smooth), and 2·D(h/2) − D(h) (error O(h²) where a higher derivative jumps, as the
 * second derivative of x / (1 + |x|) does at 0, and D(h) itself is only O(h)
 * accurate). A derivative is judged right when it is close to any of them; a wrong
 * rule is off by far more than all three errors. Richardson extrapolation: see
 * Press et al., Numerical Recipes, 3rd ed., §5.7.
 *
 * @example
 * import { differenceEstimates } from 'ad-ts/internal'
 * const softsign = (xs: ReadonlyArray<number>) => [xs[0]! / (1 + Math.abs(xs[0]!))]
 * differenceEstimates(softsign, [0], [1])[2]![0] // ≈ 1 ± 1e-7
 *
 * @category utils
 * @since 0.2.0
 */
export const differenceEstimates = (
  f: (xs: ReadonlyArray<number>) => ReadonlyArray<number>,
  xs: ReadonlyArray<number>,
  vs: ReadonlyArray<number>,
  h: number = defaultStep(xs),
): ReadonlyArray<ReadonlyArray<number>> => {
  const d1 = directionalDifference(f, xs, vs, h)
  const d2 = directionalDifference(f, xs, vs, h / 2)
  return [d1, d1.map((a, i) => (4 * d2[i]! - a) / 3), d1.map((a, i) => 2 * d2[i]! - a)]
}
