import { describe, expect, test } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { lr, optim, Tensor, grad, tensor } from '../../src/index.js'
import { usage } from '../../src/cli/flags.js'

const data = lr.gen2dData({ n: 40, seed: 2 })
const right = <A>(e: E.Either<Error, A>): A => {
  if (E.isLeft(e)) throw e.left
  return e.right
}

describe('lr.methods, the one record of the training methods', () => {
  test('the usage text lists every method of the record with its summary', () => {
    for (const [name, row] of Object.entries(lr.methods))
      expect(usage).toMatch(new RegExp(`${name} +${row.summary.replace(/[()]/g, '.')}`))
  })

  test('the config decoder refuses a field the method does not take, naming the methods that do', () => {
    expect(lr.decodeConfig({ epochs: 1, method: 'lbfgs', batchSize: 8 })).toEqual(
      E.left(
        new Error(`config.batchSize: only methods 'sgd' and 'adam' take it, got method 'lbfgs'`),
      ),
    )
    expect(
      lr.decodeConfig({ epochs: 1, method: 'batch', learningRate: 1, shuffleWindow: 8 })._tag,
    ).toBe('Left')
  })

  test('batch is gradient descent on the mean objective: w − α·∇ after one epoch', () => {
    const w0 = [1, 1, 1]
    const g = Tensor.toArray(grad(lr.objective(data))(tensor)(Tensor.fromArray(w0))) as number[]
    const result = right(lr.train({ epochs: 1, method: 'batch', learningRate: 0.5 })(data))
    expect(result.weights).toEqual(w0.map((w, j) => w - 0.5 * g[j]!))
  })

  test('mini-batch adam is one optim.adam step per batch, in the batch order of lr.batchesOf', () => {
    const config = {
      epochs: 2,
      method: 'adam',
      learningRate: 0.1,
      batchSize: 7,
      shuffleSeed: 4,
      shuffleWindow: 16,
    } as const
    const opt = optim.adam({ learningRate: 0.1 })
    let w = Tensor.fromArray([1, 1, 1])
    let s = opt.init(w)
    for (const epoch of [1, 2])
      for (const b of lr.batchesOf(data, {
        batchSize: 7,
        shuffleSeed: 4,
        shuffleWindow: 16,
        epoch,
      })) {
        const g = grad(lr.objective(b, { classes: 2 }))(tensor)(w)
        ;[w, s] = opt.update(g, s, w)
      }
    expect(right(lr.train(config)(data)).weights).toEqual(Tensor.toArray(w))
  })
})
