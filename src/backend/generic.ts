/**
 * `generic(F)`: the same instance without its declared capabilities, so that every
 * mode takes its generic path over it. The number specialisations are optimisations
 * of the generic paths and must give bit for bit the same answers; `generic(scalar)`
 * is how the tests (and `ad-ts/laws`) compare the two.
 *
 * @since 0.2.0
 */
import type { Floating } from '../Floating.js'

/**
 * A copy of `F` that declares no number specialisation.
 *
 * @example
 * import { grad, scalar, type Floating } from 'ad-ts'
 * import { generic } from 'ad-ts/internal'
 * const f = <A>(F: Floating<A>) => (x: A): A => F.mul(x, F.sin(x))
 * 'numeric' in scalar // => true
 * 'numeric' in generic(scalar) // => false
 * grad(f)(generic(scalar))(2) // ≈ Math.sin(2) + 2 * Math.cos(2)
 *
 * @category combinators
 * @since 0.2.0
 */
export const generic = <A, F extends Floating<A>>(F: F & Floating<A>): F => {
  const { numeric: _numeric, ...rest } = F
  return rest as F
}
