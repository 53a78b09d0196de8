/**
 * The matrix product as a two-lane float64 WebAssembly SIMD kernel. Each output element
 * is the sum of its k products added in the order p = 0, 1, …, k − 1 starting from +0,
 * as the plain triple loop adds them: the lanes run over columns and the register tile
 * over rows, never over the sum, and there is no fused multiply-add. So the results are
 * those of the plain loop bit for bit.
 *
 * Layout in the kernel's memory: A as it is stored (row-major, or transposed, [k, m]),
 * copied in whole and read in place either way, B packed in panels of `width` columns (element (p, j)
 * of a panel at `p·width + j`, zeros past the last column), and the output with its
 * rows padded to a multiple of `width` columns. The terms run in blocks of 256 (a packed
 * panel of B, 8 KiB, stays in the L1 cache), each
 * tile reading back the partial sums the last block stored, so each sum runs on
 * unbroken.
 *
 * @since 0.5.0
 */
import {
  FunctionCode,
  compile,
  compileLater,
  instantiate,
  memarg,
  moduleBytes,
  newMemory,
  op,
  simd,
  type WasmMemory,
} from '../util/wasmModule.js'
import type { Transposed } from './matmulKernel.js'
import { defaultThreads, pooledKernel } from './matmulThreads.js'

/** Rows of the register tile. */
const rows = 4
/** Columns of the register tile (two lanes to a register). */
const width = 4

const i32Eqz = 0x45
const i32GeU = 0x4f
const i32Sub = 0x6b

/**
 * `panel(a, b, c, tiles, terms, lda, ldc, first, ldp)`: `tiles` tiles of `r` rows one
 * after another, each adding `terms` products to the `r`·`width` partial sums at `c`
 * (rows `ldc` bytes apart; with `first`, sums from +0 instead): A read in place from `a`
 * on, rows `lda` bytes apart and a row's terms `ldp` bytes apart (a row-major A: 8·k and
 * 8; an A stored transposed, [k, m]: 8 and 8·m), B's packed panel at `b`.
 */
const panelCode = (r: number): FunctionCode => {
  const code = new FunctionCode(new Array<'i32'>(9).fill('i32'))
  const [a, b, c, tiles, terms, lda, ldc, first, ldp] = [0, 1, 2, 3, 4, 5, 6, 7, 8]
  const lanes = width / 2
  const acc = Array.from({ length: r * lanes }, () => code.local('v128'))
  const bv = Array.from({ length: lanes }, () => code.local('v128'))
  const av = code.local('v128')
  const rowA = Array.from({ length: r }, () => code.local('i32'))
  const pb = code.local('i32')
  const end = code.local('i32')
  const add = (l: number, step: () => void) => {
    code.get(l)
    step()
    code.emit(op.i32Add)
  }
  const rowAddress = (i: number) => {
    code.get(c)
    if (i > 0) {
      code.get(ldc)
      code.i32(i)
      code.emit(op.i32Mul, op.i32Add)
    }
  }
  code.emit(op.block, 0x40, op.loop, 0x40)
  code.get(tiles)
  code.emit(i32Eqz, op.brIf, 1)
  // The first block's sums start from +0 (all bits clear); a later block's from what the
  // last one stored.
  code.get(first)
  code.emit(op.if, 0x40)
  for (const l of acc) {
    code.simd(simd.v128Const, ...new Array<number>(16).fill(0))
    code.set(l)
  }
  code.emit(0x05) // else
  for (let i = 0; i < r; i++)
    for (let v = 0; v < lanes; v++) {
      rowAddress(i)
      code.simd(simd.v128Load, ...memarg(3, 16 * v))
      code.set(acc[i * lanes + v]!)
    }
  code.emit(op.end)
  for (let i = 0; i < r; i++) {
    if (i === 0) code.get(a)
    else add(rowA[i - 1]!, () => code.get(lda))
    code.set(rowA[i]!)
  }
  code.get(b)
  code.set(pb)
  add(b, () => {
    code.get(terms)
    code.i32(width * 8)
    code.emit(op.i32Mul)
  })
  code.set(end)
  code.emit(op.block, 0x40, op.loop, 0x40)
  code.get(pb)
  code.get(end)
  code.emit(i32GeU, op.brIf, 1)
  for (let v = 0; v < lanes; v++) {
    code.get(pb)
    code.simd(simd.v128Load, ...memarg(3, 16 * v))
    code.set(bv[v]!)
  }
  for (let i = 0; i < r; i++) {
    code.get(rowA[i]!)
    code.simd(simd.v128Load64Splat, ...memarg(3, 0))
    code.set(av)
    for (let v = 0; v < lanes; v++) {
      // acc + a·b, the plain loop's `out + aip * bpj`, one rounding each.
      code.get(acc[i * lanes + v]!)
      code.get(av)
      code.get(bv[v]!)
      code.simd(simd.f64x2Mul)
      code.simd(simd.f64x2Add)
      code.set(acc[i * lanes + v]!)
    }
    add(rowA[i]!, () => code.get(ldp))
    code.set(rowA[i]!)
  }
  add(pb, () => code.i32(8 * width))
  code.set(pb)
  code.emit(op.br, 0, op.end, op.end)
  for (let i = 0; i < r; i++)
    for (let v = 0; v < lanes; v++) {
      rowAddress(i)
      code.get(acc[i * lanes + v]!)
      code.simd(simd.v128Store, ...memarg(3, 16 * v))
    }
  rowAddress(r)
  code.set(c)
  add(a, () => {
    code.get(lda)
    code.i32(r)
    code.emit(op.i32Mul)
  })
  code.set(a)
  code.get(tiles)
  code.i32(1)
  code.emit(i32Sub)
  code.set(tiles)
  code.emit(op.br, 0, op.end, op.end)
  return code
}

export type Panel = (
  a: number,
  b: number,
  c: number,
  tiles: number,
  terms: number,
  lda: number,
  ldc: number,
  first: number,
  ldp: number,
) => void

/**
 * `scan(at, pairs)`: 1 when one of the `2·pairs` float64 from byte `at` on is ±0, NaN or
 * ±Infinity, else 0. `tangentProduct` looks at its outputs again only where one is.
 */
const scanCode = (): FunctionCode => {
  const code = new FunctionCode(['i32', 'i32'], ['i32'])
  const [at, pairs] = [0, 1]
  const [end, v, flagged] = [code.local('i32'), code.local('v128'), code.local('v128')]
  const zero = () => code.simd(simd.v128Const, ...new Array<number>(16).fill(0))
  code.get(at)
  code.get(pairs)
  code.i32(16)
  code.emit(op.i32Mul, op.i32Add)
  code.set(end)
  code.emit(op.block, 0x40, op.loop, 0x40)
  code.get(at)
  code.get(end)
  code.emit(i32GeU, op.brIf, 1)
  code.get(at)
  code.simd(simd.v128Load, ...memarg(3))
  code.set(v)
  // flagged |= (v == 0) | (v − v != 0): v − v is 0 for a finite v, NaN otherwise.
  code.get(flagged)
  code.get(v)
  zero()
  code.simd(simd.f64x2Eq)
  code.get(v)
  code.get(v)
  code.simd(simd.f64x2Sub)
  zero()
  code.simd(simd.f64x2Ne)
  code.simd(simd.v128Or)
  code.simd(simd.v128Or)
  code.set(flagged)
  code.get(at)
  code.i32(16)
  code.emit(op.i32Add)
  code.set(at)
  code.emit(op.br, 0, op.end, op.end)
  code.get(flagged)
  code.simd(simd.v128AnyTrue)
  return code
}

/** The output scan of `scanCode`. */
export type Scan = (at: number, pairs: number) => number

/**
 * The module of the four panels and the scan; with `sharedPages`, on a shared memory of
 * at most that many pages.
 */
export const panelModule = (sharedPages?: number): Uint8Array =>
  moduleBytes(
    [...Array.from({ length: rows }, (_, r) => panelCode(r + 1)), scanCode()],
    [...Array.from({ length: rows }, (_, r) => [`panel${r + 1}`, r] as const), ['scan', rows]],
    sharedPages,
  )

const bytes = panelModule()

/**
 * Adds the terms of rows r0 … r1 − 1 of a product laid out in a kernel's memory (A at
 * byte `a`, its rows `lda` bytes apart and a row's terms `ldp` bytes apart, B's panels at
 * `b`, the output at `c`), in blocks of 256 terms and
 * panels of `width` = 4 columns, `rows` = 4 rows a tile. Self-contained, reading nothing from this
 * module: worker threads run its source text.
 */
export const runRows = (
  panels: ReadonlyArray<Panel>,
  a: number,
  b: number,
  c: number,
  k: number,
  np: number,
  lda: number,
  ldp: number,
  r0: number,
  r1: number,
): void => {
  const ldc = 8 * np
  const full = Math.floor((r1 - r0) / 4)
  const rest = r1 - r0 - 4 * full
  for (let p0 = 0; p0 < k; p0 += 256) {
    const terms = Math.min(256, k - p0)
    const first = p0 === 0 ? 1 : 0
    for (let j0 = 0; j0 < np; j0 += 4) {
      const at = a + r0 * lda + ldp * p0
      const bt = b + 8 * (j0 * k + p0 * 4)
      const ct = c + r0 * ldc + 8 * j0
      if (full > 0) panels[3]!(at, bt, ct, full, terms, lda, ldc, first, ldp)
      if (rest > 0) {
        const [ar, cr] = [at + 4 * full * lda, ct + 4 * full * ldc]
        panels[rest - 1]!(ar, bt, cr, 1, terms, lda, ldc, first, ldp)
      }
    }
  }
}

export interface Kernel {
  readonly memory: WasmMemory
  readonly panels: ReadonlyArray<Panel>
  readonly scan: Scan
}

// The compiled module and the kernel kept on its memory: a cache, invisible from outside
// (every call writes what it reads before reading it). undefined: not tried yet; null:
// refused.
let module: object | null | undefined
let kept: Kernel | undefined

const compiled = (): object | null => {
  if (module === undefined) {
    try {
      module = compile(bytes)
    } catch {
      // Refused now (a browser's main thread compiles only small modules at once): the
      // JavaScript kernel runs until a compilation in the background is done, if it is
      // allowed at all. The numbers are the same either way.
      module = null
      void compileLater(bytes).then((m) => {
        if (m !== undefined) module = m
      })
    }
  }
  return module
}

/** The module instantiated on a fresh memory of at least `size` bytes; undefined where refused. */
const kernelOf = (m: object, size: number): Kernel | undefined => {
  try {
    const memory = newMemory(Math.max(1, Math.ceil(size / 65536)))
    if (memory === undefined) return undefined
    const exports = instantiate(m, memory)
    return {
      memory,
      panels: Array.from({ length: rows }, (_, r) => exports[`panel${r + 1}`] as Panel),
      scan: exports['scan'] as Scan,
    }
  } catch {
    return undefined
  }
}

/**
 * Bytes up to which a product runs on the memory kept from call to call (grown as
 * needed); a larger one gets a memory of its own, freed with it, so that one large
 * product does not hold its memory for the life of the process.
 */
const keptUpTo = 2 ** 25

/**
 * Multiply-adds from which a product is split over threads (where more than one is asked).
 * Below it, waking the workers and waiting for them cost more than the split saves: on
 * two busy cores, [1024,10]·[10,128] took 1.2–1.5 ms on two threads and 0.8–1.2 ms on
 * one, [1024,128]·[128,10] 0.7–0.75 ms against 0.5–0.6 ms.
 */
export const splitFrom = 2 ** 21

/** Bytes up to which a product runs on WebAssembly; a larger one takes the JavaScript kernel. */
const memoryUpTo = 2 ** 30

/** A kernel whose memory holds `size` bytes, or undefined (JavaScript kernel). */
const kernelFor = (size: number): Kernel | undefined => {
  const m = compiled()
  if (m === null || size > memoryUpTo) return undefined
  if (size > keptUpTo) return kernelOf(m, size)
  kept ??= kernelOf(m, size)
  if (kept === undefined) return undefined
  try {
    const short = size - kept.memory.buffer.byteLength
    if (short > 0) kept.memory.grow(Math.ceil(short / 65536))
    return kept
  } catch {
    return undefined
  }
}

/**
 * What a product found in its outputs, where it looked: `clean` when none is ±0, NaN or
 * ±Infinity (left false where the outputs were not scanned).
 */
export interface ProductReport {
  clean: boolean
}

/**
 * Writes the product of the `[m, k]` matrix at `x[xo…]` and the `[k, n]` matrix at
 * `y[yo…]` into `out[oo…]` (row-major, `[m, n]`), each element summed from +0 in the
 * order p = 0, 1, …; false (and nothing written) where WebAssembly SIMD is not
 * available or the product needs more memory than it gives.
 */
export const simdProduct = (
  x: Float64Array,
  xo: number,
  y: Float64Array,
  yo: number,
  out: Float64Array,
  oo: number,
  m: number,
  k: number,
  n: number,
  t: Transposed = {},
  threads: number = defaultThreads,
  report?: ProductReport,
): boolean => {
  const np = Math.ceil(n / width) * width
  const aBytes = 8 * m * k
  const bBytes = 8 * k * np
  const cBytes = 8 * m * np
  const size = aBytes + bBytes + cBytes
  const pooled =
    threads > 1 && m >= 2 * rows && m * k * n >= splitFrom
      ? pooledKernel(threads, size, panelModule, runRows)
      : undefined
  const kernel = pooled ?? kernelFor(size)
  if (kernel === undefined) return false
  const memory = kernel.memory
  const mem = new Float64Array(memory.buffer)
  const [aOff, bOff, cOff] = [0, aBytes / 8, (aBytes + bBytes) / 8]
  // A is copied as it is stored, and read in place: as [m, k], or as [k, m] (transposed).
  mem.set(x.subarray(xo, xo + m * k), aOff)
  const [lda, ldp] = t.a === true ? [8, 8 * m] : [8 * k, 8]
  packB(y, yo, mem, bOff, k, n, np, t.b === true ? 1 : n, t.b === true ? k : 1)
  if (pooled !== undefined) pooled.run([8 * aOff, 8 * bOff, 8 * cOff, k, np, lda, ldp], m)
  else runRows(kernel.panels, 8 * aOff, 8 * bOff, 8 * cOff, k, np, lda, ldp, 0, m)
  // With rows unpadded (n = np), the outputs are scanned where they lie (an even count).
  if (report !== undefined && n === np) report.clean = kernel.scan(8 * cOff, (m * n) / 2) === 0
  if (n === np) out.set(mem.subarray(cOff, cOff + m * n), oo)
  else
    for (let i = 0; i < m; i++) out.set(mem.subarray(cOff + i * np, cOff + i * np + n), oo + i * n)
  return true
}

/**
 * Packs B (element (p, j) at `yo + p·bp + j·bj`) in panels of `width` columns (element
 * (p, j) of panel j0 at `j0·k + p·width + j`), zeros past column n.
 */
const packB = (
  y: Float64Array,
  yo: number,
  mem: Float64Array,
  at: number,
  k: number,
  n: number,
  np: number,
  bp: number,
  bj: number,
): void => {
  for (let j0 = 0; j0 < np; j0 += width) {
    const w = Math.min(width, n - j0)
    let dst = at + j0 * k
    let src = yo + j0 * bj
    if (w === width) {
      for (let p = 0; p < k; p++, dst += width, src += bp) {
        mem[dst] = y[src]!
        mem[dst + 1] = y[src + bj]!
        mem[dst + 2] = y[src + 2 * bj]!
        mem[dst + 3] = y[src + 3 * bj]!
      }
    } else {
      for (let p = 0; p < k; p++, dst += width, src += bp) {
        for (let j = 0; j < w; j++) mem[dst + j] = y[src + j * bj]!
        for (let j = w; j < width; j++) mem[dst + j] = 0
      }
    }
  }
}
