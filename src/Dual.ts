/**
 * Dual numbers: forward-mode differentiation.
 *
 * A `Dual<A>` pairs a primal value `v` with a tangent `t`, the directional derivative
 * carried along with it. `dual(F)` is a `Floating<Dual<A>>` built over any base
 * instance `F`: every op maps `(v, t)` to `(op(v), op′(v)·t)`. Because the base can be
 * any instance, duals nest: `dual(dual(scalar))` carries second derivatives, and a
 * dual over a tape variable is reverse-over-forward.
 *
 * Laws: `dual(F)` is a `Floating` whenever `F` is (the tangent part is the derivative
 * of the primal part), and `Dual.primal` is a homomorphism onto `F`.
 *
 * @since 0.1.0
 */
import type { Floating } from './Floating.js'
import { binaryOf, floatingFrom, scaleBy, unaryOf } from './internal/lifting.js'
import { zeroTest } from './internal/zero.js'
import { scalar } from './backend/scalar.js'
import { bilinearOps, linearOps } from './structuralOps.js'
import { isTensorial, type Tensorial } from './Tensorial.js'

/**
 * A value with its tangent.
 *
 * @category model
 * @since 0.1.0
 */
export interface Dual<A> {
  /** The primal value. */
  readonly v: A
  /** The tangent: the directional derivative carried along. */
  readonly t: A
}

/**
 * A `Floating<Dual<A>>` together with `lift`, which embeds a base value as a constant
 * (tangent zero). Nested derivatives use `lift` to bring an outer variable inside.
 *
 * @category model
 * @since 0.1.0
 */
export interface DualFloating<A> extends Floating<Dual<A>> {
  /** A base value as a constant (tangent zero). */
  readonly lift: (x: A) => Dual<A>
}

/**
 * The forward-mode instance over a `Tensorial` base: also `Tensorial`.
 *
 * @category model
 * @since 0.1.0
 */
export interface DualTensorial<A> extends Tensorial<Dual<A>> {
  /** A base value as a constant (tangent zero). */
  readonly lift: (x: A) => Dual<A>
}

/**
 * A dual number from its primal and tangent.
 *
 * @example
 * import { Dual } from 'ad-ts'
 * Dual.make(2, 1) // => { v: 2, t: 1 }
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = <A>(v: A, t: A): Dual<A> => ({ v, t })

/**
 * The forward-mode instance over a base instance.
 *
 * @example
 * import { Dual, scalar } from 'ad-ts'
 * const D = Dual.dual(scalar)
 * D.mul(Dual.make(3, 1), Dual.make(3, 1)) // => { v: 9, t: 6 }
 *
 * @category instances
 * @since 0.1.0
 */
export function dual<A>(F: Tensorial<A>): DualTensorial<A>
export function dual<A>(F: Floating<A>): DualFloating<A>
export function dual<A>(F: Floating<A>): DualFloating<A> {
  if (F === (scalar as unknown)) return dualNumber as unknown as DualFloating<A>
  const lift = (x: A): Dual<A> => ({ v: x, t: F.zero })
  const ub = F.unbroadcast
  const isZero = zeroTest(F)
  // d·t, skipped when either factor is exactly zero (see internal/zero.ts).
  const term = (d: A, t: A): A | undefined => (isZero(t) || isZero(d) ? undefined : F.mul(d, t))
  const sum = (a: A | undefined, b: A | undefined): A =>
    a === undefined ? (b === undefined ? F.zero : b) : b === undefined ? a : F.add(a, b)
  const instance = floatingFrom<Dual<A>>({
    zero: lift(F.zero),
    one: lift(F.one),
    fromNumber: (n) => lift(F.fromNumber(n)),
    toNumber: (x) => F.toNumber(x.v),
    unaryFor: (op) => {
      const f = unaryOf(F, op)
      const d = op.derivative(F)
      return (x) => {
        const y = f(x.v)
        return { v: y, t: isZero(x.t) ? F.zero : sum(term(d(x.v, y), x.t), undefined) }
      }
    },
    binaryFor: (op) => {
      const f = binaryOf(F, op)
      if (op.linear !== undefined) {
        const [kx, ky] = op.linear
        const sx = scaleBy(F, kx)
        const sy = scaleBy(F, ky)
        const scaled = (s: (t: A) => A, t: A) => (isZero(t) ? undefined : s(t))
        return (x, y) => ({ v: f(x.v, y.v), t: sum(scaled(sx, x.t), scaled(sy, y.t)) })
      }
      const dx = op.dx(F)
      const dy = op.dy(F)
      return (x, y) => {
        const z = f(x.v, y.v)
        const tx = isZero(x.t) ? undefined : term(dx(x.v, y.v, z), x.t)
        const ty = isZero(y.t) ? undefined : term(dy(x.v, y.v, z), y.t)
        return { v: z, t: sum(tx, ty) }
      }
    },
    ...(ub === undefined
      ? {}
      : { unbroadcast: (g: Dual<A>, like: Dual<A>) => make(ub(g.v, like.v), ub(g.t, like.v)) }),
  })
  const D: DualFloating<A> = { ...instance, lift }
  return isTensorial(F) ? withTensorial(F, D) : D
}

/** Adds the structural ops of the table to a dual instance over a Tensorial base. */
const withTensorial = <A>(T: Tensorial<A>, D: DualFloating<A>): DualTensorial<A> => {
  const isZero = zeroTest(T)
  // A structural zero tangent (shape []) stands for zeros of any shape: keep it as is.
  const linear = (f: (t: A) => A) => (x: Dual<A>) => ({
    v: f(x.v),
    t: isZero(x.t) ? T.zero : f(x.t),
  })
  const bilinear = (f: (x: A, y: A) => A) => (x: Dual<A>, y: Dual<A>) => {
    const tx = isZero(x.t) ? undefined : f(x.t, y.v)
    const ty = isZero(y.t) ? undefined : f(x.v, y.t)
    return {
      v: f(x.v, y.v),
      t: tx === undefined ? (ty ?? T.zero) : ty === undefined ? tx : T.add(tx, ty),
    }
  }
  const { sum, mean, transpose } = linearOps
  const { dot, matmul } = bilinearOps
  return {
    ...D,
    [sum.name]: linear(T.sum),
    [mean.name]: linear(T.mean),
    [transpose.name]: linear(T.transpose),
    [dot.name]: bilinear(T.dot),
    [matmul.name]: bilinear(T.matmul),
    reshape: (x, shape) => linear((t) => T.reshape(t, shape))(x),
    constant: (t) => D.lift(T.constant(t)),
    shape: (x) => T.shape(x.v),
    unbroadcast: (g, like) =>
      make(T.unbroadcast(g.v, like.v), isZero(g.t) ? T.zero : T.unbroadcast(g.t, like.v)),
  } as DualTensorial<A>
}

/**
 * The primal part.
 *
 * @example
 * import { Dual } from 'ad-ts'
 * Dual.primal(Dual.make(2, 1)) // => 2
 *
 * @category utils
 * @since 0.1.0
 */
export const primal = <A>(x: Dual<A>): A => x.v

/**
 * The tangent part.
 *
 * @example
 * import { Dual } from 'ad-ts'
 * Dual.tangent(Dual.make(2, 1)) // => 1
 *
 * @category utils
 * @since 0.1.0
 */
export const tangent = <A>(x: Dual<A>): A => x.t

/**
 * Forward mode over plain numbers: the same rules as the generic instance, with the
 * tangent arithmetic on numbers written inline (one object per op, no calls through
 * the base instance for tangents). Built once: it holds no state.
 */
const dualNumber: DualFloating<number> = (() => {
  const lift = (x: number): Dual<number> => ({ v: x, t: 0 })
  const instance = floatingFrom<Dual<number>>({
    zero: lift(0),
    one: lift(1),
    fromNumber: lift,
    toNumber: (x) => x.v,
    unaryFor: (op) => {
      const f = op.primal
      const d = op.derivative(scalar)
      return (x) => {
        const y = f(x.v)
        // An exact zero annihilates (internal/zero.ts): a zero tangent stays 0.
        return { v: y, t: x.t === 0 ? 0 : d(x.v, y) * x.t }
      }
    },
    binaryFor: (op) => {
      const f = op.primal
      if (op.linear !== undefined) {
        const [kx, ky] = op.linear
        return (x, y) => ({ v: f(x.v, y.v), t: kx * x.t + ky * y.t })
      }
      const dx = op.dx(scalar)
      const dy = op.dy(scalar)
      return (x, y) => {
        const z = f(x.v, y.v)
        let t = 0
        if (x.t !== 0) {
          const p = dx(x.v, y.v, z)
          if (p !== 0) t = p * x.t
        }
        if (y.t !== 0) {
          const p = dy(x.v, y.v, z)
          if (p !== 0) t += p * y.t
        }
        return { v: z, t }
      }
    },
  })
  return { ...instance, lift }
})()
