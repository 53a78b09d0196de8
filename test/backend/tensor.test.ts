import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { grad, reverse, tensor, Tensor, type Floating } from '../../src/index.js'
import { broadcastShapes, broadcastTo } from '../../src/internal.js'
import { close, floatingLaws } from '../../laws/index.js'

describe('tensor', () => {
  test('satisfies the Floating laws elementwise, on vectors', () => {
    floatingLaws(tensor, {
      values: (min, max) =>
        fc
          .array(fc.double({ min, max, noNaN: true }), { minLength: 3, maxLength: 3 })
          .map((xs) => Tensor.fromArray(xs)),
      equals: (a, b) => {
        // A law may compare a vector with a shape-[] constant such as `one`.
        const shape = broadcastShapes('equals', Tensor.shape(a), Tensor.shape(b))
        const x = Tensor.toFlat(broadcastTo(a, shape))
        const y = Tensor.toFlat(broadcastTo(b, shape))
        return x.every((xi, i) => close(xi, y[i]!, { rel: 1e-9, abs: 1e-9 }))
      },
      numRuns: 50,
    })
  })

  test('toNumber needs shape []', () => {
    expect(tensor.toNumber(Tensor.scalar(2))).toBe(2)
    expect(() => tensor.toNumber(Tensor.fromArray([1, 2]))).toThrow(
      'toNumber: expected a tensor of shape [], got [2]',
    )
  })

  test('a scalar function runs elementwise: one definition, two backends', () => {
    const f =
      <A>(F: Floating<A>) =>
      (x: A): A =>
        F.mul(x, F.sin(x))
    const xs = [0.5, 1, 2]
    expect(Tensor.toArray(grad(f)(tensor)(Tensor.fromArray(xs)))).toBeClose(
      xs.map((x) => Math.sin(x) + x * Math.cos(x)),
    )
  })

  test('grad of a function of an array of tensors gives an array of tensors of their shapes', () => {
    const g =
      <A>(F: Floating<A>) =>
      (xs: ReadonlyArray<A>): A =>
        F.mul(xs[0]!, xs[1]!)
    const [da, db] = reverse.grad(g)(tensor)([
      Tensor.fromArray([
        [1, 2],
        [3, 4],
      ]),
      Tensor.scalar(3),
    ])
    expect(Tensor.toArray(da!)).toEqual([
      [3, 3],
      [3, 3],
    ])
    expect(Tensor.toArray(db!)).toEqual(10)
  })
})
