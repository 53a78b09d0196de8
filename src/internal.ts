/**
 * `ad-ts/internal`: the machinery that the law suites, the tests and the benchmarks share
 * with the library: the op table's rows, the eager tensor kernels, the axis helpers, the
 * tangent arithmetic of the strong zero, the finite differences and the value printer.
 * Each name is documented and usable, but none is part of the contract of `ad-ts`: they
 * may change or move in any release. Users import from `'ad-ts'` (see the README's
 * "What is public").
 *
 * @module ad-ts/internal
 * @since 0.3.0
 */
export { isTensorial } from './Tensorial.js'
export {
  broadcastShapes,
  broadcastTo,
  map,
  reduceTo,
  unbroadcast,
  zipWith,
  type Shape,
} from './tensor/broadcast.js'
export { dot, matmul, productShape, tangentMatmul } from './tensor/products.js'
export { withBatchVectors } from './ops/batchVectors.js'
export { requireArray } from './util/arrayArguments.js'
export { showKind } from './util/showKind.js'
export { isStaticLeaf, requireValues } from './util/staticLeaves.js'
export { extremum, sum } from './tensor/reductions.js'
export { matrixTranspose, reshape, transpose } from './tensor/reshape.js'
export { keptShape, normaliseAxis, reducedAxes, reducedCount, reducedShape } from './tensor/axes.js'
export { withComposites, type Composite, type TensorialCore } from './backend/composites.js'
export { concat, pad, scatterAdd, slice, take } from './tensor/indexing.js'
export { mulberry32 } from './tensor/random.js'
export {
  bilinearOps,
  concatOp,
  structuralMethods,
  structuralNames,
  unaryStructuralOps,
  type BilinearName,
  type BilinearRow,
  type ConcatRow,
  type StructuralInterpreter,
  type StructuralName,
  type UnaryParams,
  type UnaryStructuralName,
  type UnaryStructuralRow,
} from './ops/structuralOps.js'
export type { BatchContext, BatchValue } from './ops/batchRule.js'
export type { Slot, Subst, SubstAll } from './tree.js'
export type { ReverseFloating, ReverseTensorial, Var } from './reverse/Var.js'
export type { DualFloating, DualTensorial } from './forward/Dual.js'
export { generic } from './backend/generic.js'
export { isStrongZero, strongMul, tangentAdd, tangentNeg } from './tangentArithmetic.js'
export {
  binaryOps,
  stableSigmoid,
  tangentOps,
  ruleOps,
  stableSoftplus,
  unaryOps,
  xlogy,
  xdivy,
  type BinaryName,
  type BinaryRow,
  type Domain,
  type SpecialPoint,
  type UnaryName,
  type UnaryRow,
} from './ops/opTable.js'
export {
  centralDifference,
  defaultStep,
  differenceEstimates,
  directionalDifference,
} from './util/finiteDifference.js'
export { showBrief, showNumber, showValue } from './util/show.js'
export { problems, renderProblem, type Problem } from './util/decode.js'
export type { Primitive, PrimitiveKernel, JvpRule, VjpRule } from './ops/primitive.js'
export type { LinalgName } from './linalg/methods.js'
export { Batched } from './vmap/batching.js'
