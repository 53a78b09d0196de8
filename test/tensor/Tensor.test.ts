import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { Tensor } from '../../src/index.js'

const shapes = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 })
const flatFor = (shape: ReadonlyArray<number>) => {
  const n = shape.reduce((a, b) => a * b, 1)
  return fc.array(fc.double({ noNaN: false }), { minLength: n, maxLength: n })
}

describe('Tensor', () => {
  fcTest.prop([shapes.chain((s) => fc.tuple(fc.constant(s), flatFor(s)))])(
    'fromArray(flat, shape) then toArray then fromArray again gives the same shape and elements',
    ([shape, flat]) => {
      const t = Tensor.fromArray(flat, shape)
      expect(Tensor.shape(t)).toEqual(shape)
      const again = Tensor.fromArray(Tensor.toArray(t) as number[])
      if (!shape.includes(0)) expect(Tensor.shape(again)).toEqual(shape)
      expect(Array.from(Tensor.toFlat(t))).toEqual(flat)
    },
  )

  test('nested arrays give their shape; a number gives shape []', () => {
    expect(
      Tensor.shape(
        Tensor.fromArray([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ),
    ).toEqual([2, 3])
    expect(Tensor.shape(Tensor.fromArray([1, 2]))).toEqual([2])
    expect(Tensor.shape(Tensor.fromArray(5))).toEqual([])
    expect(Tensor.toArray(Tensor.fromArray(5))).toBe(5)
  })

  test('a typed array is copied in: changing it later does not change the tensor', () => {
    const data = new Float64Array([1, 2, 3, 4])
    const t = Tensor.fromArray(data, [2, 2])
    data[0] = 99
    expect(Tensor.toArray(t)).toEqual([
      [1, 2],
      [3, 4],
    ])
  })

  test('what comes out is a copy: writing to it does not change the tensor', () => {
    const t = Tensor.fromArray([1, 2, 3])
    Tensor.toFlat(t)[0] = 99
    ;(Tensor.toArray(t) as number[])[1] = 99
    expect(Tensor.toArray(t)).toEqual([1, 2, 3])
  })

  test('a tensor is frozen and exposes no buffer', () => {
    const t = Tensor.fromArray([1, 2, 3])
    expect(Object.isFrozen(t)).toBe(true)
    expect(Object.isFrozen(t.shape)).toBe(true)
    expect(Object.values(t).some((v) => ArrayBuffer.isView(v))).toBe(false)
    expect(String(t)).toBe('Tensor([3])')
  })

  test.each([
    [
      () => Tensor.fromArray([[1, 2], [3]]),
      'Tensor.fromArray: ragged array: element [1] should be an array of length 2, got length 1',
    ],
    [
      () => Tensor.fromArray([1, 'a' as unknown as number]),
      'Tensor.fromArray: element [1] must be a number, got "a"',
    ],
    [
      () => Tensor.fromArray([1, 2, 3], [2, 2]),
      'Tensor.fromArray: shape [2,2] needs 4 elements, got 3 elements',
    ],
    [
      () => Tensor.fromArray([1, 2], [-2]),
      'Tensor.fromArray: shape [-2] must hold non-negative integers',
    ],
    [() => Tensor.fromArray(new Float64Array(2)), 'Tensor.fromArray: a typed array needs a shape'],
    [() => Tensor.get(Tensor.fromArray([1, 2]), 2), 'Tensor.get: index [2] is outside shape [2]'],
  ])('bad input is refused with a message naming the problem (%#)', (make, message) => {
    expect(make).toThrow(message)
  })

  test('get reads one element by its multi-index', () => {
    expect(
      Tensor.get(
        Tensor.fromArray([
          [1, 2],
          [3, 4],
        ]),
        1,
        0,
      ),
    ).toBe(3)
  })
})

describe('Tensor.toArray1 and Tensor.toArray2', () => {
  fcTest.prop([shapes.chain((shape) => fc.tuple(fc.constant(shape), flatFor(shape)))])(
    'give what toArray gives at their rank, and throw naming the shape at any other',
    ([shape, xs]) => {
      const t = Tensor.fromArray(xs, shape)
      if (shape.length === 1) expect(Tensor.toArray1(t)).toEqual(Tensor.toArray(t))
      else expect(() => Tensor.toArray1(t)).toThrow(`got shape ${Tensor.showShape(shape)}`)
      if (shape.length === 2) expect(Tensor.toArray2(t)).toEqual(Tensor.toArray(t))
      else expect(() => Tensor.toArray2(t)).toThrow(`got shape ${Tensor.showShape(shape)}`)
    },
  )

  test('the message names the function, the rank expected and the shape received', () => {
    expect(() => Tensor.toArray2(Tensor.fromArray([1, 2]))).toThrow(
      'Tensor.toArray2: expected a tensor of rank 2 (shape [m, n]), got shape [2]',
    )
    expect(() => Tensor.toArray1(Tensor.scalar(1))).toThrow(
      'Tensor.toArray1: expected a tensor of rank 1 (shape [n]), got shape []',
    )
  })

  test('each call gives fresh arrays', () => {
    const t = Tensor.fromArray([
      [1, 2],
      [3, 4],
    ])
    const a = Tensor.toArray2(t)
    a[0]![0] = 9
    expect(Tensor.toArray2(t)).toEqual([
      [1, 2],
      [3, 4],
    ])
  })
})
