import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  grad,
  scalar,
  tensor,
  Tensor,
  valueAndGrad,
  vjp,
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

  test('a function that does not return a pair is refused with a message', () => {
    expect(() => grad(lossOn as never, { hasAux: true })(T)(p, X, Y)).toThrow(
      /hasAux.*\[loss, aux\]/,
    )
  })
})
