import { describe, expect, test } from 'vitest'
import { Tensor, tensor } from '../../src/index.js'
import { extremum, sum } from '../../src/internal.js'

const mean = tensor.mean

describe('reductions', () => {
  test('sum and mean reduce to shape []', () => {
    const v = Tensor.fromArray([1, 2, 3, 4])
    expect(Tensor.toArray(sum(v))).toBe(10)
    expect(Tensor.toArray(mean(v))).toBe(2.5)
    expect(Tensor.shape(sum(v))).toEqual([])
  })

  test('over an axis, with or without the reduced axis kept', () => {
    const t = Tensor.fromArray([
      [1, 5],
      [3, 4],
    ])
    expect(Tensor.toArray(sum(t, { axis: 0 }))).toEqual([4, 9])
    expect(Tensor.toArray(mean(t, { axis: 1, keepDims: true }))).toEqual([[3], [3.5]])
    expect(Tensor.toArray(extremum(t, 'max', { axis: 1 }))).toEqual([5, 4])
    expect(Tensor.toArray(extremum(t, 'min', { axis: 0 }))).toEqual([1, 4])
  })
})
