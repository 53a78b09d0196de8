/**
 * What a derivative law is about: an op made with `defineOp`, or a function written
 * against `Floating` of one value or of an array, normalised to `ℝⁿ → ℝᵐ` form.
 *
 * @since 0.1.0
 */
import type { ArrayFunction, Floating, Op, ScalarFunction, VectorFunction } from '../src/index.js'

/**
 * An op, or a function of one value (`arity` omitted) or of `arity` values.
 *
 * @category model
 * @since 0.1.0
 */
export type Subject = Op | ScalarFunction | ArrayFunction | VectorFunction

type Untyped = <A>(F: Floating<A>) => (x: unknown) => A | ReadonlyArray<A>

/**
 * A subject in `ℝⁿ → ℝᵐ` form.
 *
 * @category model
 * @since 0.1.0
 */
export interface Normalised {
  /** The subject's name, for messages. */
  readonly name: string
  /** The subject as a function of an array returning an array. */
  readonly f: VectorFunction
}

/**
 * The subject as a function of an array returning an array, and its name for messages.
 *
 * @example
 * import { scalar, type Floating } from 'ad-ts'
 * import { normalise } from 'ad-ts/laws'
 * const { f } = normalise(<A>(F: Floating<A>) => (x: A): A => F.mul(x, x), undefined)
 * f(scalar)([3]) // => [9]
 *
 * @category utils
 * @since 0.1.0
 */
export const normalise = (subject: Subject, arity: number | undefined): Normalised => {
  const g = subject as unknown as Untyped
  const f: VectorFunction =
    <A>(F: Floating<A>) =>
    (xs: ReadonlyArray<A>): ReadonlyArray<A> => {
      const out = arity === undefined ? g(F)(xs[0]) : g(F)(xs)
      return Array.isArray(out) ? (out as ReadonlyArray<A>) : [out as A]
    }
  const name = 'spec' in subject ? subject.spec.name : subject.name || 'the function'
  return { name, f }
}
