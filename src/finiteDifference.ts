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
 * import { defaultStep } from 'ad-ts'
 * defaultStep([0.5]) // => 0.0001
 * defaultStep([-300, 2]) // ≈ 0.03
 *
 * @category utils
 * @since 0.1.0
 */
export const defaultStep = (xs: ReadonlyArray<number>): number =>
  1e-4 * Math.max(1, ...xs.map((x) => (Number.isFinite(x) ? Math.abs(x) : 0)))

/**
 * The central-difference derivative of `f: ℝ → ℝ` at `x`.
 *
 * @example
 * import { centralDifference } from 'ad-ts'
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
 * import { directionalDifference } from 'ad-ts'
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
  const norm = Math.max(0, ...vs.map(Math.abs))
  if (norm === 0) return f(xs).map(() => 0)
  const plus = f(xs.map((x, i) => x + h * (vs[i]! / norm)))
  const minus = f(xs.map((x, i) => x - h * (vs[i]! / norm)))
  return plus.map((p, i) => ((p - minus[i]!) / (2 * h)) * norm)
}
