import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  defineOp,
  diff,
  forward,
  grad,
  hessian,
  reverse,
  scalar,
  tensor,
  Tensor,
  type Floating,
} from '../src/index.js'
import { derivativeLaws } from '../laws/index.js'

const softplus = defineOp({
  name: 'softplus',
  primal: (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))),
  derivative: (F) => (x) => F.sigmoid(x),
})

describe('defineOp', () => {
  test('an op made with defineOp passes every derivative law to third order', () => {
    derivativeLaws(softplus, { order: 3, numRuns: 200 })
  })

  test('it works in every mode and nests to any order', () => {
    const x = 0.3
    const s = 1 / (1 + Math.exp(-x))
    expect(softplus(scalar)(x)).toBeClose(Math.log1p(Math.exp(x)))
    expect(diff(softplus)(scalar)(x)).toBeClose(s)
    expect(grad(softplus)(scalar)(x)).toBeClose(s)
    expect(diff(grad(softplus))(scalar)(x)).toBeClose(s * (1 - s))
    expect(grad(grad(softplus))(scalar)(x)).toBeClose(s * (1 - s))
    expect(diff(diff(diff(softplus)))(scalar)(x)).toBeClose(s * (1 - s) * (1 - 2 * s))
  })

  test('it composes with built-in ops inside functions of several variables', () => {
    const g =
      <A>(F: Floating<A>) =>
      (xs: ReadonlyArray<A>): A =>
        F.mul(softplus(F)(xs[0]!), xs[1]!)
    const [a, b] = [0.5, -2]
    const s = 1 / (1 + Math.exp(-a))
    expect(reverse.grad(g)(scalar)([a, b])).toBeClose([s * b, Math.log1p(Math.exp(a))])
    expect(forward.grad(g)(scalar)([a, b])).toBeClose(reverse.grad(g)(scalar)([a, b]))
    expect(hessian(g)(scalar)([a, b])).toBeClose([
      [s * (1 - s) * b, s],
      [s, 0],
    ])
  })

  test('an op whose derivative is wrong fails the laws with the counterexample and both values', () => {
    const wrong = defineOp({
      name: 'wrongSin',
      primal: Math.sin,
      derivative: (F) => (x) => F.sin(x),
    })
    expect(() => derivativeLaws(wrong, { numRuns: 100 })).toThrow(
      /Counterexample[\s\S]*forward ≈ finite differences fails for wrongSin at xs = \[.*\], vs = \[.*\]: forward J·v = \[.*\], finite differences \(h, Richardson, kink\) = \[.*\]/,
    )
  })

  test.each([
    [
      { name: '', primal: Math.sin, derivative: () => () => 0 },
      'defineOp: name must be a non-empty string, got ""',
    ],
    [
      { name: 'f', primal: 3, derivative: () => () => 0 },
      'defineOp: primal must be a function (x: number) => number, got 3',
    ],
    [
      { name: 'f', primal: Math.sin },
      'defineOp: derivative must be a function <A>(F: Floating<A>) => (x: A) => A, got undefined',
    ],
  ])('a malformed definition is refused with a message naming the field (%#)', (spec, message) => {
    expect(() => defineOp(spec as unknown as Parameters<typeof defineOp>[0])).toThrow(message)
  })

  test('it works elementwise on tensors in both modes without being written again', () => {
    const xs = [-1, 0, 2]
    const t = Tensor.fromArray(xs)
    const s = xs.map((x) => 1 / (1 + Math.exp(-x)))
    expect(Tensor.toArray(softplus(tensor)(t))).toBeClose(xs.map((x) => Math.log1p(Math.exp(x))))
    expect(Tensor.toArray(grad(softplus)(tensor)(t))).toBeClose(s)
    expect(Tensor.toArray(diff(softplus)(tensor)(t))).toBeClose(s)
    expect(Tensor.toArray(diff(grad(softplus))(tensor)(t))).toBeClose(s.map((v) => v * (1 - v)))
  })

  test('the derivative may reuse the primal result passed as its second argument', () => {
    const myExp = defineOp({ name: 'myExp', primal: Math.exp, derivative: () => (_x, y) => y })
    fc.assert(
      fc.property(fc.double({ min: -5, max: 5, noNaN: true }), (x) => {
        expect(diff(diff(myExp))(scalar)(x)).toBeClose(Math.exp(x))
      }),
    )
  })
})
