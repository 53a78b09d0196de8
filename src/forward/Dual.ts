/**
 * Dual numbers: forward-mode differentiation.
 *
 * A `Dual<A>` is either `Lift` (a constant: a primal whose tangent is zero, so no rule
 * ever computes a partial for it) or `Forward` (a primal with its tangent, the
 * directional derivative carried along). `dual(F)` is a `Floating<Dual<A>>` built over
 * any base instance `F`: every op maps `Forward(x, ẋ)` to `Forward(op(x), op′(x)·ẋ)`
 * and a `Lift` to a `Lift`. Because the base can be any instance, duals nest:
 * `dual(dual(scalar))` carries second derivatives, and a dual over a tape variable is
 * forward-over-reverse. Tangents are multiplied and added with the tangent arithmetic
 * of `tangentArithmetic.ts` (the strong zero). A tangent always has its primal's shape.
 *
 * Laws: `dual(F)` is a `Floating` whenever `F` is (the tangent part is the derivative
 * of the primal part), and `Dual.primal` is a homomorphism onto `F`.
 *
 * Reached as `Dual` from `ad-ts`: `import { Dual } from 'ad-ts'`.
 *
 * @module Dual
 * @since 0.1.0
 */
import type { BinaryOp, Floating, UnaryOp } from '../Floating.js'
import { scalar } from '../backend/scalar.js'
import { binaryOf, floatingFrom, unaryOf } from '../ops/lifting.js'
import { binaryOps, tangentOps } from '../ops/opTable.js'
import { structuralMethods } from '../ops/structuralOps.js'
import { strongMul, tangentAdd, tangentNeg } from '../tangentArithmetic.js'
import { isTensorial, type Tensorial } from '../Tensorial.js'
import { withComposites, type Composite } from '../backend/composites.js'
import type { Primitive } from '../ops/primitive.js'
import type { Tensor } from '../tensor/Tensor.js'
import { leavesOf, withLeaves, type Tree } from '../tree.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A constant: its tangent is zero in every direction.
 *
 * @category model
 * @since 0.2.0
 */
export interface Lift<A> {
  /** The case: a constant. */
  readonly tag: 'Lift'
  /** The value. */
  readonly primal: A
}

/**
 * A value with its tangent, which has the primal's shape.
 *
 * @category model
 * @since 0.2.0
 */
export interface Forward<A> {
  /** The case: a value with a tangent. */
  readonly tag: 'Forward'
  /** The value. */
  readonly primal: A
  /** The directional derivative carried along. */
  readonly tangent: A
}

/**
 * A dual number: a constant (`Lift`) or a value with its tangent (`Forward`).
 *
 * @category model
 * @since 0.1.0
 */
export type Dual<A> = Lift<A> | Forward<A>

/**
 * A `Floating<Dual<A>>` together with `lift`, which embeds a base value as a constant.
 * Nested derivatives use `lift` to bring an outer variable inside.
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

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * A dual number from its primal and tangent.
 *
 * @example
 * import { Dual } from 'ad-ts'
 * Dual.make(2, 1) // => { tag: 'Forward', primal: 2, tangent: 1 }
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = <A>(primal: A, tangent: A): Dual<A> => ({ tag: 'Forward', primal, tangent })

/**
 * A constant: a primal with no tangent.
 *
 * @example
 * import { Dual } from 'ad-ts'
 * Dual.lift(5) // => { tag: 'Lift', primal: 5 }
 *
 * @category constructors
 * @since 0.2.0
 */
export const lift = <A>(primal: A): Dual<A> => ({ tag: 'Lift', primal })

// -------------------------------------------------------------------------------------
// instances
// -------------------------------------------------------------------------------------

/** How tangents of one base are scaled, multiplied by partials, added and reshaped. */
interface TangentAlgebra<A> {
  /** A partial times a tangent (the strong zero). */
  readonly mul: (d: A, t: A) => A
  readonly add: (a: A, b: A) => A
  readonly neg: (t: A) => A
  /** A tangent brought to the shape of the result `like` (broadcast up or summed down). */
  readonly fit: (t: A, like: A) => A
  /** k·t for a constant k. */
  readonly scale: (k: number) => (t: A) => A
  /** A constant of this base. */
  readonly lift: (x: A) => Dual<A>
}

const algebraOf = <A>(F: Floating<A>): TangentAlgebra<A> => {
  const { strongMul: m, tangentAdd: a, tangentNeg: n } = tangentOps
  const mul = (d: A, t: A) => F.binary(m, d, t)
  const neg = (t: A) => F.unary(n, t)
  return {
    mul,
    add: (x, y) => F.binary(a, x, y),
    neg,
    fit: isTensorial(F) ? (t, like) => F.unbroadcast(t, like) : (t) => t,
    scale: (k) => (k === 1 ? (t) => t : k === -1 ? neg : (t) => mul(F.fromNumber(k), t)),
    lift,
  }
}

/**
 * A constant over numbers. It carries a tangent field of +0 that no rule reads (rules
 * go by the tag), so that every dual number over numbers has one hidden class and the
 * JIT's property reads stay monomorphic.
 */
const liftNumber = (primal: number): Dual<number> =>
  ({ tag: 'Lift', primal, tangent: 0 }) as Lift<number>

/** The algebra of tangents that are plain numbers, written inline. */
const numberAlgebra: TangentAlgebra<number> = {
  mul: strongMul,
  add: tangentAdd,
  neg: tangentNeg,
  fit: (t) => t,
  scale: (k) => (k === 1 ? (t) => t : k === -1 ? tangentNeg : (t) => strongMul(k, t)),
  lift: liftNumber,
}

/** The rules of forward mode for one op, over a base instance and its tangent algebra. */
const unaryRule = <A>(F: Floating<A>, M: TangentAlgebra<A>, op: UnaryOp) => {
  const f = unaryOf(F, op)
  const d = op.derivative(F)
  return (x: Dual<A>): Dual<A> => {
    const y = f(x.primal)
    return x.tag === 'Lift' ? M.lift(y) : make(y, M.mul(d(x.primal, y), x.tangent))
  }
}

const binaryRule = <A>(F: Floating<A>, M: TangentAlgebra<A>, op: BinaryOp) => {
  const f = binaryOf(F, op)
  const linear = op.linear
  const sx = linear === undefined ? undefined : M.scale(linear[0])
  const sy = linear === undefined ? undefined : M.scale(linear[1])
  const dx = op.dx(F)
  const dy = op.dy(F)
  return (x: Dual<A>, y: Dual<A>): Dual<A> => {
    const z = f(x.primal, y.primal)
    if (x.tag === 'Lift' && y.tag === 'Lift') return M.lift(z)
    const tx =
      x.tag === 'Lift'
        ? undefined
        : sx !== undefined
          ? sx(x.tangent)
          : M.mul(dx(x.primal, y.primal, z), x.tangent)
    const ty =
      y.tag === 'Lift'
        ? undefined
        : sy !== undefined
          ? sy(y.tangent)
          : M.mul(dy(x.primal, y.primal, z), y.tangent)
    const t = tx === undefined ? ty! : ty === undefined ? tx : M.add(tx, ty)
    return make(z, M.fit(t, z))
  }
}

const instanceOver = <A>(F: Floating<A>, M: TangentAlgebra<A>): DualFloating<A> => {
  const instance = floatingFrom<Dual<A>>({
    zero: lift(F.zero),
    one: lift(F.one),
    fromNumber: (n) => lift(F.fromNumber(n)),
    toNumber: (x) => F.toNumber(x.primal),
    unaryFor: (op) => unaryRule(F, M, op),
    binaryFor: (op) => binaryRule(F, M, op),
    members: { lift },
  })
  return instance as DualFloating<A>
}

/**
 * The forward-mode instance over a base instance. A base that declares `numeric`
 * gets the number specialisation (the same rules, on numbers inline).
 *
 * @example
 * import { Dual, scalar } from 'ad-ts'
 * const D = Dual.dual(scalar)
 * D.mul(Dual.make(3, 1), Dual.make(3, 1)) // => { tag: 'Forward', primal: 9, tangent: 6 }
 *
 * @category instances
 * @since 0.1.0
 */
export function dual<A>(F: Tensorial<A>): DualTensorial<A>
export function dual<A>(F: Floating<A>): DualFloating<A>
export function dual<A>(F: Floating<A>): DualFloating<A> {
  if (F.numeric === true) return dualNumber as unknown as DualFloating<A>
  const M = algebraOf(F)
  const D = instanceOver(F, M)
  return isTensorial(F) ? withTensorial(F, D, M) : D
}

/**
 * add, sub and mul over numbers, each a closure literal with the tangent arithmetic
 * inline, so the JIT sees one op per call site. They compute exactly what the generic
 * rule computes over `scalar` (the generated programs compare the two bit for bit).
 */
const numberRingOp = (
  op: BinaryOp,
): ((x: Dual<number>, y: Dual<number>) => Dual<number>) | undefined => {
  const { add, sub, mul } = binaryOps
  if (op === add || op === sub) {
    const f = op.primal
    const negate = op === sub
    return (x, y) => {
      const z = f(x.primal, y.primal)
      if (x.tag === 'Lift') {
        if (y.tag === 'Lift') return liftNumber(z)
        return make(z, negate ? tangentNeg(y.tangent) : y.tangent)
      }
      if (y.tag === 'Lift') return make(z, x.tangent)
      return make(z, tangentAdd(x.tangent, negate ? tangentNeg(y.tangent) : y.tangent))
    }
  }
  if (op === mul) {
    return (x, y) => {
      const a = x.primal
      const b = y.primal
      const z = mul.primal(a, b)
      // mul's partials: ∂/∂x = y, ∂/∂y = x.
      if (x.tag === 'Lift')
        return y.tag === 'Lift' ? liftNumber(z) : make(z, strongMul(a, y.tangent))
      if (y.tag === 'Lift') return make(z, strongMul(b, x.tangent))
      return make(z, tangentAdd(strongMul(b, x.tangent), strongMul(a, y.tangent)))
    }
  }
  return undefined
}

/** Forward mode over plain numbers: the same rules, tangent arithmetic inline. */
const dualNumber: DualFloating<number> = (() => {
  const ring = floatingFrom<Dual<number>>({
    zero: liftNumber(0),
    one: liftNumber(1),
    fromNumber: liftNumber,
    toNumber: (x) => x.primal,
    unaryFor: (op) => unaryRule(scalar, numberAlgebra, op),
    binaryFor: (op) => numberRingOp(op) ?? binaryRule(scalar, numberAlgebra, op),
    members: { lift: liftNumber },
  })
  return ring as DualFloating<number>
})()

/** Adds the structural ops of the table to a dual instance over a Tensorial base. */
const withTensorial = <A>(
  T: Tensorial<A>,
  D: DualFloating<A>,
  M: TangentAlgebra<A>,
): DualTensorial<A> => {
  // Each row's rule on the tangent; a constant has no tangent, and a row without rules
  // (extremum) gives a constant.
  const structural = structuralMethods<Dual<A>, A>({
    unary: (row) => {
      const f = row.method(T)
      const jvp = row.jvp?.(T)
      return (x, ...p) => {
        const y = f(x.primal, ...p)
        return x.tag === 'Lift' || jvp === undefined
          ? lift(y)
          : make(y, jvp(x.tangent, x.primal, y, ...p))
      }
    },
    bilinear: (row) => {
      const f = row.method(T)
      const jx = row.jvpX(T)
      const jy = row.jvpY(T)
      return (x, y) => {
        const z = f(x.primal, y.primal)
        if (x.tag === 'Lift' && y.tag === 'Lift') return lift(z)
        const tx = x.tag === 'Lift' ? undefined : jx(x.primal, y.primal, z, x.tangent)
        const ty = y.tag === 'Lift' ? undefined : jy(x.primal, y.primal, z, y.tangent)
        return make(z, tx === undefined ? ty! : ty === undefined ? tx : M.add(tx, ty))
      }
    },
    concat: (row) => {
      const jvp = row.jvp(T)
      return (xs, axis) => {
        const ps = xs.map((x) => x.primal)
        const z = T.concat(ps, axis)
        if (xs.every((x) => x.tag === 'Lift')) return lift(z)
        return make(
          z,
          jvp(
            xs.map((x) => (x.tag === 'Lift' ? undefined : x.tangent)),
            ps,
            axis,
          ),
        )
      }
    },
    param: (v) => v.primal,
    shape: (v) => T.shape(v.primal),
  })
  const zerosLike = (v: A) => T.broadcastTo(T.zero, T.shape(v))
  // A primitive row: its kernel or primal on the primals, its jvp rule on the tangents.
  const apply = (row: Primitive, x: Tree<Dual<A>>): Tree<Dual<A>> => {
    // A checkpoint changes nothing in forward mode: its function runs on these duals.
    if (row.mode === 'checkpoint') return row.primal(self)(x)
    const xs = leavesOf(x)
    const px = withLeaves(
      x,
      xs.map((xi) => xi.primal),
    )
    const y = T.apply(row, px)
    const ys = leavesOf(y)
    if (row.mode === 'constant' || xs.every((xi) => xi.tag === 'Lift'))
      return withLeaves(y, ys.map(lift))
    if (row.jvp === undefined) {
      throw new Error(
        `${row.name}: a customVjp function has a reverse rule only, so forward mode cannot differentiate it; define it with customJvp to use it in forward mode`,
      )
    }
    // A constant's tangent: absent for a built-in rule, zeros for a user's rule.
    const vs = xs.map((xi) =>
      xi.tag === 'Forward'
        ? xi.tangent
        : row.kernel !== undefined
          ? undefined
          : zerosLike(xi.primal),
    )
    const ts = leavesOf(row.jvp(T)(px, y, withLeaves(x, vs)))
    return withLeaves(
      y,
      ys.map((yi, i) => make(yi, ts[i]!)),
    )
  }
  const self: DualTensorial<A> = withComposites<Dual<A>, Omit<DualTensorial<A>, Composite>>(
    D,
    { apply },
    structural,
    {
      constant: (t: Tensor) => lift(T.constant(t)),
      shape: (x: Dual<A>) => T.shape(x.primal),
    },
  )
  return self
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

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
export const primal = <A>(x: Dual<A>): A => x.primal

/**
 * The tangent part, given the base instance (a constant's tangent is its zero, at the
 * primal's shape).
 *
 * @example
 * import { Dual, scalar } from 'ad-ts'
 * Dual.tangent(scalar)(Dual.make(2, 1)) // => 1
 * Dual.tangent(scalar)(Dual.lift(2)) // => 0
 *
 * @category utils
 * @since 0.1.0
 */
export const tangent =
  <A>(F: Floating<A>) =>
  (x: Dual<A>): A =>
    x.tag === 'Forward' ? x.tangent : isTensorial(F) ? F.unbroadcast(F.zero, x.primal) : F.zero
