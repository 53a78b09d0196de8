/**
 * Float64 lanes of WebAssembly SIMD registers as values: each operation writes its
 * instructions into a function's body and gives back the value holding its result, so
 * kernels read like arithmetic. Masks are lanes of all ones or all zeros, as the
 * comparisons give them; `select` takes one lane or the other by such a mask. Integer
 * operations read the same 128 bits as two signed 64-bit lanes.
 *
 * @since 0.4.0
 */
import {
  f64Bytes,
  i64Bytes,
  memarg,
  op,
  simd,
  uleb,
  type FunctionCode,
} from '../../util/wasmModule.js'

/** A value: one v128 local per register. */
export type V = number

/**
 * Writes lane operations into `code`. A value spans `registers` v128 locals (2 lanes
 * each), and each operation is written once per register, the registers' instructions
 * side by side: independent chains the processor overlaps, where one chain would wait
 * on the latency of each step.
 */
export class Lanes {
  private readonly constants = new Map<string, V>()
  private readonly values: number[][] = []
  constructor(
    readonly code: FunctionCode,
    readonly registers = 1,
  ) {}

  /** The locals of a value, one per register. */
  locals(v: V): ReadonlyArray<number> {
    return this.values[v]!
  }

  /** A value from one local per register. */
  of(locals: ReadonlyArray<number>): V {
    this.values.push([...locals])
    return this.values.length - 1
  }

  /** Runs `emit(r)` for each register, which leaves a v128 on the stack; the value of those. */
  each(emit: (r: number) => void): V {
    return this.of(
      Array.from({ length: this.registers }, (_, r) => {
        emit(r)
        const l = this.code.local('v128')
        this.code.set(l)
        return l
      }),
    )
  }

  private apply(opcode: number, args: ReadonlyArray<V>, immediates: number[] = []): V {
    return this.each((r) => {
      for (const a of args) this.code.get(this.values[a]![r]!)
      this.code.simd(opcode, ...immediates)
    })
  }

  /** Sets the existing value `target` to `v` (an accumulator carried across iterations). */
  assign(target: V, v: V): void {
    for (let r = 0; r < this.registers; r++) {
      this.code.get(this.values[v]![r]!)
      this.code.set(this.values[target]![r]!)
    }
  }

  private constant(key: string, bytes: ReadonlyArray<number>): V {
    const known = this.constants.get(key)
    if (known !== undefined) return known
    const l = this.code.local('v128')
    // Set once in the prologue, before any loop; every register reads the same local.
    this.code.prologue.push(0xfd, simd.v128Const, ...bytes, ...bytes, op.localSet, ...uleb(l))
    const v = this.of(new Array<number>(this.registers).fill(l))
    this.constants.set(key, v)
    return v
  }

  /** Every lane the float `x`. */
  f(x: number): V {
    return this.constant(`f${Object.is(x, -0) ? '-0' : x}`, f64Bytes(x))
  }

  /** Every lane the 64-bit integer `n`. */
  i(n: bigint | number): V {
    return this.constant(`i${n}`, i64Bytes(BigInt(n)))
  }

  /** Consecutive float64 from the address `address` pushes, plus `offset` bytes (16 more per register). */
  load(address: () => void, offset = 0): V {
    return this.each((r) => {
      address()
      this.code.simd(simd.v128Load, ...memarg(3, offset + 16 * r))
    })
  }

  /** Every lane the float64 at the address `address` pushes, plus `offset` bytes. */
  loadSplat(address: () => void, offset = 0): V {
    address()
    this.code.simd(simd.v128Load64Splat, ...memarg(3, offset))
    const l = this.code.local('v128')
    this.code.set(l)
    return this.of(new Array<number>(this.registers).fill(l))
  }

  /** Stores a value at the address `address` pushes, plus `offset` bytes (16 more per register). */
  store(address: () => void, v: V, offset = 0): void {
    for (let r = 0; r < this.registers; r++) {
      address()
      this.code.get(this.values[v]![r]!)
      this.code.simd(simd.v128Store, ...memarg(3, offset + 16 * r))
    }
  }

  add = (a: V, b: V): V => this.apply(simd.f64x2Add, [a, b])
  sub = (a: V, b: V): V => this.apply(simd.f64x2Sub, [a, b])
  mul = (a: V, b: V): V => this.apply(simd.f64x2Mul, [a, b])
  div = (a: V, b: V): V => this.apply(simd.f64x2Div, [a, b])
  min = (a: V, b: V): V => this.apply(simd.f64x2Min, [a, b])
  max = (a: V, b: V): V => this.apply(simd.f64x2Max, [a, b])
  neg = (a: V): V => this.apply(simd.f64x2Neg, [a])
  abs = (a: V): V => this.apply(simd.f64x2Abs, [a])
  sqrt = (a: V): V => this.apply(simd.f64x2Sqrt, [a])

  eq = (a: V, b: V): V => this.apply(simd.f64x2Eq, [a, b])
  ne = (a: V, b: V): V => this.apply(simd.f64x2Ne, [a, b])
  lt = (a: V, b: V): V => this.apply(simd.f64x2Lt, [a, b])
  gt = (a: V, b: V): V => this.apply(simd.f64x2Gt, [a, b])
  ge = (a: V, b: V): V => this.apply(simd.f64x2Ge, [a, b])
  le = (a: V, b: V): V => this.apply(simd.f64x2Le, [a, b])

  and = (a: V, b: V): V => this.apply(simd.v128And, [a, b])
  or = (a: V, b: V): V => this.apply(simd.v128Or, [a, b])
  not = (a: V): V => this.apply(simd.v128Not, [a])
  /** `a` where the mask is set, `b` elsewhere. */
  select = (mask: V, a: V, b: V): V => this.apply(simd.v128Bitselect, [a, b, mask])

  iadd = (a: V, b: V): V => this.apply(simd.i64x2Add, [a, b])
  isub = (a: V, b: V): V => this.apply(simd.i64x2Sub, [a, b])
  ieq = (a: V, b: V): V => this.apply(simd.i64x2Eq, [a, b])
  ilt = (a: V, b: V): V => this.apply(simd.i64x2LtS, [a, b])
  igt = (a: V, b: V): V => this.apply(simd.i64x2GtS, [a, b])

  private shift(opcode: number, a: V, bits: number): V {
    return this.each((r) => {
      this.code.get(this.values[a]![r]!)
      this.code.i32(bits)
      this.code.simd(opcode)
    })
  }
  shl = (a: V, bits: number): V => this.shift(simd.i64x2Shl, a, bits)
  /** Logical shift right (zeros shifted in). */
  shr = (a: V, bits: number): V => this.shift(simd.i64x2ShrU, a, bits)

  /** Each lane truncated towards zero to an integer, as a float (in int32 range). */
  trunc = (a: V): V =>
    this.each((r) => {
      this.code.get(this.values[a]![r]!)
      this.code.simd(simd.i32x4TruncSatF64x2SZero)
      this.code.simd(simd.f64x2ConvertLowI32x4S)
    })

  /** An integer lane (|k| < 2^51) as a float, exactly: the bits of 1.5·2^52 + k, less 1.5·2^52. */
  toFloat = (k: V): V =>
    this.sub(this.iadd(k, this.i(0x4338000000000000n)), this.f(6755399441055744))

  /** An integral float lane (|x| < 2^51) as an integer: the inverse of `toFloat`. */
  toInt = (x: V): V => this.isub(this.add(x, this.f(6755399441055744)), this.i(0x4338000000000000n))
}
