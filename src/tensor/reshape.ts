/**
 * The same elements under another shape or in another order: `reshape` (which shares the
 * buffer), `transpose` and `matrixTranspose`.
 *
 * @since 0.1.0
 */
import { internal, showShape, sizeOf, type Tensor } from './Tensor.js'

/**
 * Transpose of a matrix; a tensor of rank 0 or 1 is returned unchanged.
 *
 * @example
 * import { Tensor } from 'ad-ts'
 * import { transpose } from 'ad-ts/internal'
 * Tensor.toArray(transpose(Tensor.fromArray([[1, 2, 3]]))) // => [[1], [2], [3]]
 *
 * @category combinators
 * @since 0.1.0
 */
export const transpose = (t: Tensor): Tensor => {
  if (t.shape.length < 2) return t
  if (t.shape.length > 2)
    throw new Error(`transpose: expected rank 0, 1 or 2, got ${showShape(t.shape)}`)
  const [m, n] = t.shape as [number, number]
  const x = internal.data(t)
  const out = new Float64Array(m * n)
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = x[i * n + j]!
  return internal.make(out, [n, m])
}

/**
 * The same elements under another shape of the same size.
 *
 * @example
 * import { Tensor } from 'ad-ts'
 * import { reshape } from 'ad-ts/internal'
 * Tensor.toArray(reshape(Tensor.fromArray([1, 2, 3, 4]), [2, 2])) // => [[1, 2], [3, 4]]
 *
 * @category combinators
 * @since 0.1.0
 */
export const reshape = (t: Tensor, shape: ReadonlyArray<number>): Tensor => {
  if (sizeOf(shape) !== sizeOf(t.shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new Error(
      `reshape: cannot reshape ${showShape(t.shape)} to ${showShape(shape)}: the new shape must have the same number of elements (${sizeOf(t.shape)}, got ${sizeOf(shape)}) and sizes that are non-negative integers`,
    )
  }
  // Sharing the buffer is safe: no tensor buffer is ever written after creation. A
  // uniform tensor stays uniform.
  const x = internal.raw(t)
  return x.length === 1 ? internal.uniform(x[0]!, shape) : internal.make(x, shape)
}

/**
 * The transpose of the last two axes (each matrix of a batch); ranks 0 and 1 unchanged.
 *
 * @example
 * import { Tensor } from 'ad-ts'
 * import { matrixTranspose } from 'ad-ts/internal'
 * Tensor.shape(matrixTranspose(Tensor.fill([4, 2, 3], 0))) // => [4, 3, 2]
 *
 * @category combinators
 * @since 0.2.0
 */
export const matrixTranspose = (t: Tensor): Tensor => {
  const r = t.shape.length
  if (r <= 2) return transpose(t)
  const [m, n] = t.shape.slice(-2) as [number, number]
  const x = internal.data(t)
  const out = new Float64Array(x.length)
  const block = m * n
  for (let q = 0; q < x.length / block; q++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) out[q * block + j * m + i] = x[q * block + i * n + j]!
  return internal.make(out, [...t.shape.slice(0, -2), n, m])
}
