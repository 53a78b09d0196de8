import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, test } from 'vitest'
import { lr, Tensor, type Tensorial } from '../../src/index.js'
import { tensorDerivativeLaws } from '../../laws/index.js'

const right = <A>(e: E.Either<Error, A>): A => {
  if (E.isLeft(e)) throw e.left
  return e.right
}

/** The update rule written out here, independently of the library: w += α·(y − h)·x. */
const handWrittenSgd = (data: lr.Dataset, epochs: number, rate: number): number[] => {
  const x = Tensor.toArray(data.x) as number[][]
  const y = Tensor.toArray(data.y) as number[]
  const w = [1, 1, 1]
  for (let e = 0; e < epochs; e++) {
    for (let i = 0; i < y.length; i++) {
      const z = w[0]! * x[i]![0]! + w[1]! * x[i]![1]! + w[2]! * x[i]![2]!
      const h = 1 / (1 + Math.exp(-z))
      for (let j = 0; j < 3; j++) w[j] = w[j]! + rate * (y[i]! - h) * x[i]![j]!
    }
  }
  return w
}

describe('lr.train with sgd', () => {
  test.each([1, 2, 3, 4, 5])(
    'the default settings (n = 100, 300 epochs, rate 0.01) reach accuracy ≥ 0.95 with seed %i',
    (seed) => {
      const data = lr.gen2dData({ n: 100, seed })
      const { weights, history } = right(lr.train({ epochs: 300, learningRate: 0.01 })(data))
      expect(lr.accuracy(weights, data)).toBeGreaterThanOrEqual(0.95)
      expect(history[history.length - 1]!.accuracy).toBe(lr.accuracy(weights, data))
    },
  )

  fcTest.prop(
    [
      fc.integer({ min: 0, max: 1000 }),
      fc.integer({ min: 1, max: 30 }),
      fc.double({ min: 0.001, max: 0.5, noNaN: true }),
    ],
    { numRuns: 20 },
  )(
    "its weights follow the Python tool's per-sample trajectory, written out by hand, to 1e-9",
    (seed, epochs, rate) => {
      const data = lr.gen2dData({ n: 40, seed })
      const { weights } = right(lr.train({ epochs, learningRate: rate })(data))
      expect(weights).toBeClose(handWrittenSgd(data, epochs, rate), { rel: 1e-9, abs: 1e-9 })
    },
  )

  test('the same seed gives a bit-identical training result', () => {
    const run = () =>
      right(lr.train({ epochs: 20, learningRate: 0.05 })(lr.gen2dData({ n: 60, seed: 11 })))
    expect(run()).toEqual(run())
  })

  test('a shuffle seed changes the order, and the same shuffle seed repeats it', () => {
    const data = lr.gen2dData({ n: 60, seed: 11 })
    const plain = right(lr.train({ epochs: 5, learningRate: 0.1 })(data))
    const shuffled = right(lr.train({ epochs: 5, learningRate: 0.1, shuffleSeed: 3 })(data))
    expect(shuffled.weights).not.toEqual(plain.weights)
    expect(right(lr.train({ epochs: 5, learningRate: 0.1, shuffleSeed: 3 })(data))).toEqual(
      shuffled,
    )
  })

  test('the history holds one entry per epoch with its mean loss and accuracy', () => {
    const data = lr.gen2dData({ n: 30, seed: 2 })
    const { history } = right(lr.train({ epochs: 4, learningRate: 0.1 })(data))
    expect(history.map((h) => h.epoch)).toEqual([1, 2, 3, 4])
    for (const h of history)
      expect(h.accuracy >= 0 && h.accuracy <= 1 && Number.isFinite(h.loss)).toBe(true)
  })
})

describe('lr.train with batch', () => {
  fcTest.prop([fc.integer({ min: 0, max: 1000 }), fc.double({ min: 0.01, max: 1, noNaN: true })], {
    numRuns: 15,
  })('the mean loss does not increase from epoch to epoch for a small rate', (seed, rate) => {
    const data = lr.gen2dData({ n: 50, seed })
    const { history } = right(lr.train({ epochs: 15, learningRate: rate, method: 'batch' })(data))
    history.slice(1).forEach((h, i) => expect(h.loss).toBeLessThanOrEqual(history[i]!.loss + 1e-12))
  })

  test('the gradient of its loss passes the finite-difference laws', () => {
    const data = lr.gen2dData({ n: 25, seed: 4 })
    const f =
      <A>(T: Tensorial<A>) =>
      (xs: ReadonlyArray<A>): A =>
        lr.meanLoss(data)(T)(xs[0]!)
    tensorDerivativeLaws('meanLoss', f, {
      shapes: fc.constant([[3]]),
      values: fc.double({ min: -5, max: 5, noNaN: true }),
      numRuns: 100,
    })
  })

  test('training well separated data drives the accuracy to at least 0.95', () => {
    const data = lr.gen2dData({ n: 200, seed: 5 })
    const { weights } = right(lr.train({ epochs: 300, learningRate: 1, method: 'batch' })(data))
    expect(lr.accuracy(weights, data)).toBeGreaterThanOrEqual(0.95)
  })
})

describe('lr.states', () => {
  test.each(['sgd', 'batch'] as const)(
    'the lazy states (%s) and the fold agree; the last state is the result',
    (method) => {
      const data = lr.gen2dData({ n: 30, seed: 8 })
      const config = { epochs: 6, learningRate: 0.1, method }
      const states = [...right(lr.states(config)(data))]
      const result = right(lr.train(config)(data))
      expect(states.map(({ epoch, loss, accuracy }) => ({ epoch, loss, accuracy }))).toEqual(
        result.history,
      )
      expect(states[states.length - 1]!.weights).toEqual(result.weights)
    },
  )

  test('nothing is computed until the states are read', () => {
    const data = lr.gen2dData({ n: 30, seed: 8 })
    const iterator = right(lr.states({ epochs: 1e9, learningRate: 0.1 })(data))[Symbol.iterator]()
    expect(iterator.next().value?.epoch).toBe(1)
  })
})

describe('invalid config and data', () => {
  const data = lr.gen2dData({ n: 10, seed: 1 })
  test.each([
    [{ epochs: 0, learningRate: 0.1 }, 'config.epochs: expected a positive integer, got 0'],
    [{ epochs: -3, learningRate: 0.1 }, 'config.epochs: expected a positive integer, got -3'],
    [{ epochs: 1.5, learningRate: 0.1 }, 'config.epochs: expected a positive integer, got 1.5'],
    [{ learningRate: 0.1 }, 'config.epochs: expected a positive integer, got nothing'],
    [
      { epochs: 1, learningRate: NaN },
      'config.learningRate: expected a positive finite number, got NaN',
    ],
    [
      { epochs: 1, learningRate: Infinity },
      'config.learningRate: expected a positive finite number, got Infinity',
    ],
    [
      { epochs: 1, learningRate: -Infinity },
      'config.learningRate: expected a positive finite number, got -Infinity',
    ],
    [
      { epochs: 1, learningRate: 0 },
      'config.learningRate: expected a positive finite number, got 0',
    ],
    [
      { epochs: 1, learningRate: -0.1 },
      'config.learningRate: expected a positive finite number, got -0.1',
    ],
    [
      { epochs: 1, learningRate: 0.1, method: 'adamw' },
      `config.method: expected 'sgd', 'batch', 'adam', 'newton' or 'lbfgs', got "adamw"`,
    ],
    [
      { epochs: 1, method: 'adam' },
      `config.learningRate: expected a positive finite number (method 'adam' needs one), got nothing`,
    ],
    [
      { epochs: 1, learningRate: 0.1, method: 'batch', tolerance: 1e-6 },
      `config.tolerance: only methods 'newton' and 'lbfgs' take it, got method 'batch'`,
    ],
    [
      { epochs: 1, method: 'lbfgs', shuffleSeed: 2 },
      `config.shuffleSeed: only methods 'sgd' and 'adam' take it, got method 'lbfgs'`,
    ],
    [{ epochs: 1, learningRate: 0.1, l2: -1 }, 'config.l2: expected a finite number ≥ 0, got -1'],
    [
      {
        epochs: 1,
        learningRate: 0.1,
        init: [
          [1, 0],
          [1, 0],
          [1, Infinity],
        ],
      },
      'config.init.2.1: expected a finite number, got Infinity',
    ],
    [
      {
        epochs: 1,
        learningRate: 0.1,
        init: [
          [1, 0],
          [1, 0],
          [1, 0],
        ],
      },
      'config.init: expected 3 weights (one per column of x), got [[1,0],[1,0],[1,0]]',
    ],
    [
      { epochs: 1, learningRate: 0.1, model: 'multinomial', init: [1, 1, 1] },
      'config.init: expected 3 rows of 2 weights (a row per column of x, a column per class), got [1,1,1]',
    ],
    [
      { epochs: 1, learningRate: 0.1, init: [1, 2] },
      'config.init: expected 3 weights (one per column of x), got [1,2]',
    ],
    [
      { epochs: 1, learningRate: 0.1, init: [1, NaN, 2] },
      'config.init.1: expected a finite number, got NaN',
    ],
    [{ epochs: 1, learningRate: 0.1, lerningRate: 1 }, 'config.lerningRate: unknown field'],
    [null, 'config: expected an object with epochs and learningRate, got null'],
  ])('%o is refused: %s', (config, message) => {
    const result = lr.train(config as never)(data)
    expect(E.isLeft(result) && result.left.message).toContain(message)
  })

  test.each([
    [[0, 1, 0.5, 0, 1, 0, 1, 0, 1, 0], 'data.y[2]: expected a class label 0, 1, 2, …, got 0.5'],
    [[0, 1, -1, 0, 1, 0, 1, 0, 1, 0], 'data.y[2]: expected a class label 0, 1, 2, …, got -1'],
    [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 'data.y: expected at least two classes, got only class 0'],
    [
      [0, 1, 3, 0, 1, 0, 1, 0, 1, 0],
      'data.y: expected every class 0..3 to have a row (labels go up to 3), but class 2 has none',
    ],
  ])('labels %j are refused: %s', (labels, message) => {
    const bad = { x: data.x, y: Tensor.fromArray(labels) }
    const result = lr.train({ epochs: 1, learningRate: 0.1 })(bad)
    expect(E.isLeft(result) && result.left.message).toBe(message)
  })

  test('a binary model on three classes is refused', () => {
    const three = { x: data.x, y: Tensor.fromArray([0, 1, 2, 0, 1, 0, 1, 0, 1, 0]) }
    const result = lr.train({ epochs: 1, learningRate: 0.1, model: 'binary' })(three)
    expect(E.isLeft(result) && result.left.message).toBe(
      "config.model: 'binary' needs labels 0 and 1, but the data has 3 classes",
    )
  })
})

describe('the loss at extreme scores', () => {
  test('a score that overflows to +Infinity with label 1 costs 0 (it was ∞ − ∞ = NaN)', () => {
    const data = { x: Tensor.fromArray([[1, 1e300]]), y: Tensor.fromArray([1]) }
    expect(lr.lossOf([0, 1e10], data)).toBe(0)
    expect(lr.lossOf([0, -1e10], { ...data, y: Tensor.fromArray([0]) })).toBe(0)
  })

  test.each([40, -40, 800, -800])(
    'stays finite and accurate at z = %d (no log(0) for confident predictions)',
    (z) => {
      const data = {
        x: Tensor.fromArray([
          [1, 0, 0],
          [1, 0, 0],
        ]),
        y: Tensor.fromArray([0, 1]),
      }
      const loss = lr.lossOf([z, 0, 0], data)
      // The exact value: (softplus(z) + softplus(z) − z) / 2 with softplus(z) = max(z, 0) + log1p(e^−|z|).
      const sp = Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)))
      expect(Number.isFinite(loss)).toBe(true)
      expect(loss).toBeClose((2 * sp - z) / 2, { rel: 1e-12 })
    },
  )
})

describe('lr.decodeConfig', () => {
  test('returns its own init array: it used to hand back the caller’s, aliasing an input', () => {
    const init = [1, 1, 1]
    const decoded = lr.decodeConfig({ epochs: 1, learningRate: 0.1, init })
    expect(E.isRight(decoded) && decoded.right.init).toEqual(init)
    expect(E.isRight(decoded) && decoded.right.init).not.toBe(init)
  })

  test('spells out NaN in what it received (it printed null, as JSON does)', () => {
    const decoded = lr.decodeConfig([Number.NaN])
    expect(E.isLeft(decoded) && decoded.left.message).toBe(
      'config: expected an object with epochs and learningRate, got [NaN]',
    )
  })
})
