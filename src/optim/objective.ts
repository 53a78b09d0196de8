/**
 * An objective for the minimisers built by AD from a function written once against
 * `Floating` or `Tensorial`: its value and gradient by reverse mode, and Hessian-vector
 * products forward-over-reverse.
 *
 * @since 0.3.0
 */
import type { Floating } from '../Floating.js'
import { jvp } from '../forward/forward.js'
import { grad, valueAndGrad } from '../reverse/reverse.js'
import type { Tensor } from '../tensor/Tensor.js'
import type { Tensorial } from '../Tensorial.js'
import type {
  ArrayFunction,
  TensorialScalarFunction,
  TensorialTreeFunction,
  TreeFunction,
  TreeMap,
} from '../fn.js'
import type { Slot, Subst } from '../tree.js'
import type { Objective } from './Minimizer.js'

/**
 * The objective of `f` on an instance whose values are numbers or Tensors: value and
 * gradient by reverse mode (`valueAndGrad`), and H·v as the forward-mode derivative of
 * the reverse-mode gradient (`jvp(grad(f))`, one pass per product). The value must be
 * one number (shape `[]` on tensors).
 *
 * @example
 * import { optim, scalar, type Floating } from 'ad-ts'
 * const f = <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => F.mul(xs[0]!, F.mul(xs[0]!, xs[1]!))
 * const o = optim.objective(f)(scalar)
 * o.valueAndGrad([1, 2]) // => [2, [4, 1]]
 * o.hessianVectorProduct!([1, 2], [1, 0]) // => [4, 2]
 *
 * @category constructors
 * @since 0.3.0
 */
export function objective(
  f: ArrayFunction,
): (F: Floating<number>) => Objective<ReadonlyArray<number>>
export function objective(f: TensorialScalarFunction): (T: Tensorial<Tensor>) => Objective<Tensor>
export function objective<P>(
  f: TreeFunction<P>,
): <B extends number | Tensor>(F: Floating<B>) => Objective<Subst<P, B>>
export function objective<P>(
  f: TensorialTreeFunction<P>,
): <B extends number | Tensor>(T: Tensorial<B>) => Objective<Subst<P, B>>
export function objective(fn: unknown): unknown {
  // One untyped path serves every overload: the signatures above say what goes in and out.
  const f = fn as TreeFunction<Slot>
  const gradient = grad(f) as unknown as TreeMap<Slot, Slot>
  return <B>(F: Floating<B>): Objective<B> => ({
    valueAndGrad: (p) => valueAndGrad(f)(F)(p) as unknown as readonly [number | Tensor, B],
    hessianVectorProduct: (p, v) => jvp(gradient)(F)(p, v)[1],
  })
}
