import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  optim,
  scalar,
  tensor,
  Tensor,
  valueAndGrad,
  type Floating,
  type Tensorial,
} from '../../src/index.js'

const t = (xs: ReadonlyArray<number>) => Tensor.fromArray(xs as number[])
const arr = (x: unknown) => Tensor.toArray(x as Tensor)

/** A loss over { w: [3], b: [] } with a gradient that changes from step to step. */
const loss =
  <A>(T: Tensorial<A>) =>
  (p: { readonly w: A; readonly b: A }) =>
    T.add(T.sum(T.mul(T.exp(p.w), T.fromNumber(0.5))), T.mul(p.b, p.b))
const handGradient = (w: number[], b: number) => ({ w: w.map((x) => 0.5 * Math.exp(x)), b: 2 * b })

describe('optim.adam', () => {
  test("its first three updates equal Kingma and Ba's rule written out here", () => {
    const [alpha, b1, b2, eps] = [0.1, 0.8, 0.99, 1e-6]
    const opt = optim.adam({ learningRate: alpha, beta1: b1, beta2: b2, epsilon: eps })
    let p = { w: t([0.5, -1, 2]), b: Tensor.fromArray(0.3) }
    let state = opt.init(p)
    // The rule by hand, on plain arrays.
    let w = [0.5, -1, 2]
    let b = 0.3
    let m = { w: [0, 0, 0], b: 0 }
    let v = { w: [0, 0, 0], b: 0 }
    for (let step = 1; step <= 3; step++) {
      const [, g] = valueAndGrad(loss)(tensor)(p)
      ;[p, state] = opt.update(g, state, p)
      const h = handGradient(w, b)
      m = { w: m.w.map((mi, i) => b1 * mi + (1 - b1) * h.w[i]!), b: b1 * m.b + (1 - b1) * h.b }
      v = {
        w: v.w.map((vi, i) => b2 * vi + (1 - b2) * h.w[i]! ** 2),
        b: b2 * v.b + (1 - b2) * h.b ** 2,
      }
      const rule = (mi: number, vi: number) =>
        (alpha * (mi / (1 - b1 ** step))) / (Math.sqrt(vi / (1 - b2 ** step)) + eps)
      w = w.map((wi, i) => wi - rule(m.w[i]!, v.w[i]!))
      b = b - rule(m.b, v.b)
      expect(arr(p.w)).toBeClose(w, { rel: 1e-14, abs: 1e-15 })
      expect(arr(p.b)).toBeClose(b, { rel: 1e-14, abs: 1e-15 })
      expect(state.step).toBe(step)
    }
  })

  test('the first step moves every parameter by about the learning rate, against the sign of its gradient', () => {
    const opt = optim.adam({ learningRate: 0.01 })
    const [p] = opt.update([3, -1e-3, 50], opt.init([0, 0, 0]), [0, 0, 0])
    expect(p).toBeClose([-0.01, 0.01, -0.01], { rel: 1e-5 })
  })

  test('defaults are those of PyTorch and optax: beta1 0.9, beta2 0.999, epsilon 1e-8', () => {
    const a = optim.adam({ learningRate: 0.1 })
    const b = optim.adam({ learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 })
    let pa: ReadonlyArray<number> = [1]
    let pb: ReadonlyArray<number> = [1]
    let [sa, sb] = [a.init(pa), b.init(pb)]
    for (const g of [2, -1, 0.5]) {
      ;[pa, sa] = a.update([g], sa, pa)
      ;[pb, sb] = b.update([g], sb, pb)
    }
    expect(pa).toEqual(pb)
  })

  test.each([
    [{ learningRate: 0 }, 'adam: learningRate must be positive and finite, got 0'],
    [{ learningRate: 0.1, beta1: 1 }, 'adam: beta1 must be in [0, 1), got 1'],
    [{ learningRate: 0.1, beta2: -0.1 }, 'adam: beta2 must be in [0, 1), got -0.1'],
    [
      { learningRate: 0.1, epsilon: Number.NaN },
      'adam: epsilon must be positive and finite, got NaN',
    ],
  ])('refuses %o, naming the option', (options, message) => {
    expect(() => optim.adam(options)).toThrow(message)
  })
})

describe('optim.sgd', () => {
  test.each([false, true])(
    "momentum 0.9 (nesterov %s) follows PyTorch's rule written out here for three steps",
    (nesterov) => {
      const [alpha, mu] = [0.05, 0.9]
      const opt = optim.sgd({ learningRate: alpha, momentum: mu, nesterov })
      let p = { w: t([0.5, -1, 2]), b: Tensor.fromArray(0.3) }
      let state = opt.init(p)
      let w = [0.5, -1, 2]
      let b = 0.3
      let buf = { w: [0, 0, 0], b: 0 }
      for (let step = 1; step <= 3; step++) {
        const [, g] = valueAndGrad(loss)(tensor)(p)
        ;[p, state] = opt.update(g, state, p)
        const h = handGradient(w, b)
        // torch.optim.SGD, dampening 0: the first buffer is g itself.
        buf = step === 1 ? h : { w: buf.w.map((x, i) => mu * x + h.w[i]!), b: mu * buf.b + h.b }
        const dw = nesterov ? h.w.map((gi, i) => gi + mu * buf.w[i]!) : buf.w
        const db = nesterov ? h.b + mu * buf.b : buf.b
        w = w.map((wi, i) => wi - alpha * dw[i]!)
        b = b - alpha * db
        expect(arr(p.w)).toBeClose(w, { rel: 1e-14, abs: 1e-15 })
        expect(arr(p.b)).toBeClose(b, { rel: 1e-14, abs: 1e-15 })
      }
    },
  )

  test('without momentum it is p − α·g', () => {
    const opt = optim.sgd({ learningRate: 0.5 })
    const [p] = opt.update({ a: 4, c: [t([2, 4])] }, opt.init({ a: 1, c: [t([1, 1])] }), {
      a: 1,
      c: [t([1, 1])],
    })
    expect(p.a).toBe(-1)
    expect(arr(p.c[0])).toEqual([0, -1])
  })

  test('nesterov without momentum is refused', () => {
    expect(() => optim.sgd({ learningRate: 0.1, nesterov: true })).toThrow(
      'sgd: nesterov needs a momentum > 0',
    )
  })
})

describe('optimisers are pure', () => {
  fcTest.prop([
    fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 6 }),
  ])('update changes none of its arguments, and the same call gives the same answer', (xs) => {
    for (const opt of [
      optim.adam({ learningRate: 0.1 }),
      optim.sgd({ learningRate: 0.1, momentum: 0.5 }) as unknown as ReturnType<typeof optim.adam>,
    ]) {
      const params = { w: t(xs), s: xs[0]! }
      const grads = { w: t(xs.map((x) => x * 2 - 1)), s: 3 }
      const state = opt.init(params)
      const before = JSON.stringify([arr(params.w), arr(grads.w), state])
      const once = opt.update(grads, state, params)
      const twice = opt.update(grads, state, params)
      expect(JSON.stringify([arr(params.w), arr(grads.w), state])).toBe(before)
      expect(arr(once[0].w)).toEqual(arr(twice[0].w))
    }
  })
})

describe('optim.elementwise', () => {
  test('pairs leaves by field name, whatever the order of the fields', () => {
    const out = optim.elementwise(
      'sub',
      [
        { a: 1, b: 10 },
        { b: 3, a: 2 },
      ],
      ([x, y]) => x! - y!,
    )
    expect(out).toEqual({ a: -1, b: 7 })
  })

  test.each([
    [
      { w: t([1, 2]) },
      { w: t([1, 2, 3]) },
      'adam.update: the trees differ at .w: a Tensor of shape [2] against a Tensor of shape [3]',
    ],
    [{ w: 1 }, { v: 1 }, 'adam.update: the trees differ at .w: one lacks it'],
    [
      [1, 2],
      [1],
      'adam.update: the trees differ at the root: an array of 2 elements against an array of 1 element',
    ],
    [
      { w: 1 },
      { w: t([1]) },
      'adam.update: the trees differ at .w: a number against a Tensor of shape [1]',
    ],
  ])(
    'gradients shaped unlike the parameters are refused, naming where (%o vs %o)',
    (p, g, message) => {
      const opt = optim.adam({ learningRate: 0.1 })
      expect(() => opt.update(g as never, opt.init(p), p)).toThrow(message)
    },
  )

  fcTest.prop([
    fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 8 }),
    fc.double({ noNaN: true }),
  ])('flatten and unflatten are inverse', (xs, s) => {
    const p = { w: t(xs), s, rest: [Tensor.fromArray(xs.slice(0, 1)[0]!)] }
    const back = optim.unflatten(p, optim.flatten(p))
    expect(arr(back.w)).toEqual(xs)
    expect(back.s).toBe(s)
    expect(optim.flatten(back)).toEqual(optim.flatten(p))
  })
})

describe('optim.steps and optim.run', () => {
  const square =
    <A>(F: Floating<A>) =>
    (xs: ReadonlyArray<A>) =>
      F.mul(xs[0]!, xs[0]!)

  test('steps is lazy and reading it twice gives the same steps', () => {
    const all = optim.steps(optim.adam({ learningRate: 0.1 }))(valueAndGrad(square)(scalar))([1])
    const take = (n: number) => {
      const out: number[] = []
      for (const s of all) {
        out.push(s.params[0]!)
        if (s.step === n) break
      }
      return out
    }
    expect(take(5)).toEqual(take(5))
  })

  test('run records the loss each step started from', () => {
    const { losses, params } = optim.run(optim.sgd({ learningRate: 0.25 }), { steps: 3 })(
      valueAndGrad(square)(scalar),
    )([8])
    expect(losses).toEqual([64, 16, 4])
    expect(params).toEqual([1])
  })

  test('a loss that is not one number is refused', () => {
    const vector =
      <A>(T: Tensorial<A>) =>
      (w: A) =>
        T.mul(w, w)
    expect(() =>
      optim.run(optim.sgd({ learningRate: 0.1 }), { steps: 1 })(
        valueAndGrad(vector as never)(tensor) as never,
      )(t([1, 2])),
    ).toThrow('the loss must have shape [] (one number), got shape [2]')
  })
})
