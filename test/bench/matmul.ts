/**
 * Matrix products: `matmul` in each form (matrix-matrix, matrix-vector, vector-matrix,
 * batched with a broadcast operand, `tangentMatmul`) against the naive i-p-j loop and
 * against a careful blocked loop (2×4 sums in locals over a packed panel of B), each
 * interleaved round by round; GFLOP/s (2·m·k·n flops a product) for each.
 */
import { Tensor } from '../../src/index.js'
import { matmul, tangentMatmul } from '../../src/internal.js'
import { workersReady } from '../../src/tensor/matmulThreads.js'
import { simdProduct } from '../../src/tensor/simdMatmul.js'
import { compare, fmt } from './measure.js'

/** The naive product a user writes first: the i-p-j loop, its inner loop contiguous. */
export const naiveMatmul = (
  x: Float64Array,
  y: Float64Array,
  m: number,
  k: number,
  n: number,
): Float64Array => {
  const out = new Float64Array(m * n)
  for (let i = 0; i < m; i++) {
    const row = i * n
    for (let p = 0; p < k; p++) {
      const a = x[i * k + p]!
      const brow = p * n
      for (let j = 0; j < n; j++) out[row + j] = out[row + j]! + a * y[brow + j]!
    }
  }
  return out
}

/**
 * The careful plain loop: 2×4 tiles of sums kept in locals, B's four columns packed
 * contiguously, each sum added in p order (n a multiple of 4, m even: the benchmark's).
 */
export const blockedMatmul = (
  x: Float64Array,
  y: Float64Array,
  m: number,
  k: number,
  n: number,
): Float64Array => {
  const out = new Float64Array(m * n)
  const pack = new Float64Array(4 * k)
  for (let j0 = 0; j0 < n; j0 += 4) {
    for (let p = 0; p < k; p++) for (let j = 0; j < 4; j++) pack[4 * p + j] = y[p * n + j0 + j]!
    for (let i = 0; i < m; i += 2) {
      let [c00, c01, c02, c03, c10, c11, c12, c13] = [0, 0, 0, 0, 0, 0, 0, 0]
      const r0 = i * k
      const r1 = r0 + k
      for (let p = 0; p < k; p++) {
        const a0 = x[r0 + p]!
        const a1 = x[r1 + p]!
        const q = 4 * p
        const b0 = pack[q]!
        const b1 = pack[q + 1]!
        const b2 = pack[q + 2]!
        const b3 = pack[q + 3]!
        c00 += a0 * b0
        c01 += a0 * b1
        c02 += a0 * b2
        c03 += a0 * b3
        c10 += a1 * b0
        c11 += a1 * b1
        c12 += a1 * b2
        c13 += a1 * b3
      }
      const o0 = i * n + j0
      const o1 = o0 + n
      out[o0] = c00
      out[o0 + 1] = c01
      out[o0 + 2] = c02
      out[o0 + 3] = c03
      out[o1] = c10
      out[o1 + 1] = c11
      out[o1 + 2] = c12
      out[o1 + 3] = c13
    }
  }
  return out
}

const random = (count: number, seed: number): Float64Array => {
  let s = seed
  return Float64Array.from({ length: count }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32 - 0.5
  })
}

const sameBits = (a: Float64Array, b: Float64Array): boolean =>
  a.length === b.length && a.every((v, q) => Object.is(v, b[q]))

/** The SIMD product on `threads` threads (the kernel `matmul` runs, its thread count chosen here). */
const onThreads = (x: Float64Array, y: Float64Array, size: number, threads: number) => {
  const out = new Float64Array(size * size)
  if (!simdProduct(x, 0, y, 0, out, 0, size, size, size, {}, threads))
    throw new Error('matmul bench: WebAssembly SIMD is not available')
  return out
}

/**
 * The product on 2 threads against 1, interleaved, once the worker is ready (the first
 * call starts it); undefined where worker threads are unavailable.
 */
export const threadsBench = async (size = 512): Promise<string[]> => {
  const x = random(size * size, 5)
  const y = random(size * size, 6)
  const one = onThreads(x, y, size, 1)
  onThreads(x, y, size, 2)
  if (!(await workersReady(2))) return ['  2 threads: worker threads are unavailable here']
  if (!sameBits(onThreads(x, y, size, 2), one))
    throw new Error('matmul bench: 2 threads and 1 thread differ')
  const c = compare(() => onThreads(x, y, size, 1), { two: () => onThreads(x, y, size, 2) }, 15, 3)
  const flops = 2 * size ** 3
  return [
    `  matmul [${size},${size}]·[${size},${size}] on 2 threads (the same numbers bit for bit): ${fmt(c.ms['two']!)} ms, ${fmt(flops / c.ms['two']! / 1e6)} GFLOP/s; 1 thread ${fmt(c.ms['baseline']!)} ms, ${fmt(flops / c.ms['baseline']! / 1e6)} GFLOP/s: ${fmt(1 / c.ratio['two']!)}x the speed of 1 thread (goal >= 1.7x)`,
  ]
}

export const matmulBench = (size = 256): string[] => {
  const [m, k, n] = [size, size, size]
  const x = random(m * k, 1)
  const y = random(k * n, 2)
  const v = random(k, 3)
  const A = Tensor.fromArray(x, [m, k])
  const B = Tensor.fromArray(y, [k, n])
  const V = Tensor.fromArray(v, [k])
  const batch = 8
  const xs = random(batch * m * k, 4)
  const As = Tensor.fromArray(xs, [batch, m, k])
  const naive = naiveMatmul(x, y, m, k, n)
  if (
    !sameBits(Tensor.toFlat(matmul(A, B)), naive) ||
    !sameBits(blockedMatmul(x, y, m, k, n), naive)
  )
    throw new Error('matmul bench: a kernel and the naive loop differ')
  const flops = 2 * m * k * n
  const gflops = (ms: number, f = flops) => fmt(f / ms / 1e6, 2)
  const mm = compare(() => naiveMatmul(x, y, m, k, n), {
    blocked: () => blockedMatmul(x, y, m, k, n),
    matmul: () => matmul(A, B),
    tangent: () => tangentMatmul(A, B),
  })
  const careful = compare(() => blockedMatmul(x, y, m, k, n), { matmul: () => matmul(A, B) })
  const mv = compare(() => naiveMatmul(x, v, m, k, 1), {
    matrixVector: () => matmul(A, V),
    vectorMatrix: () => matmul(V, B),
  })
  const bt = compare(
    () => {
      for (let q = 0; q < batch; q++) naiveMatmul(xs.subarray(q * m * k), y, m, k, n)
    },
    { batched: () => matmul(As, B) },
    9,
    2,
  )
  const shape = `[${m},${k}]·[${k},${n}]`
  return [
    `Matrix products, float64, each element summed in p order from +0 (bit for bit the naive loop; medians over interleaved rounds)`,
    `  matmul ${shape}: ${fmt(mm.ms['matmul']!)} ms, ${gflops(mm.ms['matmul']!)} GFLOP/s; naive i-p-j loop ${fmt(mm.ms['baseline']!)} ms, ${gflops(mm.ms['baseline']!)} GFLOP/s: ${fmt(mm.ratio['matmul']!)}x the naive loop (goal <= 0.15x)`,
    `  matmul ${shape}: ${fmt(careful.ratio['matmul']!)}x the careful blocked loop (2x4 tiles, packed B: ${fmt(careful.ms['baseline']!)} ms, ${gflops(careful.ms['baseline']!)} GFLOP/s); that loop is ${fmt(mm.ratio['blocked']!)}x the naive loop`,
    `  tangentMatmul ${shape}: ${fmt(mm.ms['tangent']!)} ms, ${gflops(mm.ms['tangent']!)} GFLOP/s: ${fmt(mm.ratio['tangent']!)}x the naive loop`,
    `  batched matmul [${batch},${m},${k}]·${`[${k},${n}]`}: ${fmt(bt.ms['batched']!)} ms, ${gflops(bt.ms['batched']!, batch * flops)} GFLOP/s: ${fmt(bt.ratio['batched']!)}x the naive loop per matrix`,
    `  matrix-vector [${m},${k}]·[${k}]: ${fmt(mv.ms['matrixVector']!, 3)} ms, ${gflops(mv.ms['matrixVector']!, 2 * m * k)} GFLOP/s; vector-matrix [${k}]·[${k},${n}]: ${fmt(mv.ms['vectorMatrix']!, 3)} ms, ${gflops(mv.ms['vectorMatrix']!, 2 * k * n)} GFLOP/s; naive loop ${fmt(mv.ms['baseline']!, 3)} ms, ${gflops(mv.ms['baseline']!, 2 * m * k)} GFLOP/s: ${fmt(mv.ratio['matrixVector']!)}x and ${fmt(mv.ratio['vectorMatrix']!)}x`,
  ]
}
