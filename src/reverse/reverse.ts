/**
 * Reverse mode: derivatives by recording a tape and folding it backwards. One pass
 * gives a whole gradient (`Jᵀ·u`), so reverse mode suits functions with many inputs
 * and few outputs.
 *
 * @since 0.1.0
 */
import type { Floating } from '../Floating.js'
import { showShape } from '../tensor/Tensor.js'
import { isTensorial, type Tensorial } from '../Tensorial.js'
import type {
  AnyFunction,
  ArrayFunction,
  ArrayFunctionOver,
  ScalarFunction,
  ScalarFunctionOver,
  VectorFunction,
  TensorialArrayFunction,
  TensorialScalarFunction,
  TensorialTreeFunction,
  TensorialTreeMap,
  TensorialVectorFunction,
  TreeFunction,
  TreeMap,
  VectorFunctionOver,
} from '../fn.js'
import { unitVector } from '../ops/points.js'
import {
  isTreeNode,
  isNumberArray,
  leavesOf,
  mapLeaves,
  sameStructure,
  withLeaves,
  type Slot,
  type Subst,
  type SubstAll,
  type Tree,
} from '../tree.js'
import * as Tape from './Tape.js'
import type { ReverseFloating, Var } from './Var.js'
import { recordOn, type Sizing } from './recording.js'
import { emptySealed } from './tapeStore.js'
import { adjointsOf, backpropNumber } from './backprop.js'
import { requireArray } from '../util/arrayArguments.js'
import { isStaticLeaf, requireValues } from '../util/staticLeaves.js'

/**
 * The length of each function's last tape, by function: the storage of its next one
 * holds as many entries (see `NumberBuilder`). A cache of storage sizes, invisible from
 * outside; Rosenbrock n = 10,000 took 0.73–0.78x the time of a tape grown from 64 entries.
 */
const sizings = new WeakMap<AnyFunction, Sizing>()

/**
 * A variable for each leaf of x, in order, in x's structure; an array of numbers in a
 * loop of its own, whose one call of `variable` the JIT inlines (see `isNumberArray`).
 */
const _variables = <A>(R: ReverseFloating<A>, x: Tree<A>): Tree<Var<A>> => {
  if (!isNumberArray(x)) return mapLeaves(x, R.variable)
  const out = new Array<Var<A>>(x.length)
  for (let i = 0; i < x.length; i++) out[i] = R.variable(x[i] as A)
  return out
}

/**
 * Records f at a tree x, the further arguments `data` entering as constants (no adjoint
 * flows into them); returns the output tree, the input tree of variables and the tape.
 */
const _record = <A>(
  F: Floating<A>,
  f: AnyFunction,
  x: Tree<A>,
  data: ReadonlyArray<Tree<A>>,
  op: string,
) => {
  if (isTensorial(F)) requireValues(op, F, x)
  let sizing = sizings.get(f)
  if (sizing === undefined) {
    sizing = { entries: 0 }
    sizings.set(f, sizing)
  }
  const recording = (R: ReverseFloating<A>): readonly [Tree<Var<A>>, Tree<Var<A>>] => {
    const ins = _variables(R, x)
    const f_ = f as unknown as (
      F: unknown,
      lift: unknown,
    ) => (x: unknown, ...data: unknown[]) => Tree<Var<A>>
    // Data enter as constants; a leaf that is not a value of F (a number beside tensors,
    // a string) reaches f unchanged.
    const consts = data.map((d) => mapLeaves(d, (l) => (isStaticLeaf(F, l) ? l : R.lift(l))))
    return [f_(R, R.lift)(ins, ...consts), ins]
  }
  const [[out, ins], { sealed }, release] = recordOn(
    recording,
    { base: F, sealed: emptySealed },
    sizing,
  )
  const tape: Tape.Recorded<A> = { base: F, sealed }
  return { out, ins, tape, release, sizing }
}

/**
 * The adjoints of a tree of variables, the fold seeded by `seeds`. Over numbers they are
 * read from the adjoint array in one loop, not through a closure a leaf, and the array
 * is the function's `Sizing`'s: taken while in use (so a fold inside this one allocates
 * its own) and handed back once read.
 */
const _adjoints = <A>(
  tape: Tape.Recorded<A>,
  seeds: ReadonlyArray<readonly [Var<A>, A]>,
  ins: Tree<Var<A>>,
  sizing: Sizing,
): Tree<A> => {
  if (tape.base.numeric !== true) return mapLeaves(ins, Tape.backprop(tape, seeds))
  const spare = sizing.adjoints
  sizing.adjoints = undefined
  const adj = backpropNumber(tape.sealed, seeds as ReadonlyArray<readonly [number, number]>, spare)
  // An array of variables (the common case) is read straight into the fresh result.
  // (Tested with every, not isNumberArray: handles are small integers, and that test
  // kept to arrays of doubles boxes none of them.)
  const out =
    Array.isArray(ins) && ins.every((v) => typeof v === 'number')
      ? adjointsOf(adj, ins)
      : withLeaves(ins, adjointsOf(adj, leavesOf(ins) as ReadonlyArray<number>))
  sizing.adjoints = adj
  return out as Tree<A>
}

/**
 * Options of `grad` and `valueAndGrad`.
 *
 * @category model
 * @since 0.5.0
 */
export interface GradOptions {
  /**
   * The function returns `readonly [loss, aux]`: aux (any tree of values) is carried out
   * as plain base values, and only the loss is differentiated (JAX's `has_aux`).
   */
  readonly hasAux?: boolean
}

const _valueAndGrad = <A>(
  F: Floating<A>,
  f: AnyFunction,
  x: Tree<A>,
  data: ReadonlyArray<Tree<A>>,
  hasAux: boolean,
  op = 'grad',
): readonly [A, Tree<A>, Tree<A> | undefined] => {
  const { out: result, ins, tape, release, sizing } = _record(F, f, x, data, op)
  if (hasAux && !(Array.isArray(result) && result.length === 2)) {
    throw new Error(
      `${op}: with hasAux the function must return readonly [loss, aux], got ${Array.isArray(result) ? `an array of ${result.length}` : isTreeNode(result) ? 'an object' : 'one value'}`,
    )
  }
  const out = hasAux ? (result as ReadonlyArray<Tree<Var<A>>>)[0]! : result
  if (isTreeNode(out)) {
    const n = leavesOf(out).length
    throw new Error(
      `${op}: the function returned ${Array.isArray(out) ? 'an array' : 'an object'} of ${n} value${n === 1 ? '' : 's'}; ${op} needs a single output, not ${Array.isArray(out) ? 'an array' : 'an object'} (use jacobian or vjp)`,
    )
  }
  const y = out as Var<A>
  const aux = hasAux
    ? mapLeaves((result as ReadonlyArray<Tree<Var<A>>>)[1]!, (a) =>
        typeof a === 'number' ? Tape.value(tape, a) : a,
      )
    : undefined
  const answer = [Tape.value(tape, y), _adjoints(tape, [[y, F.one]], ins, sizing), aux] as const
  // Everything is read off the tape, which goes no further: its storage can be reused.
  release()
  return answer
}

/**
 * The value and the gradient in one reverse pass: `readonly [f(x), ∇f(x)]`.
 *
 * @example
 * import { valueAndGrad, scalar, type Floating } from 'ad-ts'
 * const g = <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => F.mul(xs[0]!, xs[1]!)
 * valueAndGrad(g)(scalar)([2, 3]) // => [6, [3, 2]]
 *
 * @example
 * import { valueAndGrad, tensor, Tensor, type Tensorial } from 'ad-ts'
 * const sse = <A>(T: Tensorial<A>) => (w: A): A => T.sum(T.mul(w, w))
 * const [v, g] = valueAndGrad(sse)(tensor)(Tensor.fromArray([1, 2]))
 * Tensor.toArray(v) // => 5
 * Tensor.toArray(g) // => [2, 4]
 *
 * @category combinators
 * @since 0.1.0
 */
export function valueAndGrad(
  f: ArrayFunction,
): <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => readonly [A, ReadonlyArray<A>]
export function valueAndGrad(f: ScalarFunction): <A>(F: Floating<A>) => (x: A) => readonly [A, A]
export function valueAndGrad<C>(
  f: ArrayFunctionOver<C>,
): (F: Floating<C>) => (xs: ReadonlyArray<C>) => readonly [C, ReadonlyArray<C>]
export function valueAndGrad<C>(
  f: ScalarFunctionOver<C>,
): (F: Floating<C>) => (x: C) => readonly [C, C]
export function valueAndGrad(
  f: TensorialArrayFunction,
): <A>(T: Tensorial<A>) => (xs: ReadonlyArray<A>) => readonly [A, ReadonlyArray<A>]
export function valueAndGrad(
  f: TensorialScalarFunction,
): <A>(T: Tensorial<A>) => (x: A) => readonly [A, A]
export function valueAndGrad<P>(
  f: TreeFunction<P>,
): <B>(F: Floating<B>) => (p: Subst<P, B>) => readonly [B, Subst<P, B>]
export function valueAndGrad<P>(
  f: TensorialTreeFunction<P>,
): <B>(T: Tensorial<B>) => (p: Subst<P, B>) => readonly [B, Subst<P, B>]
export function valueAndGrad<P, D extends ReadonlyArray<unknown>, X>(
  f: (F: Floating<Slot>) => (p: P, ...data: D) => readonly [Slot, X],
  options: GradOptions & { readonly hasAux: true },
): <B>(
  F: Floating<B>,
) => (p: Subst<P, B>, ...data: SubstAll<D, B>) => readonly [readonly [B, Subst<X, B>], Subst<P, B>]
export function valueAndGrad<P, D extends ReadonlyArray<unknown>, X>(
  f: (T: Tensorial<Slot>) => (p: P, ...data: D) => readonly [Slot, X],
  options: GradOptions & { readonly hasAux: true },
): <B>(
  T: Tensorial<B>,
) => (p: Subst<P, B>, ...data: SubstAll<D, B>) => readonly [readonly [B, Subst<X, B>], Subst<P, B>]
export function valueAndGrad<P, D extends ReadonlyArray<unknown>>(
  f: (F: Floating<Slot>) => (p: P, ...data: D) => Slot,
  options?: GradOptions,
): <B>(F: Floating<B>) => (p: Subst<P, B>, ...data: SubstAll<D, B>) => readonly [B, Subst<P, B>]
export function valueAndGrad<P, D extends ReadonlyArray<unknown>>(
  f: (T: Tensorial<Slot>) => (p: P, ...data: D) => Slot,
  options?: GradOptions,
): <B>(T: Tensorial<B>) => (p: Subst<P, B>, ...data: SubstAll<D, B>) => readonly [B, Subst<P, B>]
export function valueAndGrad(fn: unknown, options: GradOptions = {}): unknown {
  const f = fn as AnyFunction
  const hasAux = options.hasAux === true
  return <A>(F: Floating<A>) =>
    (x: Tree<A>, ...data: ReadonlyArray<Tree<A>>) => {
      const [value, gradient, aux] = _valueAndGrad(F, f, x, data, hasAux)
      return hasAux ? [[value, aux], gradient] : [value, gradient]
    }
}

/**
 * The gradient by reverse mode: one recorded pass and one backward fold, whatever the
 * number of inputs. It has the structure of the input: a value for a value, an array
 * for an array.
 *
 * @example
 * import { grad, scalar, type Floating } from 'ad-ts'
 * const g = <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => F.mul(xs[0]!, xs[1]!)
 * grad(g)(scalar)([2, 3]) // => [3, 2]
 *
 * @example
 * import { grad, tensor, Tensor, type Tensorial } from 'ad-ts'
 * const loss = <A>(T: Tensorial<A>) => (p: { readonly w: A; readonly b: A }) =>
 *   T.sum(T.add(T.mul(p.w, p.w), p.b))
 * const g = grad(loss)(tensor)({ w: Tensor.fromArray([1, 2]), b: Tensor.fromArray(0) })
 * Tensor.toArray(g.w) // => [2, 4]
 * Tensor.toArray(g.b) // => 2
 *
 * @category combinators
 * @since 0.1.0
 */
export function grad(
  f: ArrayFunction,
): <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => ReadonlyArray<A>
export function grad(f: ScalarFunction): ScalarFunction
export function grad<C>(
  f: ArrayFunctionOver<C>,
): (F: Floating<C>) => (xs: ReadonlyArray<C>) => ReadonlyArray<C>
export function grad<C>(f: ScalarFunctionOver<C>): (F: Floating<C>) => (x: C) => C
export function grad(
  f: TensorialArrayFunction,
): <A>(T: Tensorial<A>) => (xs: ReadonlyArray<A>) => ReadonlyArray<A>
export function grad(f: TensorialScalarFunction): TensorialScalarFunction
export function grad<P>(f: TreeFunction<P>): <B>(F: Floating<B>) => (p: Subst<P, B>) => Subst<P, B>
export function grad<P>(
  f: TensorialTreeFunction<P>,
): <B>(T: Tensorial<B>) => (p: Subst<P, B>) => Subst<P, B>
export function grad<P, D extends ReadonlyArray<unknown>, X>(
  f: (F: Floating<Slot>) => (p: P, ...data: D) => readonly [Slot, X],
  options: GradOptions & { readonly hasAux: true },
): <B>(
  F: Floating<B>,
) => (p: Subst<P, B>, ...data: SubstAll<D, B>) => readonly [Subst<P, B>, Subst<X, B>]
export function grad<P, D extends ReadonlyArray<unknown>, X>(
  f: (T: Tensorial<Slot>) => (p: P, ...data: D) => readonly [Slot, X],
  options: GradOptions & { readonly hasAux: true },
): <B>(
  T: Tensorial<B>,
) => (p: Subst<P, B>, ...data: SubstAll<D, B>) => readonly [Subst<P, B>, Subst<X, B>]
export function grad<P, D extends ReadonlyArray<unknown>>(
  f: (F: Floating<Slot>) => (p: P, ...data: D) => Slot,
  options?: GradOptions,
): <B>(F: Floating<B>) => (p: Subst<P, B>, ...data: SubstAll<D, B>) => Subst<P, B>
export function grad<P, D extends ReadonlyArray<unknown>>(
  f: (T: Tensorial<Slot>) => (p: P, ...data: D) => Slot,
  options?: GradOptions,
): <B>(T: Tensorial<B>) => (p: Subst<P, B>, ...data: SubstAll<D, B>) => Subst<P, B>
export function grad(fn: unknown, options: GradOptions = {}): unknown {
  const f = fn as AnyFunction
  const hasAux = options.hasAux === true
  return <A>(F: Floating<A>) =>
    (x: Tree<A>, ...data: ReadonlyArray<Tree<A>>) => {
      const [, gradient, aux] = _valueAndGrad(F, f, x, data, hasAux)
      return hasAux ? [gradient, aux] : gradient
    }
}

/**
 * `grad(f)` whose errors name `op`, the combinator the user called (`hessian`).
 *
 * @internal
 */
export const gradFor =
  (op: string, f: AnyFunction) =>
  <A>(F: Floating<A>) =>
  (x: Tree<A>): Tree<A> =>
    _valueAndGrad(F, f, x, [], false, op)[1]

/**
 * Vector-Jacobian product: `[f(x), u ↦ Jᵀ·u]`. The pullback may be called any number
 * of times; each call is one fold over the same recorded tape.
 *
 * @example
 * import { vjp, scalar, type Floating } from 'ad-ts'
 * const h = <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => [F.mul(xs[0]!, xs[1]!), xs[0]!]
 * const [ys, pullback] = vjp(h)(scalar)([2, 3])
 * ys // => [6, 2]
 * pullback([1, 0]) // => [3, 2]
 *
 * @example
 * import { vjp, tensor, Tensor, type Tensorial } from 'ad-ts'
 * const double = <A>(T: Tensorial<A>) => (x: A): A => T.mul(x, T.fromNumber(2))
 * const [y, back] = vjp(double)(tensor)(Tensor.fromArray([1, 2]))
 * Tensor.toArray(y) // => [2, 4]
 * Tensor.toArray(back(Tensor.fromArray([1, 10]))) // => [2, 20]
 *
 * @category combinators
 * @since 0.1.0
 */
export function vjp(
  f: VectorFunction,
): <A>(
  F: Floating<A>,
) => (
  xs: ReadonlyArray<A>,
) => readonly [ReadonlyArray<A>, (us: ReadonlyArray<A>) => ReadonlyArray<A>]
export function vjp(
  f: ArrayFunction,
): <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => readonly [A, (u: A) => ReadonlyArray<A>]
export function vjp(f: ScalarFunction): <A>(F: Floating<A>) => (x: A) => readonly [A, (u: A) => A]
export function vjp<C>(
  f: VectorFunctionOver<C>,
): (
  F: Floating<C>,
) => (
  xs: ReadonlyArray<C>,
) => readonly [ReadonlyArray<C>, (us: ReadonlyArray<C>) => ReadonlyArray<C>]
export function vjp(
  f: TensorialVectorFunction,
): <A>(
  T: Tensorial<A>,
) => (
  xs: ReadonlyArray<A>,
) => readonly [ReadonlyArray<A>, (us: ReadonlyArray<A>) => ReadonlyArray<A>]
export function vjp(
  f: TensorialArrayFunction,
): <A>(T: Tensorial<A>) => (xs: ReadonlyArray<A>) => readonly [A, (u: A) => ReadonlyArray<A>]
export function vjp(
  f: TensorialScalarFunction,
): <A>(T: Tensorial<A>) => (x: A) => readonly [A, (u: A) => A]
export function vjp<P, Q>(
  f: TreeMap<P, Q>,
): <B>(
  F: Floating<B>,
) => (p: Subst<P, B>) => readonly [Subst<Q, B>, (u: Subst<Q, B>) => Subst<P, B>]
export function vjp<P, Q>(
  f: TensorialTreeMap<P, Q>,
): <B>(
  T: Tensorial<B>,
) => (p: Subst<P, B>) => readonly [Subst<Q, B>, (u: Subst<Q, B>) => Subst<P, B>]
export function vjp<P, D extends ReadonlyArray<unknown>, Q>(
  f: (T: Tensorial<Slot>) => (p: P, ...data: D) => Q,
): <B>(
  T: Tensorial<B>,
) => (
  p: Subst<P, B>,
  ...data: SubstAll<D, B>
) => readonly [Subst<Q, B>, (u: Subst<Q, B>) => Subst<P, B>]
export function vjp(fn: unknown): unknown {
  const f = fn as AnyFunction
  return <A>(F: Floating<A>) =>
    (x: Tree<A>, ...data: ReadonlyArray<Tree<A>>): readonly [Tree<A>, (u: Tree<A>) => Tree<A>] => {
      const { out, ins, tape, sizing } = _record(F, f, x, data, 'vjp')
      const outs = leavesOf(out)
      const pullback = (u: Tree<A>): Tree<A> => {
        sameStructure('vjp', 'cotangents', out, u)
        const us = leavesOf(u)
        if (isTensorial(F)) _checkCotangentShapes(F, tape, outs, us)
        const seeds = outs.map((o, i) => [o, us[i]!] as const)
        return _adjoints(tape, seeds, ins, sizing)
      }
      return [mapLeaves(out, (o) => Tape.value(tape, o)), pullback]
    }
}

/** Throws unless every cotangent has its output's shape (tensor bases only). */
const _checkCotangentShapes = <A>(
  T: Tensorial<A>,
  tape: Tape.Recorded<A>,
  outs: ReadonlyArray<Var<A>>,
  us: ReadonlyArray<A>,
): void => {
  outs.forEach((o, i) => {
    const sy = T.shape(Tape.value(tape, o))
    const su = T.shape(us[i]!)
    if (sy.length !== su.length || sy.some((d, k) => d !== su[k])) {
      throw new Error(
        `vjp: cotangent ${i} has shape ${showShape(su)}, but its output has shape ${showShape(sy)}; a cotangent must have its output's shape`,
      )
    }
  })
}

/**
 * The Jacobian by reverse mode (one fold per output): rows are outputs.
 *
 * @example
 * import { reverse, scalar, type Floating } from 'ad-ts'
 * const h = <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => [F.mul(xs[0]!, xs[1]!), xs[0]!]
 * reverse.jacobian(h)(scalar)([2, 3]) // => [[3, 2], [1, 0]]
 *
 * @category combinators
 * @since 0.1.0
 */
export function jacobian(
  f: VectorFunction,
): <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => ReadonlyArray<ReadonlyArray<A>>
export function jacobian<C>(
  f: VectorFunctionOver<C>,
): (F: Floating<C>) => (xs: ReadonlyArray<C>) => ReadonlyArray<ReadonlyArray<C>>
export function jacobian(fn: unknown): unknown {
  const f = fn as AnyFunction
  return <A>(F: Floating<A>) =>
    (xs: ReadonlyArray<A>): ReadonlyArray<ReadonlyArray<A>> => {
      requireArray('reverse.jacobian', 'inputs', xs)
      const [ys, pullback] = vjp(f as unknown as VectorFunctionOver<A>)(F)(xs)
      requireArray('reverse.jacobian', 'outputs', ys)
      return ys.map((_, i) => pullback(unitVector(F, ys.length, i)))
    }
}
