/**
 * `lr`: the logistic-regression trainer, made pure: seeded data, an io-ts-decoded
 * config, training as a fold over epochs, accuracy and an SVG plot.
 *
 * @since 0.1.0
 */
export {
  decodeConfig,
  type CommonInput,
  type TrainConfig,
  type TrainConfigInput,
} from './config.js'
export {
  classCount,
  datasetProblem,
  gen2dData,
  maxPoints,
  mulberry32,
  type Dataset,
} from './data.js'
export {
  accuracy,
  evaluate,
  lossOf,
  isMultinomial,
  meanLoss,
  objective,
  predict,
  probabilities,
  sampleLoss,
  type Evaluation,
  type Weights,
} from './model.js'
export {
  clipBoundary,
  maxPlottedPoints,
  niceTicks,
  plotSvg,
  type Box,
  type PlotLabels,
  type PlotRecord,
  type Plotted,
} from './plot.js'
export {
  batchesOf,
  defaultShuffleWindow,
  rebatcher,
  windowOrder,
  type BatchOrder,
  type Rebatcher,
} from './batches.js'
export {
  batchStep,
  listMethods,
  methodNames,
  methods,
  setupOf,
  type Method,
  type MethodField,
  type MethodRow,
  type Methods,
  type Moved,
  type Setup,
} from './methods.js'
export { splitData, type Split } from './split.js'
export {
  fitScaler,
  scalerFit,
  standardize,
  type Scaler,
  type ScalerFit,
  type ScalerPass,
} from './standardize.js'
export {
  states,
  step,
  train,
  type EpochRecord,
  type EpochState,
  type Opaque,
  type SolverState,
  type Stop,
  type TrainResult,
} from './train.js'
