/**
 * The WebAssembly binary format, as far as the SIMD kernels need it (the jit's and the
 * storage layer's matrix products): one module that imports its memory and exports
 * functions, each a list of locals and instructions.
 * Opcodes are those of the WebAssembly 2.0 core specification, section 5.4 (the SIMD
 * instructions under the 0xfd prefix, with LEB128 opcodes).
 *
 * @since 0.4.0
 */

/** The value types of locals and parameters. */
export type ValType = 'i32' | 'i64' | 'f64' | 'v128'

const valTypeCode: Readonly<Record<ValType, number>> = {
  i32: 0x7f,
  i64: 0x7e,
  f64: 0x7c,
  v128: 0x7b,
}

/** Unsigned LEB128. */
export const uleb = (n: number): number[] => {
  const out: number[] = []
  let v = n >>> 0
  do {
    const byte = v & 0x7f
    v >>>= 7
    out.push(v === 0 ? byte : byte | 0x80)
  } while (v !== 0)
  return out
}

/** Signed LEB128 of a 64-bit integer. */
export const sleb = (n: bigint): number[] => {
  const out: number[] = []
  let v = BigInt.asIntN(64, n)
  for (;;) {
    const byte = Number(v & 0x7fn)
    v >>= 7n
    const done = (v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0)
    out.push(done ? byte : byte | 0x80)
    if (done) return out
  }
}

const scratch = new DataView(new ArrayBuffer(16))

/** The eight little-endian bytes of a float64. */
export const f64Bytes = (x: number): number[] => {
  scratch.setFloat64(0, x, true)
  return Array.from({ length: 8 }, (_, k) => scratch.getUint8(k))
}

/** The eight little-endian bytes of a 64-bit integer. */
export const i64Bytes = (n: bigint): number[] => {
  scratch.setBigInt64(0, BigInt.asIntN(64, n), true)
  return Array.from({ length: 8 }, (_, k) => scratch.getUint8(k))
}

/** Opcodes of the scalar instructions used. */
export const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  f64Load: 0x2b,
  f64Store: 0x39,
  i32Const: 0x41,
  i32LtS: 0x48,
  i32GtS: 0x4a,
  i32GeS: 0x4e,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  i32Shl: 0x74,
  f64Add: 0xa0,
} as const

/** Opcodes of the SIMD instructions used (after the 0xfd prefix). */
export const simd = {
  v128Load: 0x00,
  v128Load64Splat: 0x0a,
  v128Store: 0x0b,
  v128Const: 0x0c,
  f64x2Splat: 0x14,
  f64x2ExtractLane: 0x21,
  f64x2Eq: 0x47,
  f64x2Ne: 0x48,
  f64x2Lt: 0x49,
  f64x2Gt: 0x4a,
  f64x2Le: 0x4b,
  f64x2Ge: 0x4c,
  v128Not: 0x4d,
  v128And: 0x4e,
  v128Or: 0x50,
  v128Bitselect: 0x52,
  v128AnyTrue: 0x53,
  v128Load64Lane: 0x57,
  v128Load64Zero: 0x5d,
  i64x2Shl: 0xcb,
  i64x2ShrU: 0xcd,
  i64x2Add: 0xce,
  i64x2Sub: 0xd1,
  i64x2Eq: 0xd6,
  i64x2LtS: 0xd8,
  i64x2GtS: 0xd9,
  f64x2Abs: 0xec,
  f64x2Neg: 0xed,
  f64x2Sqrt: 0xef,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
  f64x2Div: 0xf3,
  f64x2Min: 0xf4,
  f64x2Max: 0xf5,
  i32x4TruncSatF64x2SZero: 0xfc,
  f64x2ConvertLowI32x4S: 0xfe,
} as const

/** A memory argument: alignment (log2 of bytes) and a constant offset. */
export const memarg = (align: number, offset = 0): number[] => [...uleb(align), ...uleb(offset)]

/**
 * One function being written: its parameters, the locals it declares and its code, in
 * two parts, a prologue (constants, loop invariants) and the body that follows it.
 */
export class FunctionCode {
  readonly locals: ValType[] = []
  readonly prologue: number[] = []
  readonly body: number[] = []
  constructor(
    readonly params: ReadonlyArray<ValType>,
    readonly results: ReadonlyArray<ValType> = [],
  ) {}

  /** A new local of type `t`; its index. */
  local(t: ValType): number {
    this.locals.push(t)
    return this.params.length + this.locals.length - 1
  }

  /** Appends instructions (bytes) to the body. */
  emit(...bytes: ReadonlyArray<number>): void {
    for (const b of bytes) this.body.push(b)
  }

  /** Pushes local `l`. */
  get(l: number): void {
    this.emit(op.localGet, ...uleb(l))
  }

  /** Pops into local `l`. */
  set(l: number): void {
    this.emit(op.localSet, ...uleb(l))
  }

  /** Pushes the 32-bit integer `n`. */
  i32(n: number): void {
    this.emit(op.i32Const, ...sleb(BigInt(n | 0)))
  }

  /** Appends a SIMD instruction with its immediates to the body. */
  simd(opcode: number, ...immediates: ReadonlyArray<number>): void {
    this.emit(0xfd, ...uleb(opcode), ...immediates)
  }

  /** The function's code entry: locals grouped by type, then the instructions and `end`. */
  encode(): number[] {
    const groups: Array<[number, ValType]> = []
    for (const t of this.locals) {
      const last = groups[groups.length - 1]
      if (last !== undefined && last[1] === t) last[0]++
      else groups.push([1, t])
    }
    const code = [
      ...uleb(groups.length),
      ...groups.flatMap(([count, t]) => [...uleb(count), valTypeCode[t]]),
      ...this.prologue,
      ...this.body,
      op.end,
    ]
    return [...uleb(code.length), ...code]
  }
}

const section = (id: number, content: ReadonlyArray<number>): number[] => [
  id,
  ...uleb(content.length),
  ...content,
]

const vector = (items: ReadonlyArray<ReadonlyArray<number>>): number[] => [
  ...uleb(items.length),
  ...items.flat(),
]

const name = (s: string): number[] => vector([...s].map((c) => [c.charCodeAt(0)]))

/**
 * A module importing `env.memory` (at least one page) with the given functions; those
 * named in `exports` are exported under their names. Function k is called as index k.
 * With `sharedPages`, the memory imported is shared, of at most that many pages (for a
 * memory that worker threads use at once).
 */
export const moduleBytes = (
  functions: ReadonlyArray<FunctionCode>,
  exports: ReadonlyArray<readonly [string, number]>,
  sharedPages?: number,
): Uint8Array => {
  const limits = sharedPages === undefined ? [0x00, 0x01] : [0x03, 0x01, ...uleb(sharedPages)]
  const types = functions.map((f) => [
    0x60,
    ...vector(f.params.map((t) => [valTypeCode[t]])),
    ...vector(f.results.map((t) => [valTypeCode[t]])),
  ])
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, ...limits]])),
    ...section(3, vector(functions.map((_, k) => uleb(k)))),
    ...section(7, vector(exports.map(([n, k]) => [...name(n), 0x00, ...uleb(k)]))),
    ...section(10, vector(functions.map((f) => f.encode()))),
  ]
  return Uint8Array.from(bytes)
}

/** A WebAssembly memory, as far as the kernels use one. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer
  grow(pages: number): number
}

/** The parts of the WebAssembly JavaScript interface the kernels use. */
interface WasmApi {
  readonly Memory: new (descriptor: { initial: number }) => WasmMemory
  readonly Module: new (bytes: Uint8Array) => object
  readonly Instance: new (
    module: object,
    imports: object,
  ) => { readonly exports: Record<string, unknown> }
  readonly compile: (bytes: Uint8Array) => Promise<object>
}

const api = (globalThis as { readonly WebAssembly?: WasmApi }).WebAssembly

/** A fresh memory of `pages` pages of 64 KiB; undefined without WebAssembly. */
export const newMemory = (pages: number): WasmMemory | undefined =>
  api === undefined ? undefined : new api.Memory({ initial: pages })

/**
 * Compiles a module now. Throws where compilation is refused (a Content-Security-Policy
 * without 'wasm-unsafe-eval', a browser's main thread for a large module) or WebAssembly
 * is missing.
 */
export const compile = (bytes: Uint8Array): object => {
  if (api === undefined) throw new Error('WebAssembly is not available')
  return new api.Module(bytes)
}

/**
 * Compiles a module in the background (a browser's main thread compiles only small
 * modules at once); undefined where compilation is refused.
 */
export const compileLater = (bytes: Uint8Array): Promise<object | undefined> =>
  api === undefined
    ? Promise.resolve(undefined)
    : api.compile(bytes).then(
        (m) => m,
        () => undefined,
      )

/** An instance of a compiled module whose memory is `memory`: its exports. */
export const instantiate = (module: object, memory: WasmMemory): Record<string, unknown> => {
  if (api === undefined) throw new Error('WebAssembly is not available')
  return new api.Instance(module, { env: { memory } }).exports
}
