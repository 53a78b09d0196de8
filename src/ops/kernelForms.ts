/**
 * The fast forms of the primitives: what a row of the op table holds for the jit's two
 * code generators, and the arithmetic those forms are written against, so that the rows
 * define them without reaching up into the jit. The JavaScript generator writes an op's
 * inline form into its loops (a value is an expression); the WebAssembly generator writes
 * its two-lane form (a value is a pair of float64 lanes); an op without a form is called
 * through its primal, or keeps its group off the WebAssembly tier.
 *
 * @since 0.4.0
 */

/**
 * The arithmetic a row's fast form is written against, so that one definition serves both
 * code generators of the jit: JavaScript source in the generated loops (a value is an
 * expression, a condition a boolean expression) and two-lane WebAssembly (a value is a
 * pair of float64 lanes, a condition a mask). Each operation is the IEEE one; `exp` and
 * `log1p` are `Math.exp` and `Math.log1p` bit for bit.
 *
 * @internal
 */
export interface KernelArithmetic<V> {
  readonly constant: (x: number) => V
  readonly neg: (x: V) => V
  readonly abs: (x: V) => V
  readonly add: (x: V, y: V) => V
  readonly div: (x: V, y: V) => V
  readonly exp: (x: V) => V
  readonly log1p: (x: V) => V
  /** `exp` of an x ≤ 0 or NaN (so a form may leave out the branches of positive x). */
  readonly expNonPositive: (x: V) => V
  /** `log1p` of an x in [+0, 1] or NaN, such as e^−|y| (so a form may leave out the others). */
  readonly log1pUnit: (x: V) => V
  /** The condition x > y. */
  readonly gt: (x: V, y: V) => V
  /** The condition x ≥ y. */
  readonly ge: (x: V, y: V) => V
  /** `a` where the condition holds, else `b`. */
  readonly select: (condition: V, a: V, b: V) => V
}

/**
 * Two float64 lanes of WebAssembly SIMD, which the rows' two-lane forms are written
 * against (the jit's `Lanes`, with its exp, log and log1p): arithmetic and comparisons as
 * IEEE 754 does them on each lane, `min` and `max` as `Math.min` and `Math.max`, exp, log
 * and log1p as V8 computes them. A condition is a mask of all ones or all zeros; `i` and
 * `ieq` read the 128 bits as two 64-bit integers (the strong zero's test).
 *
 * @internal
 */
export interface LaneArithmetic<V> extends KernelArithmetic<V> {
  readonly sub: (x: V, y: V) => V
  readonly mul: (x: V, y: V) => V
  readonly min: (x: V, y: V) => V
  readonly max: (x: V, y: V) => V
  readonly sqrt: (x: V) => V
  readonly log: (x: V) => V
  readonly eq: (x: V, y: V) => V
  readonly ne: (x: V, y: V) => V
  readonly lt: (x: V, y: V) => V
  readonly le: (x: V, y: V) => V
  readonly and: (x: V, y: V) => V
  readonly or: (x: V, y: V) => V
  readonly not: (x: V) => V
  /** Every lane the 64-bit integer `n`. */
  readonly i: (n: number) => V
  /** The mask of the lanes whose 64 bits are equal. */
  readonly ieq: (x: V, y: V) => V
}

/**
 * The fast forms of a unary primitive, where it has them; each computes exactly what its
 * primal computes.
 *
 * @internal
 */
export interface UnaryForms {
  /** Inline JavaScript for the generated loops, from the operand's expression (read without side effects). */
  readonly js?: (x: string) => string
  /** The op on two lanes. */
  readonly lanes?: <V>(L: LaneArithmetic<V>, x: V) => V
  /**
   * For an op whose stable form starts from e^−|x| (softplus, sigmoid): its value from x
   * and e = `expNegAbs(x)`, with the primal's operations in the primal's order, so that a
   * kernel computing both ops of one operand takes the exponential once.
   */
  readonly fromExpNegAbs?: <V>(A: KernelArithmetic<V>, x: V, e: V) => V
}

/**
 * The fast forms of a binary primitive, where it has them; each computes exactly what its
 * primal computes.
 *
 * @internal
 */
export interface BinaryForms {
  /** Inline JavaScript for the generated loops, from the operands' expressions (read without side effects). */
  readonly js?: (x: string, y: string) => string
  /** The op on two lanes. */
  readonly lanes?: <V>(L: LaneArithmetic<V>, x: V, y: V) => V
}

/**
 * e^−|x|, which softplus and sigmoid share (`UnaryForms.fromExpNegAbs`).
 *
 * @internal
 */
export const expNegAbs = <V>(A: KernelArithmetic<V>, x: V): V => A.expNonPositive(A.neg(A.abs(x)))
