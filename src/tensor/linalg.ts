/**
 * Structural tensor operations: reductions (`sum`, `mean`, `dot`), `matmul`,
 * `transpose`, `reshape` and `outer`. Shape errors name the operation and both shapes.
 *
 * @since 0.1.0
 */
import { keptShape, reducedAxes, reducedCount, reducedShape, type ReduceOptions } from './axes.js'
import { broadcastShapes, map, reduceTo } from './broadcast.js'
import { product, tangentProduct, type Transposed } from './matmulKernel.js'
import { internal, showShape, sizeOf, type Tensor } from './Tensor.js'

/**
 * The sum of all elements, shape `[]`.
 *
 * @example
 * import { Tensor } from 'ad-ts'
 * import { sum } from 'ad-ts/internal'
 * Tensor.toArray(sum(Tensor.fromArray([1, 2, 3]))) // => 6
 *
 * @category combinators
 * @since 0.1.0
 */
export const sum = (t: Tensor, options?: ReduceOptions): Tensor => {
  if (options !== undefined && (options.axis !== undefined || options.keepDims === true)) {
    const axes = reducedAxes('sum', t.shape, options)
    const r = reduceTo(t, keptShape(t.shape, axes), 'sum')
    return reshape(r, reducedShape(t.shape, axes, options.keepDims === true))
  }
  const x = internal.data(t)
  let s = 0
  for (let i = 0; i < x.length; i++) s += x[i]!
  return internal.make(Float64Array.of(s), [])
}

/**
 * The largest (`'max'`) or smallest (`'min'`) element over the given axes; NaN where a
 * group holds NaN. The value only: `Tensorial`'s `max` and `min` give it a derivative.
 *
 * @example
 * import { Tensor } from 'ad-ts'
 * import { extremum } from 'ad-ts/internal'
 * Tensor.toArray(extremum(Tensor.fromArray([[1, 5], [3, 4]]), 'max', { axis: 1 })) // => [5, 4]
 *
 * @category combinators
 * @since 0.2.0
 */
export const extremum = (t: Tensor, which: 'max' | 'min', options?: ReduceOptions): Tensor => {
  const axes = reducedAxes(which, t.shape, options)
  const r = reduceTo(t, keptShape(t.shape, axes), which)
  return reshape(r, reducedShape(t.shape, axes, options?.keepDims === true))
}

/**
 * The mean of all elements, shape `[]` (NaN for an empty tensor).
 *
 * @example
 * import { Tensor } from 'ad-ts'
 * import { mean } from 'ad-ts/internal'
 * Tensor.toArray(mean(Tensor.fromArray([1, 2, 3, 4]))) // => 2.5
 *
 * @category combinators
 * @since 0.1.0
 */
export const mean = (t: Tensor, options?: ReduceOptions): Tensor => {
  const axes = reducedAxes('mean', t.shape, options)
  const n = reducedCount(t.shape, axes)
  return map(sum(t, options), (s) => s / n)
}

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
    throw new Error(`reshape: cannot reshape ${showShape(t.shape)} to ${showShape(shape)}`)
  }
  // Sharing the buffer is safe: no tensor buffer is ever written after creation. A
  // uniform tensor stays uniform.
  const x = internal.raw(t)
  return x.length === 1 ? internal.uniform(x[0]!, shape) : internal.make(x, shape)
}

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
  const refuse = (why: string) =>
    new Error(`matmul: cannot multiply ${name(a, sa)} by ${name(b, sb)}${why}`)
  if (sa.length >= 3 || sb.length >= 3) return batched(a, b, sa, sb, t, kernel, refuse)
  return single(a, b, sa, sb, t, kernel, refuse)
}

/** A product of ranks 1 and 2 by `kernel`, shaped as `matmul` shapes it. */
const single = (
  a: Tensor,
  b: Tensor,
  sa: ReadonlyArray<number>,
  sb: ReadonlyArray<number>,
  t: Transposed,
  kernel: Kernel,
  refuse: (why: string) => Error,
): Tensor => {
  const { ra, rb, m, k, n } = matrixDims(sa, sb, refuse)
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
  refuse: (why: string) => Error,
): Tensor => {
  if (sa.length < 2 || sb.length < 2) {
    throw refuse('; with a batch (rank ≥ 3), both operands must have rank ≥ 2')
  }
  const [m, k] = sa.slice(-2) as [number, number]
  const [k2, n] = sb.slice(-2) as [number, number]
  if (k !== k2) throw refuse('')
  const batchA = sa.slice(0, -2)
  const batchB = sb.slice(0, -2)
  let batch: ReadonlyArray<number>
  try {
    batch = broadcastShapes('matmul', batchA, batchB)
  } catch {
    throw refuse(`: the batch axes ${showShape(batchA)} and ${showShape(batchB)} do not broadcast`)
  }
  const x = internal.data(a)
  const y = internal.data(b)
  const count = sizeOf(batch)
  const out = new Float64Array(count * m * n)
  const ia = batchOffsets(batchA, batch)
  const ib = batchOffsets(batchB, batch)
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

/** For each index of the broadcast batch, the index of the operand's own matrix. */
export const batchOffsets = (
  own: ReadonlyArray<number>,
  batch: ReadonlyArray<number>,
): number[] => {
  const offset = batch.length - own.length
  return Array.from({ length: sizeOf(batch) }, (_, q) => {
    let rest = q
    let index = 0
    let stride = 1
    for (let d = batch.length - 1; d >= 0; d--) {
      const i = rest % batch[d]!
      rest = Math.floor(rest / batch[d]!)
      const o = d - offset
      if (o >= 0) {
        if (own[o] !== 1) index += i * stride
        stride *= own[o]!
      }
    }
    return index
  })
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

/**
 * The dimensions of a product of ranks 1 and 2, `[m,k]·[k,n]`, `[m,k]·[k]` or
 * `[k]·[k,n]`; throws naming both shapes otherwise.
 */
const matrixDims = (
  sa: ReadonlyArray<number>,
  sb: ReadonlyArray<number>,
  refuse: (why: string) => Error,
) => {
  const ra = sa.length
  const rb = sb.length
  if (ra < 1 || ra > 2 || rb < 1 || rb > 2 || (ra === 1 && rb === 1)) throw refuse('')
  const m = ra === 2 ? sa[0]! : 1
  const k = sa[ra - 1]!
  const n = rb === 2 ? sb[1]! : 1
  if (sb[0] !== k) throw refuse('')
  return { ra, rb, m, k, n }
}
