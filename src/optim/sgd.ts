/**
 * Stochastic gradient descent with optional momentum and Nesterov momentum, as
 * PyTorch's `torch.optim.SGD` (dampening 0) and optax's `sgd` define it.
 *
 * @since 0.3.0
 */
import { checkOption, positiveFinite, type Optimizer } from './Optimizer.js'
import { elementwise, type Params } from './params.js'

/**
 * Options of `sgd`.
 *
 * @category model
 * @since 0.3.0
 */
export interface SgdOptions {
  /** The step size α, positive and finite. */
  readonly learningRate: number
  /** The momentum μ ≥ 0 (default 0: plain gradient descent). */
  readonly momentum?: number
  /** Nesterov momentum (default false); needs μ > 0. */
  readonly nesterov?: boolean
}

/**
 * The state of `sgd`: the velocity b, shaped like the parameters (zeros at first).
 *
 * @category model
 * @since 0.3.0
 */
export interface SgdState {
  /** The velocity b, shaped like the parameters. */
  readonly velocity: Params
}

/**
 * Gradient descent with momentum: b ← μ·b + g, then p ← p − α·b, or with Nesterov
 * p ← p − α·(g + μ·b). With μ = 0 it is p ← p − α·g. (Sutskever et al. 2013; the form
 * of PyTorch's SGD with dampening 0, whose first velocity is g.) Throws for a
 * learning rate that is not positive and finite, a negative or non-finite momentum, or
 * Nesterov without momentum.
 *
 * @example
 * import { optim } from 'ad-ts'
 * const opt = optim.sgd({ learningRate: 0.1 })
 * const [p] = opt.update([2], opt.init([1]), [1])
 * p // => [0.8]
 *
 * @category constructors
 * @since 0.3.0
 */
export const sgd = (options: SgdOptions): Optimizer<SgdState> => {
  const alpha = checkOption(
    'sgd',
    'learningRate',
    options.learningRate,
    'positive and finite',
    positiveFinite,
  )
  const mu = checkOption(
    'sgd',
    'momentum',
    options.momentum ?? 0,
    'finite and ≥ 0',
    (n) => Number.isFinite(n) && n >= 0,
  )
  const nesterov = options.nesterov ?? false
  if (nesterov && mu === 0) throw new Error('sgd: nesterov needs a momentum > 0, got momentum 0')
  return {
    init: (params) => ({ velocity: elementwise('sgd.init', [params], () => 0) }),
    update: (grads, state, params) => {
      const velocity = elementwise(
        'sgd.update',
        [params, grads, state.velocity],
        ([, g, b]) => mu * b! + g!,
      )
      const next = elementwise(
        'sgd.update',
        [params, grads, velocity],
        ([p, g, b]) => p! - alpha * (nesterov ? g! + mu * b! : b!),
      )
      return [next, { velocity }]
    },
  }
}
