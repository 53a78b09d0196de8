import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import '../helpers/matchers.js'
import { grad, jit, jvp, tensor, Tensor, vmap, type Tensorial } from '../../src/index.js'
import { directionalDifference } from '../../src/internal.js'

const T = tensor
const nested = (t: Tensor) => Tensor.toArray(t)
const flat = (t: Tensor) => Array.from(Tensor.toFlat(t))

/** A matrix of n² entries in [-1, 1]. */
const entries = (n: number) =>
  fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n * n, maxLength: n * n })

/** n and a well-conditioned symmetric positive definite matrix M·Mᵀ + n·I. */
const spd = fc.integer({ min: 1, max: 5 }).chain((n) =>
  entries(n).map((m) => {
    const a = Array.from({ length: n * n }, (_, k) => {
      const i = Math.floor(k / n)
      const j = k % n
      let s = i === j ? n : 0
      for (let p = 0; p < n; p++) s += m[i * n + p]! * m[j * n + p]!
      return s
    })
    return Tensor.fromArray(a, [n, n])
  }),
)

/** A well-conditioned general matrix: diagonally dominant with random signs. */
const general = fc.integer({ min: 1, max: 5 }).chain((n) =>
  fc.tuple(entries(n), fc.array(fc.boolean(), { minLength: n, maxLength: n })).map(([m, signs]) =>
    Tensor.fromArray(
      m.map((v, k) => (Math.floor(k / n) === k % n ? (signs[k % n] ? 1 : -1) * (n + 1) : v)),
      [n, n],
    ),
  ),
)

const orderOf = (a: Tensor) => Tensor.shape(a)[0]!
const plainMatmul = (a: number[][], b: number[][]) =>
  a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, p) => s + v * b[p]![j]!, 0)))
const transposed = (a: number[][]) => a[0]!.map((_, j) => a.map((row) => row[j]!))

/** det by cofactor expansion along the first row: independent of LU. */
const cofactorDet = (a: number[][]): number =>
  a.length === 1
    ? a[0]![0]!
    : a[0]!.reduce(
        (s, v, j) =>
          s +
          (j % 2 === 0 ? 1 : -1) *
            v *
            cofactorDet(a.slice(1).map((row) => row.filter((_, k) => k !== j))),
        0,
      )

describe('cholesky', () => {
  fcTest.prop([spd])('L·Lᵀ is the matrix and L is lower triangular', (a) => {
    const L = nested(T.cholesky(a)) as number[][]
    expect(plainMatmul(L, transposed(L))).toBeClose(nested(a), { rel: 1e-12, abs: 1e-12 })
    L.forEach((row, i) => row.forEach((v, j) => j > i && expect(v).toBe(0)))
  })

  test('reads the symmetrised matrix (a + aᵀ)/2, as JAX does', () => {
    const a = Tensor.fromArray([
      [4, 2],
      [0, 3],
    ])
    const s = Tensor.fromArray([
      [4, 1],
      [1, 3],
    ])
    expect(nested(T.cholesky(a))).toEqual(nested(T.cholesky(s)))
  })

  test('a matrix that is not positive definite gives NaN in every entry of its factor', () => {
    const out = flat(
      T.cholesky(
        Tensor.fromArray([
          [1, 2],
          [2, 1],
        ]),
      ),
    )
    expect(out.every(Number.isNaN)).toBe(true)
    // Batched: only the bad matrix is NaN.
    const both = nested(
      T.cholesky(
        Tensor.fromArray([
          [
            [4, 0],
            [0, 9],
          ],
          [
            [1, 2],
            [2, 1],
          ],
        ]),
      ),
    ) as number[][][]
    expect(both[0]).toEqual([
      [2, 0],
      [0, 3],
    ])
    expect(both[1]!.flat().every(Number.isNaN)).toBe(true)
  })

  test('a non-square matrix throws an Error naming the op and the shape', () => {
    expect(() => T.cholesky(Tensor.fill([2, 3], 1))).toThrow(/cholesky.*\[2,3\]/)
  })
})

describe('triangularSolve', () => {
  const options = fc.record({
    lower: fc.boolean(),
    transposeA: fc.boolean(),
    unitDiagonal: fc.boolean(),
  })
  fcTest.prop([general, options, fc.integer({ min: 1, max: 3 })])(
    'op(a)·x = b on the named triangle, and garbage in the other triangle changes nothing',
    (a, o, k) => {
      const n = orderOf(a)
      const A = nested(a) as number[][]
      const tri = A.map((row, i) =>
        row.map((v, j) => ((o.lower ? j < i : j > i) ? v : i === j ? (o.unitDiagonal ? 1 : v) : 0)),
      )
      const b = Tensor.fromArray(
        Array.from({ length: n * k }, (_, i) => Math.sin(i + 1)),
        [n, k],
      )
      const x = T.triangularSolve(a, b, o)
      const op = o.transposeA ? transposed(tri) : tri
      expect(plainMatmul(op, nested(x) as number[][])).toBeClose(nested(b), {
        rel: 1e-10,
        abs: 1e-10,
      })
      const garbage = Tensor.fromArray(
        A.map((row, i) =>
          row.map((v, j) => ((o.lower ? j > i : j < i) || (o.unitDiagonal && i === j) ? 1e300 : v)),
        ),
      )
      expect(flat(T.triangularSolve(garbage, b, o))).toEqual(flat(x))
    },
  )

  test('b of rank a − 1 is one [n, k] matrix for every factor (the contract), a vector only at rank 1; solve reads it as a batch of vectors', () => {
    const a = Tensor.fromArray([
      [
        [2, 0],
        [1, 4],
      ],
      [
        [1, 0],
        [3, 2],
      ],
    ])
    const b = Tensor.fromArray([
      [2, 4],
      [5, 6],
    ])
    const x = T.triangularSolve(a, b)
    expect(Tensor.shape(x)).toEqual([2, 2, 2])
    // Each factor against the whole of b, one matrix at a time.
    const each = [0, 1].map((i) =>
      nested(T.triangularSolve(T.reshape(T.take(a, [i], 0), [2, 2]), b)),
    )
    expect(nested(x)).toEqual(each)
    expect(nested(T.triangularSolve(a, Tensor.fromArray([2, 5])))).toEqual([
      [1, 1],
      [2, -0.5],
    ])
    // solve: b of a's shape without its last axis is a vector per matrix (numpy 1, JAX).
    expect(Tensor.shape(T.solve(a, b))).toEqual([2, 2])
  })
})

describe('solve, inv, det, slogdet', () => {
  fcTest.prop([general])(
    'a·solve(a, b) = b, for a matrix and for a vector right-hand side',
    (a) => {
      const n = orderOf(a)
      const bv = Tensor.fromArray(Array.from({ length: n }, (_, i) => i + 1))
      const x = T.solve(a, bv)
      expect(Tensor.shape(x)).toEqual([n])
      expect(nested(T.matmul(a, x))).toBeClose(nested(bv), { rel: 1e-10, abs: 1e-10 })
      const bm = Tensor.fromArray(
        Array.from({ length: 2 * n }, (_, i) => Math.cos(i)),
        [n, 2],
      )
      expect(nested(T.matmul(a, T.solve(a, bm)))).toBeClose(nested(bm), { rel: 1e-10, abs: 1e-10 })
    },
  )

  fcTest.prop([general])('a·inv(a) = I', (a) => {
    expect(nested(T.matmul(a, T.inv(a)))).toBeClose(nested(Tensor.eye(orderOf(a))), {
      rel: 1e-10,
      abs: 1e-10,
    })
  })

  fcTest.prop([general])(
    'det equals the cofactor expansion; slogdet gives its sign and log |det|',
    (a) => {
      const d = cofactorDet(nested(a) as number[][])
      expect(Tensor.toArray(T.det(a))).toBeClose(d, { rel: 1e-10 })
      const [sign, logAbs] = T.slogdet(a)
      expect(Tensor.toArray(sign)).toBe(Math.sign(d))
      expect(Tensor.toArray(logAbs)).toBeClose(Math.log(Math.abs(d)), { rel: 1e-10, abs: 1e-12 })
    },
  )

  test('a singular matrix: slogdet gives sign 0 and −Infinity, det 0, solve ±Infinity or NaN, no exception', () => {
    for (const rows of [
      [
        [1, 2],
        [2, 4],
      ],
      [
        [0, 0],
        [0, 1],
      ],
      [
        [0, 0],
        [0, 0],
      ],
    ]) {
      const a = Tensor.fromArray(rows)
      const [sign, logAbs] = T.slogdet(a)
      expect(Tensor.toArray(sign)).toBe(0)
      expect(Tensor.toArray(logAbs)).toBe(-Infinity)
      expect(Math.abs(Tensor.toArray(T.det(a)) as number)).toBe(0)
      expect(flat(T.solve(a, Tensor.fromArray([1, 1]))).some((v) => !Number.isFinite(v))).toBe(true)
    }
  })

  test.each([
    ['inv', <A>(U: Tensorial<A>, a: A) => U.sum(U.inv(a))],
    ['det', <A>(U: Tensorial<A>, a: A) => U.det(a)],
    ['slogdet', <A>(U: Tensorial<A>, a: A) => U.slogdet(a)[1]],
  ] as const)(
    '%s of a singular matrix on the branch where did not choose leaves the gradient alone, in every mode',
    (_name, op) => {
      // inv(a) is not finite here; a +0 (co)tangent through it must stay +0 (the strong zero).
      const g =
        <A>(U: Tensorial<A>) =>
        (a: A): A =>
          U.add(U.where(U.fromNumber(0), op(U, a), U.fromNumber(0)), U.sum(U.mul(a, a)))
      const a = Tensor.fromArray([
        [1, 2],
        [2, 4],
      ])
      const want = [
        [2, 4],
        [4, 8],
      ]
      expect(Tensor.toArray(grad(g)(T)(a))).toEqual(want)
      expect(Tensor.toArray(jit(grad(g))(T)(a))).toEqual(want)
      expect(
        Tensor.toArray(
          vmap(grad(g))(T)(
            Tensor.fromArray(
              [want, want].map(() => [
                [1, 2],
                [2, 4],
              ]),
            ),
          ),
        ),
      ).toEqual([want, want])
      const e = Tensor.fromArray([
        [1, 0],
        [0, 0],
      ])
      expect(Tensor.toArray(jvp(g)(T)(a, e)[1])).toBe(2)
    },
  )

  test('batched over broadcast leading axes equals one matrix at a time', () => {
    const a = Tensor.fromArray([
      [
        [4, 1],
        [1, 3],
      ],
      [
        [2, 0.5],
        [0.5, 1],
      ],
    ])
    const b = Tensor.fromArray([[[1], [2]]]) // batch [1] broadcasts against [2]
    const x = nested(T.solve(a, b)) as number[][][]
    const each = [0, 1].map((i) => nested(T.solve(T.take(a, [i], 0), b)) as number[][][])
    expect(x).toEqual([each[0]![0], each[1]![0]])
    expect(flat(T.det(a))).toEqual(
      [0, 1].map((i) => Tensor.toArray(T.det(T.reshape(T.take(a, [i], 0), [2, 2])))),
    )
  })

  test('diagonal and trace; shapes that do not fit throw naming the op and the shapes', () => {
    const a = Tensor.fromArray([
      [1, 2],
      [3, 4],
    ])
    expect(nested(T.diagonal(a))).toEqual([1, 4])
    expect(Tensor.toArray(T.trace(a))).toBe(5)
    expect(() => T.solve(a, Tensor.fill([3, 1], 1))).toThrow(/solve.*\[2,2\].*\[3,1\]/)
    expect(() => T.det(Tensor.fill([2, 3], 1))).toThrow(/det.*\[2,3\]/)
  })

  test.each(['cholesky', 'inv', 'det', 'slogdet', 'diagonal', 'trace'] as const)(
    '%s of a non-square matrix throws naming itself and the shape, eager, under grad and under jit',
    (name) => {
      const f =
        <A>(T: Tensorial<A>) =>
        (a: A): A => {
          const r = T[name](a)
          return T.sum(Array.isArray(r) ? (r as ReadonlyArray<A>)[1]! : (r as A))
        }
      const wrong = Tensor.fill([2, 3], 1)
      const message = new RegExp(`^${name}: .*\\[2,3\\]`)
      expect(() => f(T)(wrong)).toThrow(message)
      expect(() => grad(f)(T)(wrong)).toThrow(message)
      expect(() => jit(f)(T)(wrong)).toThrow(message)
    },
  )
})

/** Scalar functions of a matrix built from every op, for the derivative checks. */
const scalarOf: ReadonlyArray<readonly [string, <A>(T: Tensorial<A>) => (a: A) => A]> = [
  ['cholesky', (T) => (a) => T.sum(T.mul(T.cholesky(a), T.cholesky(a)))],
  [
    'triangularSolve',
    (T) => (a) =>
      T.sum(T.triangularSolve(a, T.matrixTranspose(a), { lower: false, transposeA: true })),
  ],
  ['solve', (T) => (a) => T.sum(T.sin(T.solve(a, T.cos(a))))],
  ['inv', (T) => (a) => T.sum(T.mul(T.inv(a), T.inv(a)))],
  ['det', (T) => (a) => T.det(a)],
  ['slogdet', (T) => (a) => T.mul(T.slogdet(a)[0], T.slogdet(a)[1])],
  ['trace', (T) => (a) => T.trace(T.mul(a, a))],
]

describe.each(scalarOf)('derivatives of %s', (_name, f) => {
  const value = (a: Tensor) => Tensor.toArray(f(T)(a)) as number
  const shapeOf = (a: Tensor) => Tensor.shape(a)
  const direction = (a: Tensor) =>
    Tensor.fromArray(
      flat(a).map((_, i) => Math.sin(3 * i + 1)),
      shapeOf(a),
    )
  const matrices = _name === 'cholesky' ? spd : general

  fcTest.prop([matrices], { numRuns: 30 })(
    'reverse and forward mode agree with central differences',
    (a) => {
      const v = direction(a)
      const fd = directionalDifference(
        (xs) => [value(Tensor.fromArray(xs, shapeOf(a)))],
        flat(a),
        flat(v),
      )[0]!
      const g = grad(f)(T)(a)
      const reverse = flat(g).reduce((s, gi, i) => s + gi * flat(v)[i]!, 0)
      const forward = Tensor.toArray(jvp(f)(T)(a, v)[1]) as number
      expect(reverse).toBeClose(fd, { rel: 1e-5, abs: 1e-6 })
      expect(forward).toBeClose(reverse, { rel: 1e-10, abs: 1e-12 })
    },
  )

  fcTest.prop([matrices], { numRuns: 15 })(
    'second order: the Hessian along v, forward-over-reverse and reverse-over-reverse, against differences of the gradient',
    (a) => {
      const v = direction(a)
      const hvFd = directionalDifference(
        (xs) => flat(grad(f)(T)(Tensor.fromArray(xs, shapeOf(a)))),
        flat(a),
        flat(v),
      )
      const hvFwd = flat(jvp(grad(f))(T)(a, v)[1])
      const gv =
        <A>(U: Tensorial<A>) =>
        (x: A): A =>
          U.sum(U.mul(grad(f)(U)(x), U.constant(v)))
      const hvRev = flat(grad(gv)(T)(a))
      expect(hvFwd).toBeClose(hvFd, { rel: 1e-4, abs: 1e-5 })
      expect(hvRev).toBeClose(hvFwd, { rel: 1e-9, abs: 1e-10 })
    },
  )

  fcTest.prop([matrices], { numRuns: 10 })(
    'jit and vmap give the eager value and gradient',
    (a) => {
      expect(flat(jit(grad(f))(T)(a))).toBeClose(flat(grad(f)(T)(a)), { rel: 1e-12, abs: 1e-14 })
      const batch = T.stack([a, T.mul(a, T.fromNumber(1.5))])
      const mapped = flat(vmap(grad(f))(T)(batch))
      const looped = [a, T.mul(a, T.fromNumber(1.5))].flatMap((x) => flat(grad(f)(T)(x)))
      expect(mapped).toBeClose(looped, { rel: 1e-12, abs: 1e-14 })
    },
  )
})
