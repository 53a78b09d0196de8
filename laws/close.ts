/**
 * `close`: the one comparison of floating-point results used by every law.
 *
 * Two numbers are close when `|a − b| ≤ abs + rel · max(|a|, |b|)`. Rules for the
 * special values: NaN is close only to NaN (when `nanEqual`, the default) and never
 * to a number; an infinity is close only to the same infinity.
 *
 * @since 0.1.0
 */
import { defaultStep } from '../src/internal.js'

/**
 * Tolerances of `close`.
 *
 * @category model
 * @since 0.1.0
 */
export interface Tolerance {
  /** Relative tolerance; default 1e-9. */
  readonly rel?: number
  /** Absolute tolerance; default 1e-12. */
  readonly abs?: number
  /** Whether NaN is close to NaN; default true. */
  readonly nanEqual?: boolean
}

/**
 * Whether two numbers agree within a tolerance.
 *
 * @example
 * import { close } from 'ad-ts/laws'
 * close(1, 1 + 1e-12) // => true
 * close(NaN, NaN) // => true
 * close(Infinity, 1e308) // => false
 *
 * @category utils
 * @since 0.1.0
 */
export const close = (a: number, b: number, tolerance: Tolerance = {}): boolean => {
  const { rel = 1e-9, abs = 1e-12, nanEqual = true } = tolerance
  if (Number.isNaN(a) || Number.isNaN(b)) return nanEqual && Number.isNaN(a) && Number.isNaN(b)
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b
  return Math.abs(a - b) <= abs + rel * Math.max(Math.abs(a), Math.abs(b))
}

/**
 * Whether two arrays of numbers agree elementwise within a tolerance.
 *
 * @example
 * import { closeArrays } from 'ad-ts/laws'
 * closeArrays([1, 2], [1, 2 + 1e-12]) // => true
 * closeArrays([1, 2], [1]) // => false
 *
 * @category utils
 * @since 0.1.0
 */
export const closeArrays = (
  a: ReadonlyArray<number>,
  b: ReadonlyArray<number>,
  tolerance: Tolerance = {},
): boolean => a.length === b.length && a.every((ai, i) => close(ai, b[i]!, tolerance))

/**
 * Whether a derivative, as a function `g` of the point, jumps within a step of `xs`
 * along `vs`: its second difference g(x + h) − 2g(x) + g(x − h) is about h²·g″ where
 * `g` is smooth (tiny), and about the jump where it is not (softsign″ at 0, `where`
 * switching operands). Finite differences with step h cannot judge a derivative there,
 * so the laws pass over such points.
 *
 * @example
 * import { jumpsNear } from 'ad-ts/laws'
 * jumpsNear((xs) => [Math.sign(xs[0]!)], [1e-6], [1]) // => true
 * jumpsNear((xs) => [Math.cos(xs[0]!)], [1], [1]) // => false
 *
 * @category utils
 * @since 0.2.0
 */
export const jumpsNear = (
  g: (xs: ReadonlyArray<number>) => ReadonlyArray<number>,
  xs: ReadonlyArray<number>,
  vs: ReadonlyArray<number>,
): boolean => {
  const norm = vs.reduce((m, v) => Math.max(m, Math.abs(v)), 0)
  if (norm === 0) return false
  // The step of the finite differences (src/util/finiteDifference.ts), a little wider.
  const h = 1.5 * defaultStep(xs)
  const at = (s: number) => g(xs.map((x, i) => x + s * h * (vs[i]! / norm)))
  const [mid, plus, minus] = [at(0), at(1), at(-1)]
  return mid.some((m, i) => {
    const second = Math.abs(plus[i]! - 2 * m + minus[i]!)
    return !(second <= 1e-3 * (1 + Math.abs(m)))
  })
}
