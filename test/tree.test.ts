import { describe, expect, test } from 'vitest'
import {
  forward,
  grad,
  jvp,
  leavesOf,
  scalar,
  Tensor,
  tensor,
  valueAndGrad,
  vjp,
  withLeaves,
  type Floating,
  type Tensorial,
} from '../src/index.js'
import { t } from './helpers/tensors.js'

describe('trees of parameters', () => {
  const loss =
    <A>(T: Tensorial<A>) =>
    (p: { readonly w: A; readonly b: A }): A =>
      T.sum(
        T.add(
          T.matmul(
            T.constant(
              t([
                [1, 2],
                [3, 4],
                [5, 6],
              ]),
            ),
            p.w,
          ),
          p.b,
        ),
      )

  test('grad of a loss of { w, b } is { w: ∂/∂w, b: ∂/∂b }', () => {
    const g = grad(loss)(tensor)({ w: t([1, 1]), b: t(0) })
    expect(Tensor.toArray(g.w)).toEqual([9, 12])
    expect(Tensor.toArray(g.b)).toBe(3)
  })

  test('valueAndGrad, jvp and vjp keep the structure of nested trees', () => {
    const f =
      <A>(F: Floating<A>) =>
      (p: { readonly layers: ReadonlyArray<{ readonly a: A; readonly b: A }> }): A =>
        p.layers.reduce((s, l) => F.add(s, F.mul(l.a, l.b)), F.zero)
    const p = {
      layers: [
        { a: 2, b: 3 },
        { a: 5, b: 7 },
      ],
    }
    const [value, g] = valueAndGrad(f)(scalar)(p)
    expect(value).toBe(41)
    expect(g).toEqual({
      layers: [
        { a: 3, b: 2 },
        { a: 7, b: 5 },
      ],
    })
    const v = {
      layers: [
        { a: 1, b: 0 },
        { a: 0, b: 1 },
      ],
    }
    expect(jvp(f)(scalar)(p, v)).toEqual([41, 3 + 5])
    const [y, pullback] = vjp(f)(scalar)(p)
    expect(y).toBe(41)
    expect(pullback(2)).toEqual({
      layers: [
        { a: 6, b: 4 },
        { a: 14, b: 10 },
      ],
    })
    expect(forward.grad(f)(scalar)(p)).toEqual(g)
  })

  test('a misspelt or missing field is a compile error', () => {
    const w = t([1, 1])
    // @ts-expect-error bb is not a field of the parameters
    expect(() => grad(loss)(tensor)({ w, bb: t(0) })).toThrow()
    // @ts-expect-error b is missing
    expect(() => grad(loss)(tensor)({ w })).toThrow()
  })

  test('tangents of another structure are refused, naming where', () => {
    const f =
      <A>(F: Floating<A>) =>
      (p: { readonly x: A; readonly y: A }): A =>
        F.mul(p.x, p.y)
    expect(() => jvp(f)(scalar)({ x: 1, y: 2 }, { x: 1 } as never)).toThrow(
      'jvp: expected 2 tangents (one per input), got 1',
    )
    expect(() => jvp(f)(scalar)({ x: 1, y: 2 }, { x: 1, z: 0 } as never)).toThrow(
      'jvp: the tangents lack the field y',
    )
  })

  test('a tangent of another shape is refused naming its path in the tree', () => {
    const f =
      <A>(T: Tensorial<A>) =>
      (p: { readonly layer: { readonly w: A }; readonly scale: A }): A =>
        T.mul(T.sum(p.layer.w), p.scale)
    const p = { layer: { w: t([1, 2]) }, scale: t(2) }
    expect(() => jvp(f)(tensor)(p, { layer: { w: t([1, 2]) }, scale: t([1, 1]) })).toThrow(
      'jvp: tangent at .scale has shape [2], but its point has shape []',
    )
  })

  test('leaves come out in order and go back in the same places, at any depth', () => {
    const tree = { a: [1, { b: 2, c: [3, 4] }], d: 5 }
    expect(leavesOf(tree)).toEqual([1, 2, 3, 4, 5])
    expect(withLeaves(tree, [10, 20, 30, 40, 50])).toEqual({
      a: [10, { b: 20, c: [30, 40] }],
      d: 50,
    })
    let deep: unknown = 1
    for (let i = 0; i < 100_000; i++) deep = [deep]
    expect(leavesOf(deep as never)).toEqual([1])
  })
})
