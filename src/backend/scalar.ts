/**
 * The `scalar` instance: `Floating<number>`, plain evaluation on JavaScript numbers.
 *
 * Each operation is the primal of its op-table row, so `scalar.exp` is `Math.exp` and
 * `scalar.sigmoid` the overflow-free logistic function. IEEE 754 rules apply
 * unchanged: `NaN` propagates, `1 / 0` is `Infinity`, `log(0)` is `-Infinity`.
 *
 * @since 0.1.0
 */
import type { Floating } from '../Floating.js'
import { floatingFrom } from '../ops/lifting.js'

/**
 * Plain evaluation on numbers.
 *
 * @example
 * import { scalar } from 'ad-ts'
 * scalar.add(scalar.one, scalar.exp(0)) // => 2
 *
 * @category instances
 * @since 0.1.0
 */
export const scalar: Floating<number> = floatingFrom<number>({
  zero: 0,
  one: 1,
  fromNumber: (n) => n,
  toNumber: (x) => x,
  unaryFor: (op) => op.primal,
  binaryFor: (op) => op.primal,
  numeric: true,
})
