/**
 * `defineOp`: new differentiable primitives from a primal on numbers and a derivative
 * written against `Floating`.
 *
 * An op is used like any built-in operation, `softplus(F)(x)`, with every instance:
 * numbers, tensors (elementwise), dual numbers and tape variables. Because its
 * derivative is itself written against `Floating`, the op can be differentiated to
 * any order.
 *
 * @since 0.1.0
 */
import type { BinaryOp, Floating, UnaryOp } from '../Floating.js'
import { showBrief } from '../util/show.js'

/**
 * What `defineOp` takes: a name (used in error messages), the primal on numbers and
 * the derivative against `Floating`. The derivative may take a second argument, the
 * primal result `y = op(x)`, to reuse it (exp′(x) = y).
 *
 * @category model
 * @since 0.1.0
 */
export type OpSpec = UnaryOp

/**
 * A unary primitive usable with any instance: `op(F)(x)`. `op.spec` is its definition.
 *
 * @category model
 * @since 0.1.0
 */
export interface Op {
  <A>(F: Floating<A>): (x: A) => A
  /** The op's definition. */
  readonly spec: UnaryOp
}

const describe = (value: unknown): string =>
  typeof value === 'function' ? 'a function' : showBrief(value)

const requireFunction = (spec: Record<string, unknown>, field: string, what: string): void => {
  if (typeof spec[field] !== 'function') {
    throw new Error(`defineOp: ${field} must be ${what}, got ${describe(spec[field])}`)
  }
}

/**
 * Makes a new unary primitive. `primal` computes the op on a number; `derivative`
 * gives d op/dx against `Floating`, so the op works in every mode and to any order.
 *
 * @example
 * import { defineOp, diff, scalar } from 'ad-ts'
 * const softplus = defineOp({
 *   name: 'softplus',
 *   primal: (x) => Math.log1p(Math.exp(x)),
 *   derivative: (F) => (x) => F.sigmoid(x),
 * })
 * diff(softplus)(scalar)(0) // ≈ 0.5
 *
 * @category constructors
 * @since 0.1.0
 */
export const defineOp = (spec: OpSpec): Op => {
  const fields = spec as unknown as Record<string, unknown>
  if (typeof spec.name !== 'string' || spec.name.length === 0) {
    throw new Error(`defineOp: name must be a non-empty string, got ${describe(fields['name'])}`)
  }
  requireFunction(fields, 'primal', 'a function (x: number) => number')
  requireFunction(fields, 'derivative', 'a function <A>(F: Floating<A>) => (x: A) => A')
  const op: UnaryOp = { name: spec.name, primal: spec.primal, derivative: spec.derivative }
  const apply =
    <A>(F: Floating<A>) =>
    (x: A): A =>
      F.unary(op, x)
  return Object.assign(apply, { spec: op })
}

/**
 * What `defineBinaryOp` takes: a name, the primal on numbers and the two partials
 * against `Floating`, each given the operands and the primal result `z`.
 *
 * @category model
 * @since 0.2.0
 */
export interface BinaryOpSpec {
  /** The op's name, used in messages. */
  readonly name: string
  /** The op on two numbers. */
  readonly primal: (x: number, y: number) => number
  /** ∂z/∂x at (x, y), given z, against any instance. */
  readonly dx: <A>(F: Floating<A>) => (x: A, y: A, z: A) => A
  /** ∂z/∂y at (x, y), given z, against any instance. */
  readonly dy: <A>(F: Floating<A>) => (x: A, y: A, z: A) => A
}

/**
 * A binary primitive usable with any instance: `op(F)(x, y)`. `op.spec` is its
 * definition (what `programLaws({ binary })` takes).
 *
 * @category model
 * @since 0.2.0
 */
export interface BinaryOpFn {
  <A>(F: Floating<A>): (x: A, y: A) => A
  /** The op's definition. */
  readonly spec: BinaryOp
}

/**
 * Makes a new binary primitive from its primal on numbers and its partials against
 * `Floating`: it works in every mode, to any order, and elementwise with broadcasting
 * on tensors.
 *
 * @example
 * import { defineBinaryOp, grad, scalar, type Floating } from 'ad-ts'
 * const logaddexp = defineBinaryOp({
 *   name: 'logaddexp',
 *   primal: (x, y) => Math.max(x, y) + Math.log1p(Math.exp(-Math.abs(x - y))),
 *   dx: (F) => (x, _y, z) => F.exp(F.sub(x, z)),
 *   dy: (F) => (_x, y, z) => F.exp(F.sub(y, z)),
 * })
 * const f = <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => logaddexp(F)(xs[0]!, xs[1]!)
 * grad(f)(scalar)([0, 0]) // ≈ [0.5, 0.5]
 *
 * @category constructors
 * @since 0.2.0
 */
export const defineBinaryOp = (spec: BinaryOpSpec): BinaryOpFn => {
  const fields = spec as unknown as Record<string, unknown>
  if (typeof spec.name !== 'string' || spec.name.length === 0) {
    throw new Error(
      `defineBinaryOp: name must be a non-empty string, got ${describe(fields['name'])}`,
    )
  }
  const where = 'defineBinaryOp'
  for (const [field, what] of [
    ['primal', 'a function (x: number, y: number) => number'],
    ['dx', 'a function <A>(F: Floating<A>) => (x: A, y: A, z: A) => A'],
    ['dy', 'a function <A>(F: Floating<A>) => (x: A, y: A, z: A) => A'],
  ] as const) {
    if (typeof fields[field] !== 'function') {
      throw new Error(`${where}: ${field} must be ${what}, got ${describe(fields[field])}`)
    }
  }
  const op: BinaryOp = { name: spec.name, primal: spec.primal, dx: spec.dx, dy: spec.dy }
  const apply =
    <A>(F: Floating<A>) =>
    (x: A, y: A): A =>
      F.binary(op, x, y)
  return Object.assign(apply, { spec: op })
}
