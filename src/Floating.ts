/**
 * `Floating<A>`: the typeclass every differentiable function is written against.
 *
 * A `Floating<A>` is an fp-ts `Ring<A>` (`zero`, `one`, `add`, `sub`, `mul`) with
 * division and the elementary functions. A function written once as
 * `<A>(F: Floating<A>) => (x: A) => A` runs on plain numbers (`scalar`), tensors
 * (`tensor`), dual numbers (forward mode) and tape variables (reverse mode).
 *
 * Laws (exact over the reals, approximate in floating point; see `ad-ts/laws`):
 * - Ring: `add` and `mul` are associative and commutative, `zero` and `one` are their
 *   identities, `mul` distributes over `add`, `sub(x, y) = add(x, neg(y))`.
 * - Field: `mul(x, div(one, x)) = one` for `x ≠ 0`.
 * - Elementary: `exp(log(x)) = x` for `x > 0`, `log1p(x) = log(add(one, x))`,
 *   `sin² + cos² = one`, `sqrt(x)² = x` for `x ≥ 0`, `sigmoid(x) = 1 / (1 + exp(−x))`,
 *   `tanh(x) = 2·sigmoid(2x) − 1`, `pow(x, y) = exp(y·log x)` for `x > 0`.
 *
 * Floating point bends these laws: rounding makes associativity and distributivity
 * hold only to a relative tolerance, overflow turns `exp(log(x))` into `Infinity` near
 * the largest doubles, and `NaN` satisfies none of them (`NaN` in gives `NaN` out).
 *
 * Besides the named operations an instance provides two lifting primitives,
 * `unary` and `binary`: they apply any primitive of the op table (or one made with
 * `defineOp`) to values of the instance. Modes implement only these; every named
 * operation is one of them applied to a row of the op table.
 *
 * @since 0.1.0
 */
import type { Ring } from 'fp-ts/lib/Ring.js'

/**
 * A unary primitive: its primal on numbers and its derivative written against
 * `Floating`, so that the derivative is itself differentiable to any order.
 *
 * `derivative(F)(x, y)` receives the point `x` and the primal result `y = op(x)`, so
 * rules such as exp′ = exp can reuse `y` instead of recomputing it.
 *
 * @category model
 * @since 0.1.0
 */
export interface UnaryOp {
  /** The op's name, used in messages. */
  readonly name: string
  /** The op on a number. */
  readonly primal: (x: number) => number
  /** The derivative at x, given the primal result y = op(x), against any instance. */
  readonly derivative: <A>(F: Floating<A>) => (x: A, y: A) => A
}

/**
 * A binary primitive: its primal on numbers and its two partial derivatives written
 * against `Floating`. Each partial receives the operands and the primal result `z`.
 * `linear` marks primitives whose partials are the given constants (add, sub), so
 * modes may skip multiplying by them.
 *
 * @category model
 * @since 0.1.0
 */
export interface BinaryOp {
  /** The op's name, used in messages. */
  readonly name: string
  /** The op on two numbers. */
  readonly primal: (x: number, y: number) => number
  /** ∂z/∂x at (x, y), given the primal result z, against any instance. */
  readonly dx: <A>(F: Floating<A>) => (x: A, y: A, z: A) => A
  /** ∂z/∂y at (x, y), given the primal result z, against any instance. */
  readonly dy: <A>(F: Floating<A>) => (x: A, y: A, z: A) => A
  /** The constant partials of a linear op (add: [1, 1], sub: [1, −1]). */
  readonly linear?: readonly [number, number]
}

/**
 * The typeclass of values that support differentiable arithmetic. Methods are
 * uncurried, like `Ring`'s, and never mutate their arguments.
 *
 * @example
 * import { scalar, type Floating } from 'ad-ts'
 * const f = <A>(F: Floating<A>) => (x: A): A => F.mul(x, F.sin(x))
 * f(scalar)(2) // ≈ 2 * Math.sin(2)
 *
 * @category model
 * @since 0.1.0
 */
export interface Floating<A> extends Ring<A> {
  /** The constant `n` as a value of the instance (a constant: its derivative is 0). */
  readonly fromNumber: (n: number) => A
  /**
   * The primal number of a value, for control flow (`if (F.toNumber(x) > 0)`). Tensor
   * values must have shape `[]`.
   */
  readonly toNumber: (x: A) => number
  /** x / y; ∂/∂x = 1/y, ∂/∂y = −x/y²; ±Infinity (NaN for 0/0) at y = 0. */
  readonly div: (x: A, y: A) => A
  /** −x; derivative −1. */
  readonly neg: (x: A) => A
  /** eˣ; derivative eˣ; overflows to Infinity past x ≈ 709.78. */
  readonly exp: (x: A) => A
  /** Natural logarithm; derivative 1/x; −Infinity at 0, NaN below. */
  readonly log: (x: A) => A
  /** log(1 + x), accurate near 0; derivative 1/(1 + x). */
  readonly log1p: (x: A) => A
  /** Square root; derivative 1/(2·sqrt x), +Infinity at 0. */
  readonly sqrt: (x: A) => A
  /** baseᵉˣᵖᵒⁿᵉⁿᵗ; ∂/∂base = e·base^(e−1), ∂/∂e = base^e·log base (0 where the power is 0). */
  readonly pow: (base: A, exponent: A) => A
  /** Sine; derivative cos. */
  readonly sin: (x: A) => A
  /** Cosine; derivative −sin. */
  readonly cos: (x: A) => A
  /** Hyperbolic tangent; derivative 1 − tanh². */
  readonly tanh: (x: A) => A
  /** The logistic function 1/(1 + e⁻ˣ), without overflow; derivative σ·(1 − σ). */
  readonly sigmoid: (x: A) => A
  /** |x|; derivative sign(x), and 0 at 0 (a subgradient). */
  readonly abs: (x: A) => A
  /** max(x, 0); derivative 1 for x > 0, else 0 (0 at 0). */
  readonly relu: (x: A) => A
  /** eˣ − 1, accurate near 0; derivative eˣ. */
  readonly expm1: (x: A) => A
  /** log(1 + eˣ) without overflow; derivative sigmoid(x). */
  readonly softplus: (x: A) => A
  /** x, with derivative 0 at every order. */
  readonly stopGradient: (x: A) => A
  /** The larger operand; the derivative goes to it, half to each at a tie. NaN if either is. */
  readonly maximum: (x: A, y: A) => A
  /** The smaller operand; the derivative goes to it, half to each at a tie. NaN if either is. */
  readonly minimum: (x: A, y: A) => A
  /** The angle of the point (x, y), in (−π, π]; ∂/∂y = x/(x²+y²), ∂/∂x = −y/(x²+y²), 0 at (0, 0). */
  readonly atan2: (y: A, x: A) => A
  /** √(x² + y²) without overflow or underflow; ∂/∂x = x / hypot(x, y), 0 at (0, 0). */
  readonly hypot: (x: A, y: A) => A
  /** 1 where x < y, else 0 (0 for NaN); a constant, derivative 0. */
  readonly lt: (x: A, y: A) => A
  /** 1 where x ≤ y, else 0; a constant. */
  readonly le: (x: A, y: A) => A
  /** 1 where x > y, else 0; a constant. */
  readonly gt: (x: A, y: A) => A
  /** 1 where x ≥ y, else 0; a constant. */
  readonly ge: (x: A, y: A) => A
  /** 1 where x = y, else 0 (0 for NaN); a constant. */
  readonly eq: (x: A, y: A) => A
  /**
   * x where cond ≠ 0, else y (per element, with broadcasting). The derivative flows only
   * into the chosen operand: NaN or ±Infinity in the other never reaches it.
   */
  readonly where: (cond: A, x: A, y: A) => A
  /** x limited to [lo, hi]; derivative 1 inside and at the bounds, 0 outside. */
  readonly clamp: (x: A, lo: number, hi: number) => A
  /** Applies a unary primitive (a row of the op table, or a `defineOp` op). */
  readonly unary: (op: UnaryOp, x: A) => A
  /** Applies a binary primitive of the op table. */
  readonly binary: (op: BinaryOp, x: A, y: A) => A
  /**
   * Declared by instances whose values are plain JavaScript numbers and whose ops are
   * exactly the op table's primals (`scalar` and its copies): the modes then use their
   * number specialisations, which give bit for bit the answers of their generic paths.
   */
  readonly numeric?: true
}
