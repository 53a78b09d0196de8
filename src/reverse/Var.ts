/**
 * `Var<B>`: a value in reverse mode, a handle to one entry of the tape being
 * recorded, whose primal is a `B` of the base instance.
 *
 * @since 0.1.0
 */
import type { Floating } from '../Floating.js'
import type { Tensorial } from '../Tensorial.js'

declare const varBrand: unique symbol

/**
 * A handle to a tape entry, branded with its base type so that a variable of one
 * level of differentiation cannot be passed where another is expected. A variable
 * (a value that depends on an input) is the entry's index `i ≥ 0`; a constant is the
 * negative handle `~i`: the handle is the tag, so no op computes a partial for a
 * constant and no adjoint flows into one.
 *
 * @category model
 * @since 0.1.0
 */
export type Var<B> = number & {
  /** The base type, at the type level only. */
  readonly [varBrand]: B
}

/**
 * The reverse-mode instance of one record action: a `Floating<Var<B>>` whose ops
 * append to the tape, with `variable` (a base value as an input leaf, whose adjoint is
 * wanted), `lift` (a base value as a constant leaf: no adjoint flows into it) and
 * `value` (the primal of a variable).
 *
 * @category model
 * @since 0.1.0
 */
export interface ReverseFloating<B> extends Floating<Var<B>> {
  /** A base value as an input leaf, whose adjoint is wanted. */
  readonly variable: (x: B) => Var<B>
  /** A base value as a constant leaf: no adjoint flows into it. */
  readonly lift: (x: B) => Var<B>
  /** The primal of a variable. */
  readonly value: (x: Var<B>) => B
}

/**
 * The reverse-mode instance over a `Tensorial` base: also `Tensorial`.
 *
 * @category model
 * @since 0.1.0
 */
export interface ReverseTensorial<B> extends Tensorial<Var<B>> {
  /** A base value as an input leaf, whose adjoint is wanted. */
  readonly variable: (x: B) => Var<B>
  /** A base value as a constant leaf: no adjoint flows into it. */
  readonly lift: (x: B) => Var<B>
  /** The primal of a variable. */
  readonly value: (x: Var<B>) => B
}

/**
 * Whether a handle is a constant.
 *
 * @category utils
 * @since 0.2.0
 */
export const isConstant = (a: number): boolean => a < 0

/**
 * The tape index of a handle, constant or not.
 *
 * @category utils
 * @since 0.2.0
 */
export const entryOf = (a: number): number => (a < 0 ? ~a : a)
