import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { optim, scalar, tensor, Tensor, type Floating, type Tensorial } from '../../src/index.js'

const rosenbrock =
  <A>(F: Floating<A>) =>
  ([x, y]: ReadonlyArray<A>) =>
    F.add(
      F.mul(F.sub(F.one, x!), F.sub(F.one, x!)),
      F.mul(F.fromNumber(100), F.mul(F.sub(y!, F.mul(x!, x!)), F.sub(y!, F.mul(x!, x!)))),
    )

/** A random positive definite quadratic ½xᵀAx − bᵀx, A = MᵀM + I, in n = 2..6 variables. */
const quadratic = fc.integer({ min: 2, max: 6 }).chain((n) =>
  fc.record({
    m: fc.array(
      fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n, maxLength: n }),
      {
        minLength: n,
        maxLength: n,
      },
    ),
    b: fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: n, maxLength: n }),
  }),
)
const matrixOf = (m: number[][]) =>
  m.map((_, i) =>
    m.map((_, j) => m.reduce((s, row) => s + row[i]! * row[j]!, 0) + (i === j ? 1 : 0)),
  )
const quadraticLoss =
  (a: number[][], b: number[]) =>
  <A>(T: Tensorial<A>) =>
  (x: A) =>
    T.sub(
      T.mul(T.fromNumber(0.5), T.dot(x, T.matmul(T.constant(Tensor.fromArray(a)), x))),
      T.dot(T.constant(Tensor.fromArray(b)), x),
    )
/** The gradient A·x − b, written here. */
const residual = (a: number[][], b: number[], x: number[]) =>
  Math.hypot(...a.map((row, i) => row.reduce((s, aij, j) => s + aij * x[j]!, 0) - b[i]!))

const methods: ReadonlyArray<
  readonly [string, (o?: optim.StopOptions) => optim.Minimizer<unknown>]
> = [
  ['newton', optim.newton],
  ['lbfgs', optim.lbfgs],
]

describe.each(methods)('optim.%s', (name, method) => {
  fcTest.prop([quadratic], { numRuns: 100 })(
    'on a positive definite quadratic it stops converged where A·x − b (computed here) is below 1e-8',
    ({ m, b }) => {
      const a = matrixOf(m)
      const found = optim.minimize(method())(optim.objective(quadraticLoss(a, b))(tensor))(
        Tensor.fromArray(b.map(() => 0)),
      )
      expect(found.reason).toBe('converged')
      expect(residual(a, b, Tensor.toArray(found.params) as number[])).toBeLessThanOrEqual(1.1e-8)
    },
  )

  test('converges where the decrease is below rounding (lbfgs stopped with lineSearchFailed at 1e-7)', () => {
    // The shrunk counterexample of the property above: near the minimum, φ's decrease is
    // rounding noise and the plain Armijo test refused every step.
    const m = [
      [-0.0003646696037182694, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, -2.980232238769532e-8],
      [0, 0, 0, 0, 0, 0],
      [-0.8746960779034413, 0, 0, -7.2882413790104984e-9, 0, 0.7290431106997742],
    ]
    const b = [0, 0, 4.938393534324213, 0, 0, -3.4359412578339685]
    const a = matrixOf(m)
    const found = optim.minimize(method())(optim.objective(quadraticLoss(a, b))(tensor))(
      Tensor.fromArray(b.map(() => 0)),
    )
    expect(found.reason).toBe('converged')
    expect(residual(a, b, Tensor.toArray(found.params) as number[])).toBeLessThanOrEqual(1.1e-8)
  })

  test('finds the minimum of Rosenbrock’s function from (−1.2, 1)', () => {
    const found = optim.minimize(method())(optim.objective(rosenbrock)(scalar))([-1.2, 1])
    expect(found.reason).toBe('converged')
    expect(found.params).toBeClose([1, 1], { abs: 1e-8 })
    expect(found.history[0]!.value).toBeCloseTo(24.2)
    expect(found.history.every((h, i) => i === 0 || h.value <= found.history[i - 1]!.value)).toBe(
      true,
    )
  })

  test('stops after maxIterations and says so', () => {
    const found = optim.minimize(method({ maxIterations: 3 }))(optim.objective(rosenbrock)(scalar))(
      [-1.2, 1],
    )
    expect(found.reason).toBe('maxIterations')
    expect(found.iterations).toBe(3)
    expect(found.history).toHaveLength(4)
  })

  test('a start that already meets the tolerance takes no iteration', () => {
    const found = optim.minimize(method())(optim.objective(rosenbrock)(scalar))([1, 1])
    expect(found).toMatchObject({ reason: 'converged', iterations: 0, params: [1, 1] })
  })

  test('an objective that is NaN at the start stops as notFinite', () => {
    const f =
      <A>(F: Floating<A>) =>
      (xs: ReadonlyArray<A>) =>
        F.log(xs[0]!)
    expect(optim.minimize(method())(optim.objective(f)(scalar))([-1]).reason).toBe('notFinite')
  })

  test('minimises over a tree of Tensors and numbers, giving the same tree back', () => {
    const f =
      <A>(T: Tensorial<A>) =>
      (p: { readonly w: A; readonly c: A }) =>
        T.add(
          T.sum(T.mul(T.sub(p.w, p.c), T.sub(p.w, p.c))),
          T.mul(T.sub(p.c, T.one), T.sub(p.c, T.one)),
        )
    const found = optim.minimize(method())(optim.objective(f)(tensor))({
      w: Tensor.fromArray([3, -2]),
      c: Tensor.fromArray(0),
    })
    expect(Tensor.toArray(found.params.w)).toBeClose([1, 1], { abs: 1e-8 })
    expect(Tensor.toArray(found.params.c)).toBeClose(1, { abs: 1e-8 })
  })

  test('iterates is lazy: the start, then one iterate per step, the last one stopped', () => {
    const all = [...optim.iterates(method())(optim.objective(rosenbrock)(scalar))([-1.2, 1])]
    expect(all[0]!.iteration).toBe(0)
    expect(all.map((it) => it.iteration)).toEqual(all.map((_, i) => i))
    expect(all.filter((it) => it.stop !== undefined)).toHaveLength(1)
    expect(all[all.length - 1]!.stop).toBe('converged')
    void name
  })
})

describe('optim.newton', () => {
  test('a step too small to move x stops the run (it counted 910 iterations at one point)', () => {
    const f =
      <A>(F: Floating<A>) =>
      (xs: ReadonlyArray<A>) =>
        F.add(F.mul(F.fromNumber(1e-3), F.pow(F.sub(xs[0]!, F.one), F.fromNumber(4))), F.one)
    const found = optim.minimize(optim.newton({ tolerance: 0 }))(optim.objective(f)(scalar))([3])
    expect(found.reason).toBe('lineSearchFailed')
    expect(found.iterations).toBeLessThan(200)
    // The failed step repeats its iterate in the lazy iterates, once in the history.
    expect(new Set(found.history.map((h) => h.iteration)).size).toBe(found.history.length)
  })

  test('where the Hessian is indefinite it still descends (x⁴ − x² from 0.1 reaches ±1/√2)', () => {
    const f =
      <A>(F: Floating<A>) =>
      (xs: ReadonlyArray<A>) =>
        F.sub(F.mul(F.mul(xs[0]!, xs[0]!), F.mul(xs[0]!, xs[0]!)), F.mul(xs[0]!, xs[0]!))
    const found = optim.minimize(optim.newton())(optim.objective(f)(scalar))([0.1])
    expect(found.reason).toBe('converged')
    expect(Math.abs(found.params[0]!)).toBeCloseTo(Math.SQRT1_2, 10)
  })

  test('an objective without Hessian-vector products is refused with a way out', () => {
    const o = optim.objective(rosenbrock)(scalar)
    expect(() => optim.minimize(optim.newton())({ valueAndGrad: o.valueAndGrad })([0, 0])).toThrow(
      'newton: the objective has no hessianVectorProduct; build it with optim.objective(f)(F)',
    )
  })

  test.each([
    [{ tolerance: -1 }, 'newton: tolerance must be finite and ≥ 0, got -1'],
    [{ maxIterations: 1.5 }, 'newton: maxIterations must be an integer ≥ 0, got 1.5'],
  ])('refuses %o', (options, message) => {
    expect(() => optim.newton(options)).toThrow(message)
  })
})

describe('optim.wolfeLineSearch', () => {
  /** φ(a) = p·(a − r)² + q·sin(s·a) + c·a, with φ′(0) < 0 ensured by the arbitrary. */
  const line = fc
    .record({
      p: fc.double({ min: 0.01, max: 100, noNaN: true }),
      r: fc.double({ min: 0.01, max: 10, noNaN: true }),
      q: fc.double({ min: 0, max: 1, noNaN: true }),
      s: fc.double({ min: 0.1, max: 10, noNaN: true }),
    })
    .filter(({ p, r, q, s }) => -2 * p * r + q * s < -1e-3)

  fcTest.prop([line], { numRuns: 300 })(
    'the step it returns satisfies both strong Wolfe conditions',
    ({ p, r, q, s }) => {
      const phi = (a: number) => ({
        step: a,
        value: p * (a - r) ** 2 + q * Math.sin(s * a),
        slope: 2 * p * (a - r) + q * s * Math.cos(s * a),
        payload: undefined,
      })
      const start = phi(0)
      const found = optim.wolfeLineSearch(phi, start)
      expect(found).toBeDefined()
      expect(found!.step).toBeGreaterThan(0)
      // (These functions are bounded below: the evaluations never run out first.)
      // Sufficient decrease, or (within rounding of φ(0)) its approximate form.
      const armijo = found!.value <= start.value + 1e-4 * found!.step * start.slope
      const approximate =
        found!.value <= start.value + 1e-10 * Math.abs(start.value) &&
        found!.slope <= (2e-4 - 1) * start.slope
      expect(armijo || approximate).toBe(true)
      expect(Math.abs(found!.slope)).toBeLessThanOrEqual(0.9 * Math.abs(start.slope))
    },
  )

  test('a direction that is not one of descent gives undefined', () => {
    const phi = (a: number) => ({ step: a, value: a * a + a, slope: 2 * a + 1, payload: undefined })
    expect(optim.wolfeLineSearch(phi, phi(0))).toBeUndefined()
  })

  test('a function unbounded below gives its lowest point of sufficient decrease rather than looping', () => {
    const phi = (a: number) => ({ step: a, value: -a, slope: -1, payload: undefined })
    const found = optim.wolfeLineSearch(phi, phi(0))
    expect(found!.value).toBeLessThan(-1e6)
  })

  test('when the evaluations run out, a point of sufficient decrease seen is given back (it gave nothing)', () => {
    // f = √(2 − a) + (a − 3)² along a ≥ 0: no point of small slope before the pole at 2.
    const phi = (a: number) => ({
      step: a,
      value: Math.sqrt(2 - a) + (a - 3) ** 2,
      slope: -0.5 / Math.sqrt(2 - a) + 2 * (a - 3),
      payload: undefined,
    })
    const start = phi(0)
    const found = optim.wolfeLineSearch(phi, start, { maxEvaluations: 6 })
    expect(found).toBeDefined()
    expect(found!.value).toBeLessThanOrEqual(start.value + 1e-4 * found!.step * start.slope)
  })
})

describe('newton where the Hessian is tiny (scipy#11718 family)', () => {
  const flatTail =
    <A>(F: Floating<A>) =>
    (xs: ReadonlyArray<A>): A =>
      F.add(xs[0]!, F.exp(F.mul(F.fromNumber(-10), xs[0]!)))
  const poisson =
    <A>(F: Floating<A>) =>
    (xs: ReadonlyArray<A>): A =>
      F.sub(F.exp(xs[0]!), F.mul(F.fromNumber(3), xs[0]!))
  test.each([
    ['x + e^(−10x) from x = 5 (curvature 1.9e−20)', flatTail, 5, Math.log(10) / 10],
    ['x + e^(−10x) from x = 20', flatTail, 20, Math.log(10) / 10],
    ['the Poisson loss e^w − 3w from w = −45', poisson, -45, Math.log(3)],
  ] as const)('%s converges to the minimum (it used to stop at the start)', (_, f, x0, best) => {
    const found = optim.minimize(optim.newton())(optim.objective(f)(scalar))([x0])
    expect(found.reason).toBe('converged')
    expect(found.params[0]).toBeClose(best, { rel: 1e-9 })
  })
})
