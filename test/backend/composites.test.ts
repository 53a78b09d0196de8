/**
 * Reductions over axes and the normalisations built on them (src/backend/composites.ts), in
 * both modes and on both backends; the generated programs (test/programs.test.ts)
 * hold them to the scalar backend and to finite differences as well.
 */
import { describe, expect, test } from 'vitest'
import { grad, jit, jvp, Tensor, tensor, type Tensorial } from '../../src/index.js'
import { arr, t } from '../helpers/tensors.js'

const gradOf =
  (f: <A>(T: Tensorial<A>) => (x: A) => A) =>
  (x: Tensor): unknown => {
    const reverse = arr(grad(f)(tensor)(x))
    // Forward mode, one unit tangent per element, must agree.
    const n = Tensor.size(x)
    const forward = Array.from({ length: n }, (_, k) => {
      const unit = Tensor.fromArray(
        Array.from({ length: n }, (_, j) => (j === k ? 1 : 0)),
        Tensor.shape(x),
      )
      return Tensor.toArray(jvp(f)(tensor)(x, unit)[1]) as number
    })
    expect(Array.from(Tensor.toFlat(Tensor.fromArray(reverse as never)))).toBeClose(forward)
    return reverse
  }

describe('reductions over axes', () => {
  const x = t([
    [1, 2, 3],
    [4, 5, 6],
  ])

  test('sum and mean take numpy axes: one, several, negative, none; keepDims keeps them as 1', () => {
    expect(arr(tensor.sum(x, { axis: 0 }))).toEqual([5, 7, 9])
    expect(arr(tensor.sum(x, { axis: -1 }))).toEqual([6, 15])
    expect(arr(tensor.sum(x, { axis: [0, 1] }))).toBe(21)
    expect(arr(tensor.sum(x, { axis: 1, keepDims: true }))).toEqual([[6], [15]])
    expect(Tensor.shape(tensor.sum(x, { keepDims: true }))).toEqual([1, 1])
    expect(arr(tensor.mean(x, { axis: 0 }))).toEqual([2.5, 3.5, 4.5])
    expect(arr(tensor.variance(x, { axis: 1 }))).toBeClose([2 / 3, 2 / 3])
  })

  test('the gradient of a sum over an axis spreads each cotangent over that axis', () => {
    const f =
      <A>(T: Tensorial<A>) =>
      (v: A): A =>
        T.sum(T.mul(T.sum(v, { axis: 0 }), T.constant(t([1, 2, 3]))))
    expect(gradOf(f)(x)).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ])
  })

  test('max splits its derivative equally among ties, per group', () => {
    const f =
      <A>(T: Tensorial<A>) =>
      (v: A): A =>
        T.sum(T.max(v, { axis: 1 }))
    expect(
      arr(
        tensor.max(
          t([
            [1, 3, 3],
            [2, 0, 1],
          ]),
          { axis: 1 },
        ),
      ),
    ).toEqual([3, 2])
    expect(
      gradOf(f)(
        t([
          [1, 3, 3],
          [2, 0, 1],
        ]),
      ),
    ).toEqual([
      [0, 0.5, 0.5],
      [1, 0, 0],
    ])
    const g =
      <A>(T: Tensorial<A>) =>
      (v: A): A =>
        T.min(v)
    expect(gradOf(g)(t([2, 1, 1, 1]))).toBeClose([0, 1 / 3, 1 / 3, 1 / 3])
  })

  test('logsumexp does not overflow, and an entry of −Infinity gets gradient 0 and no NaN', () => {
    expect(arr(tensor.logsumexp(t([1000, 1000])))).toBeClose(1000 + Math.LN2)
    const f =
      <A>(T: Tensorial<A>) =>
      (v: A): A =>
        T.logsumexp(v)
    expect(gradOf(f)(t([0, -Infinity, 0]))).toEqual([0.5, 0, 0.5])
    expect(arr(tensor.logsumexp(t([-Infinity, -Infinity])))).toBe(-Infinity)
  })

  test('softmax and logSoftmax are finite at ±1000 and sum to one along their axis', () => {
    const s = tensor.softmax(
      t([
        [1000, -1000, 0],
        [1, 2, 3],
      ]),
    )
    expect(Array.from(Tensor.toFlat(s)).every(Number.isFinite)).toBe(true)
    expect(arr(tensor.sum(s, { axis: -1 }))).toBeClose([1, 1])
    expect(arr(tensor.logSoftmax(t([1000, -1000])))).toBeClose([0, -2000])
    const f =
      <A>(T: Tensorial<A>) =>
      (v: A): A =>
        T.sum(T.mul(T.softmax(v, 0), T.constant(t([1, 0]))))
    const p = 1 / (1 + Math.exp(-1))
    expect(gradOf(f)(t([1, 0]))).toBeClose([p * (1 - p), -p * (1 - p)])
  })

  test('norm neither overflows nor underflows, and its derivative is x/‖x‖, 0 at 0', () => {
    expect(arr(tensor.norm(t([1e-200, 0])))).toBe(1e-200)
    expect(arr(tensor.norm(t([3e200, 4e200])))).toBeClose(5e200)
    const f =
      <A>(T: Tensorial<A>) =>
      (v: A): A =>
        T.norm(v)
    expect(gradOf(f)(t([3, 4]))).toBeClose([0.6, 0.8])
    expect(gradOf(f)(t([0, 0]))).toEqual([0, 0])
    expect(gradOf(f)(t([-0, 0]))).toEqual([0, 0])
    expect(arr(tensor.norm(x, { axis: 1 }))).toBeClose([Math.sqrt(14), Math.sqrt(77)])
  })

  test('broadcastTo, expandDims and squeeze reshape as numpy does, and their gradients sum back', () => {
    expect(Tensor.shape(tensor.expandDims(x, 0))).toEqual([1, 2, 3])
    expect(Tensor.shape(tensor.expandDims(x, -1))).toEqual([2, 3, 1])
    expect(Tensor.shape(tensor.squeeze(t([[[1], [2]]])))).toEqual([2])
    expect(Tensor.shape(tensor.squeeze(t([[[1], [2]]]), 0))).toEqual([2, 1])
    const f =
      <A>(T: Tensorial<A>) =>
      (v: A): A =>
        T.sum(T.mul(T.broadcastTo(v, [2, 3]), T.constant(x)))
    expect(gradOf(f)(t([1, 1, 1]))).toEqual([5, 7, 9])
  })

  test('bad axes are refused before any work, naming the op, the value and what was expected', () => {
    expect(() => tensor.sum(x, { axis: 2 })).toThrow(
      'sum: axis 2 is out of range for a tensor of rank 2; expected an integer in [-2, 1]',
    )
    expect(() => tensor.max(x, { axis: [0, -2] })).toThrow(
      'max: axis 0 is repeated in [0,-2]; expected distinct axes',
    )
    expect(() => tensor.mean(x, { axis: 0.5 })).toThrow('mean: axis 0.5 is out of range')
    expect(() => tensor.softmax(x, 3)).toThrow('softmax: axis 3 is out of range')
    expect(() => tensor.squeeze(x, 0)).toThrow('squeeze: axis 0 of [2,3] has length 2')
    expect(() => tensor.broadcastTo(x, [3, 3])).toThrow('broadcastTo: cannot broadcast [2,3]')
  })
})

describe('reductions at their edges (found by trying them as a new user)', () => {
  const normOf =
    <A>(T: Tensorial<A>) =>
    (v: A): A =>
      T.norm(v)

  test('norm of a subnormal vector has gradient x/‖x‖ (it was Infinity or NaN)', () => {
    expect(gradOf(normOf)(t([1e-310, 0]))).toEqual([1, 0])
    expect(gradOf(normOf)(t([5e-324]))).toEqual([1])
  })

  test('norm at an infinite entry has slope x/‖x‖ = ∞/∞ = NaN there, 0 at the finite ones, in every mode (it was 0)', () => {
    expect(arr(tensor.norm(t([Infinity, 0])))).toBe(Infinity)
    expect(gradOf(normOf)(t([Infinity, 0]))).toEqual([NaN, 0])
    expect(gradOf(normOf)(t([3, -Infinity, 4]))).toEqual([0, NaN, 0])
    expect(Tensor.toArray(jit(grad(normOf))(tensor)(t([Infinity, 0])))).toEqual([NaN, 0])
    expect(arr(jvp(normOf)(tensor)(t([Infinity, 0]), t([1, 0]))[1])).toBeNaN()
    // Along the finite entry only, the infinite entry's path is not taken: 0/∞ = 0.
    expect(arr(jvp(normOf)(tensor)(t([Infinity, 0]), t([0, 1]))[1])).toBe(0)
  })

  test('norm of an empty array is 0, as numpy (it was NaN)', () => {
    expect(arr(tensor.norm(Tensor.fill([0], 0)))).toBe(0)
    expect(arr(tensor.norm(Tensor.fill([2, 0], 0), { axis: -1 }))).toEqual([0, 0])
  })

  test('max and min of an input with NaN have NaN in the gradient at the NaN (it was 0)', () => {
    const f =
      <A>(T: Tensorial<A>) =>
      (v: A): A =>
        T.max(v)
    expect(arr(grad(f)(tensor)(t([NaN, 1])))).toEqual([NaN, 0])
    expect(arr(tensor.min(t([2, NaN])))).toBeNaN()
  })

  test('max and min of an empty axis are refused, as numpy', () => {
    expect(() => tensor.max(Tensor.fill([2, 0], 0), { axis: 1 })).toThrow(
      'max: cannot reduce an empty axis of [2,0]',
    )
  })

  test('logSoftmax keeps its precision for large equal logits (it lost 5e-7 at 1e10)', () => {
    expect(arr(tensor.logSoftmax(t([1e10, 1e10])))).toEqual([-Math.LN2, -Math.LN2])
    expect(arr(tensor.softmax(t([1e6, 1e6])))).toEqual([0.5, 0.5])
  })

  test('clamp refuses bounds out of order or NaN, and an axis on a rank-0 tensor is refused plainly', () => {
    expect(() => tensor.clamp(t(1), 1, 0)).toThrow(
      'clamp: expected bounds lo ≤ hi, neither NaN, got lo = 1 and hi = 0',
    )
    expect(() => tensor.sum(t(1), { axis: 0 })).toThrow(
      'sum: axis 0 given, but a tensor of rank 0 has no axes',
    )
  })
})
