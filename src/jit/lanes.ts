/**
 * Two float64 lanes of a WebAssembly SIMD register as values: each operation writes the
 * instruction into a function's body and gives back the local holding its result, so
 * kernels read like arithmetic. Masks are lanes of all ones or all zeros, as the
 * comparisons give them; `select` takes one lane or the other by such a mask. Integer
 * operations read the same 128 bits as two signed 64-bit lanes.
 *
 * @since 0.4.0
 */
import { f64Bytes, i64Bytes, memarg, op, simd, uleb, type FunctionCode } from './wasmModule.js'

/** A v128 local. */
export type V = number

/** Writes two-lane operations into `code`. */
export class Lanes {
  private readonly constants = new Map<string, V>()
  constructor(readonly code: FunctionCode) {}

  private apply(opcode: number, args: ReadonlyArray<V>, immediates: number[] = []): V {
    for (const a of args) this.code.get(a)
    this.code.simd(opcode, ...immediates)
    return this.set()
  }

  /** Stores the value on the stack in a new local. */
  set(): V {
    const r = this.code.local('v128')
    this.code.set(r)
    return r
  }

  private constant(key: string, bytes: ReadonlyArray<number>): V {
    const known = this.constants.get(key)
    if (known !== undefined) return known
    const r = this.code.local('v128')
    // Set once in the prologue, before any loop.
    this.code.prologue.push(0xfd, simd.v128Const, ...bytes, ...bytes, op.localSet, ...uleb(r))
    this.constants.set(key, r)
    return r
  }

  /** Both lanes the float `x`. */
  f(x: number): V {
    return this.constant(`f${Object.is(x, -0) ? '-0' : x}`, f64Bytes(x))
  }

  /** Both lanes the 64-bit integer `n`. */
  i(n: bigint | number): V {
    return this.constant(`i${n}`, i64Bytes(BigInt(n)))
  }

  /** Lanes loaded from two consecutive float64 at the address on top of the stack. */
  load(offset = 0): V {
    this.code.simd(simd.v128Load, ...memarg(3, offset))
    return this.set()
  }

  /** Both lanes the float64 at the address on top of the stack. */
  loadSplat(offset = 0): V {
    this.code.simd(simd.v128Load64Splat, ...memarg(3, offset))
    return this.set()
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
  ile = (a: V, b: V): V => this.apply(simd.i64x2LeS, [a, b])
  ige = (a: V, b: V): V => this.apply(simd.i64x2GeS, [a, b])

  private shift(opcode: number, a: V, bits: number): V {
    this.code.get(a)
    this.code.i32(bits)
    this.code.simd(opcode)
    return this.set()
  }
  shl = (a: V, bits: number): V => this.shift(simd.i64x2Shl, a, bits)
  /** Arithmetic shift right (the sign copied in). */
  shr = (a: V, bits: number): V => this.shift(simd.i64x2ShrS, a, bits)

  /** Each lane truncated towards zero to an integer, as a float (in int32 range). */
  trunc = (a: V): V => {
    this.code.get(a)
    this.code.simd(simd.i32x4TruncSatF64x2SZero)
    this.code.simd(simd.f64x2ConvertLowI32x4S)
    return this.set()
  }

  /** An integer lane (|k| < 2^51) as a float, exactly: the bits of 1.5·2^52 + k, less 1.5·2^52. */
  toFloat = (k: V): V =>
    this.sub(this.iadd(k, this.i(0x4338000000000000n)), this.f(6755399441055744))

  /** An integral float lane (|x| < 2^51) as an integer: the inverse of `toFloat`. */
  toInt = (x: V): V => this.isub(this.add(x, this.f(6755399441055744)), this.i(0x4338000000000000n))

  /** The high 32 bits of each lane's float, as a signed integer (fdlibm's high word). */
  highWord = (x: V): V => this.shr(x, 32)

  /** A mask of the lanes holding +0, a strong zero (all bits clear). */
  isPositiveZero = (x: V): V => this.ieq(x, this.i(0))
}
