/**
 * What a batching rule sees: a value under `vmap` is a base value whose first axis may
 * be the mapped axis, and a rule maps an op over that axis with one op of the base. The
 * rows of the structural table write their batching rules against this view; `vmap`'s
 * batching instance provides it.
 *
 * @since 0.5.0
 */
import type { Tensorial } from '../Tensorial.js'

/**
 * A value under `vmap`: the base value, and whether its first axis is the mapped axis.
 *
 * @category model
 * @since 0.5.0
 */
export interface BatchValue<A> {
  /** The base value: `[n, ...example]` when mapped, else the example shape. */
  readonly value: A
  /** Whether the first axis of `value` is the mapped axis. */
  readonly mapped: boolean
}

/**
 * The batching instance as a rule sees it: the base, the mapped length, and the few
 * moves every rule makes.
 *
 * @category model
 * @since 0.5.0
 */
export interface BatchContext<A> {
  /** The base instance, on which every batched op runs. */
  readonly T: Tensorial<A>
  /** The batching instance itself (for rules built from other batched ops). */
  readonly self: Tensorial<BatchValue<A>>
  /** The length of the mapped axis. */
  readonly n: number
  /** A value of the base, mapped or not. */
  readonly of: (value: A, mapped: boolean) => BatchValue<A>
  /** The shape of one example. */
  readonly exShape: (x: BatchValue<A>) => ReadonlyArray<number>
  /** A mapped value with 1s after the mapped axis up to example rank r (unmapped: as is). */
  readonly atRank: (x: BatchValue<A>, r: number) => A
  /** The value with the mapped axis present (broadcast when unmapped). */
  readonly full: (x: BatchValue<A>) => A
}
