/**
 * Tangent arithmetic: how both modes multiply a tangent (or a cotangent) by a partial
 * derivative, and how they add tangents, so that every mode gives one answer.
 *
 * A derivative is a sum over the paths of the program's graph of the product of the
 * partials along each path. A path with an exact zero factor contributes exactly 0,
 * even when another factor is NaN or ±Infinity (the strong zero): so a NaN in the
 * branch that `where` did not choose, or a NaN partial along a direction that is not
 * being differentiated, never reaches a derivative.
 *
 * Forward mode groups those paths at the points where they join, reverse mode at the
 * points where they fork. The two groupings agree as long as a zero that arises by
 * cancellation (x − x) is told apart from a zero that no path reaches: the first is an
 * ordinary number (0·∞ is NaN, as the paths' sum ∞ − ∞ is), the second is a strong
 * zero. The sign bit of zero carries that tag, on both sides of every product: +0 is a
 * strong zero, −0 a zero made by cancellation (or by underflow, or a value that is −0).
 * Both sides are read alike because in nested modes a tangent of the inner level is a
 * partial of the outer one; so the op table's rules give +0 where a partial is zero
 * by definition (`sign(0)`, an unchosen branch of `where`).
 *
 * So `sqrt(x − x)` has derivative NaN at every x in every mode (sqrt′(0) = +∞ meets a
 * tangent that is zero only because 1 − 1 = 0, and the chain rule has no value there),
 * while `sqrt(x·x)²` has derivative 0 at 0 in every mode (every path through sqrt′(0)
 * also passes a partial that is exactly 0).
 *
 * @since 0.2.0
 */

/**
 * Whether a tangent is a strong zero: exactly +0.
 *
 * @example
 * import { isStrongZero } from 'ad-ts/internal'
 * isStrongZero(0) // => true
 * isStrongZero(-0) // => false
 *
 * @category utils
 * @since 0.2.0
 */
export const isStrongZero = (t: number): boolean => t === 0 && 1 / t > 0

/**
 * The strong-zero test in the two other forms kernels are written in, beside its number
 * form `isStrongZero`: every kernel that skips a term with a +0 factor, or tags a zero
 * sum, reads one of the three.
 *
 * @internal
 */
export const strongZero = {
  /**
   * Inline JavaScript for the generated loops: the parenthesised test of the expression
   * `t`, which it reads twice (a local or an element, read without side effects).
   */
  js: (t: string): string => `(${t} === 0 && 1 / ${t} > 0)`,
  /**
   * On two float64 lanes of WebAssembly: the mask of the lanes holding +0, the one
   * float64 whose 64 bits are all clear (−0 has its sign bit set).
   */
  lanes: <V>(L: { readonly ieq: (a: V, b: V) => V; readonly i: (n: number) => V }, t: V): V =>
    L.ieq(t, L.i(0)),
}

/**
 * A partial times a tangent: exactly +0 when either side is +0 (even against NaN or
 * ±Infinity on the other side); otherwise the IEEE product, with a zero result (from a
 * −0 factor, or underflow) kept as −0.
 *
 * @example
 * import { strongMul } from 'ad-ts/internal'
 * strongMul(0, NaN) // => 0
 * strongMul(Infinity, 0) // => 0
 * strongMul(Infinity, -0) // => NaN
 * strongMul(2, 3) // => 6
 *
 * @category utils
 * @since 0.2.0
 */
export const strongMul = (d: number, t: number): number => {
  // isStrongZero written out: V8 does not inline a call of an exported function here, and
  // the call on every product makes strongMul (and forward mode with it) about 2x slower.
  if ((d === 0 && 1 / d > 0) || (t === 0 && 1 / t > 0)) return 0
  const p = d * t
  return p === 0 ? -0 : p
}

/**
 * The sum of two tangents: the IEEE sum, except that a zero result is a strong zero
 * (+0) only when both terms are.
 *
 * @example
 * import { tangentAdd } from 'ad-ts/internal'
 * tangentAdd(0, 0) // => 0
 * tangentAdd(1, -1) // => -0
 * tangentAdd(2, 3) // => 5
 *
 * @category utils
 * @since 0.2.0
 */
export const tangentAdd = (a: number, b: number): number => {
  const s = a + b
  return s === 0 && !(isStrongZero(a) && isStrongZero(b)) ? -0 : s
}

/**
 * The negation of a tangent, keeping the tag of a zero (−(+0) stays a strong zero).
 *
 * @example
 * import { tangentNeg } from 'ad-ts/internal'
 * tangentNeg(0) // => 0
 * tangentNeg(2) // => -2
 *
 * @category utils
 * @since 0.2.0
 */
export const tangentNeg = (t: number): number => (t === 0 ? t : -t)
