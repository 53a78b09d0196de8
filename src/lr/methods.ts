/**
 * The training methods, one record: for each method, whether it is first-order (a
 * learning rate) or second-order (a line search and a tolerance), the config fields it
 * takes, its default count of epochs, what an epoch is called, and the step of one
 * epoch. The config's io-ts codec, the command line's codec and usage text and the
 * trainer's dispatch all read this record: adding a method is adding a row.
 *
 * @since 0.4.0
 */
import { grad, jvp, valueAndGrad } from '../api.js'
import { scalar } from '../backend/scalar.js'
import { tensor } from '../backend/tensor.js'
import { jit } from '../jit/jit.js'
import { adam } from '../optim/adam.js'
import { lbfgs } from '../optim/lbfgs.js'
import {
  flatObjective,
  type FlatObjective,
  type Minimizer,
  type StopReason,
} from '../optim/Minimizer.js'
import { newton } from '../optim/newton.js'
import type { Optimizer } from '../optim/Optimizer.js'
import { sgd } from '../optim/sgd.js'
import { internal, type Tensor } from '../tensor/Tensor.js'
import { batchesOf } from './batches.js'
import type { TrainConfig } from './config.js'
import { permutation } from '../data/shuffle.js'
import { mulberry32, type Dataset } from './data.js'
import {
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
 * What every epoch of one run shares, built once.
 *
 * @category model
 * @since 0.4.0
 */
export interface Setup {
  /** The decoded configuration. */
  readonly config: TrainConfig
  /** The training rows. */
  readonly data: Dataset
  /** Columns of the weights: 1 (binary) or k (multinomial). */
  readonly width: number
  /** The objective's value and gradient, compiled by jit (one trace per run). */
  readonly lossAndGrad: (w: Tensor) => readonly [Tensor, Tensor]
  /** newton and lbfgs: the minimiser and the objective on flat weight vectors. */
  readonly second?: {
    /** The minimiser (newton or lbfgs). */
    readonly method: Minimizer<unknown>
    /** The objective on flat weight vectors. */
    readonly flat: FlatObjective
  }
}

/**
 * Where an epoch leaves the weights, and what the method carries on.
 *
 * @category model
 * @since 0.4.0
 */
export interface Moved {
  /** The weights at the end of the epoch. */
  readonly weights: Weights
  /** What the method carries to the next epoch. */
  readonly solver?: SolverState
  /** newton and lbfgs: the gradient norm at the new weights. */
  readonly gradientNorm?: number
  /** newton and lbfgs: why they stopped, on their last iteration. */
  readonly stop?: StopReason
}

/**
 * A config field that some methods take: `learningRate`, `shuffleSeed`, `batchSize`,
 * `shuffleWindow` or `tolerance`.
 *
 * @category model
 * @since 0.4.0
 */
export type MethodField =
  'learningRate' | 'shuffleSeed' | 'batchSize' | 'shuffleWindow' | 'tolerance'

/**
 * One training method.
 *
 * @category model
 * @since 0.4.0
 */
export interface MethodRow {
  /** 1: steps of a learning rate; 2: newton and lbfgs (a line search, a tolerance, the whole data). */
  readonly order: 1 | 2
  /** What one pass of the fold is called in logs and plots. */
  readonly unit: 'epoch' | 'iteration'
  /** The count of epochs (iterations at most, for order 2) of the command line. */
  readonly defaultEpochs: number
  /** The fields of the config it needs. */
  readonly needs: ReadonlyArray<MethodField>
  /** The further fields it takes. */
  readonly takes: ReadonlyArray<MethodField>
  /** One line for the usage text. */
  readonly summary: string
  /** Order 1: the optimiser of its steps, from the learning rate. */
  readonly optimizer?: (learningRate: number) => Optimizer<unknown>
  /** Order 2: the minimiser, from its tolerance and most iterations. */
  readonly minimizer?: (limits: {
    readonly tolerance: number
    readonly maxIterations: number
  }) => Minimizer<unknown>
  /** One epoch: from the state after epoch `epoch − 1` to the state after `epoch`. */
  readonly epoch: (
    setup: Setup,
    state: { readonly epoch: number; readonly weights: Weights; readonly solver?: SolverState },
  ) => Moved
}

const flatWeights = (w: Weights): ReadonlyArray<number> => (isMultinomial(w) ? w.flat() : w)

const shaped = (setup: Setup, flat: ArrayLike<number>): Weights => {
  const rows = setup.data.x.shape[1]!
  return weightsOf(
    internal.make(Float64Array.from(flat), setup.width === 1 ? [rows] : [rows, setup.width]),
  )
}

/** The order of samples in an epoch of per-sample sgd: data order, or a seeded shuffle. */
const sampleOrder = (n: number, config: TrainConfig, epoch: number): Int32Array => {
  if (config.shuffleSeed === undefined) return Int32Array.from({ length: n }, (_, i) => i)
  return permutation(n, mulberry32(config.shuffleSeed * 1_000_003 + epoch))
}

/** One epoch of per-sample SGD: w ← w − α·∇(loss of sample i + (λ/2)·‖w‖²). */
const sampleEpoch = (setup: Setup, w0: Weights, epoch: number): Weights => {
  const { config, data, width } = setup
  const x = internal.data(data.x)
  const y = internal.data(data.y)
  const k = data.x.shape[1]!
  const rate = config.learningRate!
  const options = { l2: config.l2 ?? 0, ...(width === 1 ? {} : { classes: width }) }
  let w = flatWeights(w0)
  for (const i of sampleOrder(y.length, config, epoch)) {
    const g = grad(sampleLoss(x.subarray(i * k, (i + 1) * k), y[i]!, options))(scalar)(w)
    w = w.map((wj, j) => wj - rate * g[j]!)
  }
  return shaped(setup, w)
}

/**
 * One optimiser step on the objective over one batch (its mean loss plus the penalty),
 * on the tensor backend: the step of mini-batch training, in memory and streamed alike.
 * Gives the new weights, the new optimiser state and the batch's objective before the step.
 *
 * @example
 * import { lr, optim, Tensor } from 'ad-ts'
 * const opt = optim.sgd({ learningRate: 0.1 })
 * const w = Tensor.fromArray([0, 0, 0])
 * const batch = { x: Tensor.fromArray([[1, 0, 0]]), y: Tensor.fromArray([1]) }
 * const [next, , loss] = lr.batchStep(opt, { l2: 0, classes: 2 })(w, opt.init(w), batch)
 * Tensor.toArray(next) // => [0.05, 0, 0]
 * loss // ≈ Math.LN2
 *
 * @category combinators
 * @since 0.4.0
 */
export const batchStep =
  <S>(optimizer: Optimizer<S>, options: { readonly l2: number; readonly classes: number }) =>
  (w: Tensor, state: S, batch: Dataset): readonly [Tensor, S, number] => {
    const [loss, g] = valueAndGrad(objective(batch, options))(tensor)(w)
    const [next, s] = optimizer.update(g, state, w)
    return [next, s, internal.data(loss)[0]!]
  }

/** The optimiser of a first-order method (sgd with a batch size, batch, adam). */
const optimizerOf = (config: TrainConfig): Optimizer<unknown> =>
  methods[config.method].optimizer!(config.learningRate!)

const sgdOptimizer = (learningRate: number) => sgd({ learningRate }) as Optimizer<unknown>

/** One epoch of mini-batches, each an optimiser step; the state carries over epochs. */
const miniBatchEpoch: MethodRow['epoch'] = (setup, { epoch, weights, solver }) => {
  const { config, data, width } = setup
  const opt = optimizerOf(config)
  const update = batchStep(opt, { l2: config.l2 ?? 0, classes: Math.max(2, width) })
  let w = weightTensor(weights)
  let s = (solver as unknown) ?? opt.init(w)
  const order = {
    batchSize: config.batchSize!,
    epoch,
    ...(config.shuffleWindow === undefined ? {} : { shuffleWindow: config.shuffleWindow }),
    ...(config.shuffleSeed === undefined ? {} : { shuffleSeed: config.shuffleSeed }),
  }
  for (const batch of batchesOf(data, order)) [w, s] = update(w, s, batch)
  return { weights: weightsOf(w), solver: s as SolverState }
}

/** One full-batch optimiser step on the objective (jit-compiled value and gradient). */
const fullBatchEpoch: MethodRow['epoch'] = (setup, { weights, solver }) => {
  const opt = optimizerOf(setup.config)
  const w = weightTensor(weights)
  const state = (solver as unknown) ?? opt.init(w)
  const [, g] = setup.lossAndGrad(w)
  const [next, nextState] = opt.update(g, state, w)
  return { weights: weightsOf(next), solver: nextState as SolverState }
}

/** One iteration of newton or lbfgs; its state starts from the weights. */
const secondOrderEpoch: MethodRow['epoch'] = (setup, { weights, solver }) => {
  const { method, flat } = setup.second!
  const state = solver ?? method.start(flat, Float64Array.from(flatWeights(weights)))
  // A method that has stopped stays where it is.
  const next = method.current(state).stop === undefined ? method.next(flat, state) : state
  const it = method.current(next)
  return {
    weights: shaped(setup, it.x),
    gradientNorm: it.gradientNorm,
    ...(it.stop === undefined ? {} : { stop: it.stop }),
    solver: next as SolverState,
  }
}

/**
 * The rows of the methods' record.
 *
 * @category model
 * @since 0.4.0
 */
export interface Methods {
  /** Per-sample gradient descent (the Python tool's), or `optim.sgd` on mini-batches. */
  readonly sgd: MethodRow
  /** Full-batch gradient descent: one `optim.sgd` step an epoch. */
  readonly batch: MethodRow
  /** `optim.adam`: one full-batch step an epoch, or a step a mini-batch. */
  readonly adam: MethodRow
  /** Damped Newton's method with Hessian-vector products, an iteration an epoch. */
  readonly newton: MethodRow
  /** L-BFGS, an iteration an epoch. */
  readonly lbfgs: MethodRow
}

/**
 * The training methods, in the order the usage text lists them.
 *
 * @example
 * import { lr } from 'ad-ts'
 * Object.keys(lr.methods) // => ['sgd', 'batch', 'adam', 'newton', 'lbfgs']
 * lr.methods.lbfgs.defaultEpochs // => 1000
 *
 * @category model
 * @since 0.4.0
 */
export const methods: Methods = {
  sgd: {
    order: 1,
    unit: 'epoch',
    defaultEpochs: 300,
    needs: ['learningRate'],
    takes: ['shuffleSeed', 'batchSize', 'shuffleWindow'],
    summary: 'per sample in data order, or mini-batches with --batch-size',
    optimizer: sgdOptimizer,
    epoch: (setup, state) =>
      setup.config.batchSize === undefined
        ? { weights: sampleEpoch(setup, state.weights, state.epoch) }
        : miniBatchEpoch(setup, state),
  },
  batch: {
    order: 1,
    unit: 'epoch',
    defaultEpochs: 300,
    needs: ['learningRate'],
    takes: [],
    summary: 'full-batch gradient descent',
    optimizer: sgdOptimizer,
    epoch: fullBatchEpoch,
  },
  adam: {
    order: 1,
    unit: 'epoch',
    defaultEpochs: 300,
    needs: ['learningRate'],
    takes: ['shuffleSeed', 'batchSize', 'shuffleWindow'],
    summary: 'Adam, full batch or mini-batches with --batch-size',
    optimizer: (learningRate) => adam({ learningRate }) as Optimizer<unknown>,
    epoch: (setup, state) =>
      setup.config.batchSize === undefined
        ? fullBatchEpoch(setup, state)
        : miniBatchEpoch(setup, state),
  },
  newton: {
    order: 2,
    unit: 'iteration',
    defaultEpochs: 1000,
    needs: [],
    takes: ['tolerance', 'learningRate'],
    summary: "damped Newton's method",
    minimizer: (limits) => newton(limits) as Minimizer<unknown>,
    epoch: secondOrderEpoch,
  },
  lbfgs: {
    order: 2,
    unit: 'iteration',
    defaultEpochs: 1000,
    needs: [],
    takes: ['tolerance', 'learningRate'],
    summary: 'L-BFGS',
    minimizer: (limits) => lbfgs(limits) as Minimizer<unknown>,
    epoch: secondOrderEpoch,
  },
}

/**
 * A training method's name.
 *
 * @category model
 * @since 0.3.0
 */
export type Method = keyof typeof methods

/**
 * The names of the methods, in the record's order.
 *
 * @example
 * import { lr } from 'ad-ts'
 * lr.methodNames // => ['sgd', 'batch', 'adam', 'newton', 'lbfgs']
 *
 * @category utils
 * @since 0.4.0
 */
export const methodNames = Object.keys(methods) as ReadonlyArray<Method>

/**
 * Method names as words: `sgd, batch, adam, newton or lbfgs` (`quote` puts each in
 * quotes; `conjunction` is `or` unless given).
 *
 * @example
 * import { lr } from 'ad-ts'
 * lr.listMethods(['newton', 'lbfgs'], true, 'and') // => "'newton' and 'lbfgs'"
 *
 * @category utils
 * @since 0.4.0
 */
export const listMethods = (
  names: ReadonlyArray<string>,
  quote = false,
  conjunction: 'or' | 'and' = 'or',
): string => {
  const q = names.map((n) => (quote ? `'${n}'` : n))
  return q.length <= 1
    ? q.join('')
    : `${q.slice(0, -1).join(', ')} ${conjunction} ${q[q.length - 1]}`
}

/**
 * The setup of a run: the jit-compiled objective, and for newton and lbfgs their
 * minimiser over flat weights.
 *
 * @example
 * import { lr, Tensor } from 'ad-ts'
 * const data = lr.gen2dData({ n: 10, seed: 1 })
 * const config = lr.decodeConfig({ epochs: 5, method: 'lbfgs' })
 * if (config._tag === 'Left') throw new Error('a valid config')
 * const setup = lr.setupOf(config.right, data, 1)
 * // At zero weights every probability is ½: the mean loss is log 2.
 * const [loss, gradient] = setup.lossAndGrad(Tensor.fromArray([0, 0, 0]))
 * Tensor.toArray(loss) // ≈ Math.log(2)
 * Tensor.toArray(gradient) // ≈ [0, -0.04855668119853362, -0.13138483805814757]
 * Object.keys(setup.second ?? {}) // => ['method', 'flat']
 *
 * @category constructors
 * @since 0.4.0
 */
export const setupOf = (config: TrainConfig, data: Dataset, width: number): Setup => {
  const loss = objective(data, { l2: config.l2 ?? 0, classes: Math.max(2, width) })
  // The full-batch methods run the objective through jit: traced once, then fused loops.
  const lossAndGrad = jit(valueAndGrad(loss))(tensor)
  const base = { config, data, width, lossAndGrad }
  if (methods[config.method].order === 1) return base
  const limits = { tolerance: config.tolerance ?? 1e-8, maxIterations: config.epochs }
  const method = methods[config.method].minimizer!(limits)
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
