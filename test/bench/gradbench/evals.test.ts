import { describe, expect, test } from 'vitest'
import { forward, reverse, scalar } from '../../../src/index.js'
import { mismatches } from './compare.js'
import { miss } from './evals/particle.js'
import { maxOver } from './evals/saddle.js'
import { modules } from './modules.js'
import { respond } from './protocol.js'

/** The output of one evaluation (a single run). */
const evaluate = (module: string, fn: string, input: object): unknown => {
  const response = respond(modules, {
    id: 1,
    kind: 'evaluate',
    module,
    function: fn,
    input: { ...input, min_runs: 1, min_seconds: 0 },
  })
  if (response.success !== true) throw new Error(response.error)
  return response.output
}

/** Central differences of a scalar function of a list of numbers. */
const numericGradient = (f: (x: ReadonlyArray<number>) => number, x: ReadonlyArray<number>) =>
  x.map((xi, i) => {
    const h = 1e-5 * Math.max(1, Math.abs(xi))
    const at = (d: number) => f(x.map((v, j) => (j === i ? v + d : v)))
    return (at(h) - at(-h)) / (2 * h)
  })

const expectClose = (actual: unknown, expected: unknown, tolerance = 1e-6) =>
  expect(mismatches(expected, actual, tolerance)).toEqual([])

/** A deterministic list of numbers in [lo, hi). */
const numbers = (n: number, seed: number, lo = 0, hi = 1) =>
  Array.from(
    { length: n },
    (_, i) => lo + (hi - lo) * ((Math.sin(seed * 9301 + i * 49297) + 1) / 2),
  )

describe('llsq', () => {
  const x = [0.3, -0.2, 0.5]
  const n = 5
  const t = Array.from({ length: n }, (_, i) => -1 + (2 * i) / (n - 1))
  const objective = (x: ReadonlyArray<number>) =>
    t.reduce((s, ti) => {
      const r = Math.sign(ti) - x.reduce((a, xj, j) => a + xj * ti ** j, 0)
      return s + r * r
    }, 0) / 2

  test('primal is half the squared residual of the polynomial fit to sign(t)', () => {
    expectClose(evaluate('llsq', 'primal', { x, n }), objective(x), 1e-12)
  })

  test('gradient agrees with central differences', () => {
    expectClose(evaluate('llsq', 'gradient', { x, n }), numericGradient(objective, x))
  })
})

describe('lse', () => {
  test('primal is log Σ exp, without overflow at large inputs', () => {
    expectClose(
      evaluate('lse', 'primal', { x: [1, 2, 3] }),
      Math.log(Math.E + Math.E ** 2 + Math.E ** 3),
      1e-12,
    )
    expectClose(evaluate('lse', 'primal', { x: [1000, 1000] }), 1000 + Math.log(2), 1e-12)
  })

  test('gradient is the softmax', () => {
    const x = [0.5, -1, 2]
    const z = x.reduce((s, v) => s + Math.exp(v), 0)
    expectClose(
      evaluate('lse', 'gradient', { x }),
      x.map((v) => Math.exp(v) / z),
      1e-12,
    )
  })
})

describe('det', () => {
  const a = [2, -1, 0, 3, 1, 4, 0.5, 2, -2, 1, 3, 1, 0, 2, 1, -1]
  const det3 = (m: ReadonlyArray<number>) =>
    m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) -
    m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) +
    m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!)
  const det4 = (m: ReadonlyArray<number>) =>
    [0, 1, 2, 3].reduce((s, j) => {
      const minor = [1, 2, 3].flatMap((r) =>
        [0, 1, 2, 3].filter((c) => c !== j).map((c) => m[r * 4 + c]!),
      )
      return s + (j % 2 === 0 ? 1 : -1) * m[j]! * det3(minor)
    }, 0)

  test('primal is the determinant', () => {
    expectClose(evaluate('det', 'primal', { A: a.slice(0, 9), ell: 3 }), det3(a.slice(0, 9)), 1e-12)
    expectClose(evaluate('det', 'primal', { A: a, ell: 4 }), det4(a), 1e-12)
  })

  test('gradient is the cofactor matrix, checked by central differences', () => {
    expectClose(evaluate('det', 'gradient', { A: a, ell: 4 }), numericGradient(det4, a))
  })
})

describe('ode', () => {
  // With four unknowns the solution is a polynomial of degree ≤ 4 in t, which classical
  // Runge–Kutta integrates exactly: y(2) = (2x₀, 2x₀x₁, (4/3)x₀x₁x₂, (2/3)x₀x₁x₂x₃).
  const x = [0.7, 1.3, -0.4, 0.9]
  const [a, b, c, d] = x as [number, number, number, number]

  test.each([1, 3])('primal with %i steps is the exact solution at t = 2', (s) => {
    expectClose(
      evaluate('ode', 'primal', { x, s }),
      [2 * a, 2 * a * b, (4 / 3) * a * b * c, (2 / 3) * a * b * c * d],
      1e-12,
    )
  })

  test('gradient is that of the last component, (2/3)x₀x₁x₂x₃', () => {
    const k = 2 / 3
    expectClose(
      evaluate('ode', 'gradient', { x, s: 2 }),
      [k * b * c * d, k * a * c * d, k * a * b * d, k * a * b * c],
      1e-12,
    )
  })
})

describe('kmeans', () => {
  const points = Array.from({ length: 12 }, (_, i) => numbers(3, i + 1))
  const centroids = points.slice(-3)
  const nearest = (p: ReadonlyArray<number>) => {
    const d2 = centroids.map((c) => c.reduce((s, cj, j) => s + (cj - p[j]!) ** 2, 0))
    return d2.indexOf(Math.min(...d2))
  }

  test('cost is the sum of squared distances to the nearest centroid', () => {
    const cost = points.reduce(
      (s, p) => s + centroids[nearest(p)]!.reduce((a, cj, j) => a + (cj - p[j]!) ** 2, 0),
      0,
    )
    expectClose(evaluate('kmeans', 'cost', { points, centroids }), cost, 1e-12)
  })

  test('dir is the Newton step to each cluster mean: centroid − mean of its points', () => {
    const expected = centroids.map((c, k) => {
      const members = points.filter((p) => nearest(p) === k)
      return c.map((cj, j) => cj - members.reduce((s, p) => s + p[j]!, 0) / members.length)
    })
    expectClose(evaluate('kmeans', 'dir', { points, centroids }), expected, 1e-10)
  })
})

describe('gmm', () => {
  const [d, k, n, m, gamma] = [3, 2, 4, 1, 0.8]
  const input = {
    d,
    k,
    n,
    m,
    gamma,
    x: Array.from({ length: n }, (_, i) => numbers(d, 10 + i, -1, 1)),
    alpha: numbers(k, 20, -1, 1),
    mu: Array.from({ length: k }, (_, i) => numbers(d, 30 + i)),
    q: Array.from({ length: k }, (_, i) => numbers(d, 40 + i, -0.5, 0.5)),
    l: Array.from({ length: k }, (_, i) => numbers((d * (d - 1)) / 2, 50 + i, -0.5, 0.5)),
  }
  type Params = Pick<typeof input, 'alpha' | 'mu' | 'q' | 'l'>

  /** The log posterior straight from the definition: densities, determinants, a product. */
  const naive = (p: Params): number => {
    const factors = p.q.map((qk, c) => {
      const f = Array.from({ length: d }, () => new Array<number>(d).fill(0))
      let next = 0
      for (let j = 0; j < d; j++) {
        f[j]![j] = Math.exp(qk[j]!)
        for (let i = j + 1; i < d; i++) f[i]![j] = p.l[c]![next++]!
      }
      return f
    })
    const weights = p.alpha.map(Math.exp)
    const z = weights.reduce((a, b) => a + b, 0)
    let logLikelihood = 0
    for (const xi of input.x) {
      let density = 0
      factors.forEach((f, c) => {
        const qx = f.map((row) => row.reduce((s, fij, j) => s + fij * (xi[j]! - p.mu[c]![j]!), 0))
        const detPrecision = Math.exp(2 * p.q[c]!.reduce((a, b) => a + b, 0))
        const quad = qx.reduce((s, v) => s + v * v, 0)
        density +=
          (weights[c]! / z) * Math.exp(-quad / 2) * Math.sqrt(detPrecision / (2 * Math.PI) ** d)
      })
      logLikelihood += Math.log(density)
    }
    // Wishart density of each precision QᵀQ with V = I/γ², n = d + m + 1 degrees of freedom.
    const dof = d + m + 1
    // log Γ₃(a) = (3·2/4) log π + log Γ(a) + log Γ(a − 1/2) + log Γ(a − 1); here a = 5/2.
    const logGamma3 =
      1.5 * Math.log(Math.PI) +
      Math.log(0.75 * Math.sqrt(Math.PI)) +
      Math.log(0.5 * Math.sqrt(Math.PI))
    const logPrior = factors.reduce((s, f, c) => {
      const frobenius = f.flat().reduce((a, v) => a + v * v, 0)
      const logDetPrecision = 2 * p.q[c]!.reduce((a, b) => a + b, 0)
      return (
        s +
        ((dof - d - 1) / 2) * logDetPrecision -
        (gamma * gamma * frobenius) / 2 -
        ((dof * d) / 2) * Math.log(2) +
        dof * d * Math.log(gamma) -
        logGamma3
      )
    }, 0)
    return logLikelihood + logPrior
  }

  test('objective is the log posterior of its definition', () => {
    expectClose(evaluate('gmm', 'objective', input), naive(input), 1e-10)
  })

  test('jacobian agrees with central differences of the definition', () => {
    const flat = [...input.alpha, ...input.mu.flat(), ...input.q.flat(), ...input.l.flat()]
    const rows = (v: ReadonlyArray<number>, at: number, cols: number) =>
      Array.from({ length: k }, (_, i) => v.slice(at + i * cols, at + (i + 1) * cols))
    const unpack = (v: ReadonlyArray<number>): Params => ({
      alpha: v.slice(0, k),
      mu: rows(v, k, d),
      q: rows(v, k + k * d, d),
      l: rows(v, k + 2 * k * d, (d * (d - 1)) / 2),
    })
    const expected = unpack(numericGradient((v) => naive(unpack(v)), flat))
    expectClose(evaluate('gmm', 'jacobian', input), expected, 1e-6)
  })
})

describe('lstm', () => {
  const [layers, b, c] = [2, 3, 4]
  const input = {
    main_params: Array.from({ length: 2 * layers }, (_, i) => numbers(4 * b, 60 + i)),
    extra_params: Array.from({ length: 3 }, (_, i) => numbers(b, 70 + i)),
    state: Array.from({ length: 2 * layers }, (_, i) => numbers(b, 80 + i)),
    sequence: Array.from({ length: c }, (_, i) =>
      numbers(b, 90 + i).map((v): number => (v > 0.5 ? 1 : 0)),
    ),
  }
  const flat = [...input.main_params.flat(), ...input.extra_params.flat()]
  const objective = (v: ReadonlyArray<number>) => {
    const rows = (at: number, count: number, cols: number) =>
      Array.from({ length: count }, (_, i) => v.slice(at + i * cols, at + (i + 1) * cols))
    return evaluate('lstm', 'objective', {
      ...input,
      main_params: rows(0, 2 * layers, 4 * b),
      extra_params: rows(8 * layers * b, 3, b),
    }) as number
  }

  test('objective of a one-step sequence is the loss of the first prediction', () => {
    const one = {
      ...input,
      main_params: input.main_params.slice(0, 2),
      state: input.state.slice(0, 2),
      sequence: input.sequence.slice(0, 2),
    }
    const sig = (z: number) => 1 / (1 + Math.exp(-z))
    const [w, bias] = [one.main_params[0]!, one.main_params[1]!]
    const [inW, outW, outB] = input.extra_params as [number[], number[], number[]]
    const prediction = one.sequence[0]!.map((xj, j) => {
      const x = xj * inW[j]!
      const [h, s] = [one.state[0]![j]!, one.state[1]![j]!]
      const cell =
        s * sig(x * w[j]! + bias[j]!) +
        sig(h * w[b + j]! + bias[b + j]!) * Math.tanh(h * w[3 * b + j]! + bias[3 * b + j]!)
      return sig(x * w[2 * b + j]! + bias[2 * b + j]!) * Math.tanh(cell) * outW[j]! + outB[j]!
    })
    const lse = Math.log(prediction.reduce((a, y) => a + Math.exp(y), 0) + 2)
    const loss = -one.sequence[1]!.reduce((a, g, j) => a + g * (prediction[j]! - lse), 0) / b
    expectClose(evaluate('lstm', 'objective', one), loss, 1e-12)
  })

  test('jacobian agrees with central differences', () => {
    expectClose(evaluate('lstm', 'jacobian', input), numericGradient(objective, flat))
  })
})

describe('ba', () => {
  const input = {
    n: 2,
    m: 3,
    p: 5,
    cam: numbers(11, 100, 0.1, 1),
    x: numbers(3, 101, 1, 2),
    w: 0.7,
    feat: [0.2, -0.3],
  }

  test('the weight error is 1 − w² and the sparse jacobian holds −2w in the weight rows', () => {
    const objective = evaluate('ba', 'objective', input) as {
      w_err: { element: number; repeated: number }
    }
    expect(objective.w_err).toEqual({ element: 1 - 0.49, repeated: 5 })
    const jacobian = evaluate('ba', 'jacobian', input) as {
      rows: number[]
      cols: number[]
      vals: number[]
    }
    expect(jacobian.rows.at(-1)).toBe(2 * 5 * 15 + 5)
    expect(jacobian.cols.at(-1)).toBe(11 * 2 + 3 * 3 + 4)
    expectClose(jacobian.vals.at(-1), -1.4, 1e-12)
  })

  test('jacobian blocks agree with central differences of the reprojection error', () => {
    const reprojection = (cam: ReadonlyArray<number>, x: ReadonlyArray<number>, w: number) =>
      (
        evaluate('ba', 'objective', { ...input, cam, x, w }) as {
          reproj_error: { elements: number[] }
        }
      ).reproj_error.elements
    const params = [...input.cam, ...input.x, input.w]
    const row = (r: number) =>
      numericGradient((v) => reprojection(v.slice(0, 11), v.slice(11, 14), v[14]!)[r]!, params)
    const jacobian = evaluate('ba', 'jacobian', input) as { vals: number[] }
    expectClose(jacobian.vals.slice(0, 15), row(0))
    expectClose(jacobian.vals.slice(15, 30), row(1))
  })
})

describe('particle', () => {
  const simulate = (w: number) => miss(forward.grad)(scalar)(w)
  const h = 1e-6
  const slope = (simulate(h) - simulate(-h)) / (2 * h)

  test.each([
    ['ff', forward.diff, forward.grad],
    ['fr', forward.diff, reverse.grad],
    ['rf', reverse.grad, forward.grad],
    ['rr', reverse.grad, reverse.grad],
  ] as const)(
    '%s: the outer derivative through the simulation agrees with central differences',
    (_, outer, inner) => {
      expectClose(outer(miss(inner))(scalar)(0), slope, 1e-5)
    },
  )

  test("ff descends from a start near the optimum to the eval's answer, w ≈ 0.2072", () => {
    const w = evaluate('particle', 'ff', { w: 0.2 }) as number
    expect(Math.abs(w - 0.2071918746486116)).toBeLessThan(1e-3)
  })
})

describe('saddle', () => {
  // The inner maximiser does not depend on p, so the outer gradient is ∇|p|² = 2p.
  test.each([
    ['ff', forward.grad, forward.grad],
    ['fr', forward.grad, reverse.grad],
    ['rf', reverse.grad, forward.grad],
    ['rr', reverse.grad, reverse.grad],
  ] as const)(
    '%s: the gradient of the inner maximum through its search is 2p',
    (_, outer, inner) => {
      expectClose(outer(maxOver(inner, [1, 1]))(scalar)([0.3, -0.6]), [0.6, -1.2], 1e-9)
    },
  )
})
