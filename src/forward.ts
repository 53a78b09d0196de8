/**
 * Forward mode: derivatives by dual numbers. One pass gives one directional
 * derivative (`J·v`), so forward mode suits functions with few inputs.
 *
 * @since 0.1.0
 */
import { dual, make, primal, tangent, type Dual } from './Dual.js'
import type { Floating } from './Floating.js'
import type {
  AnyFunction,
  ArrayFunction,
  ArrayFunctionOver,
  Point,
  ScalarFunction,
  ScalarFunctionOver,
  VectorFunction,
  TensorialArrayFunction,
  TensorialScalarFunction,
  TensorialVectorFunction,
  VectorFunctionOver,
} from './fn.js'
import { checkLengths, isArrayPoint, onesLike, unitVector } from './internal/points.js'
import { showShape } from './Tensor.js'
import { isTensorial, type Tensorial } from './Tensorial.js'

const _pushforward = <A>(
  F: Floating<A>,
  f: AnyFunction,
  x: Point<A>,
  v: Point<A>,
): readonly [Point<A>, Point<A>] => {
  const D = dual(F)
  const arg = isArrayPoint(x)
    ? x.map((xi, i) => make(xi, (v as ReadonlyArray<A>)[i]!))
    : make(x, v as A)
  const out = f(D, D.lift as (c: never) => Dual<A>)(arg)
  const t = tangent(F)
  return isArrayPoint(out) ? [out.map(primal), out.map(t)] : [out.primal, t(out)]
}

/** Throws unless every tangent has its primal's shape (tensor bases only). */
const _checkTangentShapes = <A>(F: Floating<A>, x: Point<A>, v: Point<A>): void => {
  if (!isTensorial(F)) return
  const xs = isArrayPoint(x) ? x : [x]
  const vs = (isArrayPoint(v) ? v : [v]) as ReadonlyArray<A>
  xs.forEach((xi, i) => {
    const sx = F.shape(xi)
    const sv = F.shape(vs[i]!)
    if (sx.length !== sv.length || sx.some((d, k) => d !== sv[k])) {
      throw new Error(
        `jvp: tangent ${i} has shape ${showShape(sv)}, but its point has shape ${showShape(sx)}; a tangent must have its point's shape`,
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
export function jvp(fn: unknown): unknown {
  const f = fn as AnyFunction
  return <A>(F: Floating<A>) =>
    (x: Point<A>, v: Point<A>) => {
      checkLengths('jvp', x, v, 'tangents')
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
export function grad(fn: unknown): unknown {
  const f = fn as AnyFunction
  return <A>(F: Floating<A>) =>
    (x: Point<A>): Point<A> => {
      if (isTensorial(F)) _requireScalars(F, x, 'forward.grad')
      return isArrayPoint(x)
        ? x.map((_, j) => _pushforward(F, f, x, unitVector(F, x.length, j))[1] as A)
        : _pushforward(F, f, x, onesLike(F, x))[1]
    }
}

const _requireScalars = <A>(T: Tensorial<A>, x: Point<A>, op: string): void => {
  const xs = isArrayPoint(x) ? x : [x]
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
      if (isTensorial(F)) _requireScalars(F, xs, 'forward.jacobian')
      const columns = xs.map(
        (_, j) => _pushforward(F, f, xs, unitVector(F, xs.length, j))[1] as ReadonlyArray<A>,
      )
      const m =
        columns.length > 0 ? columns[0]!.length : (f(F, (c) => c)(xs) as ReadonlyArray<A>).length
      return Array.from({ length: m }, (_, i) => columns.map((col) => col[i]!))
    }
}
