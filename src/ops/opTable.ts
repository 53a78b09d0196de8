/**
 * The op table: every built-in primitive, once. Each row holds the primal on numbers,
 * the derivative against `Floating`, a one-line note, the domain on which it is
 * checked against finite differences, the highest derivative order checked, its
 * documented special points, and its fast forms where it has them (`kernelForms.ts`:
 * inline JavaScript, two lanes, the form from e^−|x|). Instances, modes and the jit's
 * code generators read the table; none re-implements an op.
 *
 * @since 0.1.0
 */
import type { BinaryOp, Floating, UnaryOp } from '../Floating.js'
import type { Op } from './op.js'
import type { BinaryForms, LaneArithmetic, UnaryForms } from './kernelForms.js'
import { strongMul, strongZero, tangentAdd, tangentNeg } from '../tangentArithmetic.js'

/**
 * An interval on which an op is smooth, checked by the derivative laws; `avoid`
 * excludes `|x| < avoid` (a kink or pole at 0).
 *
 * @category model
 * @since 0.1.0
 */
export interface Domain {
  /** The least point checked. */
  readonly min: number
  /** The greatest point checked. */
  readonly max: number
  /** Points with |x| below this are skipped (a kink or a pole at 0). */
  readonly avoid?: number
}

/**
 * A documented value at a special point: the op's value there and the derivative the
 * library returns (by convention where the op is not differentiable).
 *
 * @category model
 * @since 0.1.0
 */
export interface SpecialPoint {
  /** The point (the first operand of a binary op). */
  readonly x: number
  /** The second operand of a binary op. */
  readonly y?: number
  /** The op's value there. */
  readonly value: number
  /** The derivative the library returns there (∂/∂x for a binary op). */
  readonly derivative: number
  /** Why that value, in words. */
  readonly why: string
}

interface RowInfo {
  /** The derivative in plain mathematics. */
  readonly note: string
  /**
   * How far a point is from where the op is not smooth (a tie of maximum, a jump of a
   * comparison), for the checks against finite differences, which cannot judge there.
   */
  readonly kink?: (x: number, y: number) => number
  /**
   * The highest derivative order checked against finite differences; 0 for an op whose
   * derivative is a definition, not the slope of its values (stopGradient).
   */
  readonly order: number
  /** A looser tolerance against finite differences, when the op needs one. */
  readonly tolerance?: number
  /** Documented values at special points. */
  readonly special: ReadonlyArray<SpecialPoint>
}

/**
 * A row of the unary op table: the op, its note, domain, order and special points, and
 * its fast forms where it has them.
 *
 * @category model
 * @since 0.1.0
 */
export interface UnaryRow extends UnaryOp, RowInfo, UnaryForms {
  /** Where the op is smooth and checked. */
  readonly domain: Domain
}

/**
 * A row of the binary op table, with its fast forms where it has them.
 *
 * @category model
 * @since 0.1.0
 */
export interface BinaryRow extends BinaryOp, RowInfo, BinaryForms {
  /** Where each operand is checked. */
  readonly domain: readonly [Domain, Domain]
}

/** Names of the unary primitives of `Floating`: the unary table's keys. @category model @since 0.1.0 */
export type UnaryName = keyof typeof unaryRows

/** Names of the binary primitives of `Floating`: the binary table's keys. @category model @since 0.1.0 */
export type BinaryName = keyof typeof binaryRows

/**
 * The logistic function on a number, without overflow for large |x|.
 *
 * @example
 * import { stableSigmoid } from 'ad-ts/internal'
 * stableSigmoid(-800) // => 0
 * stableSigmoid(0) // => 0.5
 *
 * @category utils
 * @since 0.1.0
 */
export const stableSigmoid = (x: number): number => {
  // exp of a large positive argument overflows; use the form whose exp argument is ≤ 0.
  if (x >= 0) return 1 / (1 + Math.exp(-x))
  const e = Math.exp(x)
  return e / (1 + e)
}

const signSpec: UnaryOp & UnaryForms = {
  name: 'sign',
  // +0 at ±0: abs′(−0) is a partial that is zero by definition, a strong zero.
  primal: (x) => (x === 0 ? 0 : Math.sign(x)),
  derivative: (F) => () => F.zero,
  lanes: (L, x) =>
    L.select(
      L.eq(x, L.constant(0)),
      L.constant(0),
      L.select(
        L.gt(x, L.constant(0)),
        L.constant(1),
        L.select(L.lt(x, L.constant(0)), L.constant(-1), x),
      ),
    ),
}

/**
 * sign(x): −1, 0 or 1 (NaN for NaN). Its derivative is 0 everywhere it exists; abs′ is
 * sign, so abs′(0) = 0.
 *
 * @example
 * import { diff, scalar, sign } from 'ad-ts'
 * sign(scalar)(-3) // => -1
 * diff(sign)(scalar)(2) // => 0
 *
 * @category constructors
 * @since 0.1.0
 */
export const sign: Op = Object.assign(
  <A>(F: Floating<A>) =>
    (x: A): A =>
      F.unary(signSpec, x),
  { spec: signSpec },
)

/**
 * log(1 + eˣ) on a number, without overflow for large x.
 *
 * @example
 * import { stableSoftplus } from 'ad-ts/internal'
 * stableSoftplus(800) // => 800
 *
 * @category utils
 * @since 0.1.0
 */
export const stableSoftplus = (x: number): number =>
  x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))

/**
 * xlogy(x, y) = x·log y, and 0 where x = 0 (even for y = 0): the factor that pow's
 * exponent partial needs so that pow(0, y) has derivative 0 in y.
 *
 * @example
 * import { scalar } from 'ad-ts'
 * import { xlogy } from 'ad-ts/internal'
 * scalar.binary(xlogy, 0, 0) // => 0
 * scalar.binary(xlogy, 2, Math.E) // => 2
 *
 * @category constructors
 * @since 0.1.0
 */
export const xlogy: BinaryOp = {
  name: 'xlogy',
  primal: (x, y) => (x === 0 ? 0 : x * Math.log(y)),
  dx: (F) => (_x, y) => F.log(y),
  // x/y, and 0 where x = 0, where xlogy is 0 for every y: so pow's mixed second
  // derivative at base 0 is 0, not 0/0 (∂²(xʸ)/∂x∂y = x^(y−1)·(y·log x + 1) → 0 for y > 1).
  dy: (F) => (x, y) => F.binary(xdivy, x, y),
}

/**
 * xdivy(x, y) = x / y, and 0 where x = 0 (even for y = 0): the partial of xlogy in y.
 *
 * @example
 * import { scalar } from 'ad-ts'
 * import { xdivy } from 'ad-ts/internal'
 * scalar.binary(xdivy, 0, 0) // => 0
 * scalar.binary(xdivy, 3, 2) // => 1.5
 *
 * @category constructors
 * @since 0.5.0
 */
export const xdivy: BinaryOp = {
  name: 'xdivy',
  primal: (x, y) => (x === 0 ? 0 : x / y),
  dx: (F) => (_x, y) => F.div(F.one, y),
  // −x/y², and 0 where x = 0 (xdivy is 0 there for every y).
  dy: (F) => (x, y) => F.neg(F.binary(xdivy, F.binary(xdivy, x, y), y)),
}

const everywhere: Domain = { min: -8, max: 8 }

/**
 * The share of a maximum or minimum on two lanes, from the masks where x `wins` and where
 * it `loses`: 1, ½ at a tie, 0, and NaN where either operand is NaN.
 */
const shareLanes = <V>(L: LaneArithmetic<V>, wins: V, loses: V, x: V, y: V): V =>
  L.select(
    wins,
    L.constant(1),
    L.select(L.eq(x, y), L.constant(0.5), L.select(loses, L.constant(0), L.constant(NaN))),
  )

/**
 * Rows used inside other rows' derivative rules: piecewise-constant indicators and
 * selections, each with derivative 0, so that the rules stay written against
 * `Floating` and differentiable to any order.
 *
 * @example
 * import { scalar } from 'ad-ts'
 * import { ruleOps } from 'ad-ts/internal'
 * scalar.binary(ruleOps.selectIf, 0, NaN) // => -0
 * scalar.binary(ruleOps.maximumShare, 2, 2) // => 0.5
 *
 * @category instances
 * @since 0.2.0
 */
export const ruleOps: {
  /** 1 for x > 0, 0 for x ≤ 0 (NaN for NaN): the derivative of relu. */
  readonly step: UnaryOp & UnaryForms
  /** 0, with derivative 1: a term that carries a slope and no value (see reductions.ts). */
  readonly slopeOnly: UnaryOp & UnaryForms
  /** +0, with derivative −1: the slope of `max` and `min`, subtracted so that a −0 extreme stays −0. */
  readonly negativeSlopeOnly: UnaryOp & UnaryForms
  /** +0, with derivative NaN: the slope x/‖x‖ of `norm` at an infinite entry, ∞/∞. */
  readonly undefinedSlopeOnly: UnaryOp & UnaryForms
  /** 1 where c ≠ 0, else +0: the partial of the chosen branch of `where`. */
  readonly nonZero: UnaryOp & UnaryForms
  /** +0 where c ≠ 0, else 1: the partial of the other branch. */
  readonly isZero: UnaryOp & UnaryForms
  /** x where c ≠ 0, else −0 (so that adding it to the other branch changes nothing): half of `where`. */
  readonly selectIf: BinaryOp & BinaryForms
  /** −0 where c ≠ 0, else y: the other half of `where`. */
  readonly selectUnless: BinaryOp & BinaryForms
  /** ∂ maximum(x, y)/∂x: 1 where x > y, ½ at a tie, 0 where x < y. */
  readonly maximumShare: BinaryOp & BinaryForms
  /** ∂ minimum(x, y)/∂x: 1 where x < y, ½ at a tie, 0 where x > y. */
  readonly minimumShare: BinaryOp & BinaryForms
  /** a / b, and 0 where b = 0: the partials of hypot and atan2 at the origin. */
  readonly divOrZero: BinaryOp & BinaryForms
  /** x − m, and 0 where both are +∞: the shift of logsumexp and softmax (partials 1, −1). */
  readonly shiftBy: BinaryOp & BinaryForms
} = {
  step: {
    name: 'step',
    primal: (x) => (x > 0 ? 1 : x === x ? 0 : x),
    js: (x) => `(${x} > 0 ? 1 : ${x} === ${x} ? 0 : ${x})`,
    derivative: (F) => () => F.zero,
    lanes: (L, x) =>
      L.select(L.gt(x, L.constant(0)), L.constant(1), L.select(L.eq(x, x), L.constant(0), x)),
  },
  slopeOnly: {
    name: 'slopeOnly',
    primal: () => 0,
    js: () => '0',
    derivative: (F) => () => F.one,
    lanes: (L) => L.constant(0),
  },
  negativeSlopeOnly: {
    name: 'negativeSlopeOnly',
    primal: () => 0,
    js: () => '0',
    derivative: (F) => () => F.fromNumber(-1),
    lanes: (L) => L.constant(0),
  },
  undefinedSlopeOnly: {
    name: 'undefinedSlopeOnly',
    primal: () => 0,
    js: () => '0',
    derivative: (F) => () => F.fromNumber(NaN),
    lanes: (L) => L.constant(0),
  },
  nonZero: {
    name: 'nonZero',
    primal: (c) => (c !== 0 ? 1 : 0),
    js: (c) => `(${c} !== 0 ? 1 : 0)`,
    derivative: (F) => () => F.zero,
    lanes: (L, c) => L.select(L.ne(c, L.constant(0)), L.constant(1), L.constant(0)),
  },
  isZero: {
    name: 'isZero',
    primal: (c) => (c !== 0 ? 0 : 1),
    js: (c) => `(${c} !== 0 ? 0 : 1)`,
    derivative: (F) => () => F.zero,
    lanes: (L, c) => L.select(L.ne(c, L.constant(0)), L.constant(0), L.constant(1)),
  },
  selectIf: {
    // Named for the op it serves, in messages (a shape error of where).
    name: 'where',
    primal: (c, x) => (c !== 0 ? x : -0),
    js: (c, x) => `(${c} !== 0 ? ${x} : -0)`,
    dx: (F) => () => F.zero,
    dy: (F) => (c) => F.unary(ruleOps.nonZero, c),
    lanes: (L, c, x) => L.select(L.ne(c, L.constant(0)), x, L.constant(-0)),
  },
  selectUnless: {
    name: 'where',
    primal: (c, y) => (c !== 0 ? -0 : y),
    js: (c, y) => `(${c} !== 0 ? -0 : ${y})`,
    dx: (F) => () => F.zero,
    dy: (F) => (c) => F.unary(ruleOps.isZero, c),
    lanes: (L, c, y) => L.select(L.ne(c, L.constant(0)), L.constant(-0), y),
  },
  maximumShare: {
    name: 'maximumShare',
    primal: (x, y) => (x > y ? 1 : x === y ? 0.5 : x < y ? 0 : NaN),
    js: (x, y) => `(${x} > ${y} ? 1 : ${x} === ${y} ? 0.5 : ${x} < ${y} ? 0 : NaN)`,
    dx: (F) => () => F.zero,
    dy: (F) => () => F.zero,
    lanes: (L, x, y) => shareLanes(L, L.gt(x, y), L.lt(x, y), x, y),
  },
  minimumShare: {
    name: 'minimumShare',
    primal: (x, y) => (x < y ? 1 : x === y ? 0.5 : x > y ? 0 : NaN),
    js: (x, y) => `(${x} < ${y} ? 1 : ${x} === ${y} ? 0.5 : ${x} > ${y} ? 0 : NaN)`,
    dx: (F) => () => F.zero,
    dy: (F) => () => F.zero,
    lanes: (L, x, y) => shareLanes(L, L.lt(x, y), L.gt(x, y), x, y),
  },
  shiftBy: {
    name: 'shiftBy',
    primal: (x, m) => (x === Infinity && m === Infinity ? 0 : x - m),
    dx: (F) => () => F.one,
    dy: (F) => () => F.fromNumber(-1),
    linear: [1, -1],
    js: (x, m) => `(${x} === Infinity && ${m} === Infinity ? 0 : ${x} - ${m})`,
    lanes: (L, x, m) => {
      const inf = L.constant(Infinity)
      return L.select(L.and(L.eq(x, inf), L.eq(m, inf)), L.constant(0), L.sub(x, m))
    },
  },
  divOrZero: {
    name: 'divOrZero',
    primal: (a, b) => (b === 0 ? 0 : a / b),
    js: (a, b) => `(${b} === 0 ? 0 : ${a} / ${b})`,
    dx: (F) => (_a, b) => F.binary(ruleOps.divOrZero, F.one, b),
    dy: (F) => (_a, b, z) => F.neg(F.binary(ruleOps.divOrZero, z, b)),
    lanes: (L, a, b) => L.select(L.eq(b, L.constant(0)), L.constant(0), L.div(a, b)),
  },
}

/**
 * A comparison: 1 where it holds, else 0; a constant, with partials 0. `atTie` is its
 * documented value at x = y, written out rather than read from `holds`, so that the
 * special-point check holds `holds` to it. On two lanes it is the lane comparison of its
 * name.
 */
/** The JavaScript operator of each comparison, for its inline form. */
const jsOperators = { lt: '<', le: '<=', gt: '>', ge: '>=', eq: '===' } as const

const comparison = (
  name: 'lt' | 'le' | 'gt' | 'ge' | 'eq',
  holds: (x: number, y: number) => boolean,
  symbol: string,
  atTie: 0 | 1,
): BinaryRow => ({
  name,
  note: `${name}(x, y) = 1 where x ${symbol} y, else 0; a constant: both partials are 0`,
  primal: (x, y) => (holds(x, y) ? 1 : 0),
  dx: (F) => () => F.zero,
  dy: (F) => () => F.zero,
  js: (x, y) => `(${x} ${jsOperators[name]} ${y} ? 1 : 0)`,
  lanes: (L, x, y) => L.select(L[name](x, y), L.constant(1), L.constant(0)),
  domain: [everywhere, everywhere],
  order: 3,
  kink: (x, y) => Math.abs(x - y),
  special: [
    {
      x: 1,
      y: 1,
      value: atTie,
      derivative: 0,
      why: 'a jump; the derivative is 0 by convention',
    },
    { x: NaN, y: 1, value: 0, derivative: 0, why: 'NaN compares false' },
  ],
})

const unaryRows = {
  neg: {
    name: 'neg',
    note: 'neg(x) = −x; neg′ = −1',
    primal: (x) => -x,
    derivative: (F) => () => F.fromNumber(-1),
    js: (x) => `(-${x})`,
    lanes: (L, x) => L.neg(x),
    domain: everywhere,
    order: 3,
    special: [{ x: 0, value: -0, derivative: -1, why: 'neg(0) is −0, as in IEEE 754' }],
  },
  exp: {
    name: 'exp',
    note: 'exp′(x) = exp(x), reusing the primal result',
    primal: Math.exp,
    derivative: () => (_x, y) => y,
    js: (x) => `Math.exp(${x})`,
    lanes: (L, x) => L.exp(x),
    domain: { min: -20, max: 20 },
    order: 3,
    special: [
      { x: 710, value: Infinity, derivative: Infinity, why: 'exp overflows past x ≈ 709.78' },
    ],
  },
  log: {
    name: 'log',
    note: 'log′(x) = 1 / x; domain x > 0',
    primal: Math.log,
    derivative: (F) => (x) => F.div(F.one, x),
    js: (x) => `Math.log(${x})`,
    lanes: (L, x) => L.log(x),
    domain: { min: 0.05, max: 50 },
    order: 3,
    special: [
      { x: 0, value: -Infinity, derivative: Infinity, why: 'the limit from the right' },
      { x: -1, value: NaN, derivative: -1, why: 'outside the domain: the value is NaN' },
    ],
  },
  log1p: {
    name: 'log1p',
    note: 'log1p′(x) = 1 / (1 + x); accurate near 0; domain x > −1',
    primal: Math.log1p,
    derivative: (F) => (x) => F.div(F.one, F.add(F.one, x)),
    js: (x) => `Math.log1p(${x})`,
    lanes: (L, x) => L.log1p(x),
    domain: { min: -0.9, max: 50 },
    order: 3,
    special: [{ x: -1, value: -Infinity, derivative: Infinity, why: 'the limit from the right' }],
  },
  sqrt: {
    name: 'sqrt',
    note: 'sqrt′(x) = 1 / (2·sqrt x), reusing the primal result; domain x ≥ 0',
    primal: Math.sqrt,
    derivative: (F) => (_x, y) => F.div(F.fromNumber(0.5), y),
    js: (x) => `Math.sqrt(${x})`,
    lanes: (L, x) => L.sqrt(x),
    domain: { min: 0.05, max: 50 },
    order: 3,
    special: [{ x: 0, value: 0, derivative: Infinity, why: 'the one-sided limit' }],
  },
  sin: {
    name: 'sin',
    note: 'sin′ = cos',
    primal: Math.sin,
    js: (x) => `Math.sin(${x})`,
    derivative: (F) => (x) => F.cos(x),
    domain: everywhere,
    order: 4,
    special: [],
  },
  cos: {
    name: 'cos',
    note: 'cos′ = −sin',
    primal: Math.cos,
    js: (x) => `Math.cos(${x})`,
    derivative: (F) => (x) => F.neg(F.sin(x)),
    domain: everywhere,
    order: 4,
    special: [],
  },
  tanh: {
    name: 'tanh',
    note: 'tanh′(x) = 1 − tanh²(x) for |x| < 1; 4e/(1 + e)² with e = e^−2|x| beyond, where 1 − tanh² cancels',
    primal: Math.tanh,
    js: (x) => `Math.tanh(${x})`,
    derivative: (F) => (x, y) => {
      // sech²(x) without cancellation: 1 − tanh²(x) rounds to 0 from |x| ≈ 19 on.
      const e = F.exp(F.mul(F.fromNumber(-2), F.abs(x)))
      const far = F.div(F.mul(F.fromNumber(4), e), F.mul(F.add(F.one, e), F.add(F.one, e)))
      return F.where(F.lt(F.abs(x), F.one), F.sub(F.one, F.mul(y, y)), far)
    },
    domain: everywhere,
    order: 3,
    special: [{ x: Infinity, value: 1, derivative: 0, why: 'saturates' }],
  },
  sigmoid: {
    name: 'sigmoid',
    note: 'σ(x) = 1 / (1 + e^−x); σ′ = σ(x)·σ(−x) (σ·(1 − σ) cancels for large x); no overflow for large |x|',
    primal: stableSigmoid,
    derivative: (F) => (x, y) => F.mul(y, F.sigmoid(F.neg(x))),
    // 1 / (1 + e) for x ≥ 0 and e / (1 + e) below: one division of the branch's numerator.
    fromExpNegAbs: (A, x, e) =>
      A.div(A.select(A.ge(x, A.constant(0)), A.constant(1), e), A.add(A.constant(1), e)),
    domain: everywhere,
    order: 3,
    special: [
      { x: 800, value: 1, derivative: 0, why: 'saturates without overflow' },
      { x: -800, value: 0, derivative: 0, why: 'saturates without overflow' },
    ],
  },
  abs: {
    name: 'abs',
    note: 'abs′(x) = sign(x); abs′(0) = 0 by convention (a subgradient)',
    primal: Math.abs,
    js: (x) => `Math.abs(${x})`,
    derivative: (F) => (x) => sign(F)(x),
    lanes: (L, x) => L.abs(x),
    domain: { min: -8, max: 8, avoid: 0.01 },
    order: 3,
    special: [{ x: 0, value: 0, derivative: 0, why: 'abs has a kink at 0; 0 is a subgradient' }],
  },
  relu: {
    name: 'relu',
    note: 'relu(x) = max(x, 0); relu′(x) = 1 for x > 0, else 0 (0 at the kink)',
    primal: (x) => (x > 0 ? x : x === x ? 0 : x),
    js: (x) => `(${x} > 0 ? ${x} : ${x} === ${x} ? 0 : ${x})`,
    derivative: (F) => (x) => F.unary(ruleOps.step, x),
    lanes: (L, x) => L.select(L.gt(x, L.constant(0)), x, L.select(L.eq(x, x), L.constant(0), x)),
    domain: { min: -8, max: 8, avoid: 0.01 },
    order: 3,
    kink: (x) => Math.abs(x),
    special: [
      { x: 0, value: 0, derivative: 0, why: 'relu has a kink at 0; its derivative there is 0' },
    ],
  },
  expm1: {
    name: 'expm1',
    note: 'expm1(x) = eˣ − 1, accurate near 0; expm1′ = eˣ (expm1(x) + 1 cancels for large negative x)',
    primal: Math.expm1,
    js: (x) => `Math.expm1(${x})`,
    derivative: (F) => (x) => F.exp(x),
    domain: { min: -20, max: 20 },
    order: 3,
    special: [
      { x: 1e-300, value: 1e-300, derivative: 1, why: 'accurate where eˣ − 1 rounds to 0' },
    ],
  },
  softplus: {
    name: 'softplus',
    note: 'softplus(x) = log(1 + eˣ) without overflow (x + log1p(e⁻ˣ) for x > 0); softplus′ = sigmoid',
    primal: (x) => stableSoftplus(x),
    derivative: (F) => (x) => F.sigmoid(x),
    fromExpNegAbs: (A, x, e) => {
      const l = A.log1pUnit(e)
      return A.select(A.gt(x, A.constant(0)), A.add(x, l), l)
    },
    domain: { min: -20, max: 20 },
    order: 3,
    special: [{ x: 800, value: 800, derivative: 1, why: 'no overflow' }],
  },
  stopGradient: {
    name: 'stopGradient',
    note: 'stopGradient(x) = x, with derivative 0 at every order',
    primal: (x) => x,
    derivative: (F) => () => F.zero,
    js: (x) => `(${x})`,
    lanes: (_, x) => x,
    domain: everywhere,
    order: 0,
    special: [{ x: 2, value: 2, derivative: 0, why: 'the value passes, the derivative does not' }],
  },
} satisfies Record<string, UnaryRow>

/**
 * The unary rows, keyed by name.
 *
 * @example
 * import { unaryOps } from 'ad-ts/internal'
 * unaryOps.exp.primal(0) // => 1
 * unaryOps.sqrt.special[0]!.derivative // => Infinity
 *
 * @category instances
 * @since 0.1.0
 */
export const unaryOps: { readonly [K in UnaryName]: UnaryRow } = unaryRows

const constant =
  (n: number) =>
  <A>(F: Floating<A>) =>
  (): A =>
    n === 1 ? F.one : F.fromNumber(n)

const binaryRows = {
  add: {
    name: 'add',
    note: '∂(x + y)/∂x = 1, ∂/∂y = 1',
    primal: (x, y) => x + y,
    dx: constant(1),
    dy: constant(1),
    linear: [1, 1],
    js: (x, y) => `(${x} + ${y})`,
    lanes: (L, x, y) => L.add(x, y),
    domain: [everywhere, everywhere],
    order: 3,
    special: [],
  },
  sub: {
    name: 'sub',
    note: '∂(x − y)/∂x = 1, ∂/∂y = −1',
    primal: (x, y) => x - y,
    dx: constant(1),
    dy: constant(-1),
    linear: [1, -1],
    js: (x, y) => `(${x} - ${y})`,
    lanes: (L, x, y) => L.sub(x, y),
    domain: [everywhere, everywhere],
    order: 3,
    special: [],
  },
  mul: {
    name: 'mul',
    note: '∂(x·y)/∂x = y, ∂/∂y = x',
    primal: (x, y) => x * y,
    dx: () => (_x, y) => y,
    dy: () => (x) => x,
    js: (x, y) => `(${x} * ${y})`,
    lanes: (L, x, y) => L.mul(x, y),
    domain: [everywhere, everywhere],
    order: 3,
    special: [],
  },
  div: {
    name: 'div',
    note: '∂(x/y)/∂x = 1/y, ∂/∂y = −x/y²; y ≠ 0',
    primal: (x, y) => x / y,
    dx: (F) => (_x, y) => F.div(F.one, y),
    dy: (F) => (_x, y, z) => F.neg(F.div(z, y)),
    js: (x, y) => `(${x} / ${y})`,
    lanes: (L, x, y) => L.div(x, y),
    domain: [everywhere, { min: -8, max: 8, avoid: 0.5 }],
    order: 3,
    special: [
      {
        x: 1,
        y: 0,
        value: Infinity,
        derivative: Infinity,
        why: 'x / 0 is ±Infinity; 0 / 0 is NaN',
      },
    ],
  },
  pow: {
    name: 'pow',
    note: '∂(x^y)/∂x = y·x^(y−1) (0 where y = 0), ∂/∂y = x^y·log x (0 where x^y = 0); x > 0 for a real ∂/∂y',
    primal: Math.pow,
    // y·x^(y−1) with the strong zero: at y = 0 it is 0 even where x^(y−1) is infinite.
    dx: (F) => (x, y) => F.binary(tangentOps.strongMul, y, F.pow(x, F.sub(y, F.one))),
    dy: (F) => (x, _y, z) => F.binary(xlogy, z, x),
    domain: [
      { min: 0.5, max: 4 },
      { min: -3, max: 3 },
    ],
    order: 2,
    tolerance: 1e-5,
    special: [
      {
        x: 0,
        y: 2,
        value: 0,
        derivative: 0,
        why: 'base 0: ∂/∂x = y·0^(y−1) (0 for y > 1, 1 for y = 1, Infinity for 0 < y < 1) and ∂/∂y = 0',
      },
      {
        x: 0,
        y: 0,
        value: 1,
        derivative: 0,
        why: 'x⁰ is the constant 1: ∂/∂x = 0·0^(−1) is 0 by the strong zero, not NaN',
      },
      {
        x: -2,
        y: 3,
        value: -8,
        derivative: 12,
        why: 'negative base: ∂/∂x is real for integer y, ∂/∂y is NaN (log of a negative number)',
      },
    ],
  },
  maximum: {
    name: 'maximum',
    note: '∂max(x, y)/∂x = 1 where x > y, 0 where x < y, ½ each at a tie',
    primal: (x, y) => Math.max(x, y),
    js: (x, y) => `Math.max(${x}, ${y})`,
    dx: (F) => (x, y) => F.binary(ruleOps.maximumShare, x, y),
    dy: (F) => (x, y) => F.binary(ruleOps.maximumShare, y, x),
    // Math.max and Math.min: NaN if either is, and −0 below +0, as f64x2.max and min.
    lanes: (L, x, y) => L.max(x, y),
    domain: [everywhere, everywhere],
    order: 3,
    kink: (x, y) => Math.abs(x - y),
    special: [{ x: 1, y: 1, value: 1, derivative: 0.5, why: 'a tie: half to each operand' }],
  },
  minimum: {
    name: 'minimum',
    note: '∂min(x, y)/∂x = 1 where x < y, 0 where x > y, ½ each at a tie',
    primal: (x, y) => Math.min(x, y),
    js: (x, y) => `Math.min(${x}, ${y})`,
    dx: (F) => (x, y) => F.binary(ruleOps.minimumShare, x, y),
    dy: (F) => (x, y) => F.binary(ruleOps.minimumShare, y, x),
    lanes: (L, x, y) => L.min(x, y),
    domain: [everywhere, everywhere],
    order: 3,
    kink: (x, y) => Math.abs(x - y),
    special: [{ x: 1, y: 1, value: 1, derivative: 0.5, why: 'a tie: half to each operand' }],
  },
  atan2: {
    name: 'atan2',
    note: 'atan2(y, x): ∂/∂y = x / (x² + y²), ∂/∂x = −y / (x² + y²), computed as (x / h) / h with h = hypot(x, y); both 0 at (0, 0)',
    primal: Math.atan2,
    js: (y, x) => `Math.atan2(${y}, ${x})`,
    dx: (F) => (y, x) => {
      const h = F.hypot(x, y)
      return F.binary(ruleOps.divOrZero, F.binary(ruleOps.divOrZero, x, h), h)
    },
    dy: (F) => (y, x) => {
      const h = F.hypot(x, y)
      return F.neg(F.binary(ruleOps.divOrZero, F.binary(ruleOps.divOrZero, y, h), h))
    },
    domain: [everywhere, everywhere],
    order: 3,
    kink: (y, x) => Math.min(Math.hypot(x, y), x < 0 ? Math.abs(y) : Infinity),
    special: [
      {
        x: 0,
        y: 0,
        value: 0,
        derivative: 0,
        why: 'not differentiable at the origin; 0 by convention',
      },
    ],
  },
  hypot: {
    name: 'hypot',
    note: 'hypot(x, y) = √(x² + y²) without overflow or underflow; ∂/∂x = x / hypot, 0 at (0, 0)',
    primal: Math.hypot,
    js: (y, x) => `Math.hypot(${y}, ${x})`,
    dx: (F) => (x, _y, z) => F.binary(ruleOps.divOrZero, x, z),
    dy: (F) => (_x, y, z) => F.binary(ruleOps.divOrZero, y, z),
    domain: [everywhere, everywhere],
    order: 3,
    kink: (x, y) => Math.hypot(x, y),
    special: [
      { x: 1e-200, y: 0, value: 1e-200, derivative: 1, why: 'no underflow' },
      { x: 0, y: 0, value: 0, derivative: 0, why: 'a cone point; 0 by convention' },
    ],
  },
  lt: comparison('lt', (x, y) => x < y, '<', 0),
  le: comparison('le', (x, y) => x <= y, '≤', 1),
  gt: comparison('gt', (x, y) => x > y, '>', 0),
  ge: comparison('ge', (x, y) => x >= y, '≥', 1),
  eq: comparison('eq', (x, y) => x === y, '=', 1),
} satisfies Record<string, BinaryRow>

/**
 * The binary rows, keyed by name.
 *
 * @example
 * import { binaryOps } from 'ad-ts/internal'
 * binaryOps.mul.primal(3, 4) // => 12
 *
 * @category instances
 * @since 0.1.0
 */
export const binaryOps: { readonly [K in BinaryName]: BinaryRow } = binaryRows

/**
 * The tangent arithmetic of the modes as primitives (see `tangentArithmetic.ts`), so
 * that nested modes lift them like any other op: `strongMul(d, t)` multiplies a
 * partial by a tangent with the strong zero, `tangentAdd` adds tangents, `tangentNeg`
 * negates one, each keeping the tag of a zero.
 *
 * @example
 * import { scalar } from 'ad-ts'
 * import { tangentOps } from 'ad-ts/internal'
 * scalar.binary(tangentOps.strongMul, 0, NaN) // => 0
 *
 * @category instances
 * @since 0.2.0
 */
export const tangentOps: {
  /** A partial times a tangent, with the strong zero. */
  readonly strongMul: BinaryOp & BinaryForms
  /** The sum of two tangents, keeping the tag of a zero. */
  readonly tangentAdd: BinaryOp & BinaryForms
  /** The negation of a tangent, keeping the tag of a zero. */
  readonly tangentNeg: UnaryOp & UnaryForms
} = {
  strongMul: {
    name: 'strongMul',
    primal: strongMul,
    dx: () => (_d, t) => t,
    dy: () => (d) => d,
    js: (d, t) =>
      `(${strongZero.js(d)} || ${strongZero.js(t)} ? 0 : ${d} * ${t} === 0 ? -0 : ${d} * ${t})`,
    lanes: (L, d, t) => {
      const p = L.mul(d, t)
      const signed = L.select(L.eq(p, L.constant(0)), L.constant(-0), p)
      return L.select(L.or(strongZero.lanes(L, d), strongZero.lanes(L, t)), L.constant(0), signed)
    },
  },
  tangentAdd: {
    name: 'tangentAdd',
    primal: tangentAdd,
    dx: constant(1),
    dy: constant(1),
    linear: [1, 1],
    js: (a, b) =>
      `(${a} + ${b} === 0 && !(${strongZero.js(a)} && ${strongZero.js(b)}) ? -0 : ${a} + ${b})`,
    lanes: (L, a, b) => {
      const s = L.add(a, b)
      const bothStrong = L.and(strongZero.lanes(L, a), strongZero.lanes(L, b))
      return L.select(L.and(L.eq(s, L.constant(0)), L.not(bothStrong)), L.constant(-0), s)
    },
  },
  tangentNeg: {
    name: 'tangentNeg',
    primal: tangentNeg,
    derivative: (F) => () => F.fromNumber(-1),
    js: (x) => `(${x} === 0 ? ${x} : -(${x}))`,
    lanes: (L, x) => L.select(L.eq(x, L.constant(0)), x, L.neg(x)),
  },
}

const builtIns = [
  ...Object.values(unaryOps),
  ...Object.values(binaryOps),
  ...Object.values(ruleOps),
  ...Object.values(tangentOps),
  signSpec,
]

/**
 * The fast forms of the built-in unary primitives (the rows, the rules' ops, tangentNeg
 * and sign), which the jit's code generators read: looked up by the op's identity, so a
 * `defineOp` op never gets a built-in's forms.
 *
 * @internal
 */
export const unaryForms: ReadonlyMap<UnaryOp, UnaryForms> = new Map(
  builtIns.flatMap((o) => ('derivative' in o ? [[o, o] as const] : [])),
)

/**
 * The fast forms of the built-in binary primitives, looked up by the op's identity.
 *
 * @internal
 */
export const binaryForms: ReadonlyMap<BinaryOp, BinaryForms> = new Map(
  builtIns.flatMap((o) => ('dx' in o ? [[o, o] as const] : [])),
)

/**
 * softplus(x) = log(1 + eˣ), computed without overflow (x + log1p(e⁻ˣ) for x > 0) and
 * accurately for large negative x; softplus′ = sigmoid. The negative log-likelihood of
 * logistic regression is softplus(z) − y·z, finite for every finite z.
 *
 * @example
 * import { softplus, scalar } from 'ad-ts'
 * softplus(scalar)(800) // => 800
 * softplus(scalar)(0) // ≈ Math.LN2
 *
 * @category constructors
 * @since 0.1.0
 */
export const softplus: Op = Object.assign(
  <A>(F: Floating<A>) =>
    (x: A): A =>
      F.softplus(x),
  { spec: unaryOps.softplus },
)
