/**
 * `optim`: optimisers over trees of numbers and Tensors, each a pure update folded over
 * steps (`sgd`, `adam`), and second-order minimisers for small smooth problems
 * (`newton`, `lbfgs`) that stop on a gradient-norm tolerance and say why they stopped.
 *
 * @since 0.3.0
 */
export { adam, type AdamOptions, type AdamState } from './adam.js'
export { lbfgs, type LbfgsOptions, type LbfgsState, type Pair } from './lbfgs.js'
export { wolfeLineSearch, type LinePoint, type WolfeOptions } from './lineSearch.js'
export {
  iterates,
  minimize,
  type FlatIterate,
  type FlatObjective,
  type HistoryEntry,
  type Iterate,
  type Minimizer,
  type Minimum,
  type Objective,
  type StopOptions,
  type StopReason,
} from './Minimizer.js'
export { newton, type NewtonOptions } from './newton.js'
export { objective } from './objective.js'
export type { Optimizer } from './Optimizer.js'
export { elementwise, flatten, sizeOfParams, unflatten, type Leaf, type Params } from './params.js'
export { sgd, type SgdOptions, type SgdState } from './sgd.js'
export { run, steps, type LossAndGrad, type OptimStep, type RunResult } from './steps.js'
