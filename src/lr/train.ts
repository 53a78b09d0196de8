/**
 * Training as a pure fold over epochs. `step` maps the state after one epoch to the
 * state after the next; `train` folds it `epochs` times; `states` yields the same
 * states lazily, for progress reporting. Nothing outside the fold is mutated.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { tensor } from '../backend/tensor.js'
import { grad, valueAndGrad } from '../api.js'
import { scalar } from '../backend/scalar.js'
import { internal } from '../Tensor.js'
import { showValue } from '../show.js'
import { decodeConfig, type TrainConfig } from './config.js'
import { datasetProblem, mulberry32, type Dataset } from './data.js'
import { evaluate, meanLoss, sampleLoss, weightTensor } from './model.js'

/**
 * What one epoch leaves behind: its number (from 1), the weights at its end, and the
 * mean negative log-likelihood and accuracy under those weights.
 *
 * @category model
 * @since 0.1.0
 */
export interface EpochState {
  /** The epoch's number, from 1. */
  readonly epoch: number
  /** The weights at the end of the epoch. */
  readonly weights: ReadonlyArray<number>
  /** The mean negative log-likelihood under those weights. */
  readonly loss: number
  /** The accuracy under those weights, in [0, 1]. */
  readonly accuracy: number
}

/**
 * One entry of the training history.
 *
 * @category model
 * @since 0.1.0
 */
export interface EpochRecord {
  /** The epoch's number, from 1. */
  readonly epoch: number
  /** The mean negative log-likelihood at the end of the epoch. */
  readonly loss: number
  /** The accuracy at the end of the epoch, in [0, 1]. */
  readonly accuracy: number
}

/**
 * The result of training: final weights and one history entry per epoch.
 *
 * @category model
 * @since 0.1.0
 */
export interface TrainResult {
  /** The final weights. */
  readonly weights: ReadonlyArray<number>
  /** One record per epoch, in order. */
  readonly history: ReadonlyArray<EpochRecord>
}

/** The order of samples in an epoch: data order, or a seeded shuffle (Fisher–Yates). */
const order = (n: number, config: TrainConfig, epoch: number): Int32Array => {
  // A fresh permutation, filled here and read only by the caller's loop.
  const idx = new Int32Array(n)
  for (let i = 0; i < n; i++) idx[i] = i
  if (config.shuffleSeed === undefined) return idx
  const next = mulberry32(config.shuffleSeed * 1_000_003 + epoch)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    const t = idx[i]!
    idx[i] = idx[j]!
    idx[j] = t
  }
  return idx
}

/** One epoch of per-sample SGD: w ← w − α·∇(negative log-likelihood of sample i). */
const sgdEpoch = (config: TrainConfig, data: Dataset, w0: ReadonlyArray<number>, epoch: number) => {
  const x = internal.data(data.x)
  const y = internal.data(data.y)
  const k = data.x.shape[1]!
  let w = w0
  for (const i of order(y.length, config, epoch)) {
    const g = grad(sampleLoss(x.subarray(i * k, (i + 1) * k), y[i]!))(scalar)(w)
    w = w.map((wj, j) => wj - config.learningRate * g[j]!)
  }
  return w
}

/** One epoch of full-batch gradient descent on the mean loss, on the tensor backend. */
const batchEpoch = (config: TrainConfig, data: Dataset, w0: ReadonlyArray<number>) => {
  const [, g] = valueAndGrad(meanLoss(data))(tensor)(weightTensor(w0))
  const gs = internal.data(g)
  return w0.map((wj, j) => wj - config.learningRate * gs[j]!)
}

/**
 * The pure step of the fold: from the state after an epoch to the state after the next.
 *
 * @example
 * import { lr } from 'ad-ts'
 * const data = lr.gen2dData({ n: 10, seed: 1 })
 * const next = lr.step({ epochs: 1, learningRate: 0.1, method: 'batch' }, data)
 * next({ epoch: 0, weights: [1, 1, 1] }).epoch // => 1
 *
 * @category combinators
 * @since 0.1.0
 */
export const step =
  (config: TrainConfig, data: Dataset) =>
  (state: Pick<EpochState, 'epoch' | 'weights'>): EpochState => {
    const epoch = state.epoch + 1
    const weights =
      config.method === 'sgd'
        ? sgdEpoch(config, data, state.weights, epoch)
        : batchEpoch(config, data, state.weights)
    return { epoch, weights, ...evaluate(weights, data) }
  }

/** Decodes the config and checks it against the data; the initial weights. */
const prepare = (
  input: unknown,
  data: Dataset,
): E.Either<Error, { readonly config: TrainConfig; readonly init: ReadonlyArray<number> }> =>
  pipe(
    decodeConfig(input),
    E.chain((config) => {
      const problem = datasetProblem(data)
      if (problem !== undefined) return E.left(new Error(problem))
      const k = data.x.shape[1]!
      const init = config.init ?? new Array<number>(k).fill(1)
      if (init.length !== k) {
        return E.left(
          new Error(
            `config.init: expected ${k} weights (one per column of x), got ${showValue(init)}`,
          ),
        )
      }
      return E.right({ config, init })
    }),
  )

/**
 * The states after each epoch, computed lazily as the iterable is read; the last one
 * carries the same weights as `train`'s result. A `Left` for an invalid config or data.
 *
 * @example
 * import { lr } from 'ad-ts'
 * const data = lr.gen2dData({ n: 20, seed: 3 })
 * const states = lr.states({ epochs: 3, learningRate: 0.1 })(data)
 * states._tag // => 'Right'
 *
 * @category combinators
 * @since 0.1.0
 */
export const states =
  (input: unknown) =>
  (data: Dataset): E.Either<Error, Iterable<EpochState>> =>
    pipe(
      prepare(input, data),
      E.map(({ config, init }) => ({
        *[Symbol.iterator]() {
          let state: Pick<EpochState, 'epoch' | 'weights'> = { epoch: 0, weights: init }
          const next = step(config, data)
          for (let e = 0; e < config.epochs; e++) {
            const s = next(state)
            state = s
            yield s
          }
        },
      })),
    )

/**
 * Trains logistic regression: a fold of `step` over `config.epochs` epochs. `Right`
 * with the final weights and the history, or `Left` with an `Error` naming the bad
 * field of the config or the data.
 *
 * @example
 * import { lr } from 'ad-ts'
 * const data = lr.gen2dData({ n: 100, seed: 1 })
 * const result = lr.train({ epochs: 300, learningRate: 0.01 })(data)
 * result._tag // => 'Right'
 *
 * @category combinators
 * @since 0.1.0
 */
export const train =
  (input: unknown) =>
  (data: Dataset): E.Either<Error, TrainResult> =>
    pipe(
      states(input)(data),
      E.map((all) => {
        let weights: ReadonlyArray<number> = []
        const history: EpochRecord[] = []
        for (const s of all) {
          weights = s.weights
          history.push({ epoch: s.epoch, loss: s.loss, accuracy: s.accuracy })
        }
        return { weights, history }
      }),
    )
