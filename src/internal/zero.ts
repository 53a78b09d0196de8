/**
 * Exact zeros in products of derivatives.
 *
 * Both modes treat an exactly-zero factor as annihilating: a term `d · ṫ` of a tangent
 * (or `u · d` of an adjoint) is skipped when either factor is zero, even if the other
 * is NaN or infinite. So a partial that is NaN only along a direction that is not
 * being differentiated (pow's exponent partial at a negative base) never leaks into a
 * derivative, and forward and reverse mode agree at such points. Over plain numbers
 * every 0 counts; over other bases (tensors, duals, tape variables) only the
 * instance's own `zero` value does, because a computed zero cannot be tested cheaply.
 */
import { scalar } from '../backend/scalar.js'
import type { Floating } from '../Floating.js'

export const zeroTest = <A>(F: Floating<A>): ((x: A) => boolean) =>
  F === (scalar as unknown) ? (x) => x === 0 : (x) => x === F.zero
