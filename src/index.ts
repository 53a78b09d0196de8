/**
 * ad-ts: functional, immutable automatic differentiation.
 *
 * @since 0.1.0
 */
import * as DualModule from './Dual.js'
import * as TapeModule from './Tape.js'

export type { BinaryOp, Floating, UnaryOp } from './Floating.js'
export type {
  ArrayFunction,
  ArrayFunctionOver,
  ScalarFunction,
  ScalarFunctionOver,
  VectorFunction,
  VectorFunctionOver,
} from './fn.js'
export type { ReverseFloating, Var } from './Var.js'
export type { DualFloating } from './Dual.js'
export { scalar } from './backend/scalar.js'
export { defineOp, type Op, type OpSpec } from './op.js'
export { binaryOps, unaryOps, type BinaryRow, type UnaryRow } from './opTable.js'
export { diff, grad, hessian, jacobian, jvp, valueAndGrad, vjp } from './api.js'
export * as forward from './forward.js'
export * as reverse from './reverse.js'

/**
 * Dual numbers (forward mode): `Dual.dual(F)`, `Dual.make`, `Dual.primal`, `Dual.tangent`.
 *
 * @category model
 * @since 0.1.0
 */
export const Dual = DualModule
/** @category model @since 0.1.0 */
export type Dual<A> = DualModule.Dual<A>

/**
 * The reverse-mode tape monad: `Tape.of`, `Tape.chain`, `Tape.record`, `Tape.run`,
 * `Tape.backprop`, …
 *
 * @category model
 * @since 0.1.0
 */
export const Tape = TapeModule
/** @category model @since 0.1.0 */
export type Tape<A> = TapeModule.Tape<A>
