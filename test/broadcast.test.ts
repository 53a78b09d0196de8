import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { broadcastShapes, broadcastTo, Tensor, unbroadcast, zipWith } from '../src/index.js'

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
