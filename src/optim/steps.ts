/**
 * Running a first-order optimiser: a fold of its pure update over the steps, read
 * lazily (`steps`) or to a fixed count (`run`).
 *
 * @since 0.3.0
 */
import { internal, isTensor, showShape, type Tensor } from '../tensor/Tensor.js'
import type { Optimizer } from './Optimizer.js'
import type { Params } from './params.js'

/**
 * A function giving the loss (a number or a shape-`[]` Tensor) and its gradient, shaped
 * like the parameters: `valueAndGrad(loss)(tensor)` is one.
 *
 * @category model
 * @since 0.3.0
 */
export type LossAndGrad<P> = (params: P) => readonly [number | Tensor, P]

/**
 * One step of a run: its number (from 1), the loss at the parameters it started from
 * (whose gradient it used), and the parameters and optimiser state after it.
 *
 * @category model
 * @since 0.3.0
 */
export interface OptimStep<P, S> {
  /** The step's number, from 1. */
  readonly step: number
  /** The loss at the parameters the step started from. */
  readonly loss: number
  /** The parameters after the step. */
  readonly params: P
  /** The optimiser's state after the step. */
  readonly state: S
}

/** The loss as a number; throws for a Tensor that is not one value. */
export const lossNumber = (op: string, value: number | Tensor): number => {
  if (!isTensor(value)) return value
  if (value.shape.length !== 0) {
    throw new Error(
      `${op}: the loss must have shape [] (one number), got shape ${showShape(value.shape)}`,
    )
  }
  return internal.data(value)[0]!
}

/**
 * The steps of an optimiser from `params`, computed as the iterable is read (without
 * end: take as many as you need). Each step evaluates `lossAndGrad` once. Reading it
 * twice gives the same steps.
 *
 * @example
 * import { optim, scalar, valueAndGrad, type Floating } from 'ad-ts'
 * const loss = <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => F.mul(xs[0]!, xs[0]!)
 * const run = optim.steps(optim.sgd({ learningRate: 0.25 }))(valueAndGrad(loss)(scalar))([1])
 * const [first] = run
 * first!.params // => [0.5]
 *
 * @category combinators
 * @since 0.3.0
 */
export const steps =
  <S>(optimizer: Optimizer<S>) =>
  <P extends Params>(lossAndGrad: LossAndGrad<P>) =>
  (params: P): Iterable<OptimStep<P, S>> => ({
    *[Symbol.iterator]() {
      let p = params
      let state = optimizer.init(params)
      for (let step = 1; ; step++) {
        const [value, grads] = lossAndGrad(p)
        const [next, nextState] = optimizer.update(grads, state, p)
        p = next
        state = nextState
        yield { step, loss: lossNumber('optim.steps', value), params: p, state }
      }
    },
  })

/**
 * The result of `run`: the parameters and state after the last step, and the loss
 * each step started from.
 *
 * @category model
 * @since 0.3.0
 */
export interface RunResult<P, S> {
  /** The parameters after the last step. */
  readonly params: P
  /** The optimiser's state after the last step. */
  readonly state: S
  /** The loss each step started from, in order. */
  readonly losses: ReadonlyArray<number>
}

/**
 * Runs an optimiser for `steps` steps (a positive integer; throws otherwise).
 *
 * @example
 * import { optim, scalar, valueAndGrad, type Floating } from 'ad-ts'
 * const loss = <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => F.mul(xs[0]!, xs[0]!)
 * const { params, losses } = optim.run(optim.sgd({ learningRate: 0.25 }), { steps: 2 })(valueAndGrad(loss)(scalar))([1])
 * params // => [0.25]
 * losses // => [1, 0.25]
 *
 * @category combinators
 * @since 0.3.0
 */
export const run =
  <S>(optimizer: Optimizer<S>, options: { readonly steps: number }) =>
  <P extends Params>(lossAndGrad: LossAndGrad<P>) =>
  (params: P): RunResult<P, S> => {
    if (!Number.isSafeInteger(options.steps) || options.steps < 1) {
      throw new Error(`optim.run: steps must be a positive integer, got ${String(options.steps)}`)
    }
    const losses: number[] = []
    let last = { params, state: optimizer.init(params) }
    for (const s of steps(optimizer)(lossAndGrad)(params)) {
      losses.push(s.loss)
      last = s
      if (s.step === options.steps) break
    }
    return { params: last.params, state: last.state, losses }
  }
