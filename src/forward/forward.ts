/**
 * Forward mode: derivatives by dual numbers. One pass gives one directional
 * derivative (`J·v`), so forward mode suits functions with few inputs.
 *
 * @since 0.1.0
 */
import { dual, make, primal, tangent, type Dual } from './Dual.js'
import type { Floating } from '../Floating.js'
import type {
  AnyFunction,
  ArrayFunction,
  ArrayFunctionOver,
  ScalarFunction,
  ScalarFunctionOver,
  VectorFunction,
  TensorialArrayFunction,
  TensorialScalarFunction,
  TensorialTreeMap,
  TensorialVectorFunction,
  TreeFunction,
  TreeMap,
  VectorFunctionOver,
} from '../fn.js'
import { onesLike, unitVector } from '../ops/points.js'
import {
  isTreeNode,
  leafPathsOf,
  isNumberArray,
  leavesOf,
  sameStructure,
  withLeaves,
  type Subst,
  type Tree,
} from '../tree.js'
import { showShape } from '../tensor/Tensor.js'
import { requireArray } from '../util/arrayArguments.js'
import { isTensorial, type Tensorial } from '../Tensorial.js'
import { requireValues } from '../util/staticLeaves.js'

/**
 * The dual number of each leaf of x with its tangent in v, in x's structure; arrays of
 * numbers in a loop of their own (see `isNumberArray`).
 */
const _duals = <A>(x: Tree<A>, v: Tree<A>): Tree<Dual<A>> => {
  if (isNumberArray(x) && isNumberArray(v) && v.length === x.length) {
    const out = new Array<Dual<number>>(x.length)
    for (let i = 0; i < x.length; i++) out[i] = make(x[i]!, v[i]!)
    return out as unknown as Tree<Dual<A>>
  }
  const vs = leavesOf(v)
  return withLeaves(
    x,
    leavesOf(x).map((xi, i) => make(xi, vs[i]!)),
  )
}

/** Pushes the tangent tree v through f at the tree x: the output tree and its tangents. */
const _pushforward = <A>(
  F: Floating<A>,
  f: AnyFunction,
  x: Tree<A>,
  v: Tree<A>,
): readonly [Tree<A>, Tree<A>] => {
  const D = dual(F)
  const arg = _duals(x, v)
  const f_ = f as unknown as (F: unknown, lift: unknown) => (x: unknown) => Tree<Dual<A>>
  const out = f_(D, D.lift)(arg)
  const outs = leavesOf(out)
  return [withLeaves(out, outs.map(primal)), withLeaves(out, outs.map(tangent(F)))]
}

/** Throws unless every tangent has its primal's shape (tensor bases only). */
const _checkTangentShapes = <A>(F: Floating<A>, x: Tree<A>, v: Tree<A>): void => {
  if (!isTensorial(F)) return
  const xs = leavesOf(x)
  const vs = leavesOf(v)
  const paths = leafPathsOf(x)
  xs.forEach((xi, i) => {
    const sx = F.shape(xi)
    const sv = F.shape(vs[i]!)
    if (sx.length !== sv.length || sx.some((d, k) => d !== sv[k])) {
      // A top-level array names its index, as it always has; deeper leaves their path.
      const where = /^\[\d+\]$/.test(paths[i]!) ? ` ${i}` : paths[i] === '' ? '' : ` at ${paths[i]}`
      throw new Error(
        `jvp: tangent${where} has shape ${showShape(sv)}, but its point has shape ${showShape(sx)}; a tangent must have its point's shape`,
      )
    }
  })
}

/**
 * The derivative of a function of one variable, by forward mode. `diff(f)` is again
 * a function written against `Floating`, so `diff(diff(f))` is the second derivative.
 * On a tensor it pushes a tangent of ones: for an elementwise `f` that is the
 * derivative at every element (for other functions, the directional derivative along
 * ones; use `jvp` to choose the direction).
 *
 * @example
 * import { diff, scalar, type Floating } from 'ad-ts'
 * const f = <A>(F: Floating<A>) => (x: A): A => F.mul(x, F.sin(x))
 * diff(f)(scalar)(2) // ≈ Math.sin(2) + 2 * Math.cos(2)
 *
 * @category combinators
 * @since 0.1.0
 */
export function diff(f: ScalarFunction): ScalarFunction
export function diff<C>(f: ScalarFunctionOver<C>): (F: Floating<C>) => (x: C) => C
export function diff(f: TensorialScalarFunction): TensorialScalarFunction
export function diff(fn: unknown): unknown {
  const f = fn as AnyFunction
  return <A>(F: Floating<A>) =>
    (x: A): A =>
      _pushforward(F, f, x, onesLike(F, x))[1] as A
}

/**
 * Jacobian-vector product: `[f(x), J·v]` in one forward pass.
 *
 * @example
 * import { jvp, scalar, type Floating } from 'ad-ts'
 * const h = <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => [F.mul(xs[0]!, xs[1]!)]
 * jvp(h)(scalar)([2, 3], [1, 0]) // => [[6], [3]]
 *
 * @example
 * import { jvp, tensor, Tensor, type Tensorial } from 'ad-ts'
 * const sse = <A>(T: Tensorial<A>) => (w: A): A => T.sum(T.mul(w, w))
 * const [v, dv] = jvp(sse)(tensor)(Tensor.fromArray([1, 2]), Tensor.fromArray([1, 0]))
 * Tensor.toArray(v) // => 5
 * Tensor.toArray(dv) // => 2
 *
 * @category combinators
 * @since 0.1.0
 */
export function jvp(
  f: VectorFunction,
): <A>(
  F: Floating<A>,
) => (xs: ReadonlyArray<A>, vs: ReadonlyArray<A>) => readonly [ReadonlyArray<A>, ReadonlyArray<A>]
export function jvp(
  f: ArrayFunction,
): <A>(F: Floating<A>) => (xs: ReadonlyArray<A>, vs: ReadonlyArray<A>) => readonly [A, A]
export function jvp(f: ScalarFunction): <A>(F: Floating<A>) => (x: A, v: A) => readonly [A, A]
export function jvp<C>(
  f: VectorFunctionOver<C>,
): (
  F: Floating<C>,
) => (xs: ReadonlyArray<C>, vs: ReadonlyArray<C>) => readonly [ReadonlyArray<C>, ReadonlyArray<C>]
export function jvp<C>(
  f: ArrayFunctionOver<C>,
): (F: Floating<C>) => (xs: ReadonlyArray<C>, vs: ReadonlyArray<C>) => readonly [C, C]
export function jvp<C>(
  f: ScalarFunctionOver<C>,
): (F: Floating<C>) => (x: C, v: C) => readonly [C, C]
export function jvp(
  f: TensorialVectorFunction,
): <A>(
  T: Tensorial<A>,
) => (xs: ReadonlyArray<A>, vs: ReadonlyArray<A>) => readonly [ReadonlyArray<A>, ReadonlyArray<A>]
export function jvp(
  f: TensorialArrayFunction,
): <A>(T: Tensorial<A>) => (xs: ReadonlyArray<A>, vs: ReadonlyArray<A>) => readonly [A, A]
export function jvp(
  f: TensorialScalarFunction,
): <A>(T: Tensorial<A>) => (x: A, v: A) => readonly [A, A]
export function jvp<P, Q>(
  f: TreeMap<P, Q>,
): <B>(F: Floating<B>) => (p: Subst<P, B>, v: Subst<P, B>) => readonly [Subst<Q, B>, Subst<Q, B>]
export function jvp<P, Q>(
  f: TensorialTreeMap<P, Q>,
): <B>(T: Tensorial<B>) => (p: Subst<P, B>, v: Subst<P, B>) => readonly [Subst<Q, B>, Subst<Q, B>]
export function jvp(fn: unknown): unknown {
  const f = fn as AnyFunction
  return <A>(F: Floating<A>) =>
    (x: Tree<A>, v: Tree<A>) => {
      sameStructure('jvp', 'tangents', x, v)
      if (isTensorial(F)) requireValues('jvp', F, x)
      _checkTangentShapes(F, x, v)
      return _pushforward(F, f, x, v)
    }
}

/**
 * The gradient by forward mode: one dual pass per input.
 *
 * @example
 * import { forward, scalar, type Floating } from 'ad-ts'
 * const g = <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => F.mul(xs[0]!, F.exp(xs[1]!))
 * forward.grad(g)(scalar)([2, 0]) // => [1, 2]
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
export function grad(fn: unknown): unknown {
  const f = fn as AnyFunction
  return <A>(F: Floating<A>) =>
    (x: Tree<A>): Tree<A> => {
      if (isTensorial(F)) _requireScalars(F, x, 'forward.grad')
      const xs = leavesOf(x)
      if (!isTreeNode(x)) return _pushforward(F, f, x, onesLike(F, x as A))[1]
      // One dual pass per leaf, along that leaf's unit tangent.
      const column = (j: number) =>
        _pushforward(F, f, x, withLeaves(x, unitVector(F, xs.length, j)))[1] as A
      return withLeaves(
        x,
        xs.map((_, j) => column(j)),
      )
    }
}

const _requireScalars = <A>(T: Tensorial<A>, x: Tree<A>, op: string): void => {
  const xs = leavesOf(x)
  xs.forEach((xi, i) => {
    if (T.shape(xi).length > 0) {
      throw new Error(
        `${op}: input ${i} has shape ${showShape(T.shape(xi))}; forward mode gives one directional derivative per pass, so use jvp with a tangent, or reverse.grad`,
      )
    }
  })
}

/**
 * The Jacobian by forward mode (one pass per input): rows are outputs, columns inputs.
 *
 * @example
 * import { forward, scalar, type Floating } from 'ad-ts'
 * const h = <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => [F.mul(xs[0]!, xs[1]!), xs[0]!]
 * forward.jacobian(h)(scalar)([2, 3]) // => [[3, 2], [1, 0]]
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
      requireArray('forward.jacobian', 'inputs', xs)
      if (isTensorial(F)) _requireScalars(F, xs, 'forward.jacobian')
      const columns = xs.map(
        (_, j) => _pushforward(F, f, xs, unitVector(F, xs.length, j))[1] as ReadonlyArray<A>,
      )
      // Every column has the structure of f's result: the first one shows it.
      const ys: unknown = columns.length > 0 ? columns[0] : f(F, (c) => c)(xs)
      requireArray('forward.jacobian', 'outputs', ys)
      const m = (ys as ReadonlyArray<A>).length
      return Array.from({ length: m }, (_, i) => columns.map((col) => col[i]!))
    }
}
