/**
 * One program, one answer: the inputs that once gave wrong or inconsistent answers,
 * each now a regression example, checked in every mode and on both backends.
 */
import { describe, expect, test } from 'vitest'
import {
  diff,
  forward,
  grad,
  hessian,
  jvp,
  reverse,
  scalar,
  Tensor,
  tensor,
  valueAndGrad,
  vjp,
  type Floating,
  type Tensorial,
} from '../src/index.js'
import { t } from './helpers/tensors.js'

const flat = (x: Tensor) => Array.from(Tensor.toFlat(x))

describe('a shape-[] parameter broadcast into a vector', () => {
  test('gets the sum of its cotangents under sum (d/db Σ(c − b) = −3 for three rows; it was −1)', () => {
    const loss =
      <A>(T: Tensorial<A>) =>
      (ps: ReadonlyArray<A>): A =>
        T.sum(T.sub(T.constant(t([1, 2, 3])), ps[0]!))
    const [value, [g]] = valueAndGrad(loss)(tensor)([t(0.5)])
    expect(Tensor.toArray(value)).toBe(4.5)
    expect(Tensor.toArray(g!)).toBe(-3)
    expect(Tensor.toArray(jvp(loss)(tensor)([t(0.5)], [t(1)])[1])).toBe(-3)
  })

  test('is the bias of a linear model: ∂ Σ(X·w + b)/∂b is the number of rows (it was 1)', () => {
    const X = t([
      [1, 2],
      [3, 4],
      [5, 6],
    ])
    const model =
      <A>(T: Tensorial<A>) =>
      (ps: ReadonlyArray<A>): A =>
        T.mean(T.add(T.matmul(T.constant(X), ps[0]!), ps[1]!))
    const [gw, gb] = grad(model)(tensor)([t([1, 1]), t(0)])
    expect(flat(gw!)).toEqual([3, 4])
    expect(Tensor.toArray(gb!)).toBe(1)
  })

  test('a [2] times a [3,1] operand, the latter used twice, reduces each cotangent to its own shape (it threw)', () => {
    const f =
      <A>(T: Tensorial<A>) =>
      (ps: ReadonlyArray<A>): A =>
        T.add(T.sum(T.mul(ps[0]!, ps[1]!)), T.sum(T.exp(ps[1]!)))
    const [g0, g1] = grad(f)(tensor)([t([1, 2]), t([[1], [2], [3]])])
    expect(flat(g0!)).toEqual([6, 6])
    expect(flat(g1!)).toEqual([3 + Math.E, 3 + Math.exp(2), 3 + Math.exp(3)])
  })
})

describe('derivatives at special points agree in every mode and on both backends', () => {
  const everywhere = (f: <A>(F: Floating<A>) => (x: A) => A, x: number): number[] =>
    [
      diff(f)(scalar)(x),
      grad(f)(scalar)(x),
      forward.grad(f)(scalar)(x),
      Tensor.toArray(diff(f)(tensor)(t([x]))) as number[],
      Tensor.toArray(grad(f)(tensor)(t([x]))) as number[],
    ].flat()

  test('pow(x, 0) has derivative 0 at x = 0 (it was NaN)', () => {
    const f =
      <A>(F: Floating<A>) =>
      (x: A): A =>
        F.pow(x, F.fromNumber(0))
    expect(everywhere(f, 0)).toEqual([0, 0, 0, 0, 0])
  })

  test('sqrt(x·x)² has derivative 0 at 0 on both backends (the tensor backend gave NaN)', () => {
    const f =
      <A>(F: Floating<A>) =>
      (x: A): A => {
        const s = F.sqrt(F.mul(x, x))
        return F.mul(s, s)
      }
    expect(everywhere(f, 0)).toEqual([0, 0, 0, 0, 0])
  })

  test('sqrt(x − x) has derivative NaN in every mode (diff gave 0, grad NaN): sqrt′(0) = ∞ meets a tangent that is 0 only by cancellation', () => {
    const f =
      <A>(F: Floating<A>) =>
      (x: A): A =>
        F.sqrt(F.sub(x, x))
    expect(everywhere(f, 1).every(Number.isNaN)).toBe(true)
  })

  test('sqrt(x) − sqrt(x) at 0, its mirror image, is NaN in every mode too', () => {
    const f =
      <A>(F: Floating<A>) =>
      (x: A): A =>
        F.sub(F.sqrt(x), F.sqrt(x))
    expect(everywhere(f, 0).every(Number.isNaN)).toBe(true)
  })

  test('a zero tangent still annihilates a NaN partial: pow(−2, y) along x only', () => {
    const f =
      <A>(F: Floating<A>) =>
      (xs: ReadonlyArray<A>): A =>
        F.pow(xs[0]!, xs[1]!)
    expect(jvp(f)(scalar)([-2, 3], [1, 0])[1]).toBe(12)
    expect(reverse.grad(f)(scalar)([-2, 3])[0]).toBe(12)
  })
})

describe('tangents and cotangents have their primal shapes', () => {
  const s =
    <A>(T: Tensorial<A>) =>
    (xs: ReadonlyArray<A>): A =>
      T.sum(xs[0]!)

  test('jvp refuses a tangent of another shape, naming both (it returned 3 for a [3] tangent at a [2] point)', () => {
    expect(() => jvp(s)(tensor)([t([1, 2])], [t([1, 1, 1])])).toThrow(
      'jvp: tangent 0 has shape [3], but its point has shape [2]',
    )
    expect(() => jvp(s)(tensor)([t([1, 2])], [t(1)])).toThrow(
      'has shape [], but its point has shape [2]',
    )
    expect(Tensor.toArray(jvp(s)(tensor)([t([1, 2])], [t([1, 3])])[1])).toBe(4)
  })

  test('vjp refuses a cotangent of another shape, naming both', () => {
    const id =
      <A>(T: Tensorial<A>) =>
      (xs: ReadonlyArray<A>): ReadonlyArray<A> => [T.mul(xs[0]!, T.fromNumber(2))]
    const [, pullback] = vjp(id)(tensor)([t([1, 2])])
    expect(() => pullback([t([1, 1, 1])])).toThrow(
      'vjp: cotangent 0 has shape [3], but its output has shape [2]',
    )
    expect(flat(pullback([t([1, 3])])[0]!)).toEqual([2, 6])
  })

  test('hessian refuses tensor inputs of rank ≥ 1 and says what to use (it returned H·1 blocks)', () => {
    const f =
      <A>(F: Floating<A>) =>
      (xs: ReadonlyArray<A>): A =>
        F.mul(xs[0]!, xs[0]!)
    expect(() => hessian(f)(tensor)([t([1, 2])])).toThrow(
      /hessian: input 0 has shape \[2\].*jvp\(grad\(f\)\)/,
    )
    expect(hessian(f)(tensor)([t(3)]).map((row) => row.map((x) => Tensor.toArray(x)))).toEqual([
      [2],
    ])
  })
})

describe('second derivatives agree in every nesting', () => {
  // These gave 0 by forward-over-forward and reverse-over-forward, NaN by
  // forward-over-reverse: a zero made by cancellation in the inner mode became a
  // partial of the outer one and was taken for a strong zero.
  test.each([
    [
      'sqrt(x − x) at 1',
      1,
      <A>(F: Floating<A>) =>
        (x: A): A =>
          F.sqrt(F.sub(x, x)),
    ],
    [
      'log(x − x) at 1',
      1,
      <A>(F: Floating<A>) =>
        (x: A): A =>
          F.log(F.sub(x, x)),
    ],
    [
      'pow(x, x − x) at −1',
      -1,
      <A>(F: Floating<A>) =>
        (x: A): A =>
          F.pow(x, F.sub(x, x)),
    ],
  ] as const)('%s', (_, x, f) => {
    const answers = [
      diff(diff(f))(scalar)(x),
      grad(diff(f))(scalar)(x),
      diff(grad(f))(scalar)(x),
      grad(grad(f))(scalar)(x),
    ]
    expect(answers.map(Number.isNaN)).toEqual([true, true, true, true])
  })

  test('pow at base 0: the mixed second derivative x^(y−1)·(y·log x + 1) is 0 for y > 1 in both orders (d/dx of the y-partial was 0/0)', () => {
    const p =
      <A>(F: Floating<A>) =>
      (xs: ReadonlyArray<A>): A =>
        F.pow(xs[0]!, xs[1]!)
    expect(hessian(p)(scalar)([0, 2])).toEqual([
      [2, 0],
      [0, 0],
    ])
    expect(hessian(p)(scalar)([0, 3])).toEqual([
      [0, 0],
      [0, 0],
    ])
    // t^(2+t) near 0: f''(0) = 2 (f''(1e-3) = 1.9638).
    const f =
      <A>(F: Floating<A>) =>
      (x: A): A =>
        F.pow(x, F.add(F.fromNumber(2), x))
    const fs = [diff(diff(f)), grad(diff(f)), diff(grad(f)), grad(grad(f))]
    expect(fs.map((g) => g(scalar)(0))).toEqual([2, 2, 2, 2])
    expect(fs.map((g) => Tensor.toArray(g(tensor)(t([0]))))).toEqual(
      Array.from({ length: 4 }, () => [2]),
    )
  })

  test('where(x > 0, log x, x²) at −1 has second derivative 2 in every nesting: the NaN of log(−1) never reaches it', () => {
    const f =
      <A>(F: Floating<A>) =>
      (x: A): A =>
        F.where(F.gt(x, F.zero), F.log(x), F.mul(x, x))
    const fs = [diff(diff(f)), grad(diff(f)), diff(grad(f)), grad(grad(f))]
    expect(fs.map((g) => g(scalar)(-1))).toEqual([2, 2, 2, 2])
    expect(fs.map((g) => g(scalar)(2))).toEqual([-0.25, -0.25, -0.25, -0.25])
    expect(fs.map((g) => Tensor.toArray(g(tensor)(t([-1, 2]))))).toEqual(
      Array.from({ length: 4 }, () => [2, -0.25]),
    )
  })
})
