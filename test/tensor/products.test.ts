import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { textbookProduct } from '../helpers/textbookProduct.js'
import { grad, jit, Tensor, tensor, vmap, type Tensorial } from '../../src/index.js'
import { matrixOf } from '../helpers/tensors.js'
import { dot, matmul, matrixTranspose, tangentMatmul, transpose } from '../../src/internal.js'

const dim = fc.integer({ min: 1, max: 4 })

const naiveMatmul = (a: number[][], b: number[][]) =>
  a.map((row) => b[0]!.map((_, j) => row.reduce((s, aik, k) => s + aik * b[k]![j]!, 0)))

describe('products', () => {
  fcTest.prop([
    fc.tuple(dim, dim, dim).chain(([m, k, n]) => fc.tuple(matrixOf(m, k), matrixOf(k, n))),
  ])(
    'matmul agrees with the textbook triple loop, for matrices and matrix-vector products',
    ([a, b]) => {
      const A = Tensor.fromArray(a)
      const B = Tensor.fromArray(b)
      expect(Tensor.toArray(matmul(A, B))).toBeClose(naiveMatmul(a, b), { rel: 1e-12, abs: 1e-12 })
      const col = Tensor.fromArray(b.map((r) => r[0]!))
      expect(Tensor.toArray(matmul(A, col))).toBeClose(
        naiveMatmul(
          a,
          b.map((r) => [r[0]!]),
        ).map((r) => r[0]),
        { rel: 1e-12, abs: 1e-12 },
      )
    },
  )

  test('dot reduces to shape []', () => {
    const v = Tensor.fromArray([1, 2, 3, 4])
    expect(Tensor.toArray(dot(v, v))).toBe(30)
    expect(Tensor.shape(dot(v, v))).toEqual([])
  })

  test.each([
    [
      () =>
        matmul(
          Tensor.fromArray([
            [1, 2, 3],
            [4, 5, 6],
          ]),
          Tensor.fromArray([1, 2, 3, 4]),
        ),
      'matmul: cannot multiply [2,3] by [4]',
    ],
    [
      () => matmul(Tensor.fromArray([1, 2]), Tensor.fromArray([1, 2])),
      'matmul: cannot multiply [2] by [2]',
    ],
    [
      () => dot(Tensor.fromArray([1, 2]), Tensor.fromArray([1, 2, 3])),
      'dot: expected two vectors of one length, got [2] and [3]',
    ],
  ])('a shape mismatch names the op and both shapes (%#)', (f, message) => {
    expect(f).toThrow(message)
  })
})

describe('batched matmul', () => {
  const A = Tensor.fromArray([
    [
      [1, 2],
      [3, 4],
    ],
    [
      [5, 6],
      [7, 8],
    ],
  ])
  const B = Tensor.fromArray([
    [1, 0],
    [0, 2],
  ])

  test('multiplies each matrix of a batch, broadcasting the batch axes as numpy does', () => {
    expect(Tensor.toArray(matmul(A, B))).toEqual([
      [
        [1, 4],
        [3, 8],
      ],
      [
        [5, 12],
        [7, 16],
      ],
    ])
    expect(Tensor.shape(matmul(Tensor.fill([3, 1, 2, 4], 1), Tensor.fill([5, 4, 6], 1)))).toEqual([
      3, 5, 2, 6,
    ])
  })

  test('its adjoints sum over the broadcast batch axes', () => {
    const f =
      <T>(T: Tensorial<T>) =>
      (ps: ReadonlyArray<T>): T =>
        T.sum(T.matmul(ps[0]!, ps[1]!))
    const [gA, gB] = grad(f)(tensor)([A, B])
    expect(Tensor.toArray(gA!)).toEqual([
      [
        [1, 2],
        [1, 2],
      ],
      [
        [1, 2],
        [1, 2],
      ],
    ])
    expect(Tensor.toArray(gB!)).toEqual([
      [16, 16],
      [20, 20],
    ])
  })

  test('mismatched inner axes or a vector beside a batch are refused, naming both shapes', () => {
    expect(() => matmul(A, Tensor.fill([3, 2], 1))).toThrow(
      'matmul: cannot multiply [2,2,2] by [3,2]',
    )
    expect(() => matmul(A, Tensor.fill([2], 1))).toThrow('both operands must have rank ≥ 2')
  })
})

describe("a vector beside a batch, as numpy's matmul reads it", () => {
  const vectorOf = (k: number) =>
    fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: k, maxLength: k })
  const batchCase = fc
    .tuple(dim, dim, dim, dim)
    .chain(([b, m, k, side]) =>
      fc.tuple(
        fc.array(matrixOf(m, k), { minLength: b, maxLength: b }),
        vectorOf(k),
        vectorOf(m),
        fc.constant(side % 2 === 0),
      ),
    )
  fcTest.prop([batchCase])(
    '[b, m, k]·[k] and [m]·[b, m, k] are the products of each matrix, and their gradients, jitted and vmapped too, are the sums of each',
    ([mats, v, u, onRight]) => {
      // onRight: A·v with A [b, m, k]; otherwise u·A with u [m].
      const A = Tensor.fromArray(mats)
      const x = Tensor.fromArray(onRight ? v : u)
      const product = (a: number[][], y: number[]) =>
        onRight
          ? a.map((row) => row.reduce((s, aik, k) => s + aik * y[k]!, 0))
          : a[0]!.map((_, j) => a.reduce((s, row, i) => s + y[i]! * row[j]!, 0))
      const f =
        <T>(T: Tensorial<T>) =>
        ([a, y]: ReadonlyArray<T>): T => {
          const p = onRight ? T.matmul(a!, y!) : T.matmul(y!, a!)
          return T.sum(T.mul(p, p))
        }
      const want = mats.map((a) => product(a, onRight ? v : u))
      const p = onRight ? tensor.matmul(A, x) : tensor.matmul(x, A)
      expect(p.shape).toEqual([mats.length, want[0]!.length])
      expect(Tensor.toArray(p)).toBeClose(want, { rel: 1e-12, abs: 1e-12 })
      // d/dA Σ p² = 2p ⊗ y (per matrix, as rows or columns); d/dy = Σ over matrices of 2·Aᵀp or 2·A·p.
      const y = onRight ? v : u
      const gA = mats.map((a, b) =>
        a.map((row, i) =>
          row.map((_, j) => 2 * (onRight ? want[b]![i]! * y[j]! : y[i]! * want[b]![j]!)),
        ),
      )
      const gy = y.map((_, t) =>
        mats.reduce(
          (s, a, b) =>
            s +
            (onRight
              ? a.reduce((r, row, i) => r + 2 * want[b]![i]! * row[t]!, 0)
              : a[t]!.reduce((r, atj, j) => r + 2 * atj * want[b]![j]!, 0)),
          0,
        ),
      )
      const tol = { rel: 1e-10, abs: 1e-10 }
      for (const g of [grad(f)(tensor)([A, x]), jit(grad(f))(tensor)([A, x])]) {
        expect(Tensor.toArray(g[0]!)).toBeClose(gA, tol)
        expect(Tensor.toArray(g[1]!)).toBeClose(gy, tol)
      }
      // Under vmap over a stack of two copies of the vector, each example gives the same.
      const both = vmap(
        <T>(T: Tensorial<T>) =>
          (z: T): T =>
            onRight ? T.matmul(T.constant(A) as T, z) : T.matmul(z, T.constant(A) as T),
      )(tensor)(Tensor.fromArray([y, y]))
      expect(Tensor.toArray(both)).toBeClose([want, want], { rel: 1e-12, abs: 1e-12 })
    },
  )

  test('a vector of the wrong length beside a batch is refused, naming both shapes', () => {
    const A = Tensor.fill([2, 2, 2], 1)
    expect(() => tensor.matmul(A, Tensor.fill([3], 1))).toThrow(
      'matmul: cannot multiply [2,2,2] by [3]',
    )
    expect(() => tensor.matmul(Tensor.fill([3], 1), A)).toThrow(
      'matmul: cannot multiply [3] by [2,2,2]',
    )
  })
})

describe('matmul and tangentMatmul, every form, against the plain loop', () => {
  /** Σ_p x[i,p]·y[p,j] from +0 in p order (strong-zero rules for a tangent), per matrix. */
  const loop = (
    x: Float64Array,
    y: Float64Array,
    m: number,
    k: number,
    n: number,
    strong: boolean,
  ) => Array.from(textbookProduct(x, y, m, k, n, strong))
  /** numpy's batched product by the loop: batch index by batch index, broadcasting. */
  const batchedLoop = (a: Tensor, b: Tensor, strong: boolean) => {
    const [m, k] = a.shape.slice(-2) as [number, number]
    const n = b.shape[b.shape.length - 1]!
    const ba = a.shape.slice(0, -2)
    const bb = b.shape.slice(0, -2)
    const rank = Math.max(ba.length, bb.length)
    const pad = (s: ReadonlyArray<number>) => [...new Array<number>(rank - s.length).fill(1), ...s]
    const [pa, pb] = [pad(ba), pad(bb)]
    const batch = pa.map((d, i) => Math.max(d, pb[i]!))
    const x = Tensor.toFlat(a)
    const y = Tensor.toFlat(b)
    const out: number[] = []
    const count = batch.reduce((s, d) => s * d, 1)
    for (let q = 0; q < count; q++) {
      let [rest, ia, ib, sa, sb] = [q, 0, 0, 1, 1]
      for (let d = rank - 1; d >= 0; d--) {
        const i = rest % batch[d]!
        rest = Math.floor(rest / batch[d]!)
        if (pa[d] !== 1) ia += i * sa
        if (pb[d] !== 1) ib += i * sb
        sa *= pa[d]!
        sb *= pb[d]!
      }
      out.push(
        ...loop(
          x.subarray(ia * m * k, (ia + 1) * m * k),
          y.subarray(ib * k * n, (ib + 1) * k * n),
          m,
          k,
          n,
          strong,
        ),
      )
    }
    return { shape: [...batch, m, n], flat: out }
  }
  const element = fc.oneof(
    { weight: 6, arbitrary: fc.double({ min: -4, max: 4, noNaN: true }) },
    { weight: 2, arbitrary: fc.constantFrom(0, -0) },
    { weight: 1, arbitrary: fc.double() },
  )
  const tensorOf = (shape: ReadonlyArray<number>) => {
    const size = shape.reduce((s, d) => s * d, 1)
    return fc
      .array(element, { minLength: size, maxLength: size })
      .map((xs) => Tensor.fromArray(xs, shape))
  }
  const size = fc.constantFrom(1, 2, 3, 7, 8, 9, 17)
  const flat = (x: Tensor) => Array.from(Tensor.toFlat(x))

  fcTest.prop([
    fc
      .tuple(size, size, size)
      .chain(([m, k, n]) =>
        fc.tuple(tensorOf([m, k]), tensorOf([k, n]), tensorOf([k]), tensorOf([m])),
      ),
  ])(
    'matrix-matrix, matrix-vector and vector-matrix products equal the loop bit for bit',
    ([a, b, v, w]) => {
      const [m, k] = a.shape as [number, number]
      const n = b.shape[1]!
      for (const [f, strong] of [
        [matmul, false],
        [tangentMatmul, true],
      ] as const) {
        expect(flat(f(a, b))).toEqual(loop(Tensor.toFlat(a), Tensor.toFlat(b), m, k, n, strong))
        expect(flat(f(a, v))).toEqual(loop(Tensor.toFlat(a), Tensor.toFlat(v), m, k, 1, strong))
        expect(flat(f(w, a))).toEqual(loop(Tensor.toFlat(w), Tensor.toFlat(a), 1, m, k, strong))
        expect(Tensor.shape(f(a, v))).toEqual([m])
        expect(Tensor.shape(f(w, a))).toEqual([k])
        // Operands read transposed in place: the same numbers as the transposed copies.
        const at = matrixTranspose(a)
        const bt = matrixTranspose(b)
        expect(flat(f(at, b, { transposeA: true }))).toEqual(flat(f(a, b)))
        expect(flat(f(a, bt, { transposeB: true }))).toEqual(flat(f(a, b)))
        expect(flat(f(at, bt, { transposeA: true, transposeB: true }))).toEqual(flat(f(a, b)))
        expect(flat(f(at, v, { transposeA: true, transposeB: true }))).toEqual(flat(f(a, v)))
        expect(flat(f(w, matrixTranspose(a), { transposeB: true }))).toEqual(flat(f(w, a)))
      }
    },
  )

  /** Two batch shapes that broadcast: a common shape, each operand a suffix with some axes 1. */
  const batches = fc
    .array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 })
    .chain((batch) =>
      fc.tuple(
        ...[0, 1].map(() =>
          fc
            .tuple(
              fc.integer({ min: 0, max: batch.length }),
              fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
            )
            .map(([drop, ones]) => batch.slice(drop).map((d, i) => (ones[i] ? 1 : d))),
        ),
      ),
    )

  fcTest.prop([
    fc
      .tuple(batches, size, size, size)
      .chain(([[ba, bb], m, k, n]) => fc.tuple(tensorOf([...ba!, m, k]), tensorOf([...bb!, k, n]))),
  ])(
    'batched products with broadcast batch axes equal the loop, batch by batch, bit for bit',
    ([a, b]) => {
      for (const [f, strong] of [
        [matmul, false],
        [tangentMatmul, true],
      ] as const) {
        const want = batchedLoop(a, b, strong)
        const got = f(a, b)
        expect(Tensor.shape(got)).toEqual(want.shape)
        expect(flat(got)).toEqual(want.flat)
        const [at, bt] = [matrixTranspose(a), matrixTranspose(b)]
        expect(flat(f(at, bt, { transposeA: true, transposeB: true }))).toEqual(want.flat)
        expect(flat(f(a, bt, { transposeB: true }))).toEqual(want.flat)
      }
    },
  )

  test('a large product (the SIMD kernel, where WebAssembly runs) equals the loop bit for bit', () => {
    const [m, k, n] = [65, 300, 33]
    const a = Tensor.fromArray(
      Array.from({ length: m * k }, (_, q) => Math.sin(q) * 3),
      [m, k],
    )
    const b = Tensor.fromArray(
      Array.from({ length: k * n }, (_, q) => Math.cos(q * 7)),
      [k, n],
    )
    expect(flat(matmul(a, b))).toEqual(loop(Tensor.toFlat(a), Tensor.toFlat(b), m, k, n, false))
    expect(flat(tangentMatmul(a, b))).toEqual(
      loop(Tensor.toFlat(a), Tensor.toFlat(b), m, k, n, true),
    )
    const options = { transposeA: true, transposeB: true }
    const [at, bt] = [transpose(a), transpose(b)]
    expect(flat(matmul(at, bt, options))).toEqual(flat(matmul(a, b)))
    expect(flat(tangentMatmul(at, bt, options))).toEqual(flat(tangentMatmul(a, b)))
  })

  test('a batch of large products sharing one B (run as one product) equals the loop, matrix by matrix', () => {
    const [count, m, k, n] = [3, 21, 50, 33]
    const a = Tensor.fromArray(
      Array.from({ length: count * m * k }, (_, q) => Math.sin(q) * 3),
      [count, m, k],
    )
    const b = Tensor.fromArray(
      Array.from({ length: k * n }, (_, q) => (q % 7 === 0 ? 0 : Math.cos(q * 7))),
      [1, k, n],
    )
    const want = batchedLoop(a, b, false)
    expect(flat(matmul(a, b))).toEqual(want.flat)
    expect(flat(tangentMatmul(a, b))).toEqual(batchedLoop(a, b, true).flat)
  })

  test('an operand read transposed is named as such when the shapes do not fit', () => {
    expect(() =>
      matmul(Tensor.fill([2, 3], 1), Tensor.fill([2, 4], 1), { transposeB: true }),
    ).toThrow('matmul: cannot multiply [2,3] by [2,4] transposed')
  })

  test('batch axes that do not broadcast are refused naming both operands’ shapes (it named only [2] and [3])', () => {
    expect(() => matmul(Tensor.fill([2, 4, 5], 1), Tensor.fill([3, 5, 6], 1))).toThrow(
      'matmul: cannot multiply [2,4,5] by [3,5,6]: the batch axes [2] and [3] must broadcast',
    )
    expect(() => tangentMatmul(Tensor.fill([2, 2, 4, 5], 1), Tensor.fill([3, 5, 6], 1))).toThrow(
      'matmul: cannot multiply [2,2,4,5] by [3,5,6]',
    )
  })
})
