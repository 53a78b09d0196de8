import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  grad,
  jit,
  scalar,
  tensor,
  Tensor,
  valueAndGrad,
  vjp,
  vmap,
  type Floating,
  type Tensorial,
} from '../../src/index.js'

const flat = (t: Tensor) => Array.from(Tensor.toFlat(t))
const T = tensor

const lossOn =
  <A>(U: Tensorial<A>) =>
  (p: { readonly w: A }, x: A, y: A): A => {
    const r = U.sub(U.matmul(x, p.w), y)
    return U.sum(U.mul(r, r))
  }
const closureOf =
  (x: Tensor, y: Tensor) =>
  <A>(U: Tensorial<A>) =>
  (p: { readonly w: A }): A =>
    lossOn(U)(p, U.constant(x), U.constant(y))

const point = fc.tuple(
  fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 2, maxLength: 2 }),
  fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 6, maxLength: 6 }),
  fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 }),
)

describe('data arguments', () => {
  fcTest.prop([point])(
    'grad(f)(T)(params, x, y) equals the gradient of the closure over x and y',
    ([w, x, y]) => {
      const p = { w: Tensor.fromArray(w) }
      const X = Tensor.fromArray(x, [3, 2])
      const Y = Tensor.fromArray(y)
      expect(flat(grad(lossOn)(T)(p, X, Y).w)).toEqual(flat(grad(closureOf(X, Y))(T)(p).w))
      const [v, g] = valueAndGrad(lossOn)(T)(p, X, Y)
      const [vc, gc] = valueAndGrad(closureOf(X, Y))(T)(p)
      expect(Tensor.toArray(v)).toBe(Tensor.toArray(vc))
      expect(flat(g.w)).toEqual(flat(gc.w))
    },
  )

  test('only the first argument is differentiated; the others are constants of the mode', () => {
    const f =
      <A>(F: Floating<A>) =>
      (x: A, k: A): A =>
        F.mul(x, F.mul(x, k))
    expect(grad(f)(scalar)(3, 5)).toBe(30)
    expect(valueAndGrad(f)(scalar)(3, 5)).toEqual([45, 30])
  })

  test('vjp takes data arguments too', () => {
    const [y, back] = vjp(lossOn)(T)(
      { w: Tensor.fromArray([1, 1]) },
      Tensor.fromArray([
        [1, 0],
        [0, 2],
      ]),
      Tensor.fromArray([0, 0]),
    )
    expect(Tensor.toArray(y)).toBe(5)
    expect(flat(back(Tensor.fromArray(1)).w)).toEqual([2, 8])
  })
})

describe('static leaves among the data: a number beside tensors, a string', () => {
  // scale and label are not values of the tensor instance: f receives them as they are.
  const scaled =
    <A>(U: Tensorial<A>) =>
    (p: { readonly w: A }, x: A, s: { readonly scale: number; readonly label: string }): A => {
      if (s.label !== 'rows') throw new Error(`the label reached f as ${String(s.label)}`)
      return U.mul(U.fromNumber(s.scale), lossOn(U)(p, x, U.zero))
    }
  const closed =
    (x: Tensor, scale: number) =>
    <A>(U: Tensorial<A>) =>
    (p: { readonly w: A }): A =>
      U.mul(U.fromNumber(scale), lossOn(U)(p, U.constant(x), U.zero))

  fcTest.prop([point, fc.double({ min: -4, max: 4, noNaN: true })])(
    'grad, valueAndGrad, vjp, jit(grad) and vmap pass them unchanged: the closure over them',
    ([w, x], scale) => {
      const p = { w: Tensor.fromArray(w) }
      const X = Tensor.fromArray(x, [3, 2])
      const s = { scale, label: 'rows' }
      const want = flat(grad(closed(X, scale))(T)(p).w)
      expect(flat(grad(scaled)(T)(p, X, s).w)).toEqual(want)
      expect(flat(valueAndGrad(scaled)(T)(p, X, s)[1].w)).toEqual(want)
      expect(flat(jit(grad(scaled))(T)(p, X, s).w)).toEqual(want)
      const [, back] = vjp(scaled)(T)(p, X, s)
      expect(flat(back(Tensor.fromArray(1)).w)).toEqual(want)
      // One example a row of X; scale and label are the same for every example.
      const perExample = vmap(
        <A>(U: Tensorial<A>) =>
          (xi: A, q: { readonly w: A }, t: { readonly scale: number; readonly label: string }) =>
            scaled(U)(q, U.reshape(xi, [1, 2]), t),
        { inAxes: [0, null, null] },
      )(T)(X, p, s)
      const rows = [0, 1, 2].map((i) =>
        Tensor.toArray(closed(Tensor.fromArray(x.slice(2 * i, 2 * i + 2), [1, 2]), scale)(T)(p)),
      )
      expect(flat(perExample)).toEqual(rows)
    },
  )

  test('vmap refuses to map an axis of a number, naming the argument', () => {
    const f =
      <A>(U: Tensorial<A>) =>
      (x: A, k: number): A =>
        U.mul(x, U.fromNumber(k))
    expect(() => vmap(f)(T)(Tensor.fromArray([1, 2]), 3)).toThrow(
      'vmap: argument 1 is a number, which has no axis to map; give it inAxes null',
    )
  })

  test('over numbers a number is a value of the instance: a constant of the mode', () => {
    const f =
      <A>(F: Floating<A>) =>
      (x: A, k: A): A =>
        F.mul(x, k)
    expect(grad(f)(scalar)(3, 5)).toBe(5)
  })
})

describe('hasAux', () => {
  const withAux =
    <A>(U: Tensorial<A>) =>
    (p: { readonly w: A }, x: A, y: A) => {
      const r = U.sub(U.matmul(x, p.w), y)
      return [U.sum(U.mul(r, r)), { residual: r, count: U.fromNumber(3) }] as const
    }
  const p = { w: Tensor.fromArray([1, 2]) }
  const X = Tensor.fromArray([
    [1, 0],
    [0, 1],
    [1, 1],
  ])
  const Y = Tensor.fromArray([0, 1, 2])

  test('valueAndGrad gives [[loss, aux], grad], aux as plain values; only the loss is differentiated', () => {
    const [[loss, aux], g] = valueAndGrad(withAux, { hasAux: true })(T)(p, X, Y)
    expect(Tensor.toArray(loss)).toBe(1 + 1 + 1)
    expect(flat(aux.residual)).toEqual([1, 1, 1])
    expect(Tensor.toArray(aux.count)).toBe(3)
    expect(flat(g.w)).toEqual(flat(grad(lossOn)(T)(p, X, Y).w))
  })

  test('grad gives [grad, aux]', () => {
    const [g, aux] = grad(withAux, { hasAux: true })(T)(p, X, Y)
    expect(flat(g.w)).toEqual([4, 4])
    expect(flat(aux.residual)).toEqual([1, 1, 1])
  })

  test('aux leaves that are not values (a string, a boolean, null) come back unchanged', () => {
    const tagged =
      <A>(U: Tensorial<A>) =>
      (q: { readonly w: A }) =>
        [U.sum(U.mul(q.w, q.w)), { norm: U.sum(q.w), name: 'w', done: true, none: null }] as const
    const [g, aux] = grad(tagged, { hasAux: true })(T)(p)
    expect(flat(g.w)).toEqual([2, 4])
    expect(Tensor.toArray(aux.norm)).toBe(3)
    expect([aux.name, aux.done, aux.none]).toEqual(['w', true, null])
  })

  test('a function that does not return a pair is refused with a message', () => {
    expect(() => grad(lossOn as never, { hasAux: true })(T)(p, X, Y)).toThrow(
      /hasAux.*\[loss, aux\]/,
    )
  })
})
