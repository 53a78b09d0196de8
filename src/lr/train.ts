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
import { tensor } from '../backend/tensor.js'
import { grad, jvp, valueAndGrad } from '../api.js'
import { jit } from '../jit/jit.js'
import { scalar } from '../backend/scalar.js'
import { adam, type AdamState } from '../optim/adam.js'
import { lbfgs } from '../optim/lbfgs.js'
import {
  flatObjective,
  type FlatObjective,
  type Minimizer,
  type StopReason,
} from '../optim/Minimizer.js'
import { newton } from '../optim/newton.js'
import { internal, type Tensor } from '../tensor/Tensor.js'
import { showValue } from '../util/show.js'
import { decodeConfig, type TrainConfig, type TrainConfigInput } from './config.js'
import { classCount, datasetProblem, mulberry32, type Dataset } from './data.js'
import {
  evaluate,
  isMultinomial,
  objective,
  sampleLoss,
  weightsOf,
  weightTensor,
  type Weights,
} from './model.js'

/**
 * The internal state a method carries from one epoch to the next (Adam's moments,
 * L-BFGS's curvature pairs); opaque.
 *
 * @category model
 * @since 0.3.0
 */
export type SolverState = Opaque | undefined

/**
 * The opaque part of `SolverState`.
 *
 * @category model
 * @since 0.3.0
 */
export interface Opaque {
  /** Type-level only: what a method keeps is not for reading. */
  readonly _solver: unique symbol
}

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

/** What every epoch of one run shares, built once. */
interface Setup {
  readonly config: TrainConfig
  readonly data: Dataset
  /** Columns of the weights: 1 (binary) or k (multinomial). */
  readonly width: number
  /** The objective's value and gradient, compiled by jit (one trace per run). */
  readonly lossAndGrad: (w: Tensor) => readonly [Tensor, Tensor]
  /** newton and lbfgs: the minimiser and the objective on flat weight vectors. */
  readonly second?: { readonly method: Minimizer<unknown>; readonly flat: FlatObjective }
}

const flatWeights = (w: Weights): ReadonlyArray<number> => (isMultinomial(w) ? w.flat() : w)

const shaped = (setup: Setup, flat: ArrayLike<number>): Weights => {
  const rows = setup.data.x.shape[1]!
  return weightsOf(
    internal.make(Float64Array.from(flat), setup.width === 1 ? [rows] : [rows, setup.width]),
  )
}

/** One epoch of per-sample SGD: w ← w − α·∇(loss of sample i + (λ/2)·‖w‖²). */
const sgdEpoch = (setup: Setup, w0: Weights, epoch: number): Weights => {
  const { config, data, width } = setup
  const x = internal.data(data.x)
  const y = internal.data(data.y)
  const k = data.x.shape[1]!
  const rate = config.learningRate!
  const options = { l2: config.l2 ?? 0, ...(width === 1 ? {} : { classes: width }) }
  let w = flatWeights(w0)
  for (const i of order(y.length, config, epoch)) {
    const g = grad(sampleLoss(x.subarray(i * k, (i + 1) * k), y[i]!, options))(scalar)(w)
    w = w.map((wj, j) => wj - rate * g[j]!)
  }
  return shaped(setup, w)
}

/** One epoch of full-batch gradient descent on the objective, on the tensor backend. */
const batchEpoch = (setup: Setup, w0: Weights): Weights => {
  const rate = setup.config.learningRate!
  const w = weightTensor(w0)
  const [, g] = setup.lossAndGrad(w)
  const ws = internal.data(w)
  const gs = internal.data(g)
  return shaped(
    setup,
    ws.map((wj, j) => wj - rate * gs[j]!),
  )
}

/** One full-batch Adam step on the objective. */
const adamEpoch = (setup: Setup, w0: Weights, solver: SolverState) => {
  const opt = adam({ learningRate: setup.config.learningRate! })
  const w = weightTensor(w0)
  const state = (solver as unknown as AdamState | undefined) ?? opt.init(w)
  const [, g] = setup.lossAndGrad(w)
  const [next, nextState] = opt.update(g, state, w)
  return { weights: weightsOf(next), solver: nextState as unknown as SolverState }
}

/** One iteration of newton or lbfgs; its state starts from the weights. */
const secondOrderEpoch = (setup: Setup, w0: Weights, solver: SolverState) => {
  const { method, flat } = setup.second!
  const state = solver ?? method.start(flat, Float64Array.from(flatWeights(w0)))
  const current = method.current(state)
  // A method that has stopped stays where it is.
  const next = current.stop === undefined ? method.next(flat, state) : state
  const it = method.current(next)
  return {
    weights: shaped(setup, it.x),
    gradientNorm: it.gradientNorm,
    ...(it.stop === undefined ? {} : { stop: it.stop }),
    solver: next as SolverState,
  }
}

const setupOf = (config: TrainConfig, data: Dataset, width: number): Setup => {
  const loss = objective(data, { l2: config.l2 ?? 0, classes: Math.max(2, width) })
  // The full-batch methods run the objective through jit: traced once, then fused loops.
  const lossAndGrad = jit(valueAndGrad(loss))(tensor)
  const base = { config, data, width, lossAndGrad }
  if (config.method !== 'newton' && config.method !== 'lbfgs') return base
  const limits = { tolerance: config.tolerance ?? 1e-8, maxIterations: config.epochs }
  const method = (config.method === 'newton' ? newton(limits) : lbfgs(limits)) as Minimizer<unknown>
  const rows = data.x.shape[1]!
  const like: Tensor = internal.make(
    new Float64Array(rows * width),
    width === 1 ? [rows] : [rows, width],
  )
  const hvp = jit(jvp(grad(loss)))(tensor)
  const flat = flatObjective<Tensor>(
    { valueAndGrad: lossAndGrad, hessianVectorProduct: (w, v) => hvp(w, v)[1] },
    like,
  )
  return { ...base, second: { method, flat } }
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
    const moved =
      config.method === 'sgd'
        ? { weights: sgdEpoch(setup, state.weights, epoch) }
        : config.method === 'batch'
          ? { weights: batchEpoch(setup, state.weights) }
          : config.method === 'adam'
            ? adamEpoch(setup, state.weights, state.solver)
            : secondOrderEpoch(setup, state.weights, state.solver)
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
 * states._tag // => 'Right'
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
 * result._tag // => 'Right'
 *
 * @example
 * import { lr } from 'ad-ts'
 * const data = lr.gen2dData({ n: 100, seed: 1 })
 * const result = lr.train({ epochs: 100, method: 'lbfgs', l2: 0.01 })(data)
 * result._tag === 'Right' && result.right.stop?.reason // => 'converged'
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
