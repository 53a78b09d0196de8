import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  binaryOps,
  broadcastShapes,
  broadcastTo,
  tangentOps,
  Tensor,
  tensor,
  unaryOps,
  unbroadcast,
  zipWith,
} from '../src/index.js'

const dim = fc.integer({ min: 1, max: 3 })
const shape = fc.array(dim, { maxLength: 3 })
/** A shape and a second shape that broadcasts with it (dims dropped or set to 1). */
const compatible = shape.chain((s) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: s.length }),
      fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }),
    )
    .map(([drop, ones]) => [s, s.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d))] as const),
)

const tensorOf = (s: ReadonlyArray<number>) =>
  fc
    .array(fc.double({ min: -10, max: 10, noNaN: true }), {
      minLength: s.reduce((a, b) => a * b, 1),
      maxLength: s.reduce((a, b) => a * b, 1),
    })
    .map((xs) => Tensor.fromArray(xs, s))

/** numpy's rule, element by element, by brute force over multi-indices. */
const naiveZip = (a: Tensor, b: Tensor, f: (x: number, y: number) => number): unknown => {
  const out = broadcastShapes('test', Tensor.shape(a), Tensor.shape(b))
  const at = (t: Tensor, idx: ReadonlyArray<number>) => {
    const s = Tensor.shape(t)
    const own = idx.slice(idx.length - s.length).map((k, d) => (s[d] === 1 ? 0 : k))
    return Tensor.get(t, ...own)
  }
  const n = out.reduce((p, q) => p * q, 1)
  const flat = Array.from({ length: n }, (_, k) => {
    const idx: number[] = []
    let r = k
    for (let d = out.length - 1; d >= 0; d--) {
      idx.unshift(r % out[d]!)
      r = Math.floor(r / out[d]!)
    }
    return f(at(a, idx), at(b, idx))
  })
  return Tensor.toArray(Tensor.fromArray(flat, out))
}

describe('broadcasting', () => {
  fcTest.prop([compatible.chain(([s, r]) => fc.tuple(tensorOf(s), tensorOf(r)))])(
    'zipWith agrees with numpy’s rule element by element, in either operand order',
    ([a, b]) => {
      const f = (x: number, y: number) => x - 2 * y
      expect(Tensor.toArray(zipWith('f', a, b, f))).toEqual(naiveZip(a, b, f))
      expect(Tensor.toArray(zipWith('f', b, a, f))).toEqual(naiveZip(b, a, f))
    },
  )

  fcTest.prop([compatible.chain(([s, r]) => fc.tuple(tensorOf(s), tensorOf(r)))])(
    'unbroadcast is the adjoint of broadcasting: ⟨unbroadcast(g), v⟩ = ⟨g, broadcast(v)⟩',
    ([g, v]) => {
      const left = Tensor.toFlat(unbroadcast(g, Tensor.shape(v)))
      const right = Tensor.toFlat(broadcastTo(v, Tensor.shape(g)))
      const dot = (x: Float64Array, y: Float64Array) => x.reduce((s, xi, i) => s + xi * y[i]!, 0)
      expect(dot(left, Tensor.toFlat(v))).toBeClose(dot(Tensor.toFlat(g), right), {
        rel: 1e-12,
        abs: 1e-9,
      })
    },
  )

  test('incompatible shapes are refused with the op and both shapes', () => {
    expect(() => broadcastShapes('mul', [2, 3], [4])).toThrow(
      'mul: cannot broadcast [2,3] with [4]',
    )
  })
})

describe('uniform tensors', () => {
  const ops = [
    ...Object.values(unaryOps).map((op) => ['unary', op] as const),
    ...Object.values(binaryOps).map((op) => ['binary', op] as const),
    ['unary', tangentOps.tangentNeg] as const,
    ['binary', tangentOps.strongMul] as const,
    ['binary', tangentOps.tangentAdd] as const,
  ]
  const value = fc.constantFrom(0, -0, 1, -2.5, Infinity, NaN, 1e-300)

  fcTest.prop([compatible, value, fc.array(value, { minLength: 27, maxLength: 27 })])(
    'a broadcast scalar (stored as one value) gives bit for bit what the spread buffer gives, in every op',
    ([s1, s2], c, ys) => {
      const uniform = broadcastTo(Tensor.scalar(c), s1)
      const spread = Tensor.fill(s1, c)
      const other = Tensor.fromArray(ys.slice(0, Tensor.size(Tensor.fill(s2, 0))), s2)
      const same = (a: Tensor, b: Tensor) => {
        expect(Tensor.shape(a)).toEqual(Tensor.shape(b))
        const x = Tensor.toFlat(a)
        const y = Tensor.toFlat(b)
        expect(Array.from(x, (v, i) => Object.is(v, y[i]))).not.toContain(false)
      }
      for (const [kind, op] of ops) {
        if (kind === 'unary') same(tensor.unary(op, uniform), tensor.unary(op, spread))
        else {
          same(tensor.binary(op, uniform, other), tensor.binary(op, spread, other))
          same(tensor.binary(op, other, uniform), tensor.binary(op, other, spread))
        }
      }
      for (const f of [tensor.sum, tensor.mean, tensor.transpose]) {
        if (Tensor.shape(uniform).length <= 2) same(f(uniform), f(spread))
      }
      same(unbroadcast(uniform, s2), unbroadcast(spread, s2))
    },
  )
})
