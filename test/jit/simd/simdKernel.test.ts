import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { programArbitrary, runProgram } from '../../../laws/index.js'
import { jit, softplus, tensor, Tensor, valueAndGrad, type Tensorial } from '../../../src/index.js'
import { Traced } from '../../../src/jit/graph.js'
import { planOf } from '../../../src/jit/plan.js'
import { programOf, runProgram as runSteps } from '../../../src/jit/run.js'
import { binaryForms, unaryForms } from '../../../src/ops/opTable.js'
import { noteUniform, tracing, type Recording } from '../../../src/jit/tracer.js'
import { inputsOf, programAndPoints as pointsOf } from '../programPoints.js'

const numRuns = Number(process.env['AD_TS_JIT_RUNS'] ?? 150)

type Fn = (T: Tensorial<unknown>) => (xs: ReadonlyArray<unknown>) => unknown

/** Traces `f` at `inputs` and prepares its program, with SIMD kernels where they apply or JavaScript ones only. */
const compile = (f: Fn, inputs: ReadonlyArray<Tensor>, simd: boolean, javascript = true) => {
  const rec: Recording = { nodes: [], uniform: new Set(), signature: [] }
  const traced = inputs.map((t, index) => {
    rec.nodes.push({ kind: 'input', id: index, shape: t.shape, index })
    noteUniform(rec, index, t)
    return new Traced(index, t.shape, t, 'an input')
  })
  const result = f(tracing(rec) as Tensorial<unknown>)(traced)
  const outputs = ([result].flat(Infinity) as unknown[]).filter(
    (o): o is Traced => o instanceof Traced,
  )
  const program = programOf(
    rec,
    planOf(rec.nodes),
    outputs.map((o) => o.id),
    javascript,
    simd ? 0 : Infinity,
  )
  const simdKernels = program.kernels.filter((k) => k?.tier === 'simd').length
  // The calls left to the eager backend, outside every fused loop.
  const alone = program.steps.flatMap((s) => {
    const n = s.kind === 'node' ? rec.nodes[s.id]! : undefined
    return n?.kind === 'call' ? [n.method] : []
  })
  return { simdKernels, alone, run: (xs: ReadonlyArray<Tensor>) => runSteps(program, xs) }
}

/** The same numbers bit for bit (any NaN equals any NaN). */
const identical = (a: ReadonlyArray<Tensor>, b: ReadonlyArray<Tensor>): boolean =>
  a.length === b.length &&
  a.every((t, k) => {
    const x = Tensor.toFlat(t)
    const y = Tensor.toFlat(b[k]!)
    return x.length === y.length && x.every((v, i) => Object.is(v, y[i]))
  })

const value = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -3, max: 3, noNaN: true }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(0, -0, 1, -1, 0.5, 1e-300, 700, -700, 800, Infinity, -Infinity, NaN),
  },
)

const programAndPoints = pointsOf(value)

describe('WebAssembly SIMD kernels', () => {
  fcTest.prop([programAndPoints], { numRuns })(
    'a generated program and its gradient give the JavaScript kernels’ numbers bit for bit, at ordinary and special points',
    ([p, x1, x2]) => {
      const f = valueAndGrad(runProgram(p)) as unknown as Fn
      const xs1 = inputsOf(p, x1)
      const simd = compile(f, xs1, true)
      const js = compile(f, xs1, false)
      for (const x of [x2, x1]) {
        const xs = inputsOf(p, x)
        expect(identical(simd.run(xs), js.run(xs)), JSON.stringify(x)).toBe(true)
      }
    },
  )

  const specials = [0, -0, 1, -1, 0.5, -0.5, 2, 1e-300, 5e-324, 700, -700, 800, -800]
  const specialsAndMore = [...specials, Infinity, -Infinity, NaN, 1e308, -1e308, 3, -3, 0.25]
  const lanesCase = fc.array(fc.oneof(fc.double(), fc.constantFrom(...specialsAndMore)), {
    minLength: 2,
    maxLength: 40,
  })

  describe.each(
    [...unaryForms]
      .filter(([, forms]) => forms.lanes !== undefined || forms.fromExpNegAbs !== undefined)
      .map(([o]) => [o.name, o] as const),
  )('unary %s on lanes', (_, o) => {
    fcTest.prop([lanesCase], { numRuns: Math.ceil(numRuns / 3) })(
      'equals its primal on every element, bit for bit',
      (xs) => {
        const x = Tensor.fromArray(xs, [xs.length])
        const f = (T: Tensorial<unknown>) => (args: ReadonlyArray<unknown>) =>
          T.unary(o, args[0] as never)
        const { run, simdKernels } = compile(f as Fn, [x], true)
        expect(simdKernels).toBe(1)
        expect(identical(run([x]), [tensor.unary(o, x)])).toBe(true)
      },
    )
  })

  describe.each(
    [...binaryForms]
      .filter(([, forms]) => forms.lanes !== undefined)
      .map(([o]) => [o.name, o] as const),
  )('binary %s on lanes', (_, o) => {
    fcTest.prop(
      [
        lanesCase.chain((xs) =>
          fc.tuple(fc.constant(xs), fc.shuffledSubarray(xs, { minLength: xs.length })),
        ),
      ],
      {
        numRuns: Math.ceil(numRuns / 3),
      },
    )('equals its primal on every pair of elements, bit for bit', ([xs, ys]) => {
      const x = Tensor.fromArray(xs, [xs.length])
      const y = Tensor.fromArray(ys, [ys.length])
      const f = (T: Tensorial<unknown>) => (args: ReadonlyArray<unknown>) =>
        T.binary(o, args[0] as never, args[1] as never)
      const { run, simdKernels } = compile(f as Fn, [x, y], true)
      expect(simdKernels).toBe(1)
      expect(identical(run([x, y]), [tensor.binary(o, x, y)])).toBe(true)
    })
  })

  describe.each([
    ...[...unaryForms]
      .filter(([, forms]) => forms.js !== undefined)
      .map(
        ([o]) =>
          [
            `unary ${o.name}`,
            1,
            (T: Tensorial<unknown>, xs: ReadonlyArray<unknown>) => T.unary(o, xs[0] as never),
          ] as const,
      ),
    ...[...binaryForms]
      .filter(([, forms]) => forms.js !== undefined)
      .map(
        ([o]) =>
          [
            `binary ${o.name}`,
            2,
            (T: Tensorial<unknown>, xs: ReadonlyArray<unknown>) =>
              T.binary(o, xs[0] as never, xs[1] as never),
          ] as const,
      ),
  ])('%s inline in a JavaScript kernel', (_, arity, apply) => {
    fcTest.prop(
      [
        lanesCase.chain((xs) =>
          fc.tuple(fc.constant(xs), fc.shuffledSubarray(xs, { minLength: xs.length })),
        ),
      ],
      { numRuns: Math.ceil(numRuns / 3) },
    )(
      'equals its primal on every element, bit for bit (the sign of a zero included)',
      ([xs, ys]) => {
        const args = [xs, ys].slice(0, arity).map((v) => Tensor.fromArray(v, [v.length]))
        const f = (T: Tensorial<unknown>) => (a: ReadonlyArray<unknown>) => apply(T, a)
        const { run, simdKernels } = compile(f as Fn, args, false)
        expect(simdKernels).toBe(0)
        expect(identical(run(args), [apply(tensor as Tensorial<unknown>, args) as Tensor])).toBe(
          true,
        )
      },
    )
  })

  fcTest.prop([programAndPoints], { numRuns: Math.ceil(numRuns / 2) })(
    'without JavaScript kernels (a page allowing WebAssembly but not eval), SIMD kernels and op by op give the eager numbers bit for bit',
    ([p, x1, x2]) => {
      const f = valueAndGrad(runProgram(p)) as unknown as Fn
      const xs1 = inputsOf(p, x1)
      const wasmOnly = compile(f, xs1, true, false)
      for (const x of [x2, x1]) {
        const xs = inputsOf(p, x)
        const eager = f(tensor as Tensorial<unknown>)(xs)
        const want = ([eager].flat(Infinity) as unknown[]).filter(
          (t): t is Tensor => t instanceof Tensor,
        )
        expect(identical(wasmOnly.run(xs), want), JSON.stringify(x)).toBe(true)
      }
    },
  )

  test('generated programs do run on SIMD kernels (a third or more of them here)', () => {
    const programs = fc.sample(programArbitrary(), { numRuns: 200, seed: 7 })
    const used = programs.filter((p) => {
      const xs = p.inputs.map((s) => Tensor.fill(s, 0.5))
      return compile(valueAndGrad(runProgram(p)) as unknown as Fn, xs, true).simdKernels > 0
    }).length
    expect(used).toBeGreaterThan(200 / 3)
  })

  /** The logistic-regression loss and gradient: a matrix-vector row, softplus and sigmoid, a vector-matrix product. */
  const lossOf =
    (X: Tensor, y: Tensor) =>
    <A>(T: Tensorial<A>) =>
    (w: A): A => {
      const z = T.matmul(T.constant(X), w)
      return T.mean(T.sub(softplus(T)(z), T.mul(T.constant(y), z)))
    }

  const lrCase = fc
    .tuple(fc.integer({ min: 1, max: 37 }), fc.integer({ min: 1, max: 12 }))
    .chain(([n, d]) =>
      fc.tuple(
        fc.array(value, { minLength: n * d, maxLength: n * d }),
        fc.array(fc.constantFrom(0, 1), { minLength: n, maxLength: n }),
        fc.array(value, { minLength: d, maxLength: d }),
        fc.constant([n, d] as const),
        fc.boolean(),
      ),
    )

  fcTest.prop([lrCase], { numRuns })(
    'the logistic-regression loss and gradient at every size of the loops (n rows, d features), with weights [d] or a column [d, 1], equal the eager ones bit for bit in one loop',
    ([x, y, w, [n, d], column]) => {
      const X = Tensor.fromArray(x, [n, d])
      const Y = Tensor.fromArray(y, column ? [n, 1] : [n])
      const W = Tensor.fromArray(w, column ? [d, 1] : [d])
      const f = (T: Tensorial<unknown>) => (xs: ReadonlyArray<unknown>) =>
        valueAndGrad(lossOf(X, Y))(T)(xs[0])
      const eager = f(tensor as Tensorial<unknown>)([W]) as [Tensor, Tensor]
      const { run, simdKernels, alone } = compile(f as Fn, [W], true)
      expect(simdKernels).toBe(n > 1 ? 1 : 0)
      // Both products run inside the loop (the column's cotangent is reshaped, not transposed).
      if (n > 1)
        expect(alone.filter((m) => m.endsWith('atmul') || m.endsWith('ranspose'))).toEqual([])
      expect(identical(run([W]), eager)).toBe(true)
      const js = compile(f as Fn, [W], false)
      expect(identical(js.run([W]), eager)).toBe(true)
    },
  )

  fcTest.prop(
    [fc.integer({ min: 2, max: 40 }), fc.array(value, { minLength: 40, maxLength: 40 })],
    { numRuns: Math.ceil(numRuns / 3) },
  )(
    'a group with many values alive at once (one register a value) equals the eager value and gradient bit for bit',
    (n, xs) => {
      const x = Tensor.fromArray(xs.slice(0, n), [n])
      const f = (T: Tensorial<unknown>) => (args: ReadonlyArray<unknown>) =>
        valueAndGrad(<A>(U: Tensorial<A>) => (v: A): A => {
          let s = U.mul(v, U.fromNumber(0))
          for (let j = 0; j < 4; j++) {
            const z = U.add(U.mul(v, U.fromNumber(j / 4)), U.fromNumber(j - 2))
            s = U.add(s, U.mul(U.softplus(z), U.fromNumber(1 / (j + 1))))
          }
          return U.mean(U.mul(s, s))
        })(T)(args[0])
      const eager = f(tensor as Tensorial<unknown>)([x]) as unknown as Tensor[]
      const { run, simdKernels } = compile(f as Fn, [x], true)
      expect(simdKernels).toBeGreaterThan(0)
      expect(identical(run([x]), eager)).toBe(true)
    },
  )

  test('a column of strong zeros keeps a +0 gradient, a column of −0 a −0 one, as the eager product', () => {
    const n = 11
    const X = Tensor.fromArray(Array.from({ length: n }, (_, i) => [0, i / 3 - 1, -0]))
    const Y = Tensor.fromArray(Array.from({ length: n }, (_, i) => i % 2))
    const W = Tensor.fromArray([1, 0.5, 2])
    const f = (T: Tensorial<unknown>) => (xs: ReadonlyArray<unknown>) =>
      valueAndGrad(lossOf(X, Y))(T)(xs[0])
    const eager = f(tensor as Tensorial<unknown>)([W]) as unknown as Tensor[]
    const g = Tensor.toFlat(eager[1]!)
    expect([Object.is(g[0], 0), Object.is(g[2], -0)]).toEqual([true, true])
    const { run, simdKernels } = compile(f as Fn, [W], true)
    expect(simdKernels).toBe(1)
    expect(identical(run([W]), eager)).toBe(true)
  })

  test('a new matrix of the same shape is copied in, not read from the last run', () => {
    const X1 = Tensor.fromArray([1, 2, 3, 4, 5, 6, 7, 8, 9], [9])
    const X2 = Tensor.fromArray([9, 8, 7, 6, 5, 4, 3, 2, 1], [9])
    const f = jit(
      <A>(T: Tensorial<A>) =>
        (a: A, b: A) =>
          T.sum(T.mul(T.exp(a), b)),
    )(tensor)
    const want = (a: Tensor, b: Tensor) => Tensor.toArray(tensor.sum(tensor.mul(tensor.exp(a), b)))
    for (const [a, b] of [
      [X1, X2],
      [X1, X2],
      [X2, X1],
      [X1, X1],
      [X2, X2],
    ] as const) {
      expect(Tensor.toArray(f(a, b))).toBe(want(a, b))
    }
  })

  test('a shape run again after others let go of its memory gives the same numbers, remade', () => {
    const f =
      <A>(T: Tensorial<A>) =>
      (a: A, b: A) =>
        T.sum(T.mul(T.log1p(T.exp(a)), b))
    const jitted = jit(f, { simd: true })(tensor)
    const eager = f(tensor)
    const point = (n: number) =>
      [0, 1].map((k) =>
        Tensor.fromArray(
          Array.from({ length: n }, (_, i) => Math.sin(i + k)),
          [n],
        ),
      ) as [Tensor, Tensor]
    const points = [9, 10, 11, 12, 9, 12, 10].map(point)
    for (const [a, b] of [...points, ...points]) {
      jitted(a, b)
      expect(Tensor.toArray(jitted(a, b))).toBe(Tensor.toArray(eager(a, b)))
    }
  })

  test('a product wider than the SIMD kernels write out keeps its JavaScript kernel, with the same numbers', () => {
    const d = 40
    const X = Tensor.fromArray(
      Array.from({ length: 5 * d }, (_, i) => Math.sin(i)),
      [5, d],
    )
    const Y = Tensor.fromArray([0, 1, 1, 0, 1], [5])
    const W = Tensor.fromArray(
      Array.from({ length: d }, (_, i) => Math.cos(i)),
      [d],
    )
    const f = (T: Tensorial<unknown>) => (xs: ReadonlyArray<unknown>) =>
      valueAndGrad(lossOf(X, Y))(T)(xs[0])
    const { run, simdKernels } = compile(f as Fn, [W], true)
    expect(simdKernels).toBe(0)
    const want = f(tensor as Tensorial<unknown>)([W]) as unknown as Tensor[]
    expect(identical(run([W]), want)).toBe(true)
  })
})
