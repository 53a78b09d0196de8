import { describe, expect, test } from 'vitest'
import {
  defineOp,
  grad,
  jit,
  tensor,
  Tensor,
  valueAndGrad,
  type Floating,
  type Tensorial,
} from '../../src/index.js'

const flat = (t: Tensor) => Array.from(Tensor.toFlat(t))

/**
 * Whether f runs in a trace (on traced values, which have no number yet), rather than
 * eagerly or in the closure check's shape-only run.
 */
const tracing = <A>(T: Tensorial<A>, x: A): boolean => {
  try {
    T.toNumber(T.sum(x))
  } catch (e) {
    return /has no number yet/.test((e as Error).message)
  }
  return false
}

describe('jit is f at every call', () => {
  test('a closure that reads the current batch gives the current batch (it used to keep the first)', () => {
    let batch = Tensor.fromArray([1, 2])
    const lossOn =
      <A>(T: Tensorial<A>) =>
      (w: A): A =>
        T.sum(T.mul(T.mul(w, w), T.constant(batch)))
    const step = jit(valueAndGrad(lossOn))(tensor)
    const w = Tensor.fromArray([1, 1])
    for (const b of [
      [1, 2],
      [10, 20],
      [3, 5],
      [10, 20],
    ]) {
      batch = Tensor.fromArray(b)
      const [v, g] = step(w)
      const [ve, ge] = valueAndGrad(lossOn)(tensor)(w)
      expect(Tensor.toArray(v)).toBe(Tensor.toArray(ve))
      expect(flat(g)).toEqual(flat(ge))
    }
  })

  test('a defineOp whose primal and rule read a changing variable gives the new gradient', () => {
    let k = 2
    const scaleK = defineOp({
      name: 'scaleK',
      primal: (x: number) => k * x,
      derivative:
        <A>(F: Floating<A>) =>
        (): A =>
          F.fromNumber(k),
    })
    const f =
      <A>(T: Tensorial<A>) =>
      (x: A): A =>
        T.sum(scaleK(T)(x))
    const jf = jit(valueAndGrad(f))(tensor)
    const x = Tensor.fromArray([1, 2, 3])
    expect(flat(jf(x)[1])).toEqual([2, 2, 2])
    k = 3
    expect(Tensor.toArray(jf(x)[0])).toBe(18)
    expect(flat(jf(x)[1])).toEqual([3, 3, 3])
  })

  test('a number argument is static: each value traces its own program, and runs compiled after', () => {
    let traces = 0
    const g =
      <A>(T: Tensorial<A>) =>
      (x: A, s: number): A => {
        if (tracing(T, x)) traces++
        return T.sum(T.mul(x, T.fromNumber(s)))
      }
    const jg = jit(g)(tensor)
    const x = Tensor.fromArray([1, 2, 3])
    expect([0.5, 2, 0.5, 2, 0.5].map((s) => Tensor.toArray(jg(x, s)))).toEqual([3, 12, 3, 12, 3])
    expect(traces).toBe(2)
  })

  test('data arguments are traced inputs: a mini-batch loop reads each batch it is given', () => {
    let traces = 0
    const loss =
      <A>(T: Tensorial<A>) =>
      (w: A, x: A, y: A): A => {
        if (tracing(T, w)) traces++
        const r = T.sub(T.matmul(x, w), y)
        return T.sum(T.mul(r, r))
      }
    const step = jit(grad(loss))(tensor)
    const w = Tensor.fromArray([1, 2])
    const batches = [
      [
        Tensor.fromArray([
          [1, 0],
          [0, 1],
        ]),
        Tensor.fromArray([0, 0]),
      ],
      [
        Tensor.fromArray([
          [3, 0],
          [0, 3],
        ]),
        Tensor.fromArray([1, 1]),
      ],
    ] as const
    for (const [x, y] of [...batches, ...batches]) {
      expect(flat(step(w, x, y))).toEqual(flat(grad(loss)(tensor)(w, x, y)))
    }
    expect(traces).toBe(1)
  })

  test('a constant rebuilt with the same small contents does not trace again', () => {
    let traces = 0
    const f =
      <A>(T: Tensorial<A>) =>
      (x: A): A => {
        if (tracing(T, x)) traces++
        return T.sum(T.mul(x, T.constant(Tensor.fromArray([1, 2, 3]))))
      }
    const jf = jit(f)(tensor)
    for (let i = 0; i < 3; i++) jf(Tensor.fromArray([1, 1, 1]))
    expect(traces).toBe(1)
  })
})
