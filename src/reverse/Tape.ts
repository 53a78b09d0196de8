/**
 * `Tape`: reverse mode as a pure State monad over an immutable tape.
 *
 * A `Tape<A>` is an action `(state) => [a, state′]`. `record(f)` evaluates a
 * direct-style function with a reverse-mode instance whose ops append entries to a
 * builder that exists only inside that action; when `f` returns, the builder is sealed
 * into the next state. Sealed tapes never change: the builder refuses writes after
 * sealing, and two actions run from the same state each get their own builder.
 * Backprop (`Tape.backprop`) is one reverse fold over a sealed tape.
 *
 * `Tape` is a lawful fp-ts `Monad`: `of` is left and right identity for `chain`, and
 * `chain` is associative, comparing both the results and the tapes the runs produce.
 * Reached as `Tape` from `ad-ts`: `import { Tape } from 'ad-ts'`.
 *
 * @example
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { Tape, scalar } from 'ad-ts'
 * const program = pipe(
 *   Tape.Do,
 *   Tape.bind('x', () => Tape.variable(3)),
 *   Tape.bind('y', ({ x }) => Tape.record<number, Tape.Var<number>>((R) => R.mul(x, x))),
 * )
 * const [{ x, y }, tape] = Tape.run(scalar)(program)
 * Tape.backprop(tape, [[y, 1]])(x) // => 6
 *
 * @module Tape
 * @since 0.1.0
 */
import type { Applicative2 } from 'fp-ts/lib/Applicative.js'
import type { Apply2 } from 'fp-ts/lib/Apply.js'
import { apS as apS_ } from 'fp-ts/lib/Apply.js'
import type { Chain2 } from 'fp-ts/lib/Chain.js'
import { bind as bind_ } from 'fp-ts/lib/Chain.js'
import type { Functor2 } from 'fp-ts/lib/Functor.js'
import { bindTo as bindTo_ } from 'fp-ts/lib/Functor.js'
import type { Monad2 } from 'fp-ts/lib/Monad.js'
import { backpropGeneric, backpropNumber } from './backprop.js'
import type { Floating } from '../Floating.js'
import { recordOn } from './recording.js'
import { emptySealed, segmentValues, valueAt, type Sealed } from './tapeStore.js'
import { internal, isTensor, showShape } from '../tensor/Tensor.js'
import { isStrongZero } from '../tangentArithmetic.js'
import { isTensorial } from '../Tensorial.js'
import { entryOf, isConstant, type ReverseFloating, type Var } from './Var.js'

export type { ReverseFloating, Var } from './Var.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A finished tape over base `B`: immutable, read with `values`, `value`, `size` and
 * `backprop`.
 *
 * @category model
 * @since 0.1.0
 */
export interface Recorded<B> {
  /** The base instance the tape was recorded over. */
  readonly base: Floating<B>
  /**
   * The sealed entries.
   *
   * @internal
   */
  readonly sealed: Sealed
}

/**
 * The state threaded by `Tape` actions: the base instance and the tape so far.
 *
 * @category model
 * @since 0.1.0
 */
export interface TapeState {
  /** The base instance of the run (of the base type of the action's type). */
  readonly base: unknown
  /**
   * The entries recorded so far.
   *
   * @internal
   */
  readonly sealed: Sealed
}

/**
 * A reverse-mode action over base `B`: reads the tape so far, returns a result and the
 * longer tape. The base is part of the type, as the state of fp-ts's `State<S, A>`, so
 * an action recorded over numbers cannot run over tensors.
 *
 * @category model
 * @since 0.1.0
 */
export interface Tape<B, A> {
  (state: TapeState): readonly [A, TapeState]
  /**
   * The base type, at the type level only. It is covariant, so an action that records
   * nothing (`of`, `Do`, of base `never`) runs over any base.
   */
  readonly _base?: () => B
}

/**
 * The fp-ts type-class URI of `Tape`.
 *
 * @category instances
 * @since 0.1.0
 *
 * @example
 * import { Tape } from 'ad-ts'
 * Tape.URI // => 'Tape'
 *
 */
export const URI = 'Tape'

/**
 * The fp-ts type-class URI of `Tape`.
 *
 * @category instances @since 0.1.0 */
export type URI = typeof URI

declare module 'fp-ts/lib/HKT' {
  interface URItoKind2<E, A> {
    readonly [URI]: Tape<E, A>
  }
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * The action that records nothing and returns `a`.
 *
 * @example
 * import { scalar, Tape } from 'ad-ts'
 * Tape.run(scalar)(Tape.of('done'))[0] // => 'done'
 *
 * @category constructors
 * @since 0.1.0
 */
export const of =
  <A, B = never>(a: A): Tape<B, A> =>
  (s) => [a, s]

/**
 * Runs a direct-style function with the reverse-mode instance of this action. Every op
 * it applies is appended to the tape; the instance refuses use after `f` returns.
 *
 * @example
 * import { scalar, Tape } from 'ad-ts'
 * const [y, tape] = Tape.run(scalar)(Tape.record<number, Tape.Var<number>>((R) => R.exp(R.lift(0))))
 * Tape.value(tape, y) // => 1
 *
 * @category constructors
 * @since 0.1.0
 */
export const record =
  <B, R>(f: (F: ReverseFloating<B>) => R): Tape<B, R> =>
  (s) => {
    const [r, t] = recordOn(f, s)
    return [r, t]
  }

/**
 * Records a base value as an input variable of the tape.
 *
 * @example
 * import { scalar, Tape } from 'ad-ts'
 * const [x, tape] = Tape.run(scalar)(Tape.variable(5))
 * Tape.value(tape, x) // => 5
 *
 * @category constructors
 * @since 0.1.0
 */
export const variable = <B>(x: B): Tape<B, Var<B>> => record<B, Var<B>>((R) => R.variable(x))

/**
 * Records several input variables at once, in order.
 *
 * @example
 * import { scalar, Tape } from 'ad-ts'
 * const [xs, tape] = Tape.run(scalar)(Tape.variables([1, 2]))
 * xs.map((x) => Tape.value(tape, x)) // => [1, 2]
 *
 * @category constructors
 * @since 0.1.0
 */
export const variables = <B>(xs: ReadonlyArray<B>): Tape<B, ReadonlyArray<Var<B>>> =>
  record<B, ReadonlyArray<Var<B>>>((R) => xs.map(R.variable))

// -------------------------------------------------------------------------------------
// instances
// -------------------------------------------------------------------------------------

const _map: Functor2<URI>['map'] = (fa, f) => (s) => {
  const [a, s1] = fa(s)
  return [f(a), s1]
}
const _ap: Apply2<URI>['ap'] = (fab, fa) => (s) => {
  const [f, s1] = fab(s)
  const [a, s2] = fa(s1)
  return [f(a), s2]
}
const _chain: Chain2<URI>['chain'] = (ma, f) => (s) => {
  const [a, s1] = ma(s)
  return f(a)(s1)
}

/**
 * The fp-ts `Functor` instance of `Tape`.
 *
 * @category instances
 * @since 0.1.0
 *
 * @example
 * import { scalar, Tape } from 'ad-ts'
 * Tape.run(scalar)(Tape.Functor.map(Tape.of(2), (x: number) => x + 1))[0] // => 3
 *
 */
export const Functor: Functor2<URI> = { URI, map: _map }

/**
 * The fp-ts `Apply` instance of `Tape`.
 *
 * @category instances
 * @since 0.1.0
 *
 * @example
 * import { scalar, Tape } from 'ad-ts'
 * Tape.run(scalar)(Tape.Apply.map(Tape.of(2), (x: number) => x + 1))[0] // => 3
 *
 */
export const Apply: Apply2<URI> = { URI, map: _map, ap: _ap }

/**
 * The fp-ts `Applicative` instance of `Tape`.
 *
 * @category instances
 * @since 0.1.0
 *
 * @example
 * import { scalar, Tape } from 'ad-ts'
 * Tape.run(scalar)(Tape.Applicative.map(Tape.of(2), (x: number) => x + 1))[0] // => 3
 *
 */
export const Applicative: Applicative2<URI> = { URI, map: _map, ap: _ap, of }

/**
 * The fp-ts `Chain` instance of `Tape`.
 *
 * @category instances
 * @since 0.1.0
 *
 * @example
 * import { scalar, Tape } from 'ad-ts'
 * Tape.run(scalar)(Tape.Chain.map(Tape.of(2), (x: number) => x + 1))[0] // => 3
 *
 */
export const Chain: Chain2<URI> = { URI, map: _map, ap: _ap, chain: _chain }

/**
 * The fp-ts `Monad` instance of `Tape`: lawful, checked by `tapeLaws`.
 *
 * @category instances
 * @since 0.1.0
 *
 * @example
 * import { scalar, Tape } from 'ad-ts'
 * Tape.run(scalar)(Tape.Monad.map(Tape.of(2), (x: number) => x + 1))[0] // => 3
 *
 */
export const Monad: Monad2<URI> = { URI, map: _map, ap: _ap, of, chain: _chain }

// -------------------------------------------------------------------------------------
// combinators
// -------------------------------------------------------------------------------------

/**
 * Maps the result of an action; records nothing more.
 *
 * @category combinators
 * @since 0.1.0
 *
 * @example
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { scalar, Tape } from 'ad-ts'
 * Tape.run(scalar)(pipe(Tape.of(2), Tape.map((x) => x * 10)))[0] // => 20
 *
 */
export const map =
  <A, C>(f: (a: A) => C) =>
  <B>(fa: Tape<B, A>): Tape<B, C> =>
    _map(fa, f)

/**
 * Applies the function an action returns to the result of another, run after it.
 *
 * @category combinators
 * @since 0.1.0
 *
 * @example
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { scalar, Tape } from 'ad-ts'
 * Tape.run(scalar)(pipe(Tape.of((x: number) => x + 1), Tape.ap(Tape.of(1))))[0] // => 2
 *
 */
export const ap =
  <B, A>(fa: Tape<B, A>) =>
  <C>(fab: Tape<B, (a: A) => C>): Tape<B, C> =>
    _ap(fab, fa)

/**
 * Runs an action, then the action its result chooses, on the tape the first left.
 *
 * @category combinators
 * @since 0.1.0
 *
 * @example
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { scalar, Tape } from 'ad-ts'
 * const [y, tape] = Tape.run(scalar)(pipe(Tape.variable(3), Tape.chain((x) => Tape.record<number, Tape.Var<number>>((R) => R.mul(x, x)))))
 * Tape.value(tape, y) // => 9
 *
 */
export const chain =
  <B, A, C>(f: (a: A) => Tape<B, C>) =>
  (ma: Tape<B, A>): Tape<B, C> =>
    _chain(ma, f)

/**
 * Another name for `chain`.
 *
 * @category combinators
 * @since 0.1.0
 *
 * @example
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { scalar, Tape } from 'ad-ts'
 * Tape.run(scalar)(pipe(Tape.of(1), Tape.flatMap((x) => Tape.of(x + 1))))[0] // => 2
 *
 */
export const flatMap = chain

/**
 * Starts a do-notation block.
 *
 * @category combinators
 * @since 0.1.0
 *
 * @example
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { scalar, Tape } from 'ad-ts'
 * Tape.run(scalar)(pipe(Tape.Do, Tape.bind('a', () => Tape.of(1))))[0] // => { a: 1 }
 *
 */
export const Do: Tape<never, {}> = of({}) // eslint-disable-line @typescript-eslint/no-empty-object-type

/**
 * Names the result of an action, starting a do-notation record.
 *
 * @category combinators
 * @since 0.1.0
 *
 * @example
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { scalar, Tape } from 'ad-ts'
 * Tape.run(scalar)(pipe(Tape.of(1), Tape.bindTo('a')))[0] // => { a: 1 }
 *
 */
export const bindTo = bindTo_(Functor)

/**
 * Adds the result of an action chosen from the record so far to the record.
 *
 * @category combinators
 * @since 0.1.0
 *
 * @example
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { scalar, Tape } from 'ad-ts'
 * Tape.run(scalar)(pipe(Tape.Do, Tape.bind('a', () => Tape.of(1)), Tape.bind('b', ({ a }) => Tape.of(a + 1))))[0] // => { a: 1, b: 2 }
 *
 */
export const bind = bind_(Chain)

/**
 * Adds the result of an independent action to the record.
 *
 * @category combinators
 * @since 0.1.0
 *
 * @example
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { scalar, Tape } from 'ad-ts'
 * Tape.run(scalar)(pipe(Tape.Do, Tape.apS('a', Tape.of(1))))[0] // => { a: 1 }
 *
 */
export const apS = apS_(Apply)

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/**
 * Runs an action from the empty tape over base `F`; returns its result and the
 * finished tape.
 *
 * @example
 * import { scalar, Tape } from 'ad-ts'
 * const [result, tape] = Tape.run(scalar)(Tape.of(42))
 * result // => 42
 * Tape.size(tape) // => 0
 *
 * @category utils
 * @since 0.1.0
 */
export const run =
  <B>(F: Floating<B>) =>
  <A>(action: Tape<B, A>): readonly [A, Recorded<B>] => {
    const [a, s] = action({ base: F, sealed: emptySealed })
    return [a, { base: F, sealed: s.sealed }]
  }

/**
 * The number of entries on a finished tape.
 *
 * @example
 * import { scalar, Tape } from 'ad-ts'
 * // The instance's zero and one are recorded first, then one entry a variable.
 * Tape.size(Tape.run(scalar)(Tape.variables([1, 2, 3]))[1]) // => 5
 *
 * @category utils
 * @since 0.1.0
 */
export const size = <B>(tape: Recorded<B>): number => tape.sealed.size

/**
 * The primal value of a variable on a finished tape.
 *
 * @example
 * import { scalar, Tape } from 'ad-ts'
 * const [x, tape] = Tape.run(scalar)(Tape.variable(7))
 * Tape.value(tape, x) // => 7
 *
 * @category utils
 * @since 0.1.0
 */
export const value = <B>(tape: Recorded<B>, x: Var<B>): B => valueAt(tape.sealed, entryOf(x)) as B

/**
 * Every entry's primal value, in recording order (a fresh array).
 *
 * @example
 * import { scalar, Tape } from 'ad-ts'
 * // The instance's zero and one, then the variable.
 * Tape.values(Tape.run(scalar)(Tape.variable(7))[1]) // => [0, 1, 7]
 *
 * @category utils
 * @since 0.1.0
 */
export const values = <B>(tape: Recorded<B>): ReadonlyArray<B> =>
  tape.sealed.segments.flatMap((seg) => segmentValues(seg) as B[])

/**
 * Backpropagation: the adjoints of a finished tape given seeds (output variables and
 * their adjoints), as a function from a variable to its adjoint. A variable that does
 * not influence any seed has adjoint zero.
 *
 * @example
 * import { scalar, Tape } from 'ad-ts'
 * const [[x, y], tape] = Tape.run(scalar)(Tape.record<number, readonly [Tape.Var<number>, Tape.Var<number>]>((R) => { const x = R.variable(2); return [x, R.mul(x, R.mul(x, x))] }))
 * Tape.backprop(tape, [[y, 1]])(x) // => 12
 *
 * @category utils
 * @since 0.1.0
 */
export const backprop = <B>(
  tape: Recorded<B>,
  seeds: ReadonlyArray<readonly [Var<B>, B]>,
): ((x: Var<B>) => B) => {
  const F = tape.base
  if (F.numeric === true) {
    const adj = backpropNumber(tape.sealed, seeds as ReadonlyArray<readonly [number, number]>)
    return (x) => (isConstant(x) ? 0 : adjointAt(adj, x)) as B
  }
  // A seed that is +0 at every element contributes nothing (the number fold skips every
  // +0 adjoint the same way), so it is left out: the fold then visits only the entries
  // that the other seeds reach, and one output's row of a vjp costs that output's share.
  const fitted = seeds
    .map(([x, u]) => [x, seedAt(F, u, value(tape, x))] as const)
    .filter(([, u]) => !isStrongZeroSeed(u))
  const adj = backpropGeneric(F, tape.sealed, fitted)
  // An entry no seed reaches, or a constant, has adjoint zero at its value's shape.
  const zero = (x: Var<B>): B => (isTensorial(F) ? F.unbroadcast(F.zero, value(tape, x)) : F.zero)
  return (x) => (isConstant(x) ? zero(x) : (adjointAt(adj, x) ?? zero(x)))
}

/** Whether a seed is +0 at every element: a number, or a tensor whose stored values all are. */
const isStrongZeroSeed = (u: unknown): boolean => {
  if (typeof u === 'number') return isStrongZero(u)
  if (!isTensor(u)) return false
  const x = internal.raw(u)
  for (let i = 0; i < x.length; i++) if (!isStrongZero(x[i]!)) return false
  return true
}

/** A seed at its output's shape: a shape-[] seed stands for itself at every element. */
const seedAt = <B>(F: Floating<B>, u: B, y: B): B => {
  if (!isTensorial(F)) return u
  const su = F.shape(u)
  const sy = F.shape(y)
  if (su.length === sy.length && su.every((d, i) => d === sy[i])) return u
  if (su.length === 0) return F.unbroadcast(u, y)
  throw new Error(
    `Tape.backprop: a seed of shape ${showShape(su)} for an output of shape ${showShape(sy)}; a seed must have its output's shape (or shape [])`,
  )
}

const adjointAt = <T>(adj: ArrayLike<T>, x: number): T => {
  if (!Number.isInteger(x) || x < 0 || x >= adj.length) {
    throw new Error(
      `Tape.backprop: variable ${x} is not on this tape (its length is ${adj.length})`,
    )
  }
  return adj[x]!
}
