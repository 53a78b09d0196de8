/**
 * A vector against a batch of matrices, read as numpy's `matmul` reads it: a vector on
 * the left is a one-row matrix and on the right a one-column matrix, and that axis is
 * dropped from the product. `[..., m, k]·[k]` is `[..., m]`, `[k]·[..., k, n]` is
 * `[..., n]`. Written with an instance's own `reshape`, so the products and their rules
 * never meet a vector beside batch axes, and every mode differentiates it.
 *
 * @since 0.5.0
 */
import { productShape } from '../tensor/products.js'
import { showShape } from '../tensor/Tensor.js'

type Shape = ReadonlyArray<number>

/**
 * A product that also takes a vector against an operand of rank ≥ 3 (numpy's reading).
 * Other shapes, and calls with further arguments, go to `product` unchanged. Throws,
 * naming both shapes as given, when the inner sizes differ or the batch axes do not
 * broadcast.
 *
 * @example
 * import { withBatchVectors } from 'ad-ts/internal'
 * const shapes = withBatchVectors<ReadonlyArray<number>>(
 *   (a, b) => [...a.slice(0, -1), b[b.length - 1]!],
 *   (_x, s) => s,
 *   (x) => x,
 * )
 * shapes([2, 3, 4], [4]) // => [2, 3]
 *
 * @category utils
 * @since 0.5.0
 */
export const withBatchVectors =
  <V, R extends ReadonlyArray<unknown>>(
    product: (a: V, b: V, ...rest: R) => V,
    reshape: (x: V, s: Shape) => V,
    shape: (x: V) => Shape,
  ) =>
  (a: V, b: V, ...rest: R): V => {
    // Further arguments (a kernel's transposes, for matrices only) go with the product.
    if (rest.length > 0) return product(a, b, ...rest)
    const sa = shape(a)
    const sb = shape(b)
    if (sa.length === 1 && sb.length >= 3) {
      productShape([1, sa[0]!], sb, showShape(sa), showShape(sb))
      const p = product(reshape(a, [1, sa[0]!]), b, ...rest)
      const out = shape(p)
      return reshape(p, [...out.slice(0, -2), out[out.length - 1]!])
    }
    if (sb.length === 1 && sa.length >= 3) {
      productShape(sa, [sb[0]!, 1], showShape(sa), showShape(sb))
      const p = product(a, reshape(b, [sb[0]!, 1]), ...rest)
      return reshape(p, shape(p).slice(0, -1))
    }
    return product(a, b, ...rest)
  }
