/**
 * Static leaves: the leaves of an argument (or of an auxiliary result) that are not
 * values of the instance, and so pass through a transformation unchanged, as JAX passes
 * its static arguments: a string, a boolean, a function, `null` or `undefined` anywhere, and a plain
 * number where the instance's values are not numbers (a Tensor backend, a jit trace).
 *
 * Where the values are numbers (the `number` base, and reverse mode, whose values are
 * tape handles) a number is a value: it cannot be told from one, so it is taken as one.
 *
 * @since 0.5.0
 */
import type { Floating } from '../Floating.js'
import { leafPathsOf, leavesOf, type Tree } from '../tree.js'
import { showKind } from './showKind.js'

/**
 * Whether the values of `F` can be plain numbers: the number base (`numeric`) and the
 * reverse-mode instances (which have `variable`; their values are tape handles).
 */
const numbersAreValues = (F: Floating<unknown>): boolean =>
  F.numeric === true || (F as { readonly variable?: unknown }).variable !== undefined

/**
 * Whether `leaf` is static for `F`: not one of its values, so a transformation passes it
 * through unchanged (no tangent, no adjoint, no batch axis).
 *
 * @example
 * import { isStaticLeaf } from 'ad-ts/internal'
 * import { scalar, tensor } from 'ad-ts'
 * isStaticLeaf(tensor, 0.5) // => true
 * isStaticLeaf(scalar, 0.5) // => false
 * isStaticLeaf(scalar, 'label') // => true
 *
 * @category utils
 * @since 0.5.0
 */
export const isStaticLeaf = <A>(F: Floating<A>, leaf: unknown): boolean => {
  if (typeof leaf === 'number') return !numbersAreValues(F as Floating<unknown>)
  return leaf === null || typeof leaf !== 'object'
}

/**
 * Throws unless every leaf of `x`, the argument `op` differentiates, is a value of the
 * Tensorial instance `T`: a number or a string there cannot carry a derivative, and would
 * otherwise fail deep inside as a TypeError.
 *
 * @example
 * import { requireValues } from 'ad-ts/internal'
 * import { tensor, Tensor } from 'ad-ts'
 * requireValues('grad', tensor, { w: Tensor.fromArray([1]) }) // => undefined
 *
 * @category utils
 * @since 0.5.0
 */
export const requireValues = <A>(op: string, T: Floating<A>, x: unknown): void => {
  const leaves = leavesOf(x as Tree<unknown>)
  const k = leaves.findIndex((l) => isStaticLeaf(T, l))
  if (k < 0) return
  const path = leafPathsOf(x)[k]!
  throw new Error(
    `${op}: the argument${path === '' ? '' : ` at ${path}`} is ${showKind(leaves[k])}, which carries no derivative; with a Tensorial instance every leaf of the differentiated argument is a Tensor (Tensor.fromArray(0.5) for one number)`,
  )
}
