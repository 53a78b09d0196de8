/**
 * The primitives that have a two-lane form, each written with `Lanes` to compute exactly
 * what its primal computes on each lane: arithmetic and comparisons as IEEE 754 does
 * them, exp, log and log1p as V8 does (`simdMath.ts`), and the choices of the tangent
 * arithmetic and of `where` as lane selections (the strong zero as `strongZero.lanes`
 * defines it), and softplus and sigmoid through their rows' form from e^−|x|
 * (`laneArithmetic`). A group of the SIMD tier holds only these.
 *
 * @since 0.4.0
 */
import type { BinaryOp, UnaryOp } from '../../Floating.js'
import {
  binaryOps,
  ruleOps,
  sign,
  tangentOps,
  unaryOps,
  type KernelArithmetic,
} from '../../ops/opTable.js'
import { strongZero } from '../../tangentArithmetic.js'
import type { Lanes, V } from './lanes.js'
import { exp, log, log1p } from './simdMath.js'

export const zero = (L: Lanes) => L.f(0)
const one = (L: Lanes) => L.f(1)

/** Unary primitives on two lanes, each as its primal computes it. */
export const unaryLanes = new Map<UnaryOp, (L: Lanes, x: V) => V>([
  [unaryOps.neg, (L, x) => L.neg(x)],
  [unaryOps.exp, exp],
  [unaryOps.log, log],
  [unaryOps.log1p, log1p],
  [unaryOps.sqrt, (L, x) => L.sqrt(x)],
  [unaryOps.abs, (L, x) => L.abs(x)],
  [unaryOps.relu, (L, x) => L.select(L.gt(x, zero(L)), x, L.select(L.eq(x, x), zero(L), x))],
  [unaryOps.stopGradient, (_, x) => x],
  [tangentOps.tangentNeg, (L, x) => L.select(L.eq(x, zero(L)), x, L.neg(x))],
  // sign, abs′: 0 at ±0, the sign elsewhere, NaN for NaN.
  [
    sign.spec,
    (L, x) =>
      L.select(
        L.eq(x, zero(L)),
        zero(L),
        L.select(L.gt(x, zero(L)), one(L), L.select(L.lt(x, zero(L)), L.f(-1), x)),
      ),
  ],
  [ruleOps.step, (L, x) => L.select(L.gt(x, zero(L)), one(L), L.select(L.eq(x, x), zero(L), x))],
  [ruleOps.slopeOnly, (L) => zero(L)],
  [ruleOps.nonZero, (L, c) => L.select(L.ne(c, zero(L)), one(L), zero(L))],
  [ruleOps.isZero, (L, c) => L.select(L.ne(c, zero(L)), zero(L), one(L))],
])

const indicator =
  (test: (L: Lanes, x: V, y: V) => V) =>
  (L: Lanes, x: V, y: V): V =>
    L.select(test(L, x, y), one(L), zero(L))

/** The share of a maximum (`above` x > y) or minimum: 1, ½ at a tie, 0, NaN for NaN. */
const share =
  (above: boolean) =>
  (L: Lanes, x: V, y: V): V => {
    const [wins, loses] = above ? [L.gt(x, y), L.lt(x, y)] : [L.lt(x, y), L.gt(x, y)]
    return L.select(
      wins,
      one(L),
      L.select(L.eq(x, y), L.f(0.5), L.select(loses, zero(L), L.f(NaN))),
    )
  }

/** Binary primitives on two lanes, each as its primal computes it. */
export const binaryLanes = new Map<BinaryOp, (L: Lanes, x: V, y: V) => V>([
  [binaryOps.add, (L, x, y) => L.add(x, y)],
  [binaryOps.sub, (L, x, y) => L.sub(x, y)],
  [binaryOps.mul, (L, x, y) => L.mul(x, y)],
  [binaryOps.div, (L, x, y) => L.div(x, y)],
  // Math.max and Math.min: NaN if either is, and −0 below +0, as f64x2.max and min.
  [binaryOps.maximum, (L, x, y) => L.max(x, y)],
  [binaryOps.minimum, (L, x, y) => L.min(x, y)],
  [binaryOps.lt, indicator((L, x, y) => L.lt(x, y))],
  [binaryOps.le, indicator((L, x, y) => L.le(x, y))],
  [binaryOps.gt, indicator((L, x, y) => L.gt(x, y))],
  [binaryOps.ge, indicator((L, x, y) => L.ge(x, y))],
  [binaryOps.eq, indicator((L, x, y) => L.eq(x, y))],
  [ruleOps.maximumShare, share(true)],
  [ruleOps.minimumShare, share(false)],
  [ruleOps.selectIf, (L, c, x) => L.select(L.ne(c, zero(L)), x, L.f(-0))],
  [ruleOps.selectUnless, (L, c, y) => L.select(L.ne(c, zero(L)), L.f(-0), y)],
  [ruleOps.divOrZero, (L, a, b) => L.select(L.eq(b, zero(L)), zero(L), L.div(a, b))],
  [
    ruleOps.shiftBy,
    (L, x, m) => {
      const inf = L.f(Infinity)
      return L.select(L.and(L.eq(x, inf), L.eq(m, inf)), zero(L), L.sub(x, m))
    },
  ],
  [
    tangentOps.strongMul,
    (L, d, t) => {
      const p = L.mul(d, t)
      const signed = L.select(L.eq(p, zero(L)), L.f(-0), p)
      return L.select(L.or(strongZero.lanes(L, d), strongZero.lanes(L, t)), zero(L), signed)
    },
  ],
  [
    tangentOps.tangentAdd,
    (L, a, b) => {
      const s = L.add(a, b)
      const bothStrong = L.and(strongZero.lanes(L, a), strongZero.lanes(L, b))
      return L.select(L.and(L.eq(s, zero(L)), L.not(bothStrong)), L.f(-0), s)
    },
  ],
])

/** The rows' fast forms on two lanes (softplus and sigmoid from e^−|x|). */
export const laneArithmetic = (L: Lanes): KernelArithmetic<V> => ({
  constant: (x) => L.f(x),
  neg: L.neg,
  abs: L.abs,
  add: L.add,
  div: L.div,
  exp: (x) => exp(L, x),
  log1p: (x) => log1p(L, x),
  gt: L.gt,
  ge: L.ge,
  select: L.select,
})
