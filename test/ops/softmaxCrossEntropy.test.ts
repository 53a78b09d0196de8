import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  grad,
  jit,
  oneHot,
  softmaxCrossEntropy,
  tensor,
  Tensor,
  valueAndGrad,
  vmap,
  type Tensorial,
} from '../../src/index.js'
import { centralDifference } from '../../src/internal.js'

const flat = (t: Tensor) => Array.from(Tensor.toFlat(t))

/** −log softmax(row)[label] by a plain log-sum-exp with the maximum taken out. */
const plainRowLoss = (row: ReadonlyArray<number>, label: number): number => {
  const m = Math.max(...row)
  const lse = m + Math.log(row.reduce((s, z) => s + Math.exp(z - m), 0))
  return lse - row[label]!
}
const plainLoss = (rows: ReadonlyArray<ReadonlyArray<number>>, labels: ReadonlyArray<number>) =>
  rows.reduce((s, row, i) => s + plainRowLoss(row, labels[i]!), 0) / rows.length

/** n rows of k logits in [−scale, scale], and a label per row. */
const problem = (scale: number) =>
  fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })).chain(([n, k]) =>
    fc.tuple(
      fc.array(
        fc.array(fc.double({ min: -scale, max: scale, noNaN: true }), {
          minLength: k,
          maxLength: k,
        }),
        { minLength: n, maxLength: n },
      ),
      fc.array(fc.integer({ min: 0, max: k - 1 }), { minLength: n, maxLength: n }),
    ),
  )

const loss =
  <A>(T: Tensorial<A>) =>
  (z: A, y: A): A =>
    softmaxCrossEntropy(T)(z, y)

describe('softmaxCrossEntropy', () => {
  fcTest.prop([problem(1000)])(
    'equals a plain log-sum-exp computation, from an array, a Tensor of labels or one-hot rows',
    ([rows, labels]) => {
      const z = Tensor.fromArray(rows)
      const k = rows[0]!.length
      const expected = plainLoss(rows, labels)
      const T = tensor
      expect(Tensor.toArray(softmaxCrossEntropy(T)(z, labels))).toBeClose(expected)
      expect(Tensor.toArray(softmaxCrossEntropy(T)(z, Tensor.fromArray(labels)))).toBeClose(
        expected,
      )
      expect(Tensor.toArray(softmaxCrossEntropy(T)(z, oneHot(labels, k)))).toBeClose(expected)
    },
  )

  test('is finite at logits of ±1000', () => {
    const z = Tensor.fromArray([
      [1000, -1000],
      [-1000, 1000],
    ])
    expect(Tensor.toArray(softmaxCrossEntropy(tensor)(z, [1, 1]))).toBeClose(1000)
    expect(Tensor.toArray(softmaxCrossEntropy(tensor)(z, [0, 1]))).toBe(0)
  })

  fcTest.prop([problem(5)])(
    'its gradient is (softmax − onehot)/n and agrees with central differences',
    ([rows, labels]) => {
      const z = Tensor.fromArray(rows)
      const n = rows.length
      const k = rows[0]!.length
      const g = flat(grad(loss)(tensor)(z, Tensor.fromArray(labels)))
      const softmax = flat(tensor.softmax(z))
      const hot = flat(oneHot(labels, k))
      expect(g).toBeClose(
        softmax.map((s, i) => (s - hot[i]!) / n),
        { rel: 1e-9, abs: 1e-12 },
      )
      const xs = rows.flat()
      xs.forEach((_, i) => {
        const along = (t: number) => {
          const moved = xs.map((x, j) => (j === i ? t : x))
          return plainLoss(
            Array.from({ length: n }, (_, r) => moved.slice(r * k, (r + 1) * k)),
            labels,
          )
        }
        expect(g[i]).toBeClose(centralDifference(along, xs[i]!), { rel: 1e-5, abs: 1e-7 })
      })
    },
  )

  fcTest.prop([problem(5)])(
    'under jit and under vmap (per-example losses of rows [k]) equals eager',
    ([rows, labels]) => {
      const z = Tensor.fromArray(rows)
      const y = Tensor.fromArray(labels)
      const [value, gradient] = valueAndGrad(loss)(tensor)(z, y)
      const [jv, jg] = jit(valueAndGrad(loss))(tensor)(z, y)
      expect(Tensor.toArray(jv)).toBeClose(Tensor.toArray(value), { rel: 1e-12 })
      expect(flat(jg)).toBeClose(flat(gradient), { rel: 1e-12, abs: 1e-15 })
      const perRow = flat(vmap(loss)(tensor)(z, y))
      expect(perRow).toBeClose(
        rows.map((row, i) => plainRowLoss(row, labels[i]!)),
        { rel: 1e-12, abs: 1e-12 },
      )
    },
  )

  test('a target of 0 against a logit of −Infinity contributes 0, in value and gradient', () => {
    const z = Tensor.fromArray([[-Infinity, 0, 0]])
    expect(Tensor.toArray(softmaxCrossEntropy(tensor)(z, [1]))).toBeClose(Math.log(2))
    expect(Tensor.toArray2(grad(loss)(tensor)(z, Tensor.fromArray([1])))).toEqual([[0, -0.5, 0.5]])
  })

  test('probability targets give −Σ target · log softmax, averaged over rows', () => {
    const z = Tensor.fromArray([[0, Math.log(3)]])
    const targets = Tensor.fromArray([[0.5, 0.5]])
    const expected = -0.5 * Math.log(0.25) - 0.5 * Math.log(0.75)
    expect(Tensor.toArray(softmaxCrossEntropy(tensor)(z, targets))).toBeClose(expected)
  })

  test('an array with a label outside [0, k) throws naming it; such a value of the instance makes the loss NaN', () => {
    const z = Tensor.fromArray([
      [0, 1],
      [1, 0],
    ])
    expect(() => softmaxCrossEntropy(tensor)(z, [0, 2])).toThrow(
      'oneHot: label 2 at index 1 is not an integer in [0, 2)',
    )
    expect(Tensor.toArray(softmaxCrossEntropy(tensor)(z, Tensor.fromArray([0, 2])))).toBeNaN()
    expect(Tensor.toArray(softmaxCrossEntropy(tensor)(z, Tensor.fromArray([0.5, 1])))).toBeNaN()
    expect(flat(grad(loss)(tensor)(z, Tensor.fromArray([0, 2]))).every(Number.isFinite)).toBe(true)
  })

  test('labels of a shape that fits neither form throw naming both shapes', () => {
    const z = Tensor.fromArray([
      [0, 1],
      [1, 0],
    ])
    expect(() => softmaxCrossEntropy(tensor)(z, Tensor.fromArray([0, 1, 1]))).toThrow(
      'softmaxCrossEntropy: logits of shape [2,2] and labels of shape [3]',
    )
    expect(() => softmaxCrossEntropy(tensor)(z, [0])).toThrow(
      'softmaxCrossEntropy: logits of shape [2,2] and an array of 1 labels',
    )
    expect(() => softmaxCrossEntropy(tensor)(Tensor.scalar(1), [0])).toThrow(
      'softmaxCrossEntropy: logits of shape []; expected shape [n, k] or [k]',
    )
  })
})
