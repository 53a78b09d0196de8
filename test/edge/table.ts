/**
 * The edge-value table: what every op returns, and the derivative the library gives,
 * at 0, −0, ±Infinity, NaN, the smallest and largest finite doubles and each op's domain
 * boundaries. The values follow IEEE 754 and the documented conventions (the strong
 * zero of `src/tangentArithmetic.ts`: a zero partial, or a tangent that no path
 * reaches, annihilates a NaN or infinite factor; abs′(0) = 0; pow's exponent partial
 * is 0 where the power is 0, and its base partial is 0 where the exponent is 0). `test/edgeValues.test.ts` checks every row in every mode and on both
 * backends; `docs/edge-values.md` is rendered from this table (`npm run docs:edges`).
 */
import { softplus, sign, type Floating } from '../../src/index.js'

export interface UnaryEdge {
  readonly x: number
  readonly value: number
  readonly derivative: number
  readonly why?: string
}

export interface BinaryEdge {
  readonly x: number
  readonly y: number
  readonly value: number
  readonly dx: number
  readonly dy: number
  readonly why?: string
}

export interface UnaryEntry {
  readonly name: string
  readonly f: <A>(F: Floating<A>) => (x: A) => A
  readonly rows: ReadonlyArray<UnaryEdge>
}

export interface BinaryEntry {
  readonly name: string
  readonly f: <A>(F: Floating<A>) => (x: A, y: A) => A
  readonly rows: ReadonlyArray<BinaryEdge>
}

const MAX = Number.MAX_VALUE
const MIN = Number.MIN_VALUE
const LOG_MIN = -744.4400719213812
const LOG_MAX = 709.782712893384
const SIN_MAX = 0.004961954789184062
const COS_MAX = -0.9999876894265599

const e = (x: number, value: number, derivative: number, why?: string): UnaryEdge =>
  why === undefined ? { x, value, derivative } : { x, value, derivative, why }

/** The points every unary op is checked at. */
export const commonPoints = [0, -0, Infinity, -Infinity, NaN, MIN, MAX] as const

export const unaryTable: ReadonlyArray<UnaryEntry> = [
  {
    name: 'relu',
    f: (F) => F.relu,
    rows: [
      e(0, 0, 0, 'a kink: the derivative at 0 is 0'),
      e(-0, 0, 0),
      e(Infinity, Infinity, 1),
      e(-Infinity, 0, 0),
      e(NaN, NaN, NaN),
      e(MIN, MIN, 1),
      e(MAX, MAX, 1),
    ],
  },
  {
    name: 'expm1',
    f: (F) => F.expm1,
    rows: [
      e(0, 0, 1),
      e(-0, -0, 1),
      e(Infinity, Infinity, Infinity),
      e(-Infinity, -1, 0),
      e(NaN, NaN, NaN),
      e(MIN, MIN, 1, 'accurate where eˣ − 1 rounds to 0'),
      e(MAX, Infinity, Infinity, 'overflow'),
    ],
  },
  {
    name: 'stopGradient',
    f: (F) => F.stopGradient,
    rows: [
      e(0, 0, 0),
      e(-0, -0, 0),
      e(Infinity, Infinity, 0),
      e(-Infinity, -Infinity, 0),
      e(NaN, NaN, 0, 'the derivative is the constant 0, even at NaN'),
      e(MIN, MIN, 0),
      e(MAX, MAX, 0),
    ],
  },
  {
    name: 'neg',
    f: (F) => F.neg,
    rows: [
      e(0, -0, -1),
      e(-0, 0, -1),
      e(Infinity, -Infinity, -1),
      e(-Infinity, Infinity, -1),
      e(NaN, NaN, -1, 'the derivative is the constant −1'),
      e(MIN, -MIN, -1),
      e(MAX, -MAX, -1),
    ],
  },
  {
    name: 'exp',
    f: (F) => F.exp,
    rows: [
      e(0, 1, 1),
      e(-0, 1, 1),
      e(Infinity, Infinity, Infinity),
      e(-Infinity, 0, 0),
      e(NaN, NaN, NaN),
      e(MIN, 1, 1),
      e(MAX, Infinity, Infinity, 'overflow'),
      e(710, Infinity, Infinity, 'overflow past 709.78'),
      e(-745, MIN, MIN, 'the smallest subnormal'),
    ],
  },
  {
    name: 'log',
    f: (F) => F.log,
    rows: [
      e(0, -Infinity, Infinity, 'log′ = 1/x'),
      e(-0, -Infinity, -Infinity, '1/−0'),
      e(Infinity, Infinity, 0),
      e(-Infinity, NaN, -0, 'outside the domain'),
      e(NaN, NaN, NaN),
      e(MIN, LOG_MIN, Infinity, '1/MIN overflows'),
      e(MAX, LOG_MAX, 1 / MAX),
      e(-1, NaN, -1, 'outside the domain: the value is NaN, 1/x is not'),
    ],
  },
  {
    name: 'log1p',
    f: (F) => F.log1p,
    rows: [
      e(0, 0, 1),
      e(-0, -0, 1),
      e(Infinity, Infinity, 0),
      e(-Infinity, NaN, -0),
      e(NaN, NaN, NaN),
      e(MIN, MIN, 1),
      e(MAX, LOG_MAX, 1 / MAX),
      e(-1, -Infinity, Infinity, 'the pole'),
      e(-2, NaN, -1, 'outside the domain'),
    ],
  },
  {
    name: 'sqrt',
    f: (F) => F.sqrt,
    rows: [
      e(0, 0, Infinity, 'the one-sided limit'),
      e(-0, -0, -Infinity, '0.5/−0'),
      e(Infinity, Infinity, 0),
      e(-Infinity, NaN, NaN),
      e(NaN, NaN, NaN),
      e(MIN, 2.2227587494850775e-162, 2.2494568972715982e161),
      e(MAX, 1.3407807929942596e154, 3.729170365600104e-155),
      e(-1, NaN, NaN, 'outside the domain'),
    ],
  },
  {
    name: 'sin',
    f: (F) => F.sin,
    rows: [
      e(0, 0, 1),
      e(-0, -0, 1),
      e(Infinity, NaN, NaN),
      e(-Infinity, NaN, NaN),
      e(NaN, NaN, NaN),
      e(MIN, MIN, 1),
      e(MAX, SIN_MAX, COS_MAX),
    ],
  },
  {
    name: 'cos',
    f: (F) => F.cos,
    rows: [
      e(0, 1, -0),
      e(-0, 1, 0),
      e(Infinity, NaN, NaN),
      e(-Infinity, NaN, NaN),
      e(NaN, NaN, NaN),
      e(MIN, 1, -MIN),
      e(MAX, COS_MAX, -SIN_MAX),
    ],
  },
  {
    name: 'tanh',
    f: (F) => F.tanh,
    rows: [
      e(0, 0, 1),
      e(-0, -0, 1),
      e(Infinity, 1, 0, 'saturates'),
      e(-Infinity, -1, 0, 'saturates'),
      e(NaN, NaN, NaN),
      e(MIN, MIN, 1),
      e(MAX, 1, 0),
    ],
  },
  {
    name: 'sigmoid',
    f: (F) => F.sigmoid,
    rows: [
      e(0, 0.5, 0.25),
      e(-0, 0.5, 0.25),
      e(Infinity, 1, 0, 'saturates'),
      e(-Infinity, 0, 0, 'saturates'),
      e(NaN, NaN, NaN),
      e(MIN, 0.5, 0.25),
      e(MAX, 1, 0),
      e(800, 1, 0, 'no overflow'),
      e(-800, 0, 0, 'no overflow'),
    ],
  },
  {
    name: 'abs',
    f: (F) => F.abs,
    rows: [
      e(0, 0, 0, 'a kink: 0 is a subgradient'),
      e(-0, 0, 0, 'a kink: 0 is a subgradient'),
      e(Infinity, Infinity, 1),
      e(-Infinity, Infinity, -1),
      e(NaN, NaN, NaN),
      e(MIN, MIN, 1),
      e(MAX, MAX, 1),
    ],
  },
  {
    name: 'softplus',
    f: softplus,
    rows: [
      e(0, Math.LN2, 0.5),
      e(-0, Math.LN2, 0.5),
      e(Infinity, Infinity, 1),
      e(-Infinity, 0, 0),
      e(NaN, NaN, NaN),
      e(MIN, Math.LN2, 0.5),
      e(MAX, MAX, 1, 'no overflow'),
      e(800, 800, 1),
      e(-800, 0, 0),
    ],
  },
  {
    name: 'sign',
    f: sign,
    rows: [
      e(0, 0, 0),
      e(-0, 0, 0, 'sign(±0) is +0, a strong zero as abs′'),
      e(Infinity, 1, 0),
      e(-Infinity, -1, 0),
      e(NaN, NaN, 0, 'the derivative is the constant 0'),
      e(MIN, 1, 0),
      e(MAX, 1, 0),
    ],
  },
]

const b = (
  x: number,
  y: number,
  value: number,
  dx: number,
  dy: number,
  why?: string,
): BinaryEdge => (why === undefined ? { x, y, value, dx, dy } : { x, y, value, dx, dy, why })

/**
 * A comparison below a tie (1, 2), at it (2, 2) and above it (2, 1): its values there,
 * written out, with partials 0.
 */
const comparedAround = (below: 0 | 1, tie: 0 | 1, above: 0 | 1): BinaryEdge[] => [
  b(1, 2, below, 0, 0),
  b(2, 2, tie, 0, 0, 'a jump: 0 by convention'),
  b(2, 1, above, 0, 0),
]

export const binaryTable: ReadonlyArray<BinaryEntry> = [
  {
    name: 'maximum',
    f: (F) => F.maximum,
    rows: [
      b(1, 1, 1, 0.5, 0.5, 'a tie: half to each'),
      b(2, 1, 2, 1, 0),
      b(-0, 0, 0, 0.5, 0.5, '−0 and 0 tie'),
      b(Infinity, 1, Infinity, 1, 0),
      b(NaN, 1, NaN, NaN, NaN),
    ],
  },
  {
    name: 'minimum',
    f: (F) => F.minimum,
    rows: [
      b(1, 1, 1, 0.5, 0.5, 'a tie: half to each'),
      b(2, 1, 1, 0, 1),
      b(-Infinity, 1, -Infinity, 1, 0),
      b(NaN, 1, NaN, NaN, NaN),
    ],
  },
  {
    name: 'atan2',
    f: (F) => F.atan2,
    rows: [
      b(0, 0, 0, 0, -0, 'not differentiable at the origin: 0 by convention (∂/∂x = −y/r² is −0)'),
      b(1, 0, Math.PI / 2, 0, -1),
      b(0, -1, Math.PI, -1, -0),
      b(1e-200, 1e-200, Math.PI / 4, 5e199, -5e199, 'no underflow: (x / h) / h'),
    ],
  },
  {
    name: 'hypot',
    f: (F) => F.hypot,
    rows: [
      b(0, 0, 0, 0, 0, 'a cone point: 0 by convention'),
      b(1e-200, 0, 1e-200, 1, 0, 'no underflow'),
      b(3e200, 4e200, 5e200, 0.6, 0.8, 'no overflow'),
      b(Infinity, NaN, Infinity, NaN, NaN),
    ],
  },
  {
    name: 'lt',
    f: (F) => F.lt,
    rows: [...comparedAround(1, 0, 0), b(NaN, 1, 0, 0, 0)],
  },
  {
    name: 'le',
    f: (F) => F.le,
    rows: [...comparedAround(1, 1, 0), b(-0, 0, 1, 0, 0), b(NaN, 1, 0, 0, 0)],
  },
  {
    name: 'gt',
    f: (F) => F.gt,
    rows: [...comparedAround(0, 0, 1), b(Infinity, MAX, 1, 0, 0), b(NaN, 1, 0, 0, 0)],
  },
  {
    name: 'ge',
    f: (F) => F.ge,
    rows: [...comparedAround(0, 1, 1), b(1, NaN, 0, 0, 0)],
  },
  {
    name: 'eq',
    f: (F) => F.eq,
    rows: [...comparedAround(0, 1, 0), b(-0, 0, 1, 0, 0), b(NaN, NaN, 0, 0, 0)],
  },
  {
    name: 'add',
    f: (F) => F.add,
    rows: [
      b(Infinity, -Infinity, NaN, 1, 1, 'the partials are constants'),
      b(MAX, MAX, Infinity, 1, 1, 'overflow'),
      b(NaN, 1, NaN, 1, 1),
    ],
  },
  {
    name: 'sub',
    f: (F) => F.sub,
    rows: [b(Infinity, Infinity, NaN, 1, -1), b(-MAX, MAX, -Infinity, 1, -1)],
  },
  {
    name: 'mul',
    f: (F) => F.mul,
    rows: [
      b(0, Infinity, NaN, Infinity, 0),
      b(-0, 3, -0, 3, -0),
      b(MAX, 2, Infinity, 2, MAX),
      b(NaN, 0, NaN, 0, NaN, 'd/dx = y = 0 annihilates'),
    ],
  },
  {
    name: 'div',
    f: (F) => F.div,
    rows: [
      b(1, 0, Infinity, Infinity, -Infinity, 'division by 0'),
      b(1, -0, -Infinity, -Infinity, -Infinity),
      b(0, 0, NaN, Infinity, NaN, '0/0'),
      b(MAX, MIN, Infinity, Infinity, -Infinity, 'overflow'),
    ],
  },
  {
    name: 'pow',
    f: (F) => F.pow,
    rows: [
      b(0, 2, 0, 0, 0, 'base 0: the exponent partial is 0'),
      b(0, 1, 0, 1, 0),
      b(0, 0.5, 0, Infinity, 0),
      b(
        0,
        0,
        1,
        0,
        -Infinity,
        '0⁰ = 1; ∂/∂x = 0·0⁻¹ is 0 by the strong zero (x⁰ is the constant 1); ∂/∂y = log 0',
      ),
      b(-2, 3, -8, 12, NaN, 'negative base: log of a negative number'),
      b(2, Infinity, Infinity, Infinity, Infinity),
      b(2, -Infinity, 0, 0, 0, 'y·x^(y−1) is (−∞)·(+0), 0 by the strong zero'),
    ],
  },
]
