/**
 * slice, take, concat and stack in both modes and on both backends (the generated
 * programs also hold them to the scalar backend and to finite differences).
 */
import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  grad,
  jvp,
  scalar,
  Tensor,
  tensor,
  type Floating,
  type Tensorial,
} from '../../src/index.js'
import { rosenbrock } from '../helpers/functions.js'
import { arr, t } from '../helpers/tensors.js'

describe('slice', () => {
  const x = t([1, 2, 3, 4])

  test("numpy's x[1:] is slice(x, [1], [n]) and x[:-1] is slice(x, [0], [-1])", () => {
    expect(arr(tensor.slice(x, [1], [4]))).toEqual([2, 3, 4])
    expect(arr(tensor.slice(x, [0], [-1]))).toEqual([1, 2, 3])
    expect(
      arr(
        tensor.slice(
          t([
            [1, 2],
            [3, 4],
            [5, 6],
          ]),
          [1],
          [3],
        ),
      ),
    ).toEqual([
      [3, 4],
      [5, 6],
    ])
  })

  test('vectorised Rosenbrock, Σ 100·(x[1:] − x[:-1]²)² + (1 − x[:-1])², has the scalar gradient', () => {
    const vectorised =
      <A>(T: Tensorial<A>) =>
      (v: A): A => {
        const n = T.shape(v)[0]!
        const head = T.slice(v, [0], [n - 1])
        const tail = T.slice(v, [1], [n])
        const a = T.sub(tail, T.mul(head, head))
        const b = T.sub(T.one, head)
        return T.sum(T.add(T.mul(T.fromNumber(100), T.mul(a, a)), T.mul(b, b)))
      }
    const xs = [0.5, -1.2, 2, 0.3, 1]
    expect(arr(grad(vectorised)(tensor)(t(xs)))).toBeClose(grad(rosenbrock)(scalar)(xs), {
      rel: 1e-12,
    })
  })

  test('bad bounds are refused, naming the op, the value and the range', () => {
    expect(() => tensor.slice(x, [0], [5])).toThrow(
      'slice: end 5 on axis 0 of [4] is out of range; expected an integer in [-4, 4]',
    )
    expect(() => tensor.slice(x, [3], [1])).toThrow('slice: end 1 comes before begin 3')
    expect(() => tensor.slice(x, [0, 0], [1, 1])).toThrow('at most the rank of [4]')
  })
})

describe('take', () => {
  test('gathers along an axis, and repeated indices add their cotangents', () => {
    expect(
      arr(
        tensor.take(
          t([
            [1, 2],
            [3, 4],
          ]),
          [1, -1, 0],
        ),
      ),
    ).toEqual([
      [3, 4],
      [3, 4],
      [1, 2],
    ])
    expect(
      arr(
        tensor.take(
          t([
            [1, 2],
            [3, 4],
          ]),
          [1],
          1,
        ),
      ),
    ).toEqual([[2], [4]])
    const f =
      <A>(T: Tensorial<A>) =>
      (v: A): A =>
        T.sum(T.mul(T.take(v, [2, 0, 2]), T.constant(t([1, 10, 100]))))
    expect(arr(grad(f)(tensor)(t([5, 6, 7])))).toEqual([10, 0, 101])
  })

  test('a non-integer or out-of-range index is refused', () => {
    expect(() => tensor.take(t([1, 2]), [2])).toThrow(
      'take: index 2 is out of range for an axis of length 2; expected an integer in [-2, 1]',
    )
    expect(() => tensor.take(t([1, 2]), [0.5])).toThrow('take: index 0.5 is out of range')
  })
})

describe('concat and stack', () => {
  test('concat joins along an axis and its gradient splits back', () => {
    expect(
      arr(
        tensor.concat(
          [
            t([[1], [2]]),
            t([
              [3, 4],
              [5, 6],
            ]),
          ],
          1,
        ),
      ),
    ).toEqual([
      [1, 3, 4],
      [2, 5, 6],
    ])
    const f =
      <A>(T: Tensorial<A>) =>
      (ps: ReadonlyArray<A>): A =>
        T.sum(T.mul(T.concat(ps), T.constant(t([1, 2, 3]))))
    const [ga, gb] = grad(f)(tensor)([t([9]), t([9, 9])])
    expect([arr(ga!), arr(gb!)]).toEqual([[1], [2, 3]])
  })

  test('concat of several values, constants among them, in one buffer, with each gradient its block', () => {
    const f =
      <A>(T: Tensorial<A>) =>
      (ps: ReadonlyArray<A>): A =>
        T.sum(
          T.mul(
            T.concat([ps[0]!, T.constant(t([0, 0])), ps[1]!, ps[2]!]),
            T.constant(t([1, 2, 3, 4, 5, 6, 7])),
          ),
        )
    const [ga, gb, gc] = grad(f)(tensor)([t([9]), t([9, 9]), t([9, 9])])
    expect([arr(ga!), arr(gb!), arr(gc!)]).toEqual([[1], [4, 5], [6, 7]])
    const unit = (n: number, k: number) => t(Array.from({ length: n }, (_, i) => (i === k ? 1 : 0)))
    expect(
      arr(jvp(f)(tensor)([t([9]), t([9, 9]), t([9, 9])], [unit(1, 0), unit(2, 1), unit(2, 0)])[1]),
    ).toBe(1 + 5 + 6)
  })

  test('stack of shape-[] values makes a vector, in every mode', () => {
    expect(arr(tensor.stack([t(1), t(2), t(3)]))).toEqual([1, 2, 3])
    expect(Tensor.shape(tensor.stack([t([1, 2]), t([3, 4])], 1))).toEqual([2, 2])
    const f =
      <A>(F: Floating<A>) =>
      (xs: ReadonlyArray<A>): A =>
        F.mul(xs[0]!, F.mul(xs[1]!, xs[1]!))
    const g =
      <A>(T: Tensorial<A>) =>
      (v: A): A =>
        f(T)([T.take(T.reshape(v, [2]), [0]), T.take(T.reshape(v, [2]), [1])].map((e) => T.sum(e)))
    expect(arr(grad(g)(tensor)(tensor.stack([t(2), t(3)])))).toEqual(grad(f)(scalar)([2, 3]))
  })

  test('mismatched shapes and empty lists are refused, naming both shapes', () => {
    expect(() => tensor.concat([t([[1, 2]]), t([[1, 2, 3]])])).toThrow(
      'concat: cannot join [1,2] and [1,3] along axis 0; the other axes must agree',
    )
    expect(() => tensor.concat([])).toThrow('concat: expected at least one value, got none')
    expect(() => tensor.stack([t([1]), t([1, 2])])).toThrow(
      'stack: value 1 has shape [2], value 0 has [1]; expected one shape',
    )
  })
})

describe('blocks copied by runs', () => {
  // A reference by multi-indices, element by element.
  const at = (shape: ReadonlyArray<number>, flat: number) =>
    shape.map(
      (_, d) => Math.floor(flat / shape.slice(d + 1).reduce((a, b) => a * b, 1)) % shape[d]!,
    )
  const shapes = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 })
  fcTest.prop([
    shapes.chain((s) =>
      fc.tuple(
        fc.constant(s),
        fc.tuple(...s.map((d) => fc.integer({ min: 0, max: d }))),
        fc.tuple(...s.map((d) => fc.integer({ min: 0, max: d }))),
      ),
    ),
  ])(
    'slice and pad of any rank equal an element-by-element copy, and pad undoes slice',
    ([s, a, b]) => {
      const begin = s.map((_, d) => Math.min(a[d]!, b[d]!))
      const end = s.map((_, d) => Math.max(a[d]!, b[d]!))
      const n = s.reduce((p, q) => p * q, 1)
      const t = Tensor.fromArray(
        Array.from({ length: n }, (_, i) => i + 1),
        s,
      )
      const cut = tensor.slice(t, begin, end)
      const size = end.map((e, d) => e - begin[d]!)
      const m = size.reduce((p, q) => p * q, 1)
      const want = Array.from({ length: m }, (_, k) => {
        const idx = at(size, k).map((i, d) => i + begin[d]!)
        return Tensor.get(t, ...idx)
      })
      expect(Array.from(Tensor.toFlat(cut))).toEqual(want)
      const back = Array.from(Tensor.toFlat(tensor.pad(cut, s, begin)))
      back.forEach((v, flat) => {
        const idx = at(s, flat)
        const inside = idx.every((i, d) => i >= begin[d]! && i < end[d]!)
        expect(v).toBe(inside ? Tensor.get(t, ...idx) : 0)
      })
    },
  )
})
