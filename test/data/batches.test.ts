import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { batches, shuffle, Tensor } from '../../src/index.js'

/** A dataset of n rows whose row i holds i (x: [n, 2] as [i, −i]; y: [n] as i). */
const dataset = (n: number) => ({
  x: Tensor.fromArray(Array.from({ length: n }, (_, i) => [i, -i]).flat(), [n, 2]),
  nested: [{ y: Tensor.fromArray(Array.from({ length: n }, (_, i) => i)) }],
})

const options = fc.record({
  batchSize: fc.integer({ min: 1, max: 12 }),
  seed: fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: undefined }),
  dropLast: fc.boolean(),
})

describe('batches', () => {
  fcTest.prop([fc.integer({ min: 0, max: 40 }), options])(
    'cover every row exactly once per epoch, in the order of shuffle(seed), each leaf at the same rows',
    (n, o) => {
      const data = dataset(n)
      const got = [...batches(data, o)]
      const rows = got.flatMap((b) => Tensor.toArray1(b.nested[0]!.y))
      const order =
        o.seed === undefined ? Array.from({ length: n }, (_, i) => i) : shuffle(o.seed)(n)
      const kept = o.dropLast ? n - (n % o.batchSize) : n
      expect(rows).toEqual(order.slice(0, kept))
      for (const b of got) {
        const ys = Tensor.toArray1(b.nested[0]!.y)
        expect(Tensor.toArray2(b.x)).toEqual(ys.map((i) => [i, -i]))
        expect(ys.length === o.batchSize || (!o.dropLast && b === got[got.length - 1])).toBe(true)
      }
    },
  )

  fcTest.prop([fc.integer({ min: 0, max: 30 }), options])(
    'are pure: the same arguments, and the same iterable walked twice, give the same batches',
    (n, o) => {
      const data = dataset(n)
      const before = Tensor.toArray(data.x)
      const it = batches(data, o)
      const show = (bs: Iterable<ReturnType<typeof dataset>>) =>
        [...bs].map((b) => [Tensor.toArray(b.x), Tensor.toArray(b.nested[0]!.y)])
      expect(show(it)).toEqual(show(it))
      expect(show(batches(data, o))).toEqual(show(it))
      expect(Tensor.toArray(data.x)).toEqual(before)
    },
  )

  test('a seed fixes the order, another seed gives another', () => {
    const data = dataset(30)
    const order = (seed: number) =>
      [...batches(data, { batchSize: 7, seed })].flatMap((b) => Tensor.toArray1(b.nested[0]!.y))
    expect(order(3)).toEqual(order(3))
    expect(order(3)).not.toEqual(order(4))
  })

  test('leaves of different lengths throw naming both leaves and lengths', () => {
    const bad = { x: Tensor.fromArray([1, 2, 3]), y: [Tensor.fromArray([1, 2])] }
    expect(() => batches(bad, { batchSize: 2 })).toThrow(
      'batches: the leaf at .y[0] has 2 rows (shape [2]) but the leaf at .x has 3',
    )
  })

  test.each([
    [{ batchSize: 0 }, 'batches: batchSize is 0; expected a positive integer'],
    [{ batchSize: 2.5 }, 'batches: batchSize is 2.5; expected a positive integer'],
    [{ batchSize: 2, seed: 0.5 }, 'batches: seed is 0.5; expected an integer'],
  ])('options %j throw: %s', (o, message) => {
    expect(() => batches(Tensor.fromArray([1, 2]), o)).toThrow(message)
  })

  test('a tree without Tensors, a leaf that is not one, and a rank-0 leaf throw naming them', () => {
    expect(() => batches({}, { batchSize: 1 })).toThrow('batches: the tree has no leaves')
    expect(() => batches({ w: 1 } as never, { batchSize: 1 })).toThrow(
      'batches: the leaf at .w is 1; expected a Tensor',
    )
    expect(() => batches(Tensor.scalar(1), { batchSize: 1 })).toThrow(
      'batches: the tree has shape []; expected a leading axis of rows',
    )
  })
})
