/**
 * Training as a pure fold over epochs. `step` maps the state after one epoch to the
 * state after the next; `train` folds it `epochs` times (newton and lbfgs stop earlier
 * once converged); `states` yields the same states lazily, for progress reporting.
 * Nothing outside the fold is mutated.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { StopReason } from '../optim/Minimizer.js'
import { showValue } from '../util/show.js'
import { decodeConfig, type TrainConfig, type TrainConfigInput } from './config.js'
import { classCount, datasetProblem, type Dataset } from './data.js'
import { methods, setupOf, type Setup, type SolverState } from './methods.js'
import { evaluate, isMultinomial, type Weights } from './model.js'

export type { Opaque, SolverState } from './methods.js'

/**
 * Why newton or lbfgs stopped, after how many iterations, at which gradient norm.
 *
 * @category model
 * @since 0.3.0
 */
export interface Stop {
  /** Why the method stopped. */
  readonly reason: StopReason
  /** Iterations taken (the epochs of the history). */
  readonly iterations: number
  /** The 2-norm of the objective's gradient at the final weights. */
  readonly gradientNorm: number
}

/**
 * What one epoch leaves behind: its number (from 1), the weights at its end, and the
 * mean negative log-likelihood and accuracy under those weights. Newton and L-BFGS
 * also give the gradient norm of the objective and, on their last epoch, why they
 * stopped.
 *
 * @category model
 * @since 0.1.0
 */
export interface EpochState {
  /** The epoch's number, from 1. */
  readonly epoch: number
  /** The weights at the end of the epoch. */
  readonly weights: Weights
  /** The mean negative log-likelihood under those weights. */
  readonly loss: number
  /** The accuracy under those weights, in [0, 1]. */
  readonly accuracy: number
  /** newton and lbfgs: the 2-norm of the objective's gradient at those weights. */
  readonly gradientNorm?: number
  /** newton and lbfgs: set on the last epoch, why the method stopped. */
  readonly stop?: StopReason
  /** What the method carries to the next epoch. */
  readonly solver?: SolverState
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
 * The result of training: final weights, one history entry per epoch, and for newton
 * and lbfgs why they stopped.
 *
 * @category model
 * @since 0.1.0
 */
export interface TrainResult {
  /** The final weights: `[d + 1]` (binary) or `[d + 1][k]` (multinomial). */
  readonly weights: Weights
  /** One record per epoch, in order. */
  readonly history: ReadonlyArray<EpochRecord>
  /** newton and lbfgs: why they stopped, after how many iterations, at which gradient norm. */
  readonly stop?: Stop
}

/** The width of the weights: from their shape when given, else from the data and config. */
const widthOf = (config: TrainConfig, data: Dataset, init?: Weights): number => {
  if (init !== undefined) return isMultinomial(init) ? init[0]!.length : 1
  const k = classCount(data)
  return k > 2 || config.model === 'multinomial' ? k : 1
}

/**
 * The pure step of the fold: from the state after an epoch to the state after the next.
 * The constants of the objective are built once, when it is given the config and data.
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
export const step = (config: TrainConfig, data: Dataset) => {
  let setup: Setup | undefined
  return (state: Pick<EpochState, 'epoch' | 'weights' | 'solver'>): EpochState => {
    // The setup depends only on (config, data, the weights' width): built on first use.
    setup ??= setupOf(config, data, widthOf(config, data, state.weights))
    const epoch = state.epoch + 1
    const moved = methods[config.method].epoch(setup, { ...state, epoch })
    return { epoch, ...moved, ...evaluate(moved.weights, data) }
  }
}

/** Decodes the config and checks it against the data; the initial weights. */
const prepare = (
  input: unknown,
  data: Dataset,
): E.Either<Error, { readonly config: TrainConfig; readonly init: Weights }> =>
  pipe(
    decodeConfig(input),
    E.chain((config) => {
      const problem = datasetProblem(data)
      if (problem !== undefined) return E.left(new Error(problem))
      const rows = data.x.shape[1]!
      const k = classCount(data)
      if (config.model === 'binary' && k > 2) {
        return E.left(
          new Error(`config.model: 'binary' needs labels 0 and 1, but the data has ${k} classes`),
        )
      }
      const width = widthOf(config, data)
      const init =
        config.init ??
        (width === 1
          ? new Array<number>(rows).fill(1)
          : Array.from({ length: rows }, () => new Array<number>(width).fill(0)))
      const expected =
        width === 1
          ? `${rows} weights (one per column of x)`
          : `${rows} rows of ${width} weights (a row per column of x, a column per class)`
      const fits = isMultinomial(init)
        ? width > 1 && init.length === rows && init.every((r) => r.length === width)
        : width === 1 && init.length === rows
      if (!fits)
        return E.left(new Error(`config.init: expected ${expected}, got ${showValue(init)}`))
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
 * if (states._tag === 'Left') throw states.left
 * Array.from(states.right, (s) => s.epoch) // => [1, 2, 3]
 * Array.from(states.right, (s) => s.loss) // ≈ [0.7234543978751296, 0.6279897874766788, 0.5880277262359329]
 * Array.from(states.right, (s) => s.accuracy) // => [0.5, 0.5, 0.55]
 *
 * @category combinators
 * @since 0.1.0
 */
export const states =
  (input: TrainConfigInput) =>
  (data: Dataset): E.Either<Error, Iterable<EpochState>> =>
    pipe(
      prepare(input, data),
      E.map(({ config, init }) => ({
        *[Symbol.iterator]() {
          let state: Pick<EpochState, 'epoch' | 'weights' | 'solver'> = { epoch: 0, weights: init }
          const next = step(config, data)
          for (let e = 0; e < config.epochs; e++) {
            const s = next(state)
            state = s
            yield s
            if (s.stop !== undefined) return
          }
        },
      })),
    )

/**
 * Trains logistic regression: a fold of `step` over `config.epochs` epochs (newton and
 * lbfgs stop once the gradient norm is within `tolerance`). `Right` with the final
 * weights and the history, or `Left` with an `Error` naming the bad field of the config
 * or the data. The config is typed (`TrainConfigInput`) and still decoded, for callers
 * from JavaScript.
 *
 * @example
 * import { lr } from 'ad-ts'
 * const data = lr.gen2dData({ n: 100, seed: 1 })
 * const result = lr.train({ epochs: 300, learningRate: 0.01 })(data)
 * if (result._tag === 'Left') throw result.left
 * result.right.weights // ≈ [-5.879858932355906, 5.869534287674824, 5.891628734239699]
 * result.right.history.length // => 300
 * result.right.history[299] // => { epoch: 300, loss: 0.2519855868290252, accuracy: 1 }
 *
 * @example
 * import { lr } from 'ad-ts'
 * const data = lr.gen2dData({ n: 100, seed: 1 })
 * const result = lr.train({ epochs: 100, method: 'lbfgs', l2: 0.01 })(data)
 * if (result._tag === 'Left') throw result.left
 * result.right.stop?.reason // => 'converged'
 * result.right.history.at(-1)?.accuracy // => 0.97
 *
 * @category combinators
 * @since 0.1.0
 */
export const train =
  (input: TrainConfigInput) =>
  (data: Dataset): E.Either<Error, TrainResult> =>
    pipe(
      states(input)(data),
      E.map((all) => {
        let last: EpochState | undefined
        const history: EpochRecord[] = []
        for (const s of all) {
          last = s
          history.push({ epoch: s.epoch, loss: s.loss, accuracy: s.accuracy })
        }
        const end = last!
        return {
          weights: end.weights,
          history,
          ...(end.stop === undefined
            ? {}
            : {
                stop: { reason: end.stop, iterations: end.epoch, gradientNorm: end.gradientNorm! },
              }),
        }
      }),
    )
