import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { oneHot, Tensor } from '../../src/index.js'

const labelsAndK = fc
  .integer({ min: 1, max: 6 })
  .chain((k) =>
    fc.tuple(fc.array(fc.integer({ min: 0, max: k - 1 }), { maxLength: 8 }), fc.constant(k)),
  )

describe('oneHot', () => {
  fcTest.prop([labelsAndK])(
    'row i is 1 at column labels[i] and 0 elsewhere, from an array or a Tensor',
    ([labels, k]) => {
      const expected = labels.map((y) => Array.from({ length: k }, (_, j) => (j === y ? 1 : 0)))
      const fromArray = oneHot(labels, k)
      expect(Tensor.shape(fromArray)).toEqual([labels.length, k])
      expect(Tensor.toArray2(fromArray)).toEqual(expected)
      expect(Tensor.toArray2(oneHot(Tensor.fromArray(labels), k))).toEqual(expected)
    },
  )

  test.each([
    [[0, 3], 3, 'oneHot: label 3 at index 1 is not an integer in [0, 3)'],
    [[-1], 3, 'oneHot: label -1 at index 0 is not an integer in [0, 3)'],
    [[1.5], 3, 'oneHot: label 1.5 at index 0 is not an integer in [0, 3)'],
    [[0, NaN], 3, 'oneHot: label NaN at index 1 is not an integer in [0, 3)'],
    [[0], 2.5, 'oneHot: k is 2.5; expected a non-negative integer'],
  ])('labels %j with k = %d throw: %s', (labels, k, message) => {
    expect(() => oneHot(labels, k)).toThrow(message)
  })

  test('a Tensor of labels that is not of rank 1 throws naming its shape', () => {
    expect(() => oneHot(Tensor.fromArray([[0, 1]]), 2)).toThrow(
      'oneHot: labels of shape [1,2]; expected shape [n]',
    )
  })
})
