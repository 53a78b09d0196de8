import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { Tensor, tensor } from '../../src/index.js'
import {
  binaryOps,
  broadcastShapes,
  broadcastTo,
  tangentOps,
  unaryOps,
  unbroadcast,
  zipWith,
} from '../../src/internal.js'

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

  // Last axes of 8 or more run the op's kernel a row at a time (both operands broadcast,
  // as an outer product under vmap): the same numbers as the element walk.
  const wide = fc.tuple(dim, dim, fc.integer({ min: 8, max: 12 }), fc.boolean(), fc.boolean()).map(
    ([p, q, w, aRow, bCol]) =>
      [
        [p, aRow ? 1 : q, w],
        [p, q, bCol ? 1 : w],
      ] as const,
  )
  fcTest.prop([wide.chain(([s, r]) => fc.tuple(tensorOf(s), tensorOf(r)))])(
    'a kernel run by rows agrees with numpy’s rule element by element (strongMul, sub)',
    ([a, b]) => {
      for (const op of [tangentOps.strongMul, binaryOps.sub]) {
        const got = Tensor.toArray(tensor.binary(op, a, b))
        expect(got).toEqual(naiveZip(a, b, op.primal))
        expect(Tensor.toArray(tensor.binary(op, b, a))).toEqual(naiveZip(b, a, op.primal))
      }
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

describe('the row-by-row paths', () => {
  const rows = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }))
  const value = fc.oneof(fc.double({ noNaN: false }), fc.constantFrom(0, -0, 1, -1))

  fcTest.prop([
    rows.chain(([m, n]) =>
      fc.tuple(
        fc.constant([m, n]),
        fc.array(value, { minLength: m * n, maxLength: m * n }),
        fc.array(value, { minLength: m, maxLength: m }),
        fc.array(value, { minLength: n, maxLength: n }),
      ),
    ),
  ])(
    'a kernel run per row gives bit for bit what the element walk gives, for [m,n] against [m,1] and [n]',
    ([[m, n], xs, col, row]) => {
      const a = Tensor.fromArray(xs, [m, n])
      for (const b of [Tensor.fromArray(col, [m, 1]), Tensor.fromArray(row, [n])]) {
        for (const op of [
          binaryOps.mul,
          binaryOps.sub,
          tangentOps.strongMul,
          tangentOps.tangentAdd,
        ]) {
          // Without a kernel, zipWith walks element by element with the primal.
          const fast = Tensor.toFlat(tensor.binary(op, a, b))
          const plain = Tensor.toFlat(zipWith(op.name, a, b, op.primal))
          expect(Array.from(fast, (v, i) => Object.is(v, plain[i]))).not.toContain(false)
        }
      }
    },
  )

  fcTest.prop([
    rows.chain(([m, n]) =>
      fc.tuple(fc.constant([m, n]), fc.array(value, { minLength: m * n, maxLength: m * n })),
    ),
  ])(
    'a sum over the last axis adds each row in order from 0, and a cancelled row is −0',
    ([[m, n], xs]) => {
      const a = Tensor.fromArray(xs, [m, n])
      const got = Tensor.toFlat(unbroadcast(a, [m, 1]))
      const want = Array.from({ length: m }, (_, r) => {
        let s = 0
        for (let j = 0; j < n; j++) s += xs[r * n + j]!
        const strong = xs.slice(r * n, r * n + n).every((v) => Object.is(v, 0))
        return s === 0 && !strong ? -0 : s
      })
      expect(Array.from(got, (v, i) => Object.is(v, want[i]))).not.toContain(false)
      const tiled = Tensor.toFlat(broadcastTo(Tensor.fromArray(xs.slice(0, n)), [m, n]))
      expect(Array.from(tiled)).toEqual(Array.from({ length: m * n }, (_, i) => xs[i % n]!))
      const max = Tensor.toFlat(tensor.extremum(a, 'max', { axis: -1 }))
      expect(Array.from(max)).toEqual(
        Array.from({ length: m }, (_, r) =>
          xs.slice(r * n, r * n + n).reduce((p, q) => Math.max(p, q), -Infinity),
        ),
      )
    },
  )
})

describe('reductions over leading and middle axes', () => {
  // Shapes of rank 1 to 4 and the axes to reduce; lengths of 1 among them on purpose, and
  // a last axis on both sides of the 8 columns a column sum keeps at a time.
  const reduction = fc
    .tuple(
      fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 3 }),
      fc.constantFrom(1, 2, 3, 4, 7, 8, 9, 16, 17),
    )
    .map(([lead, last]) => [...lead, last])
    .chain((s) =>
      fc.tuple(
        fc.constant(s),
        fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }),
        fc.integer({ min: 0, max: s.length }),
      ),
    )
  // Large terms that cancel make a sum's order show: 1 + 1e16 − 1e16 is 0, 1e16 − 1e16 + 1 is 1.
  const values = (n: number) =>
    fc.array(
      fc.oneof(
        { arbitrary: fc.constantFrom(1e16, -1e16, 1, 0.1, 0, -0), weight: 4 },
        { arbitrary: fc.constantFrom(Infinity, -Infinity, NaN), weight: 1 },
        { arbitrary: fc.double(), weight: 1 },
      ),
      { minLength: n, maxLength: n },
    )
  /** The element walk's fold, written plainly: every element, in row-major order, into its group. */
  const walkFold = (
    xs: ReadonlyArray<number>,
    from: ReadonlyArray<number>,
    to: ReadonlyArray<number>,
    init: number,
    f: (acc: number, x: number) => number,
  ): number[] => {
    const padded = [...new Array<number>(from.length - to.length).fill(1), ...to]
    const out = new Array<number>(padded.reduce((a, b) => a * b, 1)).fill(init)
    xs.forEach((x, k) => {
      let rest = k
      let io = 0
      let stride = 1
      for (let a = from.length - 1; a >= 0; a--) {
        const i = rest % from[a]!
        rest = Math.floor(rest / from[a]!)
        if (padded[a] !== 1) io += i * stride
        stride *= padded[a]!
      }
      out[io] = f(out[io]!, x)
    })
    return out
  }

  test('unbroadcast over a leading axis tags each column by its own terms: a column of +0 stays +0, a cancelled one is −0', () => {
    // Columns, not neighbours in memory: column 0 holds only strong zeros, column 1 cancels.
    const x = Tensor.fromArray([
      [0, 1],
      [0, -1],
      [0, 0],
    ])
    const got = Array.from(Tensor.toFlat(unbroadcast(x, [2])))
    expect([Object.is(got[0], 0), Object.is(got[1], -0)]).toEqual([true, true])
    const kept = Array.from(Tensor.toFlat(unbroadcast(x, [1, 2])))
    expect([Object.is(kept[0], 0), Object.is(kept[1], -0)]).toEqual([true, true])
  })

  fcTest.prop([
    reduction.chain(([s, r, drop]) =>
      fc.tuple(fc.constant([s, r, drop] as const), values(s.reduce((a, b) => a * b, 1))),
    ),
  ])(
    'sum, max and min over any axes, and unbroadcast, give the element walk’s fold bit for bit',
    ([[s, reduce, drop], xs]) => {
      const kept = s.map((d, a) => (reduce[a] ? 1 : d))
      const a = Tensor.fromArray(xs, s)
      const axis = s.flatMap((_, i) => (reduce[i] ? [i] : []))
      const same = (got: Float64Array, want: ReadonlyArray<number>) =>
        expect(Array.from(got, (v, i) => Object.is(v, want[i]))).not.toContain(false)
      if (axis.length > 0) {
        same(
          Tensor.toFlat(tensor.sum(a, { axis })),
          walkFold(xs, s, kept, 0, (p, q) => p + q),
        )
        same(
          Tensor.toFlat(tensor.extremum(a, 'max', { axis })),
          walkFold(xs, s, kept, -Infinity, Math.max),
        )
        same(
          Tensor.toFlat(tensor.extremum(a, 'min', { axis })),
          walkFold(xs, s, kept, Infinity, Math.min),
        )
        // max and min (with their derivative term) keep the value bit for bit: −0 too.
        same(Tensor.toFlat(tensor.max(a, { axis })), walkFold(xs, s, kept, -Infinity, Math.max))
        same(Tensor.toFlat(tensor.min(a, { axis })), walkFold(xs, s, kept, Infinity, Math.min))
      }
      // unbroadcast also drops leading axes, and tags a zero made by cancellation as −0.
      const to = kept.slice(Math.min(drop, kept.length - 1))
      const sums = walkFold(xs, s, to, 0, (p, q) => p + q)
      const strong = walkFold(xs, s, to, 1, (p, q) => (p === 1 && Object.is(q, 0) ? 1 : 0))
      same(
        Tensor.toFlat(unbroadcast(a, to)),
        sums.map((v, i) => (v === 0 && strong[i] !== 1 ? -0 : v)),
      )
    },
  )
})
