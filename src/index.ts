/**
 * ad-ts: functional, immutable automatic differentiation. This entry is the contract:
 * the typeclasses, the instances, the operators and what users write their functions
 * with. The law suites are in `'ad-ts/laws'`; the machinery that the law suites and the
 * tests share with the library (op table rows, eager kernels, printers) is in
 * `'ad-ts/internal'`, outside the contract.
 *
 * @module ad-ts
 * @since 0.1.0
 */
import * as DualModule from './forward/Dual.js'
import * as TapeModule from './reverse/Tape.js'

export type { BinaryOp, Floating, UnaryOp } from './Floating.js'
export type { Tensorial } from './Tensorial.js'
export { tensor } from './backend/tensor.js'
export { scalar } from './backend/scalar.js'
export { Tensor, type Nested } from './tensor/Tensor.js'
export type { ReduceOptions } from './tensor/axes.js'
export type { TriangularOptions } from './linalg/kernels.js'
export { normal, uniform } from './tensor/random.js'
export type {
  ArrayFunction,
  ArrayFunctionOver,
  ScalarFunction,
  ScalarFunctionOver,
  TensorialArrayFunction,
  TensorialScalarFunction,
  TensorialTreeFunction,
  TensorialTreeMap,
  TensorialVectorFunction,
  TreeFunction,
  TreeMap,
  VectorFunction,
  VectorFunctionOver,
} from './fn.js'
export { isTreeNode, leafPathsOf, leavesOf, sameStructure, withLeaves, type Tree } from './tree.js'
export {
  defineBinaryOp,
  defineOp,
  type BinaryOpFn,
  type BinaryOpSpec,
  type Op,
  type OpSpec,
} from './ops/op.js'
export { sign, softplus } from './ops/opTable.js'
export { diff, grad, hessian, jacobian, jvp, valueAndGrad, vjp } from './api.js'
export * as forward from './forward/forward.js'
export * as reverse from './reverse/reverse.js'

/**
 * Dual numbers (forward mode): `Dual.dual(F)`, `Dual.make`, `Dual.primal`, `Dual.tangent`.
 *
 * @example
 * import { Dual, scalar } from 'ad-ts'
 * Dual.dual(scalar).sin(Dual.make(0, 1)) // => { tag: 'Forward', primal: 0, tangent: 1 }
 *
 * @category model
 * @since 0.1.0
 */
export const Dual = DualModule
/**
 * A value with its tangent (see `Dual.make`).
 *
 * @category model
 * @since 0.1.0
 */
export type Dual<A> = DualModule.Dual<A>
/** Types of dual numbers, reachable as `Dual.DualFloating`. */
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace Dual {
  /** The forward-mode instance with `lift`. */
  export type DualFloating<A> = DualModule.DualFloating<A>
  /** A constant dual number. */
  export type Lift<A> = DualModule.Lift<A>
  /** A dual number with a tangent. */
  export type Forward<A> = DualModule.Forward<A>
}

/**
 * The reverse-mode tape monad: `Tape.of`, `Tape.chain`, `Tape.record`, `Tape.run`,
 * `Tape.backprop`, …
 *
 * @example
 * import { scalar, Tape } from 'ad-ts'
 * Tape.run(scalar)(Tape.of(1))[0] // => 1
 *
 * @category model
 * @since 0.1.0
 */
export const Tape = TapeModule
/**
 * A reverse-mode action (see `Tape.run`).
 *
 * @category model
 * @since 0.1.0
 */
export type Tape<B, A> = TapeModule.Tape<B, A>
/** Types of the tape monad, reachable as `Tape.Var`, `Tape.Recorded`, `Tape.TapeState`. */
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace Tape {
  /** A reverse-mode value: a handle to a tape entry. */
  export type Var<B> = TapeModule.Var<B>
  /** A finished tape. */
  export type Recorded<B> = TapeModule.Recorded<B>
  /** The state threaded by tape actions. */
  export type TapeState = TapeModule.TapeState
  /** The reverse-mode instance of one record action. */
  export type ReverseFloating<B> = TapeModule.ReverseFloating<B>
}
export * as lr from './lr/index.js'
export * as optim from './optim/index.js'
export { jit, type JitOptions } from './jit/jit.js'
export { vmap, type VmapOptions } from './vmap/vmap.js'
export { checkpoint, customJvp, customVjp, type CustomFunction } from './ops/custom.js'
export { argmax, argmin } from './ops/argmax.js'
export { softmaxCrossEntropy } from './ops/softmaxCrossEntropy.js'
export { oneHot } from './tensor/oneHot.js'
export { shuffle } from './data/shuffle.js'
export { batches, type BatchOptions } from './data/batches.js'
