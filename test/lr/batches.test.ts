import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { lr, Tensor } from '../../src/index.js'

const rowsOf = (batches: Iterable<lr.Dataset>) =>
  [...batches].map((b) => [Tensor.toArray(b.x), Tensor.toArray(b.y)])

describe('lr.rebatcher', () => {
  test.prop([
    fc.integer({ min: 1, max: 60 }),
    fc.integer({ min: 1, max: 9 }),
    fc.integer({ min: 1, max: 13 }),
    fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: undefined }),
    fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 8 }),
  ])(
    'gives the same batches however the rows arrive in chunks',
    (n, batchSize, shuffleWindow, shuffleSeed, cuts) => {
      const data = lr.gen2dData({ n, seed: 5 })
      const order = {
        batchSize,
        shuffleWindow,
        epoch: 2,
        ...(shuffleSeed === undefined ? {} : { shuffleSeed }),
      }
      const whole = rowsOf(lr.batchesOf(data, order))
      const r = lr.rebatcher(3, order)
      const pieces: lr.Dataset[] = []
      const x = Tensor.toArray(data.x) as number[][]
      const y = Tensor.toArray(data.y) as number[]
      for (let at = 0, i = 0; at < n; i++) {
        const size = cuts[i % cuts.length]!
        const end = Math.min(n, at + size)
        pieces.push(
          ...r.push({
            x: Tensor.fromArray(x.slice(at, end)),
            y: Tensor.fromArray(y.slice(at, end)),
          }),
        )
        at = end
      }
      pieces.push(...r.end())
      expect(rowsOf(pieces)).toEqual(whole)
    },
  )

  test.prop([
    fc.integer({ min: 1, max: 80 }),
    fc.integer({ min: 1, max: 20 }),
    fc.integer({ min: 1, max: 30 }),
  ])(
    'every row lands in exactly one batch of an epoch, and shuffling stays within its window',
    (n, batchSize, shuffleWindow) => {
      const data = {
        x: Tensor.fromArray(Array.from({ length: n }, (_, i) => [1, i])),
        y: Tensor.fromArray(new Array<number>(n).fill(0)),
      }
      const seen = rowsOf(
        lr.batchesOf(data, { batchSize, shuffleWindow, shuffleSeed: 3, epoch: 1 }),
      ).flatMap(([x]) => (x as number[][]).map((r) => r[1]!))
      expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i))
      seen.forEach((row, at) =>
        expect(Math.floor(row / shuffleWindow)).toBe(Math.floor(at / shuffleWindow)),
      )
    },
  )

  test('without a seed the rows keep data order; with one, each epoch shuffles anew', () => {
    const data = {
      x: Tensor.fromArray(Array.from({ length: 8 }, (_, i) => [1, i])),
      y: Tensor.fromArray(new Array<number>(8).fill(0)),
    }
    const column = (order: lr.BatchOrder) =>
      rowsOf(lr.batchesOf(data, order)).flatMap(([x]) => (x as number[][]).map((r) => r[1]))
    expect(column({ batchSize: 3, epoch: 1 })).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    const one = column({ batchSize: 3, epoch: 1, shuffleSeed: 9 })
    expect(one).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    expect(column({ batchSize: 3, epoch: 2, shuffleSeed: 9 })).not.toEqual(one)
    expect(column({ batchSize: 3, epoch: 1, shuffleSeed: 9 })).toEqual(one)
  })
})
