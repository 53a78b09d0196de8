import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  dot,
  grad,
  matmul,
  mean,
  reshape,
  sum,
  Tensor,
  tensor,
  transpose,
  type Tensorial,
} from '../../src/index.js'

const dim = fc.integer({ min: 1, max: 4 })
const matrix = (m: number, n: number) =>
  fc.array(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: n, maxLength: n }), {
    minLength: m,
    maxLength: m,
  })

const naiveMatmul = (a: number[][], b: number[][]) =>
  a.map((row) => b[0]!.map((_, j) => row.reduce((s, aik, k) => s + aik * b[k]![j]!, 0)))

describe('linalg', () => {
  fcTest.prop([fc.tuple(dim, dim, dim).chain(([m, k, n]) => fc.tuple(matrix(m, k), matrix(k, n)))])(
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

  fcTest.prop([fc.tuple(dim, dim).chain(([m, n]) => matrix(m, n))])(
    'transpose twice is the identity',
    (a) => {
      const A = Tensor.fromArray(a)
      expect(Tensor.toArray(transpose(transpose(A)))).toEqual(a)
      expect(Tensor.shape(transpose(A))).toEqual([a[0]!.length, a.length])
    },
  )

  test('sum, mean and dot reduce to shape []', () => {
    const v = Tensor.fromArray([1, 2, 3, 4])
    expect(Tensor.toArray(sum(v))).toBe(10)
    expect(Tensor.toArray(mean(v))).toBe(2.5)
    expect(Tensor.toArray(dot(v, v))).toBe(30)
    expect(Tensor.shape(sum(v))).toEqual([])
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
    [() => reshape(Tensor.fromArray([1, 2, 3]), [2, 2]), 'reshape: cannot reshape [3] to [2,2]'],
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
