import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { Tensor } from '../../src/index.js'
import { matrixOf } from '../helpers/tensors.js'
import { matrixTranspose, reshape, transpose } from '../../src/internal.js'

const dim = fc.integer({ min: 1, max: 4 })

describe('reshape and the transposes', () => {
  fcTest.prop([fc.tuple(dim, dim).chain(([m, n]) => matrixOf(m, n))])(
    'transpose twice is the identity',
    (a) => {
      const A = Tensor.fromArray(a)
      expect(Tensor.toArray(transpose(transpose(A)))).toEqual(a)
      expect(Tensor.shape(transpose(A))).toEqual([a[0]!.length, a.length])
    },
  )

  test('matrixTranspose transposes each matrix of a batch', () => {
    const t = Tensor.fromArray([[[1, 2, 3]], [[4, 5, 6]]])
    expect(Tensor.toArray(matrixTranspose(t))).toEqual([
      [[1], [2], [3]],
      [[4], [5], [6]],
    ])
  })

  test('reshape keeps the elements in order, and refuses another size naming both shapes', () => {
    expect(Tensor.toArray(reshape(Tensor.fromArray([1, 2, 3, 4]), [2, 2]))).toEqual([
      [1, 2],
      [3, 4],
    ])
    expect(() => reshape(Tensor.fromArray([1, 2, 3]), [2, 2])).toThrow(
      'reshape: cannot reshape [3] to [2,2]',
    )
  })
})
