/**
 * Adam (Kingma and Ba 2015, Algorithm 1), with the defaults of PyTorch and optax.
 *
 * @since 0.3.0
 */
import { checkOption, positiveFinite, unitInterval, type Optimizer } from './Optimizer.js'
import { elementwise, type Params } from './params.js'

/**
 * Options of `adam`.
 *
 * @category model
 * @since 0.3.0
 */
export interface AdamOptions {
  /** The step size α, positive and finite. */
  readonly learningRate: number
  /** Decay of the first moment, in [0, 1) (default 0.9). */
  readonly beta1?: number
  /** Decay of the second moment, in [0, 1) (default 0.999). */
  readonly beta2?: number
  /** Added to √v̂ in the denominator, positive (default 1e-8). */
  readonly epsilon?: number
}

/**
 * The state of `adam`: the number of steps taken and the two moment estimates, shaped
 * like the parameters (zeros at first).
 *
 * @category model
 * @since 0.3.0
 */
export interface AdamState {
  /** Steps taken so far (t of the next step is step + 1). */
  readonly step: number
  /** The first-moment estimate m, shaped like the parameters. */
  readonly m: Params
  /** The second-moment estimate v, shaped like the parameters. */
  readonly v: Params
}

/**
 * Adam: at step t, m ← β₁·m + (1 − β₁)·g, v ← β₂·v + (1 − β₂)·g², m̂ = m/(1 − β₁ᵗ),
 * v̂ = v/(1 − β₂ᵗ), p ← p − α·m̂/(√v̂ + ε). Throws for an option outside its range
 * (the message names it).
 *
 * @example
 * import { optim } from 'ad-ts'
 * const opt = optim.adam({ learningRate: 0.1 })
 * const [p] = opt.update({ w: 3 }, opt.init({ w: 1 }), { w: 1 })
 * p.w // ≈ 0.9
 *
 * @category constructors
 * @since 0.3.0
 */
export const adam = (options: AdamOptions): Optimizer<AdamState> => {
  const alpha = checkOption(
    'adam',
    'learningRate',
    options.learningRate,
    'positive and finite',
    positiveFinite,
  )
  const beta1 = checkOption('adam', 'beta1', options.beta1 ?? 0.9, 'in [0, 1)', unitInterval)
  const beta2 = checkOption('adam', 'beta2', options.beta2 ?? 0.999, 'in [0, 1)', unitInterval)
  const epsilon = checkOption(
    'adam',
    'epsilon',
    options.epsilon ?? 1e-8,
    'positive and finite',
    positiveFinite,
  )
  return {
    init: (params) => {
      const zeros = elementwise('adam.init', [params], () => 0)
      return { step: 0, m: zeros, v: zeros }
    },
    update: (grads, state, params) => {
      const t = state.step + 1
      const m = elementwise(
        'adam.update',
        [params, grads, state.m],
        ([, g, m]) => beta1 * m! + (1 - beta1) * g!,
      )
      const v = elementwise(
        'adam.update',
        [params, grads, state.v],
        ([, g, v]) => beta2 * v! + (1 - beta2) * g! * g!,
      )
      const c1 = 1 - beta1 ** t
      const c2 = 1 - beta2 ** t
      const next = elementwise(
        'adam.update',
        [params, m, v],
        ([p, m, v]) => p! - (alpha * (m! / c1)) / (Math.sqrt(v! / c2) + epsilon),
      )
      return [next, { step: t, m, v }]
    },
  }
}
