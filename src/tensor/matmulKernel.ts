/**
 * The kernels of `matmul` and `tangentMatmul`, over row-major matrices at offsets in
 * Float64Arrays, either operand possibly read transposed in place (`Transposed`). Every
 * form gives each output element the sum of its k products added in the order
 * p = 0, 1, …, k − 1 starting from +0, as the plain triple loop adds them
 * (`plainProduct`): kernels tile the rows and the columns, never the sum, and no fused
 * multiply-add rounds differently. So every kernel gives the plain loop's answer bit for
 * bit, on every engine and whichever kernel a size selects.
 *
 * - `simdProduct` (`simdMatmul.ts`): two-lane WebAssembly SIMD, 4×4 register tiles over
 *   packed panels, where WebAssembly compiles and the product is large enough.
 * - `blockedProduct`: the same tiling in JavaScript, 2×4 tiles in locals over a packed
 *   panel of B, in blocks of `kc` terms.
 * - `matrixVector`: four rows at a time, each reading the vector once.
 * - `vectorMatrix`: four columns at a time in locals, B read in place.
 *
 * @since 0.5.0
 */
import { isStrongZero as importedIsStrongZero } from '../tangentArithmetic.js'
import { simdProduct, type ProductReport } from './simdMatmul.js'
import { defaultThreads } from './matmulThreads.js'

// Bound in this module, for the loops below: V8 inlines a module's own constant, but calls
// an imported binding (see elementwiseKernels.ts).
const isStrongZero = importedIsStrongZero

/**
 * Which operands are stored transposed: with `a`, A's `[m, k]` is read from a `[k, m]`
 * matrix; with `b`, B's `[k, n]` from an `[n, k]` one. Neither by default.
 */
export interface Transposed {
  readonly a?: boolean
  readonly b?: boolean
}

const rowMajor: Transposed = {}

/** Strides of element (i, p) of A (`ai`, `ap`) and of element (p, j) of B (`bp`, `bj`). */
export const stridesOf = (t: Transposed, m: number, k: number, n: number) => ({
  ai: t.a === true ? 1 : k,
  ap: t.a === true ? m : 1,
  bp: t.b === true ? 1 : n,
  bj: t.b === true ? k : 1,
})

/** Terms of a block of the JavaScript kernel: its packed panel (`kc`·4 numbers) stays in cache. */
const kc = 256

/** Multiply-adds from which a product is worth the SIMD kernel's copies in and out. */
const simdFrom = 4096

/**
 * The plain triple loop, i-p-j: `out[oo…]` (`[m, n]`, +0 on entry) takes each product
 * `x[i,p]·y[p,j]` in the order p = 0, 1, …. The reference every kernel agrees with.
 */
export const plainProduct = (
  x: Float64Array,
  xo: number,
  y: Float64Array,
  yo: number,
  out: Float64Array,
  oo: number,
  m: number,
  k: number,
  n: number,
  t: Transposed = rowMajor,
): void => {
  const { ai, ap, bp, bj } = stridesOf(t, m, k, n)
  for (let i = 0; i < m; i++) {
    const row = oo + i * n
    for (let p = 0; p < k; p++) {
      const aip = x[xo + i * ai + p * ap]!
      const brow = yo + p * bp
      for (let j = 0; j < n; j++) out[row + j] = out[row + j]! + aip * y[brow + j * bj]!
    }
  }
}

/**
 * Writes the product of the `[m, k]` matrix at `x[xo…]` and the `[k, n]` matrix at
 * `y[yo…]` into `out[oo…]`, whose `m·n` elements are +0 on entry, choosing the kernel by
 * size; the answer is the plain loop's whichever it chooses.
 */
export const product = (
  x: Float64Array,
  xo: number,
  y: Float64Array,
  yo: number,
  out: Float64Array,
  oo: number,
  m: number,
  k: number,
  n: number,
  t: Transposed = rowMajor,
  report?: ProductReport,
): void => {
  // A vector is the same stored either way: B of one column for matrixVector, A of one
  // row for vectorMatrix.
  if (n === 1 && t.a !== true) return matrixVector(x, xo, y, yo, out, oo, m, k)
  if (m === 1 && t.b !== true) return vectorMatrix(x, xo, y, yo, out, oo, k, n)
  if (m * k * n >= simdFrom && m > 1) {
    if (simdProduct(x, xo, y, yo, out, oo, m, k, n, t, defaultThreads, report)) return
  }
  blockedProduct(x, xo, y, yo, out, oo, m, k, n, t)
}

/** `product` for n = 1: four rows at a time, each of the four sums in its own local. */
export const matrixVector = (
  x: Float64Array,
  xo: number,
  y: Float64Array,
  yo: number,
  out: Float64Array,
  oo: number,
  m: number,
  k: number,
): void => {
  let i = 0
  for (; i + 4 <= m; i += 4) {
    let s0 = 0
    let s1 = 0
    let s2 = 0
    let s3 = 0
    const r0 = xo + i * k
    const r1 = r0 + k
    const r2 = r1 + k
    const r3 = r2 + k
    for (let p = 0; p < k; p++) {
      const v = y[yo + p]!
      s0 += x[r0 + p]! * v
      s1 += x[r1 + p]! * v
      s2 += x[r2 + p]! * v
      s3 += x[r3 + p]! * v
    }
    out[oo + i] = s0
    out[oo + i + 1] = s1
    out[oo + i + 2] = s2
    out[oo + i + 3] = s3
  }
  for (; i < m; i++) {
    let s = 0
    const r = xo + i * k
    for (let p = 0; p < k; p++) s += x[r + p]! * y[yo + p]!
    out[oo + i] = s
  }
}

/** `product` for m = 1: four columns at a time, each of the four sums in its own local. */
export const vectorMatrix = (
  x: Float64Array,
  xo: number,
  y: Float64Array,
  yo: number,
  out: Float64Array,
  oo: number,
  k: number,
  n: number,
): void => {
  let j = 0
  for (; j + 4 <= n; j += 4) {
    let s0 = 0
    let s1 = 0
    let s2 = 0
    let s3 = 0
    for (let p = 0, b = yo + j; p < k; p++, b += n) {
      const a = x[xo + p]!
      s0 += a * y[b]!
      s1 += a * y[b + 1]!
      s2 += a * y[b + 2]!
      s3 += a * y[b + 3]!
    }
    out[oo + j] = s0
    out[oo + j + 1] = s1
    out[oo + j + 2] = s2
    out[oo + j + 3] = s3
  }
  if (n - j === 3) {
    let s0 = 0
    let s1 = 0
    let s2 = 0
    for (let p = 0, b = yo + j; p < k; p++, b += n) {
      const a = x[xo + p]!
      s0 += a * y[b]!
      s1 += a * y[b + 1]!
      s2 += a * y[b + 2]!
    }
    out[oo + j] = s0
    out[oo + j + 1] = s1
    out[oo + j + 2] = s2
    return
  }
  for (; j < n; j++) {
    let s = 0
    for (let p = 0, b = yo + j; p < k; p++, b += n) s += x[xo + p]! * y[b]!
    out[oo + j] = s
  }
}

/**
 * The blocked JavaScript kernel (`out` +0 on entry): for each block of `kc` terms and
 * each panel of 4 columns of B, packed contiguously, tiles of 2×4 sums kept in locals
 * take the block's terms in order; a tile reads back what the last block stored, so
 * each sum runs on from p = 0 to k − 1 unbroken. Columns past the last multiple of 4
 * are summed one at a time in the same order.
 */
export const blockedProduct = (
  x: Float64Array,
  xo: number,
  y: Float64Array,
  yo: number,
  out: Float64Array,
  oo: number,
  m: number,
  k: number,
  n: number,
  t: Transposed = rowMajor,
): void => {
  const { ai, ap, bp, bj } = stridesOf(t, m, k, n)
  const n4 = n - (n % 4)
  // The packed panel is local to this call.
  const pack = new Float64Array(4 * Math.min(k, kc))
  for (let p0 = 0; p0 < k; p0 += kc) {
    const p1 = Math.min(k, p0 + kc)
    const width = 4 * (p1 - p0)
    for (let j0 = 0; j0 < n4; j0 += 4) {
      for (let p = p0, q = 0; p < p1; p++, q += 4) {
        const b = yo + p * bp + j0 * bj
        pack[q] = y[b]!
        pack[q + 1] = y[b + bj]!
        pack[q + 2] = y[b + 2 * bj]!
        pack[q + 3] = y[b + 3 * bj]!
      }
      let i = 0
      for (; i + 2 <= m; i += 2) {
        const o0 = oo + i * n + j0
        const o1 = o0 + n
        let c00 = out[o0]!
        let c01 = out[o0 + 1]!
        let c02 = out[o0 + 2]!
        let c03 = out[o0 + 3]!
        let c10 = out[o1]!
        let c11 = out[o1 + 1]!
        let c12 = out[o1 + 2]!
        let c13 = out[o1 + 3]!
        let a0p = xo + i * ai + p0 * ap
        let a1p = a0p + ai
        for (let q = 0; q < width; q += 4) {
          const b0 = pack[q]!
          const b1 = pack[q + 1]!
          const b2 = pack[q + 2]!
          const b3 = pack[q + 3]!
          const a0 = x[a0p]!
          const a1 = x[a1p]!
          a0p += ap
          a1p += ap
          c00 += a0 * b0
          c01 += a0 * b1
          c02 += a0 * b2
          c03 += a0 * b3
          c10 += a1 * b0
          c11 += a1 * b1
          c12 += a1 * b2
          c13 += a1 * b3
        }
        out[o0] = c00
        out[o0 + 1] = c01
        out[o0 + 2] = c02
        out[o0 + 3] = c03
        out[o1] = c10
        out[o1 + 1] = c11
        out[o1 + 2] = c12
        out[o1 + 3] = c13
      }
      if (i < m) {
        const o0 = oo + i * n + j0
        let c00 = out[o0]!
        let c01 = out[o0 + 1]!
        let c02 = out[o0 + 2]!
        let c03 = out[o0 + 3]!
        let a0p = xo + i * ai + p0 * ap
        for (let q = 0; q < width; q += 4, a0p += ap) {
          const a0 = x[a0p]!
          c00 += a0 * pack[q]!
          c01 += a0 * pack[q + 1]!
          c02 += a0 * pack[q + 2]!
          c03 += a0 * pack[q + 3]!
        }
        out[o0] = c00
        out[o0 + 1] = c01
        out[o0 + 2] = c02
        out[o0 + 3] = c03
      }
    }
    for (let j = n4; j < n; j++) {
      for (let i = 0; i < m; i++) {
        const o = oo + i * n + j
        let c = out[o]!
        for (let p = p0; p < p1; p++) c += x[xo + i * ai + p * ap]! * y[yo + p * bp + j * bj]!
        out[o] = c
      }
    }
  }
}

/**
 * The plain loop of `tangentMatmul` (`out` +0 on entry): a term with a +0 factor is a
 * strong zero and is skipped, which is exactly adding +0; any other term is not, so a
 * zero sum it takes part in is kept as −0. The reference `tangentProduct` agrees with.
 */
export const plainTangentProduct = (
  x: Float64Array,
  xo: number,
  y: Float64Array,
  yo: number,
  out: Float64Array,
  oo: number,
  m: number,
  k: number,
  n: number,
  t: Transposed = rowMajor,
): void => {
  const { ai, ap, bp, bj } = stridesOf(t, m, k, n)
  for (let i = 0; i < m; i++) {
    const row = oo + i * n
    for (let p = 0; p < k; p++) {
      const aip = x[xo + i * ai + p * ap]!
      if (isStrongZero(aip)) continue
      const brow = yo + p * bp
      for (let j = 0; j < n; j++) {
        const bpj = y[brow + j * bj]!
        if (isStrongZero(bpj)) continue
        const s = out[row + j]! + aip * bpj
        out[row + j] = s === 0 ? -0 : s
      }
    }
  }
}

/**
 * `tangentMatmul`'s kernel (`out` +0 on entry), the plain tangent loop's answer bit for
 * bit. Where both operands are finite it is `product` and a pass over the zeros: a
 * skipped term, x·(+0) with x finite, is ±0, and adding ±0 to a sum changes at most the
 * sign of a zero sum; a sum's nonzero values and NaNs are the same with or without the
 * term. So only the sign of a zero output needs fixing, and it is −0 exactly where some
 * term was taken (both factors other than +0), else +0. Operands holding NaN or ±Infinity
 * (where x·(+0) is NaN) take the plain loop.
 */
export const tangentProduct = (
  x: Float64Array,
  xo: number,
  y: Float64Array,
  yo: number,
  out: Float64Array,
  oo: number,
  m: number,
  k: number,
  n: number,
  t: Transposed = rowMajor,
): void => {
  const report: ProductReport = { clean: false }
  product(x, xo, y, yo, out, oo, m, k, n, t, report)
  // Outputs all finite and none zero (scanned by the SIMD kernel): nothing to look at.
  if (report.clean) return
  // One pass over the outputs finds the zeros and any output that is not finite. Every
  // element of A and of B is a factor of some output (k ≥ 1): where every output is
  // finite, so is every operand, and the operands need no scan of their own. A non-finite
  // output comes from a non-finite operand, or from an overflow.
  const zeros: number[] = []
  let finite = true
  for (let o = oo; o < oo + m * n; o++) {
    const v = out[o]!
    if (v - v === 0) {
      if (v === 0) zeros.push(o - oo)
    } else finite = false
  }
  if (k > 0 && !finite && (!allFinite(x, xo, m * k) || !allFinite(y, yo, k * n))) {
    out.fill(0, oo, oo + m * n)
    plainTangentProduct(x, xo, y, yo, out, oo, m, k, n, t)
    return
  }
  if (zeros.length === 0) return
  const { ai, ap, bp, bj } = stridesOf(t, m, k, n)
  // Rows of x and columns of y holding only strong zeros take no term at all: most zero
  // outputs are settled by these two flags alone.
  const rows = live(x, xo, m, k, ai, ap)
  const columns = live(y, yo, n, k, bj, bp)
  for (const z of zeros) {
    const [i, j] = [Math.floor(z / n), z % n]
    const took =
      rows[i] === 1 && columns[j] === 1 && takesTerm(x, xo + i * ai, ap, y, yo + j * bj, bp, k)
    out[oo + z] = took ? -0 : 0
  }
}

const allFinite = (x: Float64Array, from: number, count: number): boolean => {
  for (let q = from; q < from + count; q++) if (x[q]! - x[q]! !== 0) return false
  return true
}

/**
 * 1 for each of `count` lines (elements `line·across + q·along`, q < `length`) holding
 * a value other than +0: the rows of A, or the columns of B.
 */
const live = (
  x: Float64Array,
  xo: number,
  count: number,
  length: number,
  across: number,
  along: number,
): Uint8Array => {
  const flags = new Uint8Array(count)
  for (let l = 0; l < count; l++)
    for (let q = 0; q < length; q++)
      if (!isStrongZero(x[xo + l * across + q * along]!)) {
        flags[l] = 1
        break
      }
  return flags
}

/** Whether some term of a sum (A's row from `ao` by `ap`, B's column from `bo` by `bp`) has no +0 factor. */
const takesTerm = (
  x: Float64Array,
  ao: number,
  ap: number,
  y: Float64Array,
  bo: number,
  bp: number,
  k: number,
): boolean => {
  for (let p = 0; p < k; p++)
    if (!isStrongZero(x[ao + p * ap]!) && !isStrongZero(y[bo + p * bp]!)) return true
  return false
}
