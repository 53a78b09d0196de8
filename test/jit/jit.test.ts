import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { programValues, runProgram } from '../../laws/index.js'
import {
  grad,
  jit,
  jvp,
  lr,
  vjp,
  tensor,
  Tensor,
  valueAndGrad,
  type Tensorial,
} from '../../src/index.js'
import { inputsOf, programAndPoints as pointsOf } from './programPoints.js'
import { Traced } from '../../src/jit/graph.js'
import { tracing, type Recording } from '../../src/jit/tracer.js'
import { transposesInPlace } from '../../src/jit/transposesInPlace.js'
import { neededSteps, planOf } from '../../src/jit/plan.js'

const numRuns = Number(process.env['AD_TS_JIT_RUNS'] ?? 150)

/** Two points for a program: the trace runs at the first, the compiled graph at the second. */
const programAndPoints = pointsOf(
  fc.oneof(
    fc.double({ min: -3, max: 3, noNaN: true }),
    fc.constantFrom(0, -0, 1, -1, 0.5, 1e-300, 700, -700),
  ),
)

/** Equal to 1e-12 relative (1e-300 absolute), NaN where NaN, infinities equal. */
const agree = (a: unknown, b: unknown): boolean => {
  const xs = [a].flat(Infinity) as number[]
  const ys = [b].flat(Infinity) as number[]
  return (
    xs.length === ys.length &&
    xs.every((x, i) => {
      const y = ys[i]!
      if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y)
      if (!Number.isFinite(x) || !Number.isFinite(y)) return x === y
      return Math.abs(x - y) <= 1e-12 * Math.max(Math.abs(x), Math.abs(y)) + 1e-300
    })
  )
}

const flat = (ts: unknown): unknown =>
  Array.isArray(ts) ? ts.map(flat) : ts instanceof Tensor ? Tensor.toArray(ts) : ts

describe.each([
  ['JavaScript kernels', { simd: false }],
  ['WebAssembly SIMD kernels', { simd: true }],
  ['op by op (no code generation, as under a strict Content-Security-Policy)', { generate: false }],
] as const)('jit with %s', (_, options) => {
  fcTest.prop([programAndPoints], { numRuns })(
    'a generated program, and its value and gradient, jitted equal the eager ones to 1e-12, at the trace and after it',
    ([p, x1, x2]) => {
      const f = runProgram(p)
      const eager = valueAndGrad(f)(tensor)
      const compiled = jit(valueAndGrad(f), options)(tensor)
      const plain = jit(f, options)(tensor)
      for (const x of [x1, x2, x1]) {
        const xs = inputsOf(p, x)
        const want = eager(xs)
        expect(agree(flat(compiled(xs)), flat(want)), `${JSON.stringify(x)}`).toBe(true)
        expect(agree(flat(plain(xs)), flat(want[0]))).toBe(true)
      }
    },
  )

  fcTest.prop([programAndPoints, fc.integer({ min: 0, max: 2 })], { numRuns })(
    'a generated program that computes values it does not use: jitted equals eager (a program leaves them out)',
    ([p, x1, x2], keep) => {
      // Only every third node reaches the result; the others are computed and dropped.
      const f =
        <A>(T: Tensorial<A>) =>
        (xs: ReadonlyArray<A>): A => {
          const values = programValues(p)(T)(xs)
          let total = T.zero
          for (let k = p.inputs.length; k < values.length; k++)
            if (k % 3 === keep) total = T.add(total, T.sum(values[k]!))
          return total
        }
      const eager = valueAndGrad(f)(tensor)
      const compiled = jit(valueAndGrad(f), options)(tensor)
      for (const x of [x1, x2]) {
        const xs = inputsOf(p, x)
        expect(agree(flat(compiled(xs)), flat(eager(xs))), `${JSON.stringify(x)}`).toBe(true)
      }
    },
  )
})

describe('jit', () => {
  test('two sums of one fused value each get their own total (the second one was lost)', () => {
    // The shrunk counterexample of the generated programs: sum(−x) taken twice.
    const f =
      <A>(T: Tensorial<A>) =>
      (x: A): A =>
        T.add(T.sum(T.neg(x)), T.mul(T.fromNumber(3), T.sum(T.neg(x))))
    const x = Tensor.fromArray([...new Array<number>(17).fill(0), 1e-300], [2, 3, 3])
    const compiled = jit(f)(tensor)
    compiled(x)
    expect(Tensor.toArray(compiled(x))).toBe(Tensor.toArray(f(tensor)(x)))
  })

  const loss =
    <A>(T: Tensorial<A>) =>
    (w: A): A =>
      T.sum(T.exp(T.mul(w, w)))

  test('traces once per input shapes: a new shape traces again, the same shape does not', () => {
    // Every call runs f on the shape-only instance (the closure check); a trace is a
    // run on traced values.
    let traces = 0
    const counted =
      <A>(T: Tensorial<A>) =>
      (w: A): A => {
        if (w instanceof Traced) traces++
        return loss(T)(w)
      }
    const f = jit(counted)(tensor)
    f(Tensor.fromArray([1, 2]))
    f(Tensor.fromArray([3, 4]))
    expect(traces).toBe(1)
    f(Tensor.fromArray([1, 2, 3]))
    expect(traces).toBe(2)
    f(Tensor.fromArray([5, 6]))
    f(Tensor.fromArray([5, 6, 7]))
    expect(traces).toBe(2)
  })

  test('toNumber of a traced value is an Error naming the op and pointing to where', () => {
    const branchy =
      <A>(T: Tensorial<A>) =>
      (w: A): A => {
        const s = T.sum(T.mul(w, w))
        return T.toNumber(s) > 1 ? s : T.neg(s)
      }
    expect(() => jit(branchy)(tensor)(Tensor.fromArray([1, 2]))).toThrow(
      /jit: toNumber of the result of sum \(shape \[\]\).*control flow that depends on a value cannot be compiled.*where/,
    )
  })

  test('on another instance (forward mode over tensors) it runs the function unchanged', () => {
    const jv = jvp(jit(loss))(tensor)(Tensor.fromArray([1, 2]), Tensor.fromArray([1, 0]))
    const want = jvp(loss)(tensor)(Tensor.fromArray([1, 2]), Tensor.fromArray([1, 0]))
    expect(flat(jv)).toEqual(flat(want))
  })

  test('a transformed function of a tree: jit(grad(f)) over { w, b }', () => {
    const model =
      <A>(T: Tensorial<A>) =>
      (p: { readonly w: A; readonly b: A }): A =>
        T.mean(
          T.softplus(
            T.add(
              T.matmul(
                T.constant(
                  Tensor.fromArray([
                    [1, 2],
                    [3, 4],
                    [5, 6],
                  ]),
                ),
                p.w,
              ),
              p.b,
            ),
          ),
        )
    const p = { w: Tensor.fromArray([0.1, -0.2]), b: Tensor.fromArray(0.3) }
    const f = jit(grad(model))(tensor)
    f(p)
    const got = f(p)
    const want = grad(model)(tensor)(p)
    expect(Tensor.toArray(got.w)).toBeClose(Tensor.toArray(want.w), { rel: 1e-12 })
    expect(Tensor.toArray(got.b)).toBeClose(Tensor.toArray(want.b), { rel: 1e-12 })
  })

  test('the logistic-regression loss and gradient at N = 10,000: the same numbers as eager', () => {
    const data = lr.gen2dData({ n: 10_000, seed: 3 })
    const f = jit(valueAndGrad(lr.meanLoss(data)))(tensor)
    const w = Tensor.fromArray([0.5, -1, 2])
    f(w)
    const [v, g] = f(w)
    const [ve, ge] = valueAndGrad(lr.meanLoss(data))(tensor)(w)
    expect(Tensor.toArray(v)).toBeClose(Tensor.toArray(ve), { rel: 1e-12 })
    expect(Tensor.toArray(g)).toBeClose(Tensor.toArray(ge), { rel: 1e-12 })
  })
})

describe('jit of softplus and sigmoid', () => {
  const values = [0, -0, 1e-300, -1e-300, 0.5, -0.5, 30, -30, 800, -800, Infinity, -Infinity, NaN]

  test.each([
    ['a vector', Tensor.fromArray(values)],
    [
      'one value spread over a vector (hoisted out of the loop)',
      tensor.broadcastTo(Tensor.fromArray(0.25), [13]),
    ],
  ])(
    'softplus and sigmoid of one operand (sharing e^−|x|) equal the eager ones bit for bit: %s',
    (_, x) => {
      const f =
        <A>(T: Tensorial<A>) =>
        (v: A): A =>
          T.add(T.mul(T.softplus(T.add(v, T.zero)), T.fromNumber(3)), T.sigmoid(T.add(v, T.zero)))
      const g =
        <A>(T: Tensorial<A>) =>
        (v: A): ReadonlyArray<A> => {
          const u = T.mul(v, T.one)
          return [T.softplus(u), T.sigmoid(u)]
        }
      for (const h of [f, g] as const) {
        const compiled = jit(h as typeof g)(tensor)
        compiled(x)
        expect(flat(compiled(x))).toEqual(flat((h as typeof g)(tensor)(x)))
      }
    },
  )
})

describe('jit of row-wise work', () => {
  const z = Tensor.fromArray(
    Array.from({ length: 24 }, (_, i) => Math.sin(i) * 3),
    [2, 3, 4],
  )
  const bias = Tensor.fromArray([0.5, -1, 2, 0])

  test.each([
    [
      'softmax cross-entropy over the last axis',
      <A>(T: Tensorial<A>) =>
        (x: A): A =>
          T.neg(T.sum(T.logSoftmax(x))),
    ],
    [
      'a bias [n] and a column [m, 1] spread over rows',
      <A>(T: Tensorial<A>) =>
        (x: A): A =>
          T.sum(T.mul(T.add(x, T.constant(bias)), T.constant(Tensor.fromArray([[[1], [2], [3]]])))),
    ],
    [
      'sums over the last two axes, kept and not',
      <A>(T: Tensorial<A>) =>
        (x: A): A =>
          T.add(
            T.sum(T.sum(T.exp(x), { axis: [1, 2] })),
            T.sum(T.sum(T.mul(x, x), { axis: [-1, -2], keepDims: true })),
          ),
    ],
    [
      'a column of another shape',
      <A>(T: Tensorial<A>) =>
        (x: A): A =>
          T.sum(
            T.sub(
              T.reshape(x, [6, 4]),
              T.constant(Tensor.fromArray([[1], [2], [3], [4], [5], [6]])),
            ),
          ),
    ],
  ] as const)('%s: value and gradient equal the eager ones to 1e-12', (_, f) => {
    const eager = valueAndGrad(f)(tensor)
    const compiled = jit(valueAndGrad(f))(tensor)
    compiled(z)
    const [v, g] = compiled(z)
    const [ve, ge] = eager(z)
    expect(Tensor.toArray(v)).toBeClose(Tensor.toArray(ve), { rel: 1e-12 })
    expect(Tensor.toArray(g)).toBeClose(Tensor.toArray(ge), { rel: 1e-12, abs: 1e-300 })
  })
})

describe('jit of results that are not traced values', () => {
  test("a function in the result (vjp's pullback) is refused at the trace, naming what to use", () => {
    const g =
      <A>(T: Tensorial<A>) =>
      (x: A): A =>
        T.mul(x, T.sin(x))
    expect(() => jit(vjp(g))(tensor)(Tensor.fromArray([1, 2]))).toThrow(
      /jit: the result holds a function .*jit\(valueAndGrad\(f\)\)/,
    )
  })

  test('arguments of different structures never share a program ({ "a.b": x } and { a: { b: x } } did)', () => {
    const f =
      <A>(T: Tensorial<A>) =>
      (p: Record<string, unknown>): A =>
        'a.b' in p ? T.exp(p['a.b'] as A) : T.neg((p['a'] as { b: A }).b)
    const x = Tensor.fromArray([1, 2])
    const compiled = jit(f)(tensor)
    compiled({ 'a.b': x })
    expect(Tensor.toArray(compiled({ a: { b: x } }))).toEqual([-1, -2])
  })

  test('numbers and shapes in the result come back as they are on every call (they came back wrapped)', () => {
    const f =
      <A>(T: Tensorial<A>) =>
      (x: A) => ({ y: T.exp(x), n: 3, shape: T.shape(x) })
    const compiled = jit(f)(tensor)
    for (const x of [Tensor.fromArray([1, 2]), Tensor.fromArray([3, 4])]) {
      const got = compiled(x)
      expect(got.n).toBe(3)
      expect(got.shape).toEqual([2])
      expect(Tensor.toArray(got.y)).toEqual(Tensor.toArray(tensor.exp(x)))
    }
  })
})

describe('jit of a one-element vector that a product also reads', () => {
  test('where(x·v, v, x) with v of shape [1]: the elementwise read takes its one element (it read past the end, NaN)', () => {
    // The shrunk counterexample of programLaws at 4,000 runs.
    const f =
      <A>(T: Tensorial<A>) =>
      (xs: ReadonlyArray<A>): A => {
        const [x, v] = xs as [A, A]
        return T.sum(T.where(T.matmul(x, v), v, x))
      }
    const xs = [Tensor.fromArray([[0], [-2]]), Tensor.fromArray([-2])]
    const compiled = jit(valueAndGrad(f))(tensor)
    compiled(xs)
    expect(flat(compiled(xs))).toEqual(flat(valueAndGrad(f)(tensor)(xs)))
  })
})

describe('jit of the products of reverse mode', () => {
  /** A layer and a second product: the gradient holds dA = dY·Bᵀ and dB = Aᵀ·dY. */
  const layers =
    (x: Tensor) =>
    <A>(T: Tensorial<A>) =>
    (p: { readonly w1: A; readonly w2: A }): A => {
      const h = T.tanh(T.matmul(T.constant(x), p.w1))
      return T.sum(T.mul(T.matmul(h, p.w2), T.matmul(h, p.w2)))
    }
  const at = (n: number, s: ReadonlyArray<number>, k: number) =>
    Tensor.fromArray(
      Array.from({ length: n }, (_, i) => Math.sin(i * k + 1) * (i % 5 === 0 ? 0 : 1)),
      s,
    )
  const x = at(7 * 5, [7, 5], 1.3)
  const p = { w1: at(5 * 6, [5, 6], 2.1), w2: at(6 * 3, [6, 3], 0.7) }

  test('read the transposed operands in place: no transpose runs, and the gradient is the eager one bit for bit', () => {
    const rec: Recording = { nodes: [], uniform: new Set(), signature: [] }
    const leaves = [p.w1, p.w2].map((t, index) => {
      rec.nodes.push({ kind: 'input', id: index, shape: t.shape, index })
      return new Traced(index, t.shape, t, 'an input')
    })
    const [value, g] = valueAndGrad(layers(x))(tracing(rec))({ w1: leaves[0]!, w2: leaves[1]! })
    const outputs = [value, g.w1, g.w2].map((t) => t.id)
    const before = rec.nodes.filter((n) => n.kind === 'call' && n.method === 'matrixTranspose')
    expect(before.length).toBeGreaterThan(0)
    const nodes = transposesInPlace(rec.nodes)
    const running = neededSteps(nodes, planOf(nodes), outputs).flatMap((s) =>
      s.kind === 'node' ? [nodes[s.id]!] : [],
    )
    expect(running.filter((n) => n.kind === 'call' && n.method === 'matrixTranspose')).toEqual([])
    const compiled = jit(valueAndGrad(layers(x)))(tensor)
    compiled(p)
    const [v, gj] = compiled(p)
    const [ve, ge] = valueAndGrad(layers(x))(tensor)(p)
    const bits = (t: Tensor) => Array.from(Tensor.toFlat(t))
    expect([v, gj.w1, gj.w2].map(bits)).toEqual([ve, ge.w1, ge.w2].map(bits))
  })

  test('a value computed and not used is left out, but a fused loop that runs keeps what it reads (a sibling read a left-out max, undefined)', () => {
    // unused reads max(x) beside the used x·x: both join one loop, which runs whole.
    const f =
      <A>(T: Tensorial<A>) =>
      (x: A): A => {
        const used = T.mul(x, x)
        T.add(x, T.max(x))
        return T.sum(used)
      }
    const compiled = jit(valueAndGrad(f))(tensor)
    const x = Tensor.fromArray([0.5, -1, 2, 3])
    compiled(x)
    const [v, g] = compiled(x)
    const [ve, ge] = valueAndGrad(f)(tensor)(x)
    expect([Tensor.toArray(v), Tensor.toArray(g)]).toEqual([Tensor.toArray(ve), Tensor.toArray(ge)])
  })
})
