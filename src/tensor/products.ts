/**
 * Products of tensors: `dot`, `matmul` (with batches and operands read transposed) and
 * `tangentMatmul`, the product with the strong zero that the modes use. Shape errors name
 * the operation and both shapes.
 *
 * @since 0.1.0
 */
import { broadcastIndices, broadcastShapes } from './broadcast.js'
import { product, tangentProduct, type Transposed } from './matmulKernel.js'
import { internal, showShape, sizeOf, type Tensor } from './Tensor.js'

/**
 * The inner product of two vectors of one length, shape `[]`.
 *
 * @example
 * import { Tensor } from 'ad-ts'
 * import { dot } from 'ad-ts/internal'
 * Tensor.toArray(dot(Tensor.fromArray([1, 2]), Tensor.fromArray([3, 4]))) // => 11
 *
 * @category combinators
 * @since 0.1.0
 */
export const dot = (a: Tensor, b: Tensor): Tensor => {
  if (a.shape.length !== 1 || b.shape.length !== 1 || a.shape[0] !== b.shape[0]) {
    throw new Error(
      `dot: expected two vectors of one length, got ${showShape(a.shape)} and ${showShape(b.shape)}`,
    )
  }
  const x = internal.data(a)
  const y = internal.data(b)
  let s = 0
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!
  return internal.make(Float64Array.of(s), [])
}

/**
 * Matrix product: `[m,k]·[k,n] → [m,n]`, `[m,k]·[k] → [m]`, `[k]·[k,n] → [n]`, and
 * batches of matrices (rank ≥ 3) with broadcast batch axes. Each element is the sum of
 * its k products added in the order p = 0, 1, …, k − 1 starting from +0: the plain
 * triple loop's answer bit for bit, whichever kernel runs (`matmulKernel.ts`).
 *
 * `options.transposeA` multiplies by the transpose of `a`'s last two axes, and
 * `transposeB` likewise for `b` (both false by default), read in place:
 * `matmul(a, b, { transposeA: true })` is `matmul(matrixTranspose(a), b)` bit for bit,
 * without the transposed copy. A vector is the same transposed.
 *
 * @example
 * import { Tensor } from 'ad-ts'
 * import { matmul } from 'ad-ts/internal'
 * const a = Tensor.fromArray([[1, 2], [3, 4]])
 * Tensor.toArray(matmul(a, Tensor.fromArray([1, 1]))) // => [3, 7]
 * Tensor.toArray(matmul(a, Tensor.fromArray([1, 1]), { transposeA: true })) // => [4, 6]
 *
 * @category combinators
 * @since 0.1.0
 */
export const matmul = (
  a: Tensor,
  b: Tensor,
  options?: { readonly transposeA?: boolean; readonly transposeB?: boolean },
): Tensor => multiply(a, b, product, options)

/**
 * The matrix product of a tangent (or cotangent) and a partial, as the modes need it:
 * every product is a `strongMul` of the partial by the tangent and every sum a
 * `tangentAdd`, so a zero tangent meets an infinite partial as 0 (see
 * `tangentArithmetic.ts`). Shapes and `options` as `matmul`.
 *
 * @example
 * import { Tensor } from 'ad-ts'
 * import { tangentMatmul } from 'ad-ts/internal'
 * const a = Tensor.fromArray([[Infinity, 1]])
 * Tensor.toArray(tangentMatmul(a, Tensor.fromArray([0, 2]))) // => [2]
 *
 * @category combinators
 * @since 0.2.0
 */
export const tangentMatmul = (
  a: Tensor,
  b: Tensor,
  options?: { readonly transposeA?: boolean; readonly transposeB?: boolean },
): Tensor => multiply(a, b, tangentProduct, options)

/** A kernel of `matmulKernel.ts`: writes `[m,k]·[k,n]` into `out`, +0 on entry. */
type Kernel = typeof product

/** An operand's shape as the product reads it (the last two axes swapped if transposed). */
const viewed = (shape: ReadonlyArray<number>, transposed: boolean | undefined) =>
  transposed === true && shape.length >= 2
    ? [...shape.slice(0, -2), shape[shape.length - 1]!, shape[shape.length - 2]!]
    : shape

const multiply = (
  a: Tensor,
  b: Tensor,
  kernel: Kernel,
  options: { readonly transposeA?: boolean; readonly transposeB?: boolean } | undefined,
): Tensor => {
  const sa = viewed(a.shape, options?.transposeA)
  const sb = viewed(b.shape, options?.transposeB)
  const t = { a: sa !== a.shape, b: sb !== b.shape }
  const name = (x: Tensor, s: ReadonlyArray<number>) =>
    s === x.shape ? showShape(x.shape) : `${showShape(x.shape)} transposed`
  productShape(sa, sb, name(a, sa), name(b, sb))
  if (sa.length >= 3 || sb.length >= 3) return batched(a, b, sa, sb, t, kernel)
  return single(a, b, sa, sb, t, kernel)
}

/** A product of ranks 1 and 2 by `kernel`, shaped as `matmul` shapes it. */
const single = (
  a: Tensor,
  b: Tensor,
  sa: ReadonlyArray<number>,
  sb: ReadonlyArray<number>,
  t: Transposed,
  kernel: Kernel,
): Tensor => {
  const { ra, rb, m, k, n } = matrixDims(sa, sb)
  const out = new Float64Array(m * n)
  kernel(internal.data(a), 0, internal.data(b), 0, out, 0, m, k, n, t)
  const shape = ra === 2 && rb === 2 ? [m, n] : ra === 2 ? [m] : [n]
  return internal.make(out, shape)
}

/**
 * A matrix product over broadcast batch axes, as numpy's: the leading axes of two
 * operands of rank ≥ 2 broadcast, and `kernel` multiplies each pair of matrices in place
 * in the operands' buffers.
 */
const batched = (
  a: Tensor,
  b: Tensor,
  sa: ReadonlyArray<number>,
  sb: ReadonlyArray<number>,
  t: Transposed,
  kernel: Kernel,
): Tensor => {
  const [m, k] = sa.slice(-2) as [number, number]
  const n = sb[sb.length - 1]!
  const batchA = sa.slice(0, -2)
  const batchB = sb.slice(0, -2)
  const batch = broadcastShapes('matmul', batchA, batchB)
  const x = internal.data(a)
  const y = internal.data(b)
  const count = sizeOf(batch)
  const out = new Float64Array(count * m * n)
  const [ia, ib] = broadcastIndices(batch, batchA, batchB)
  if (!t.a && ib.every((i) => i === 0) && ia.every((i, q) => i === q)) {
    // One B for A's matrices in order: they are the rows of one [count·m, k] matrix, and
    // each output row is its own sum either way, so one product gives the same numbers.
    kernel(x, 0, y, 0, out, 0, count * m, k, n, t)
  } else {
    for (let q = 0; q < count; q++)
      kernel(x, ia[q]! * m * k, y, ib[q]! * k * n, out, q * m * n, m, k, n, t)
  }
  return internal.make(out, [...batch, m, n])
}

/**
 * The dimensions of a product of ranks 1 and 2, `[m,k]·[k,n]`, `[m,k]·[k]` or
 * `[k]·[k,n]`; throws naming both shapes otherwise.
 */
const matrixDims = (sa: ReadonlyArray<number>, sb: ReadonlyArray<number>) => {
  const ra = sa.length
  const rb = sb.length
  const m = ra === 2 ? sa[0]! : 1
  const k = sa[ra - 1]!
  const n = rb === 2 ? sb[1]! : 1
  return { ra, rb, m, k, n }
}

/**
 * The shape of `matmul(a, b)` from the operands' shapes (as the product reads them): a
 * vector is a row on the left and a column on the right, and leading axes of operands of
 * rank ≥ 3 are batch axes that broadcast.
 *
 * Throws an `Error` naming both shapes and what was expected: the inner sizes equal,
 * ranks 1 or 2 (not two vectors) without a batch, ranks ≥ 2 with one, batch axes that
 * broadcast.
 *
 * @example
 * import { productShape } from 'ad-ts/internal'
 * productShape([2, 3], [3]) // => [2]
 * productShape([5, 1, 2, 3], [4, 3, 6]) // => [5, 4, 2, 6]
 *
 * @category utils
 * @since 0.5.0
 */
export const productShape = (
  sa: ReadonlyArray<number>,
  sb: ReadonlyArray<number>,
  nameA = showShape(sa),
  nameB = showShape(sb),
): ReadonlyArray<number> => {
  const refuse = (why: string) => new Error(`matmul: cannot multiply ${nameA} by ${nameB}: ${why}`)
  const ra = sa.length
  const rb = sb.length
  const batch = ra >= 3 || rb >= 3
  if (batch ? ra < 2 || rb < 2 : ra < 1 || rb < 1 || (ra === 1 && rb === 1)) {
    throw refuse(
      batch
        ? 'with a batch (rank ≥ 3), both operands must have rank ≥ 2'
        : 'expected a matrix or a vector on each side, not two vectors (use dot) nor rank 0',
    )
  }
  const k = sa[ra - 1]!
  const k2 = rb === 1 ? sb[0]! : sb[rb - 2]!
  if (k !== k2) {
    throw refuse(
      `the inner sizes must be equal (the first's last axis is ${k}, the second's ${rb === 1 ? 'length' : 'second-to-last axis'} is ${k2})`,
    )
  }
  if (!batch) return [...sa.slice(0, -1), ...sb.slice(1)]
  const batchA = sa.slice(0, -2)
  const batchB = sb.slice(0, -2)
  let shape: ReadonlyArray<number>
  try {
    shape = broadcastShapes('matmul', batchA, batchB)
  } catch {
    throw refuse(
      `the batch axes ${showShape(batchA)} and ${showShape(batchB)} must broadcast (each pair of sizes equal or one of them 1)`,
    )
  }
  return [...shape, sa[ra - 2]!, sb[rb - 1]!]
}
