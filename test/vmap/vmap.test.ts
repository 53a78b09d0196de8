import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  grad,
  jit,
  jvp,
  tensor,
  Tensor,
  valueAndGrad,
  vjp,
  vmap,
  type Tensorial,
} from '../../src/index.js'

const T = tensor
const flat = (t: Tensor) => Array.from(Tensor.toFlat(t))
const tol = { rel: 1e-12, abs: 1e-14 }

/** Example i of x along axis a, by the eager backend. */
const example = (x: Tensor, i: number, a = 0): Tensor => {
  const s = Tensor.shape(x)
  return T.reshape(
    T.take(x, [i], a),
    s.filter((_, k) => k !== (a < 0 ? a + s.length : a)),
  )
}

/** A batch of b examples of shape s. */
const batch = (b: number, s: ReadonlyArray<number>) => {
  const n = b * s.reduce((p, d) => p * d, 1)
  return fc
    .array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n })
    .map((xs) => Tensor.fromArray(xs, [b, ...s]))
}

// A two-layer network; the per-example loss of one example (x [3], y [2]).
const params = {
  W1: Tensor.fromArray([
    [0.1, -0.2, 0.3, 0.4],
    [0.5, 0.1, -0.3, 0.2],
    [-0.4, 0.2, 0.1, -0.1],
  ]),
  b1: Tensor.fromArray([0.1, 0, -0.1, 0.2]),
  W2: Tensor.fromArray([
    [0.3, -0.1],
    [0.2, 0.4],
    [-0.5, 0.1],
    [0.1, 0.2],
  ]),
  b2: Tensor.fromArray([0, 0.1]),
}
type Params<A> = { readonly W1: A; readonly b1: A; readonly W2: A; readonly b2: A }
const loss =
  <A>(U: Tensorial<A>) =>
  (p: Params<A>, x: A, y: A): A => {
    const h = U.tanh(U.add(U.matmul(x, p.W1), p.b1))
    const out = U.add(U.matmul(h, p.W2), p.b2)
    return U.sum(U.mul(U.sub(out, y), U.sub(out, y)))
  }

describe('vmap', () => {
  fcTest.prop([batch(4, [3]), batch(4, [2])])(
    'per-example gradients, vmap(grad(loss), { inAxes: [null, 0, 0] }), equal a loop of grad calls, eager and jitted',
    (xs, ys) => {
      const perExample = vmap(grad(loss), { inAxes: [null, 0, 0] })
      const mapped = perExample(T)(params, xs, ys)
      const jitted = jit(perExample)(T)(params, xs, ys)
      for (const k of ['W1', 'b1', 'W2', 'b2'] as const) {
        const looped = [0, 1, 2, 3].map(
          (i) => grad(loss)(T)(params, example(xs, i), example(ys, i))[k],
        )
        expect(flat(mapped[k])).toBeClose(looped.flatMap(flat), tol)
        expect(flat(jitted[k])).toBeClose(looped.flatMap(flat), tol)
        expect(Tensor.shape(mapped[k])).toEqual([4, ...Tensor.shape(params[k])])
      }
    },
  )

  fcTest.prop([batch(3, [2, 4]), fc.integer({ min: -3, max: 2 }), fc.integer({ min: -3, max: 2 })])(
    'inAxes and outAxes move the mapped axis: vmap(f) is the stack of f per example',
    (x0, inAxis, outAxis) => {
      // The mapped axis of x is inAxis: move the batch there first.
      const x = vmap(
        <A>(_U: Tensorial<A>) =>
          (v: A): A =>
            v,
        { outAxes: inAxis },
      )(T)(x0)
      const f =
        <A>(U: Tensorial<A>) =>
        (v: A): A =>
          U.mul(U.softmax(v, 0), U.sum(v, { axis: -1, keepDims: true }))
      const out = vmap(f, { inAxes: inAxis, outAxes: outAxis })(T)(x)
      const stacked = T.stack(
        [0, 1, 2].map((i) => f(T)(example(x, i, inAxis))),
        outAxis,
      )
      expect(Tensor.shape(out)).toEqual(Tensor.shape(stacked))
      expect(flat(out)).toBeClose(flat(stacked), tol)
    },
  )

  test('every kind of op: elementwise against unmapped values, reductions, indexing, products, linear algebra', () => {
    const f =
      <A>(U: Tensorial<A>) =>
      (m: A, w: A): A => {
        const a = U.add(U.matmul(m, U.matrixTranspose(m)), U.constant(Tensor.eye(2)))
        const s = U.solve(a, U.take(w, [0, 1]))
        const c = U.concat([U.slice(s, [1], [2]), U.logsumexp(U.expandDims(s, 0), { axis: 1 })])
        return U.add(U.max(U.broadcastTo(c, [3, 2]), { axis: 0 }), U.det(a))
      }
    const m = Tensor.fromArray([
      [
        [1, 2],
        [0, 1],
      ],
      [
        [0.5, 0],
        [1, 1],
      ],
      [
        [2, 1],
        [1, 3],
      ],
    ])
    const w = Tensor.fromArray([0.3, -0.7, 2])
    const out = vmap(f, { inAxes: [0, null] })(T)(m, w)
    const stacked = T.stack([0, 1, 2].map((i) => f(T)(example(m, i), w)))
    expect(flat(out)).toBeClose(flat(stacked), tol)
    const g = vmap(grad(f), { inAxes: [0, null] })(T)(m, w)
    const gl = T.stack([0, 1, 2].map((i) => grad(f)(T)(example(m, i), w)))
    expect(flat(g)).toBeClose(flat(gl), { rel: 1e-10, abs: 1e-12 })
  })

  test('composes with grad, jvp, vjp and itself', () => {
    const f =
      <A>(U: Tensorial<A>) =>
      (v: A): A =>
        U.sum(U.mul(U.sin(v), v))
    const x = Tensor.fromArray([
      [0.1, 0.2],
      [0.3, 0.4],
      [0.5, 0.6],
    ])
    const outer = grad(
      <A>(U: Tensorial<A>) =>
        (v: A): A =>
          U.sum(vmap(f)(U)(v)),
    )(T)(x)
    expect(flat(outer)).toBeClose(
      flat(x).map((v) => Math.sin(v) + v * Math.cos(v)),
      tol,
    )
    const [, t] = jvp(vmap(f))(T)(x, Tensor.fill([3, 2], 1))
    expect(flat(t)).toBeClose(
      [0, 1, 2].map((i) =>
        [0, 1].reduce(
          (s, j) =>
            s + Math.sin(Tensor.get(x, i, j)) + Tensor.get(x, i, j) * Math.cos(Tensor.get(x, i, j)),
          0,
        ),
      ),
      tol,
    )
    const [, back] = vjp(vmap(f))(T)(x)
    expect(flat(back(Tensor.fromArray([1, 0, 2])))).toBeClose(
      flat(x).map((v, k) => [1, 0, 2][Math.floor(k / 2)]! * (Math.sin(v) + v * Math.cos(v))),
      tol,
    )
    const m = Tensor.fromArray([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ])
    const inner = vmap(f)
    const nested = vmap(inner)(T)(m)
    expect(flat(nested)).toBeClose(
      [0, 1].flatMap((i) =>
        [0, 1].map((j) => Tensor.toArray(f(T)(example(example(m, i), j))) as number),
      ),
      tol,
    )
  })

  test('a cotangent summed back through a broadcast keeps its sign of zero: logSoftmax of a row with NaN has gradient NaN, as per example', () => {
    // The cotangents sum to (−0.5 + 1.6) − 1.1 = 0, a zero by cancellation (−0), which
    // does not hide the NaN of the softmax beside it; as +0 it gave [−0.5, 1.6, −1.1].
    const u = Tensor.fromArray([-0.5, 1.6, -1.1])
    const f =
      <A>(F: Tensorial<A>) =>
      (x: A): A =>
        F.sum(F.mul(F.logSoftmax(x), F.constant(u)))
    const x = Tensor.fromArray([0, NaN, 0])
    const perExample = flat(grad(f)(T)(x))
    expect(perExample.every(Number.isNaN)).toBe(true)
    const mapped = vmap(grad(f))(T)(T.reshape(x, [1, 3]))
    expect(flat(mapped as Tensor)).toEqual(perExample)
  })

  test('mapped leaves of different lengths throw naming both lengths', () => {
    const add =
      <A>(U: Tensorial<A>) =>
      (a: A, b: A): A =>
        U.add(a, b)
    expect(() => vmap(add)(T)(Tensor.fill([2, 3], 1), Tensor.fill([3, 3], 1))).toThrow(/2.*3/)
  })

  test('an op error inside names the batched shapes and says the mapped axes are in front, outermost first', () => {
    const add =
      <A>(U: Tensorial<A>) =>
      (a: A, b: A): A =>
        U.add(a, b)
    expect(() => vmap(add)(T)(Tensor.fill([4, 2], 1), Tensor.fill([4, 3], 1))).toThrow(
      'add: cannot broadcast [4,2] with [4,3]',
    )
    expect(() => vmap(add)(T)(Tensor.fill([4, 2], 1), Tensor.fill([4, 3], 1))).toThrow(
      /\(under vmap: the shapes include the mapped axis, of length 4, in front\)$/,
    )
    const inner = vmap(add)
    expect(() => vmap(inner)(T)(Tensor.fill([5, 4, 2], 1), Tensor.fill([5, 4, 3], 1))).toThrow(
      /\(under vmap: the shapes include the mapped axes, of lengths 5, 4, in front\)$/,
    )
  })

  test('toNumber of a mapped value throws: control flow on mapped values cannot be batched', () => {
    const branchy =
      <A>(U: Tensorial<A>) =>
      (v: A): A =>
        U.toNumber(U.sum(v)) > 0 ? v : U.neg(v)
    expect(() => vmap(branchy)(T)(Tensor.fill([2, 3], 1))).toThrow(/control flow.*where/)
  })

  test('an unmapped output is broadcast along the mapped axis', () => {
    const constant =
      <A>(U: Tensorial<A>) =>
      (_v: A): A =>
        U.fromNumber(7)
    expect(Tensor.toArray(vmap(constant)(T)(Tensor.fill([3, 2], 0)))).toEqual([7, 7, 7])
  })

  test('valueAndGrad with data arguments under vmap', () => {
    const xs = Tensor.fromArray([
      [1, 0, 0],
      [0, 1, 0],
    ])
    const ys = Tensor.fromArray([
      [0, 1],
      [1, 0],
    ])
    const [values] = vmap(valueAndGrad(loss), { inAxes: [null, 0, 0] })(T)(params, xs, ys)
    expect(flat(values)).toBeClose(
      [0, 1].map((i) => Tensor.toArray(loss(T)(params, example(xs, i), example(ys, i))) as number),
      tol,
    )
  })
})
