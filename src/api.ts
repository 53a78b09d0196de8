/**
 * The differential operators under their short names: `grad`, `valueAndGrad` and
 * `vjp` by reverse mode, `diff` and `jvp` by forward mode, `jacobian` in the cheaper
 * mode, and `hessian` forward-over-reverse.
 *
 * @since 0.1.0
 */
import type { Floating } from './Floating.js'
import { showShape } from './tensor/Tensor.js'
import { isTensorial } from './Tensorial.js'
import type { AnyFunction, ArrayFunction, VectorFunction, VectorFunctionOver } from './fn.js'
import * as forward from './forward/forward.js'
import * as reverse from './reverse/reverse.js'
import { requireArray } from './util/arrayArguments.js'

export { diff, jvp } from './forward/forward.js'
export { grad, valueAndGrad, vjp } from './reverse/reverse.js'

/**
 * The Jacobian (rows are outputs, columns inputs) in the cheaper mode. It evaluates
 * `f` once to learn the number of outputs m; with n inputs it then uses forward mode
 * (n dual passes) when n ≤ m and reverse mode (one recording, m folds) otherwise.
 *
 * @example
 * import { jacobian, scalar, type Floating } from 'ad-ts'
 * const h = <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => [F.mul(xs[0]!, xs[1]!), F.sin(xs[0]!)]
 * jacobian(h)(scalar)([2, 3]) // ≈ [[3, 2], [Math.cos(2), 0]]
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
      requireArray('jacobian', 'inputs', xs)
      const g = f as unknown as VectorFunctionOver<A>
      const ys: unknown = g(F, (c) => c)(xs)
      requireArray('jacobian', 'outputs', ys)
      const m = (ys as ReadonlyArray<A>).length
      return xs.length <= m ? forward.jacobian(g)(F)(xs) : reverse.jacobian(g)(F)(xs)
    }
}

/**
 * The Hessian of a scalar function of n inputs, forward-over-reverse: the forward
 * Jacobian of the reverse gradient (n dual passes, each recording one tape).
 *
 * @example
 * import { hessian, scalar, type Floating } from 'ad-ts'
 * const g = <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => F.mul(xs[0]!, F.mul(xs[0]!, xs[1]!))
 * hessian(g)(scalar)([1, 2]) // => [[4, 2], [2, 0]]
 *
 * @category combinators
 * @since 0.1.0
 */
export const hessian =
  (f: ArrayFunction) =>
  <A>(F: Floating<A>) =>
  (xs: ReadonlyArray<A>): ReadonlyArray<ReadonlyArray<A>> => {
    requireArray('hessian', 'inputs', xs)
    if (isTensorial(F)) {
      xs.forEach((x, i) => {
        if (F.shape(x).length > 0) {
          throw new Error(
            `hessian: input ${i} has shape ${showShape(F.shape(x))}; hessian takes inputs of shape [] (one per variable); for a tensor input, jvp(grad(f)) gives Hessian-vector products`,
          )
        }
      })
    }
    return forward.jacobian(
      reverse.gradFor('hessian', f as unknown as AnyFunction) as unknown as VectorFunction,
    )(F)(xs)
  }
