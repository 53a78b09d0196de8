/**
 * The shape every first-order optimiser has: a state made from the parameters, and a
 * pure update from a gradient to new parameters and a new state. Running one is a fold
 * (`steps`, `run`); nothing is mutated, so a state can be kept, compared or replayed.
 *
 * @since 0.3.0
 */
import { showValue } from '../util/show.js'
import type { Params } from './params.js'

/**
 * A first-order optimiser with state `S`: `init(params)` makes the state before the
 * first step; `update(grads, state, params)` gives the parameters after one step and
 * the state for the next. `grads` has the structure and shapes of `params`.
 *
 * @category model
 * @since 0.3.0
 */
export interface Optimizer<S> {
  /** The state before the first step. */
  readonly init: (params: Params) => S
  /** One step: the new parameters and the new state; the arguments are not changed. */
  readonly update: <P extends Params>(grads: P, state: S, params: P) => readonly [P, S]
}

/** Throws unless an option satisfies its rule; the message names the optimiser and field. */
export const checkOption = (
  optimizer: string,
  field: string,
  value: number,
  rule: string,
  ok: (n: number) => boolean,
): number => {
  if (!ok(value)) throw new Error(`${optimizer}: ${field} must be ${rule}, got ${showValue(value)}`)
  return value
}

/** x > 0 and finite. */
export const positiveFinite = (n: number): boolean => Number.isFinite(n) && n > 0

/** 0 ≤ x < 1. */
export const unitInterval = (n: number): boolean => n >= 0 && n < 1
