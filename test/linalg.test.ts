import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { dot, matmul, mean, reshape, sum, Tensor, transpose } from '../src/index.js'

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
