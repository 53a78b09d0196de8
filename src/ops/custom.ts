/**
 * Custom derivatives of whole functions, and rematerialisation: `customJvp`,
 * `customVjp` and `checkpoint` make primitive rows (see ./primitive.ts) out of a
 * function written against `Tensorial` and a rule written against the same instance,
 * so a rule is itself differentiable to any order.
 *
 * @since 0.5.0
 */
import type { JvpRule, Primitive, VjpRule } from './primitive.js'
import type { Tensorial } from '../Tensorial.js'
import { leafPathsOf, leavesOf, sameStructure, type Slot, type Subst, type Tree } from '../tree.js'
import { showShape } from '../tensor/Tensor.js'

/**
 * A function made from a primitive row: `op(T)(x)` on any instance of `Tensorial`.
 *
 * @category model
 * @since 0.5.0
 */
export type CustomFunction<P, Q> = <A>(T: Tensorial<A>) => (x: Subst<P, A>) => Subst<Q, A>

type AnyPrimal = <A>(T: Tensorial<A>) => (x: Tree<A>) => Tree<A>

/** The row on T through its `apply`; on an instance without one (numbers), the primal. */
const applyOn = <A>(T: Tensorial<A>, row: Primitive, x: Tree<A>): Tree<A> => {
  const apply = (T as Partial<Tensorial<A>>).apply
  if (apply !== undefined) return apply(row, x)
  // An instance over plain numbers: evaluating is running the primal, but a mode (one
  // with lift) would differentiate the primal and silently pass over the rule.
  const isMode = (T as { readonly lift?: unknown }).lift !== undefined
  if (isMode && (row.jvp !== undefined || row.vjp !== undefined)) {
    throw new Error(
      `${row.name}: a custom rule is used only by a Tensorial instance (tensor, or a mode over it); this mode runs over plain numbers, where the rule would be passed over: call it on tensors (shape [] for one number)`,
    )
  }
  return row.primal(T)(x)
}

/**
 * A user's rule that checks its result: the structure of `like` (the output for a
 * tangent, the input for a cotangent) and each leaf's shape, so that a rule of the wrong
 * shape is refused by name instead of broadcasting into a wrong derivative.
 */
const checked =
  (name: string, rule: 'jvp' | 'vjp', f: unknown): VjpRule =>
  <A>(T: Tensorial<A>) => {
    const g = (f as VjpRule)(T)
    return (x: Tree<A>, y: Tree<A>, v: Tree<A>): Tree<A> => {
      const got = g(x, y, v)
      const [what, of, like] =
        rule === 'jvp' ? (['tangent', 'output', y] as const) : (['cotangent', 'input', x] as const)
      sameStructure(`${name}: its ${rule} rule`, `${what}s`, like, got, of)
      const paths = leafPathsOf(like)
      const gots = leavesOf(got)
      leavesOf(like).forEach((l, i) => {
        const sl = T.shape(l)
        const sg = T.shape(gots[i]!)
        if (sl.length !== sg.length || sl.some((d, k) => d !== sg[k])) {
          const at = paths[i] === '' ? '' : ` at ${paths[i]}`
          throw new Error(
            `${name}: its ${rule} rule gave a ${what} of shape ${showShape(sg)} for the ${of}${at} of shape ${showShape(sl)}; a ${what} must have its ${of}'s shape`,
          )
        }
      })
      return got
    }
  }

const functionOf = <P, Q>(row: Primitive): CustomFunction<P, Q> =>
  (<A>(T: Tensorial<A>) =>
    (x: Tree<A>): Tree<A> =>
      applyOn(T, row, x)) as unknown as CustomFunction<P, Q>

/**
 * A function with its own forward rule. `jvp(T)(x, y, v)` gives the output tangent at x
 * (y = primal(x), v a tangent of x in x's structure); it must be linear in v. Reverse mode
 * uses the adjoint of the rule (its reverse pass at v = 0), so the function works in
 * every mode and to any order. The rule is used as given, even where it is not the true
 * derivative.
 *
 * @example
 * import { customJvp, grad, tensor, Tensor, type Tensorial } from 'ad-ts'
 * // log(1 + eˣ) with the rule σ(x), written once.
 * const softplus = customJvp({
 *   name: 'softplus',
 *   primal: <A>(T: Tensorial<A>) => (x: A): A => T.softplus(x),
 *   jvp: <A>(T: Tensorial<A>) => (x: A, _y: A, v: A): A => T.mul(T.sigmoid(x), v),
 * })
 * const g = grad(<A>(T: Tensorial<A>) => (x: A): A => T.sum(softplus(T)(x)))(tensor)
 * Tensor.toArray(g(Tensor.fromArray([0]))) // => [0.5]
 *
 * @category constructors
 * @since 0.5.0
 */
export const customJvp = <P, Q>(spec: {
  readonly name: string
  readonly primal: (T: Tensorial<Slot>) => (x: P) => Q
  readonly jvp: (T: Tensorial<Slot>) => (x: P, y: Q, v: P) => Q
}): CustomFunction<P, Q> =>
  functionOf({
    name: spec.name,
    primal: spec.primal as unknown as AnyPrimal,
    jvp: checked(spec.name, 'jvp', spec.jvp) as unknown as JvpRule,
  })

/**
 * A function with its own reverse rule. `vjp(T)(x, y, u)` gives the cotangent of x
 * (y = primal(x), u a cotangent of y in y's structure). It works in reverse mode, to any
 * order of reverse mode; forward mode throws an Error naming it (define a `customJvp`
 * where both are needed). The rule is used as given: gradient clipping and
 * straight-through estimators are rules that are not the derivative.
 *
 * @example
 * import { customVjp, grad, tensor, Tensor, type Tensorial } from 'ad-ts'
 * // The identity whose gradient is clipped to [-1, 1].
 * const clip = customVjp({
 *   name: 'clipGradient',
 *   primal: <A>(_T: Tensorial<A>) => (x: A): A => x,
 *   vjp: <A>(T: Tensorial<A>) => (_x: A, _y: A, u: A): A =>
 *     T.maximum(T.minimum(u, T.one), T.neg(T.one)),
 * })
 * const g = grad(<A>(T: Tensorial<A>) => (x: A): A => T.sum(T.mul(T.fromNumber(5), clip(T)(x))))
 * Tensor.toArray(g(tensor)(Tensor.fromArray([2]))) // => [1]
 *
 * @category constructors
 * @since 0.5.0
 */
export const customVjp = <P, Q>(spec: {
  readonly name: string
  readonly primal: (T: Tensorial<Slot>) => (x: P) => Q
  readonly vjp: (T: Tensorial<Slot>) => (x: P, y: Q, u: Q) => P
}): CustomFunction<P, Q> =>
  functionOf({
    name: spec.name,
    primal: spec.primal as unknown as AnyPrimal,
    vjp: checked(spec.name, 'vjp', spec.vjp),
  })

/**
 * `f` with the same shape, values and derivatives in every mode, that in reverse mode
 * keeps only its inputs and outputs on the tape and computes `f` again during backprop
 * (rematerialisation): a chain of checkpointed blocks holds one block's tape at a time.
 * On an instance that is not `Tensorial` (reverse mode over numbers) it is `f`.
 *
 * @example
 * import { checkpoint, grad, tensor, Tensor, type Tensorial } from 'ad-ts'
 * const block = checkpoint(<A>(T: Tensorial<A>) => (x: A): A => T.tanh(T.mul(x, x)))
 * const g = grad(<A>(T: Tensorial<A>) => (x: A): A => T.sum(block(T)(block(T)(x))))
 * Tensor.shape(g(tensor)(Tensor.fromArray([0.5, 1]))) // => [2]
 *
 * @typeParam Fn - the function's type, written against `Tensorial`; it is given back.
 *
 * @category combinators
 * @since 0.5.0
 */
export const checkpoint = <Fn extends (T: never) => (...args: never[]) => unknown>(f: Fn): Fn => {
  const g = f as unknown as <A>(T: Tensorial<A>) => (...args: Tree<A>[]) => Tree<A>
  const row: Primitive = {
    name: 'checkpoint',
    primal: (T) => (args) => g(T)(...(args as Tree<never>[])),
    mode: 'checkpoint',
  }
  return (<A>(T: Tensorial<A>) =>
    (...args: Tree<A>[]) =>
      applyOn(T, row, args)) as unknown as Fn
}
