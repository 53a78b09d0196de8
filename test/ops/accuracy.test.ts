import { describe, expect, test } from 'vitest'
import {
  diff,
  grad,
  scalar,
  tensor,
  Tensor,
  type Floating,
  type Tensorial,
} from '../../src/index.js'

// Derivatives where the textbook rule cancels, against references computed to 60
// digits outside this project (Python's decimal: σ(x)·σ(−x), 4e^−2|x|/(1 + e^−2|x|)², eˣ).
const references: ReadonlyArray<
  readonly [string, <A>(F: Floating<A>) => (x: A) => A, number, number]
> = [
  ['sigmoid', (F) => (x) => F.sigmoid(x), -40, 4.248354255291589e-18],
  ['sigmoid', (F) => (x) => F.sigmoid(x), 15, 3.059021333494523e-7],
  ['sigmoid', (F) => (x) => F.sigmoid(x), 30, 9.357622968838423e-14],
  ['sigmoid', (F) => (x) => F.sigmoid(x), 37, 8.533047625744065e-17],
  ['sigmoid', (F) => (x) => F.sigmoid(x), 40, 4.248354255291589e-18],
  ['sigmoid', (F) => (x) => F.sigmoid(x), 100, 3.720075976020836e-44],
  ['sigmoid', (F) => (x) => F.sigmoid(x), 0.5, 0.2350037122015945],
  ['tanh', (F) => (x) => F.tanh(x), 0.5, 0.7864477329659274],
  ['tanh', (F) => (x) => F.tanh(x), 5, 0.0001815832309438067],
  ['tanh', (F) => (x) => F.tanh(x), 15, 3.743049187535369e-13],
  ['tanh', (F) => (x) => F.tanh(x), 19, 1.2556531168192118e-16],
  ['tanh', (F) => (x) => F.tanh(x), 25, 7.714999391855671e-22],
  ['tanh', (F) => (x) => F.tanh(x), -40, 7.219405551381661e-35],
  ['tanh', (F) => (x) => F.tanh(x), 300, 1.0601586212017243e-260],
  ['expm1', (F) => (x) => F.expm1(x), -40, 4.248354255291589e-18],
  ['expm1', (F) => (x) => F.expm1(x), -100, 3.720075976020836e-44],
  ['expm1', (F) => (x) => F.expm1(x), 3, 20.085536923187668],
]

/** Relative error in units of the last place of the reference. */
const ulps = (got: number, want: number): number =>
  Math.abs(got - want) / (Math.abs(want) * Number.EPSILON)

describe('derivatives stay accurate where the textbook rule cancels', () => {
  test.each(references)(
    '%s′(%d) is within 4 ulps of the 60-digit reference, in both modes',
    (_n, f, x, want) => {
      expect(ulps(diff(f)(scalar)(x), want)).toBeLessThanOrEqual(4)
      expect(ulps(grad(f)(scalar)(x), want)).toBeLessThanOrEqual(4)
    },
  )
})

describe('logsumexp and softmax agree at every input', () => {
  const lse =
    <A>(T: Tensorial<A>) =>
    (x: A): A =>
      T.logsumexp(x)
  const cases: ReadonlyArray<ReadonlyArray<number>> = [
    [Infinity, 0],
    [Infinity, Infinity, 0],
    [Infinity, -Infinity],
    [-Infinity, 0],
    [-Infinity, -Infinity],
    [1000, -1000, 3],
    [NaN, 0],
  ]
  test.each(cases)('at %j the gradient of logsumexp is softmax', (...xs) => {
    const x = Tensor.fromArray(xs)
    const g = Array.from(Tensor.toFlat(grad(lse)(tensor)(x)))
    const s = Array.from(Tensor.toFlat(tensor.softmax(x)))
    if (!xs.every((v) => v === -Infinity)) expect(g).toEqual(s)
  })

  test('an entry of +Infinity takes the limit: logsumexp [+∞, 0] is +∞ with gradient [1, 0]; ties share', () => {
    expect(Tensor.toArray(tensor.logsumexp(Tensor.fromArray([Infinity, 0])))).toBe(Infinity)
    expect(Tensor.toArray(grad(lse)(tensor)(Tensor.fromArray([Infinity, 0])))).toEqual([1, 0])
    expect(Tensor.toArray(tensor.softmax(Tensor.fromArray([Infinity, Infinity, 0])))).toEqual([
      0.5, 0.5, 0,
    ])
  })

  test('every entry −Infinity: logsumexp is −∞ and its gradient 0, no NaN', () => {
    expect(Tensor.toArray(grad(lse)(tensor)(Tensor.fromArray([-Infinity, -Infinity])))).toEqual([
      0, 0,
    ])
  })
})
