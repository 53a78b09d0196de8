import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  diff,
  forward,
  grad,
  hessian,
  jacobian,
  jvp,
  reverse,
  scalar,
  valueAndGrad,
  vjp,
  type ArrayFunction,
  type Floating,
  type ScalarFunction,
  type VectorFunction,
} from '../src/index.js'
import { rosenbrock } from './helpers/functions.js'

const xSinX =
  <A>(F: Floating<A>) =>
  (x: A): A =>
    F.mul(x, F.sin(x))
const dxSinX = (x: number) => Math.sin(x) + x * Math.cos(x)
const d2xSinX = (x: number) => 2 * Math.cos(x) - x * Math.sin(x)

/** Rosenbrock's gradient in closed form. */
const rosenbrockGradient = (xs: ReadonlyArray<number>): number[] =>
  xs.map((x, i) => {
    let g = 0
    if (i + 1 < xs.length) g += -400 * x * (xs[i + 1]! - x * x) - 2 * (1 - x)
    if (i > 0) g += 200 * (x - xs[i - 1]! * xs[i - 1]!)
    return g
  })

/** Rosenbrock's Hessian in closed form (tridiagonal). */
const rosenbrockHessian = (xs: ReadonlyArray<number>): number[][] =>
  xs.map((x, i) =>
    xs.map((_, j) => {
      if (i === j) {
        let h = 0
        if (i + 1 < xs.length) h += 1200 * x * x - 400 * xs[i + 1]! + 2
        if (i > 0) h += 200
        return h
      }
      if (j === i + 1) return -400 * x
      if (j === i - 1) return -400 * xs[j]!
      return 0
    }),
  )

const modes = [
  { mode: 'forward', derivative: forward.grad, gradient: forward.grad, jac: forward.jacobian },
  { mode: 'reverse', derivative: reverse.grad, gradient: reverse.grad, jac: reverse.jacobian },
]

const point = (n: number) =>
  fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n })

describe.each(modes)('$mode mode', ({ derivative, gradient, jac }) => {
  fcTest.prop([fc.double({ min: -10, max: 10, noNaN: true })])(
    'the derivative of x·sin x is sin x + x·cos x',
    (x) => {
      expect(derivative(xSinX)(scalar)(x)).toBeClose(dxSinX(x), { rel: 1e-12, abs: 1e-12 })
    },
  )

  fcTest.prop([fc.double({ min: -10, max: 10, noNaN: true })])(
    'the second derivative of x·sin x is 2 cos x − x sin x, by this mode over either mode',
    (x) => {
      const expected = d2xSinX(x)
      expect(derivative(derivative(xSinX))(scalar)(x)).toBeClose(expected, {
        rel: 1e-12,
        abs: 1e-12,
      })
      expect(derivative(diff(xSinX))(scalar)(x)).toBeClose(expected, { rel: 1e-12, abs: 1e-12 })
      expect(derivative(grad(xSinX))(scalar)(x)).toBeClose(expected, { rel: 1e-12, abs: 1e-12 })
    },
  )

  fcTest.prop([fc.integer({ min: 2, max: 8 }).chain(point)])(
    "Rosenbrock's gradient matches its closed form",
    (xs) => {
      expect(gradient(rosenbrock)(scalar)(xs)).toBeClose(rosenbrockGradient(xs), {
        rel: 1e-12,
        abs: 1e-9,
      })
    },
  )

  test('the Jacobian has one row per output and one column per input', () => {
    const h: VectorFunction = (F) => (xs) => [F.mul(xs[0]!, xs[1]!), F.sin(xs[0]!), xs[2]!]
    expect(jac(h)(scalar)([2, 3, 4])).toBeClose([
      [3, 2, 0],
      [Math.cos(2), 0, 0],
      [0, 0, 1],
    ])
  })

  test('the gradient of a sum of squares is twice the input', () => {
    const sumSq: ArrayFunction = (F) => (xs) => xs.reduce((s, x) => F.add(s, F.mul(x, x)), F.zero)
    expect(gradient(sumSq)(scalar)([1, -2, 3.5])).toBeClose([2, -4, 7])
  })
})

describe('hessian', () => {
  fcTest.prop([fc.integer({ min: 2, max: 6 }).chain(point)])(
    "Rosenbrock's Hessian (forward-over-reverse) matches its closed form",
    (xs) => {
      expect(hessian(rosenbrock)(scalar)(xs)).toBeClose(rosenbrockHessian(xs), {
        rel: 1e-12,
        abs: 1e-9,
      })
    },
  )

  fcTest.prop([fc.integer({ min: 2, max: 5 }).chain(point)])(
    'forward-over-reverse, reverse-over-forward, reverse-over-reverse and forward-over-forward Hessians agree',
    (xs) => {
      const fr = hessian(rosenbrock)(scalar)(xs)
      const rf = reverse.jacobian(forward.grad(rosenbrock))(scalar)(xs)
      const rr = reverse.jacobian(reverse.grad(rosenbrock))(scalar)(xs)
      const ff = forward.jacobian(forward.grad(rosenbrock))(scalar)(xs)
      for (const other of [rf, rr, ff]) expect(other).toBeClose(fr, { rel: 1e-12, abs: 1e-9 })
    },
  )
})

describe('jacobian', () => {
  const wide: VectorFunction = (F) => (xs) => [xs.reduce((s, x) => F.add(s, F.sin(x)), F.zero)]
  const tall: VectorFunction = (F) => (xs) => [F.exp(xs[0]!), F.mul(xs[0]!, xs[0]!), F.sin(xs[0]!)]

  // Counts the passes f makes, by the kind of instance it is run with. Every instance
  // over numbers has the members `variable` and `lift` (one hidden class); a mode
  // without one holds undefined there.
  const counting = (f: VectorFunction) => {
    const passes: string[] = []
    const g: VectorFunction = (F) => {
      const has = (k: string) => (F as unknown as Record<string, unknown>)[k] !== undefined
      passes.push(has('variable') ? 'reverse' : has('lift') ? 'forward' : 'plain')
      return f(F)
    }
    return { g, passes }
  }

  test('picks reverse mode for more inputs than outputs: one recording, no dual pass', () => {
    const xs = [0.1, 0.2, 0.3, 0.4]
    const { g, passes } = counting(wide)
    const J = jacobian(g)(scalar)(xs)
    expect(passes).toEqual(['plain', 'reverse'])
    expect(J).toBeClose(forward.jacobian(wide)(scalar)(xs))
  })

  test('picks forward mode for fewer inputs than outputs: one dual pass per input', () => {
    const { g, passes } = counting(tall)
    const J = jacobian(g)(scalar)([0.7])
    expect(passes).toEqual(['plain', 'forward'])
    expect(J).toBeClose(reverse.jacobian(tall)(scalar)([0.7]))
  })
})

describe('jvp and vjp', () => {
  const h: VectorFunction = (F) => (xs) => [F.mul(xs[0]!, xs[1]!), F.exp(xs[1]!)]

  fcTest.prop([point(2), point(2), point(2)])(
    'jvp gives the value and J·v; vjp gives the value and a pullback u ↦ Jᵀ·u',
    (xs, vs, us) => {
      const [ys, jv] = jvp(h)(scalar)(xs, vs)
      const [ys2, pullback] = vjp(h)(scalar)(xs)
      const [x0, x1] = xs as [number, number]
      const J = [
        [x1, x0],
        [0, Math.exp(x1)],
      ]
      expect(ys).toEqual(h(scalar)(xs))
      expect(ys2).toEqual(ys)
      expect(jv).toBeClose(J.map((row) => row[0]! * vs[0]! + row[1]! * vs[1]!))
      expect(pullback(us)).toBeClose([0, 1].map((j) => J[0]![j]! * us[0]! + J[1]![j]! * us[1]!))
    },
  )

  test('jvp of a function of one value takes one tangent', () => {
    expect(jvp(xSinX)(scalar)(2, 3)).toBeClose([xSinX(scalar)(2), 3 * dxSinX(2)])
  })

  test('a pullback may be called many times with the same answer', () => {
    const [, pullback] = vjp(h)(scalar)([1, 2])
    expect(pullback([1, 0])).toEqual(pullback([1, 0]))
    expect(pullback([0, 1])).toBeClose([0, Math.exp(2)])
  })

  test('tangents and cotangents of the wrong length are refused with both lengths', () => {
    expect(() => jvp(h)(scalar)([1, 2], [1])).toThrow(
      'jvp: expected 2 tangents (one per input), got 1',
    )
    const [, pullback] = vjp(h)(scalar)([1, 2])
    expect(() => pullback([1, 2, 3])).toThrow('vjp: expected 2 cotangents (one per output), got 3')
  })
})

describe('valueAndGrad', () => {
  test('returns the value and the gradient of a function of an array', () => {
    const [value, gradient] = valueAndGrad(rosenbrock)(scalar)([1, 2])
    expect(value).toBe(100)
    expect(gradient).toBeClose(rosenbrockGradient([1, 2]))
  })

  test('grad refuses a function with several outputs and names the alternatives', () => {
    const h = (<A>(F: Floating<A>) =>
      (xs: ReadonlyArray<A>) => [xs[0]!, F.one]) as unknown as ArrayFunction
    expect(() => grad(h)(scalar)([1])).toThrow(
      /returned an array of 2 values; grad needs a single output, not an array \(use jacobian or vjp\)/,
    )
  })
})

describe('nested differentiation', () => {
  // d/dx [x · d/dy (x + y) at y = 1] at x = 1: the inner derivative is 1, so the answer is 1.
  const outer =
    <A>(F: Floating<A>) =>
    (x: A): A =>
      F.mul(
        x,
        diff(
          <B>(G: Floating<B>, lift: (a: A) => B) =>
            (y: B): B =>
              G.add(lift(x), y),
        )(F)(F.one),
      )

  test('an outer variable lifted into an inner derivative is not confused with it: the answer is 1, never 2', () => {
    expect(diff(outer)(scalar)(1)).toBe(1)
    expect(grad(outer)(scalar)(1)).toBe(1)
  })

  test('an inner reverse-mode derivative closing over an outer variable gives the same answer', () => {
    const mixed =
      <A>(F: Floating<A>) =>
      (x: A): A =>
        F.mul(
          x,
          grad(
            <B>(G: Floating<B>, lift: (a: A) => B) =>
              (y: B): B =>
                G.mul(lift(x), y),
          )(F)(F.one),
        )
    // x · d/dy (x·y) = x², whose derivative at 3 is 6.
    expect(diff(mixed)(scalar)(3)).toBe(6)
    expect(grad(mixed)(scalar)(3)).toBe(6)
  })

  test('forgetting to lift the outer variable does not compile', () => {
    const unlifted =
      <A>(F: Floating<A>) =>
      (x: A): A => {
        const inner =
          <B>(G: Floating<B>) =>
          (y: B): B =>
            // @ts-expect-error x has the outer type A, not the inner type B: it must be lifted
            G.add(x, y)
        return F.mul(x, diff(inner)(F)(F.one))
      }
    expect(typeof unlifted).toBe('function')
  })
})

describe('purity', () => {
  fcTest.prop([point(4)])(
    'the same call twice gives identical results and never mutates its input',
    (xs) => {
      const frozen = Object.freeze([...xs])
      const first = grad(rosenbrock)(scalar)(frozen)
      const second = grad(rosenbrock)(scalar)(frozen)
      expect(second).toEqual(first)
      expect(frozen).toEqual(xs)
      expect(hessian(rosenbrock)(scalar)(frozen)).toEqual(hessian(rosenbrock)(scalar)(frozen))
      expect(forward.grad(rosenbrock)(scalar)(frozen)).toEqual(
        forward.grad(rosenbrock)(scalar)(frozen),
      )
    },
  )
})

describe('NaN', () => {
  const ops: ReadonlyArray<ScalarFunction> = [
    xSinX,
    (F) => (x) => F.exp(x),
    (F) => (x) => F.log(x),
    (F) => (x) => F.sigmoid(x),
    (F) => (x) => F.div(F.one, x),
    (F) => (x) => F.pow(x, x),
  ]
  test.each(ops.map((f, i) => [i, f] as const))(
    'function %i gives NaN for NaN in every mode, without throwing',
    (_, f) => {
      expect(f(scalar)(NaN)).toBeNaN()
      expect(diff(f)(scalar)(NaN)).toBeNaN()
      expect(grad(f)(scalar)(NaN)).toBeNaN()
      expect(diff(diff(f))(scalar)(NaN)).toBeNaN()
    },
  )
})
