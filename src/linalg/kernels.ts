/**
 * The eager kernels of linear algebra on Float64Arrays: Cholesky, triangular solves and
 * LU with partial pivoting, each over the last two axes with the leading axes as a batch
 * (broadcast between two operands, as batched `matmul`). They raise no exception on
 * singular or indefinite input: IEEE arithmetic gives ±Infinity or NaN, and a matrix
 * that is not positive definite gives a factor of NaN.
 *
 * @since 0.5.0
 */
import { broadcastIndices, broadcastShapes } from '../tensor/broadcast.js'
import { internal, showShape, sizeOf, type Tensor } from '../tensor/Tensor.js'

/** Options of a triangular solve: which triangle of a is read, and how. */
export interface TriangularOptions {
  /** Read the lower triangle (default true), else the upper. */
  readonly lower?: boolean
  /** Solve aᵀ·x = b instead of a·x = b (default false). */
  readonly transposeA?: boolean
  /** Take the diagonal as ones without reading it (default false). */
  readonly unitDiagonal?: boolean
}

/** The order n of a batch of square matrices; throws naming the op and the shape. */
export const squareOrder = (op: string, shape: ReadonlyArray<number>): number => {
  const r = shape.length
  if (r < 2 || shape[r - 1] !== shape[r - 2]) {
    throw new Error(`${op}: expected square matrices [..., n, n], got ${showShape(shape)}`)
  }
  return shape[r - 1]!
}

/** The shape of a product over broadcast batches of a [..., n, n] and b [..., n, k]. */
export const solveShape = (
  op: string,
  a: ReadonlyArray<number>,
  b: ReadonlyArray<number>,
): ReadonlyArray<number> => {
  const n = squareOrder(op, a)
  const fail = () =>
    new Error(
      `${op}: cannot solve with a of shape ${showShape(a)} and b of shape ${showShape(b)}; b must be [..., ${n}, k] with batch axes that broadcast with a's`,
    )
  if (b.length < 2 || b[b.length - 2] !== n) throw fail()
  try {
    return [...broadcastShapes(op, a.slice(0, -2), b.slice(0, -2)), n, b[b.length - 1]!]
  } catch {
    throw fail()
  }
}

/**
 * The pairs of matrices of a solve over broadcast batches: the result's shape, the order
 * n, the columns k, for each result matrix the index of a's and of b's, both operands'
 * elements and a fresh output (filled by the caller only).
 */
const solvePairs = (op: string, a: Tensor, b: Tensor) => {
  const shape = solveShape(op, a.shape, b.shape)
  const [ia, ib] = broadcastIndices(shape.slice(0, -2), a.shape.slice(0, -2), b.shape.slice(0, -2))
  return {
    shape,
    n: a.shape[a.shape.length - 1]!,
    k: b.shape[b.shape.length - 1]!,
    ia,
    ib,
    A: internal.data(a),
    B: internal.data(b),
    out: new Float64Array(sizeOf(shape)),
  }
}

/** Runs `each(q, offset)` for every matrix of a batch of [..., n, n]. */
const perMatrix = (a: Tensor, op: string, each: (x: Float64Array, n: number) => void) => {
  const n = squareOrder(op, a.shape)
  const data = internal.data(a)
  const count = sizeOf(a.shape.slice(0, -2))
  for (let q = 0; q < count; q++) each(data.subarray(q * n * n, (q + 1) * n * n), n)
  return { n, count }
}

/**
 * The lower Cholesky factor of (a + aᵀ)/2 for each matrix (Cholesky–Banachiewicz, row by
 * row); NaN in every entry of a factor whose matrix is not positive definite.
 */
export const cholesky = (a: Tensor): Tensor => {
  const out = new Float64Array(sizeOf(a.shape))
  let q = 0
  perMatrix(a, 'cholesky', (x, n) => {
    const L = out.subarray(q * n * n, (q + 1) * n * n)
    q++
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0.5 * (x[i * n + j]! + x[j * n + i]!)
        for (let p = 0; p < j; p++) s -= L[i * n + p]! * L[j * n + p]!
        if (i === j) {
          // Not positive definite (or NaN): the whole factor is NaN.
          if (!(s > 0)) {
            L.fill(NaN)
            return
          }
          L[i * n + i] = Math.sqrt(s)
        } else {
          L[i * n + j] = s / L[j * n + j]!
        }
      }
    }
  })
  return internal.make(out, a.shape)
}

/**
 * x with op(a)·x = b for each pair of matrices, a [..., n, n] read only in its named
 * triangle, b [..., n, k]; batch axes broadcast.
 */
export const triangularSolve = (a: Tensor, b: Tensor, options: TriangularOptions = {}): Tensor => {
  const { shape, n, k, ia, ib, A, B, out } = solvePairs('triangularSolve', a, b)
  const { lower = true, transposeA = false, unitDiagonal = false } = options
  // Element (i, j) of op(a): a's own (j, i) when transposed.
  const [si, sj] = transposeA ? [1, n] : [n, 1]
  // op(a) is lower triangular when exactly one of lower and transposeA holds.
  const forwardOrder = lower !== transposeA
  for (let q = 0; q < ia.length; q++) {
    const ao = ia[q]! * n * n
    const bo = ib[q]! * n * k
    const xo = q * n * k
    for (let step = 0; step < n; step++) {
      const i = forwardOrder ? step : n - 1 - step
      const d = unitDiagonal ? 1 : A[ao + i * si + i * sj]!
      for (let c = 0; c < k; c++) {
        let s = B[bo + i * k + c]!
        if (forwardOrder)
          for (let j = 0; j < i; j++) s -= A[ao + i * si + j * sj]! * out[xo + j * k + c]!
        else for (let j = i + 1; j < n; j++) s -= A[ao + i * si + j * sj]! * out[xo + j * k + c]!
        out[xo + i * k + c] = unitDiagonal ? s : s / d
      }
    }
  }
  return internal.make(out, shape)
}

/** The LU factors of one matrix with partial pivoting, in place: row permutation and its sign. */
const luInPlace = (m: Float64Array, n: number): { perm: Int32Array; sign: number } => {
  const perm = Int32Array.from({ length: n }, (_, i) => i)
  let sign = 1
  for (let c = 0; c < n; c++) {
    let p = c
    let best = Math.abs(m[c * n + c]!)
    for (let r = c + 1; r < n; r++) {
      const v = Math.abs(m[r * n + c]!)
      if (v > best) {
        best = v
        p = r
      }
    }
    if (p !== c) {
      for (let j = 0; j < n; j++) {
        const t = m[c * n + j]!
        m[c * n + j] = m[p * n + j]!
        m[p * n + j] = t
      }
      const t = perm[c]!
      perm[c] = perm[p]!
      perm[p] = t
      sign = -sign
    }
    const d = m[c * n + c]!
    // A zero pivot means a zero column below it: nothing to eliminate (the matrix is
    // singular; solving with it divides by 0, as IEEE arithmetic gives).
    if (d === 0) continue
    for (let r = c + 1; r < n; r++) {
      const f = m[r * n + c]! / d
      m[r * n + c] = f
      if (f !== 0) for (let j = c + 1; j < n; j++) m[r * n + j] = m[r * n + j]! - f * m[c * n + j]!
    }
  }
  return { perm, sign }
}

/** Solves LU·x = P·b in place of one k-column right-hand side block. */
const luSolveInto = (
  lu: Float64Array,
  perm: Int32Array,
  n: number,
  b: Float64Array,
  k: number,
  out: Float64Array,
) => {
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) out[i * k + c] = b[perm[i]! * k + c]!
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      const f = lu[i * n + j]!
      if (f !== 0)
        for (let c = 0; c < k; c++) out[i * k + c] = out[i * k + c]! - f * out[j * k + c]!
    }
  for (let i = n - 1; i >= 0; i--) {
    for (let j = i + 1; j < n; j++) {
      const f = lu[i * n + j]!
      for (let c = 0; c < k; c++) out[i * k + c] = out[i * k + c]! - f * out[j * k + c]!
    }
    const d = lu[i * n + i]!
    for (let c = 0; c < k; c++) out[i * k + c] = out[i * k + c]! / d
  }
}

/** x with a·x = b (LU with partial pivoting), a [..., n, n], b [..., n, k]; batch axes broadcast. */
export const solve = (a: Tensor, b: Tensor): Tensor => {
  const { shape, n, k, ia, ib, A, B, out } = solvePairs('solve', a, b)
  // Each of a's matrices is factored once, however many of b's it meets.
  const factors = new Map<number, { lu: Float64Array; perm: Int32Array }>()
  for (let q = 0; q < ia.length; q++) {
    let f = factors.get(ia[q]!)
    if (f === undefined) {
      const lu = A.slice(ia[q]! * n * n, (ia[q]! + 1) * n * n)
      f = { lu, perm: luInPlace(lu, n).perm }
      factors.set(ia[q]!, f)
    }
    luSolveInto(
      f.lu,
      f.perm,
      n,
      B.subarray(ib[q]! * n * k, (ib[q]! + 1) * n * k),
      k,
      out.subarray(q * n * k, (q + 1) * n * k),
    )
  }
  return internal.make(out, shape)
}

/** The inverse of each matrix (LU with partial pivoting). */
export const inv = (a: Tensor): Tensor => {
  const out = new Float64Array(sizeOf(a.shape))
  let q = 0
  perMatrix(a, 'inv', (x, n) => {
    const lu = x.slice()
    const { perm } = luInPlace(lu, n)
    const id = new Float64Array(n * n)
    for (let i = 0; i < n; i++) id[i * n + i] = 1
    luSolveInto(lu, perm, n, id, n, out.subarray(q * n * n, (q + 1) * n * n))
    q++
  })
  return internal.make(out, a.shape)
}

/** Per matrix: the sign of the determinant (0 when singular) and log |det|. */
const signAndLog = (a: Tensor, op: string): readonly [Float64Array, Float64Array] => {
  const count = sizeOf(a.shape.slice(0, -2))
  const signs = new Float64Array(count)
  const logs = new Float64Array(count)
  let q = 0
  perMatrix(a, op, (x, n) => {
    const lu = x.slice()
    let { sign } = luInPlace(lu, n)
    let log = 0
    for (let i = 0; i < n; i++) {
      const d = lu[i * n + i]!
      sign *= Math.sign(d)
      log += Math.log(Math.abs(d))
    }
    // An exact zero pivot is an exactly singular matrix: sign 0 and log |det| = −∞.
    const singular = sign === 0
    signs[q] = singular ? 0 : Number.isNaN(log) ? NaN : sign
    logs[q] = singular ? -Infinity : log
    q++
  })
  return [signs, logs]
}

/** The determinant of each matrix, the product of the LU pivots with the permutation's sign. */
export const det = (a: Tensor): Tensor => {
  const count = sizeOf(a.shape.slice(0, -2))
  const out = new Float64Array(count)
  let q = 0
  perMatrix(a, 'det', (x, n) => {
    const lu = x.slice()
    let d = luInPlace(lu, n).sign
    for (let i = 0; i < n; i++) d *= lu[i * n + i]!
    out[q++] = d
  })
  return internal.make(out, a.shape.slice(0, -2))
}

/** The sign of each determinant: ±1, 0 for a singular matrix, NaN where an entry is NaN. */
export const detSign = (a: Tensor): Tensor =>
  internal.make(signAndLog(a, 'slogdet')[0], a.shape.slice(0, -2))

/** log |det| of each matrix; −Infinity for a singular one. */
export const logAbsDet = (a: Tensor): Tensor =>
  internal.make(signAndLog(a, 'slogdet')[1], a.shape.slice(0, -2))
