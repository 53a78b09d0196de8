/**
 * `lr`: the logistic-regression trainer, made pure: seeded data, an io-ts-decoded
 * config, training as a fold over epochs, accuracy and an SVG plot.
 *
 * @since 0.1.0
 */
export { decodeConfig, type TrainConfig } from './config.js'
export { datasetProblem, gen2dData, maxPoints, mulberry32, type Dataset } from './data.js'
export {
  accuracy,
  evaluate,
  lossOf,
  meanLoss,
  predict,
  probabilities,
  sampleLoss,
  type Evaluation,
} from './model.js'
export { clipBoundary, maxPlottedPoints, plotSvg } from './plot.js'
export {
  states,
  step,
  train,
  type EpochRecord,
  type EpochState,
  type TrainResult,
} from './train.js'
