import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { Lanes, type V } from '../../../src/jit/simd/lanes.js'
import { exp, log, log1p } from '../../../src/jit/simd/simdMath.js'
import {
  compile,
  FunctionCode,
  instantiate,
  moduleBytes,
  newMemory,
  op,
} from '../../../src/util/wasmModule.js'

const numRuns = Number(process.env['AD_TS_JIT_RUNS'] ?? 150) * 4

/** A module mapping `fn` over n (even) float64 at address 0, in place. */
const mapper = (fn: (L: Lanes, x: V) => V) => {
  const code = new FunctionCode(['i32'])
  const L = new Lanes(code)
  const at = code.local('i32')
  // for (at = 0; at < n·8; at += 16) mem[at] = fn(mem[at])
  code.emit(op.block, 0x40, op.loop, 0x40)
  code.get(at)
  code.get(0)
  code.i32(3)
  code.emit(op.i32Shl, op.i32GeS, op.brIf, 1)
  const x = L.load(() => code.get(at))
  L.store(() => code.get(at), fn(L, x))
  code.get(at)
  code.i32(16)
  code.emit(op.i32Add)
  code.set(at)
  code.emit(op.br, 0, op.end, op.end)
  const memory = newMemory(1)!
  const run = instantiate(compile(moduleBytes([code], [['run', 0]])), memory)['run'] as (
    n: number,
  ) => void
  return (xs: ReadonlyArray<number>): number[] => {
    const n = xs.length + (xs.length % 2)
    const short = n * 8 - memory.buffer.byteLength
    if (short > 0) memory.grow(Math.ceil(short / 65536))
    const view = new Float64Array(memory.buffer, 0, n)
    view.set(xs)
    run(n)
    return Array.from(view.subarray(0, xs.length))
  }
}

const words = new DataView(new ArrayBuffer(8))

/** Doubles whose high word is one the algorithms branch on, with any low word. */
const edge = fc
  .tuple(
    fc.constantFrom(
      0x3fd62e42,
      0x3ff0a2b2,
      0x3e300000,
      0x40862e42,
      0x3fda827a,
      0x3e200000,
      0x3c900000,
      0x43400000,
      0xbfd2bec4,
      0xbfd2bec3,
      0x3ff6a09e,
      0x3ff6a09d,
      0x3fe6a09e,
      0x000fffff,
      0x3ff00000,
    ),
    fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    fc.boolean(),
  )
  .map(([high, low, negative]) => {
    words.setUint32(0, negative ? high | 0x80000000 : high)
    words.setUint32(4, low)
    return words.getFloat64(0)
  })

/** Doubles of every kind: any bit pattern, the usual ranges, the edges of each branch. */
const anyDouble = fc.oneof(
  edge,
  fc.double(),
  fc.double({ min: -800, max: 800 }),
  fc.double({ min: -2, max: 2 }),
  fc.double({ min: -1e-6, max: 1e-6 }),
  fc.constantFrom(
    0,
    -0,
    1,
    -1,
    Infinity,
    -Infinity,
    NaN,
    Number.MIN_VALUE,
    2 ** -1022,
    Number.MAX_VALUE,
  ),
  fc.constantFrom(
    709.782712893384,
    709.7827128933841,
    -745.1332191019411,
    -745.1332191019412,
    -708.4,
  ),
  fc.constantFrom(
    -0.2928932188134524,
    0.41421356237309503,
    2 ** 53,
    2 ** -29,
    2 ** -54,
    1 + 2 ** -52,
  ),
)

describe.each([
  ['exp', exp, Math.exp],
  ['log', log, Math.log],
  ['log1p', log1p, Math.log1p],
] as const)('%s on two lanes', (name, lanes, scalar) => {
  const run = mapper(lanes)
  fcTest.prop([fc.array(anyDouble, { minLength: 1, maxLength: 64 })], { numRuns })(
    `is bit for bit Math.${name}`,
    (xs) => {
      const got = run(xs)
      xs.forEach((x, i) => expect(got[i], `${name}(${x})`).toBe(scalar(x)))
    },
  )
  test('agrees on a million values drawn over its range', () => {
    const xs = Array.from({ length: 1_000_000 }, (_, i) => {
      const u = Math.sin(i * 12.9898) * 43758.5453
      const r = u - Math.floor(u)
      return name === 'exp'
        ? (r - 0.5) * 1500
        : name === 'log'
          ? Math.exp((r - 0.5) * 1400)
          : Math.expm1((r - 0.5) * 60)
    })
    const got = run(xs)
    const bad = xs.findIndex((x, i) => !Object.is(got[i], scalar(x)))
    expect(bad, `first difference at ${xs[bad]}`).toBe(-1)
  })
})

/** Into [+0, 1]: |x| or its reciprocal, or e^−|x| (every edge of the unit interval's branches). */
const intoUnit = (x: number, i: number): number => {
  const a = Math.abs(x)
  return i % 2 === 0 ? Math.exp(-a) : a <= 1 ? a : 1 / a
}

describe.each([
  [
    'exp of x ≤ 0 (nonPositive)',
    (L: Lanes, x: V) => exp(L, x, true),
    Math.exp,
    (x: number) => -Math.abs(x),
  ],
  ['log1p of x in [+0, 1] (unit)', (L: Lanes, x: V) => log1p(L, x, true), Math.log1p, intoUnit],
] as const)('%s on two lanes', (name, lanes, scalar, into) => {
  const run = mapper(lanes)
  fcTest.prop([fc.array(anyDouble, { minLength: 1, maxLength: 64 })], { numRuns })(
    'is bit for bit the scalar function on its domain',
    (raw) => {
      const xs = raw.map(into)
      const got = run(xs)
      xs.forEach((x, i) => expect(got[i], `${name}: ${x}`).toBe(scalar(x)))
    },
  )
  test('agrees on a million values drawn over its domain and at its ends', () => {
    const xs = [
      ...[0, -0, 1, NaN, Infinity].flatMap((x) => [into(x, 0), into(x, 1)]),
      ...Array.from({ length: 1_000_000 }, (_, i) => {
        const u = Math.sin(i * 12.9898) * 43758.5453
        return into((u - Math.floor(u) - 0.5) * 1500, i)
      }),
    ]
    const got = run(xs)
    const bad = xs.findIndex((x, i) => !Object.is(got[i], scalar(x)))
    expect(bad, `first difference at ${xs[bad]}`).toBe(-1)
  })
})
