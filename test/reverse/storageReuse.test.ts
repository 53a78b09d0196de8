/**
 * `grad` and `valueAndGrad` hand a tape's storage to the next recording of the same
 * function once everything is read off it. Nothing of that may show: every call gives
 * what a first call gives, whatever was recorded before, and an instance kept past its
 * call cannot read storage that another recording now fills.
 */
import { fc, test as fcTest } from '@fast-check/vitest'
import { describe, expect, test } from 'vitest'
import { grad, scalar, valueAndGrad, vjp, type Floating } from '../../src/index.js'
import { rosenbrock } from '../helpers/functions.js'

/** ∇ of Σ 100(x₍ᵢ₊₁₎ − xᵢ²)² + (1 − xᵢ)², written out. */
const rosenbrockGradient = (xs: ReadonlyArray<number>): number[] =>
  xs.map((x, i) => {
    const next = i + 1 < xs.length ? -400 * x * (xs[i + 1]! - x * x) - 2 * (1 - x) : 0
    const prev = i > 0 ? 200 * (x - xs[i - 1]! * xs[i - 1]!) : 0
    return next + prev
  })

const close = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): void => {
  expect(a.length).toBe(b.length)
  a.forEach((ai, i) =>
    expect(Math.abs(ai - b[i]!)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(b[i]!))),
  )
}

describe('storage reused between recordings of one function', () => {
  fcTest.prop([
    fc.array(fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { maxLength: 3000 }), {
      minLength: 2,
      maxLength: 6,
    }),
  ])(
    'grad of one function at points of many lengths, one after another, gives each the gradient a fresh function gives',
    (points) => {
      const f =
        <A>(F: Floating<A>) =>
        (xs: ReadonlyArray<A>): A =>
          rosenbrock(F)(xs)
      for (const xs of points) {
        const fresh =
          <A>(F: Floating<A>) =>
          (ys: ReadonlyArray<A>) =>
            rosenbrock(F)(ys)
        const g = grad(f)(scalar)(xs)
        expect(g).toEqual(grad(fresh)(scalar)(xs))
        close(g, rosenbrockGradient(xs))
      }
    },
  )

  test('a recording of the same function inside one of its recordings keeps its own storage', () => {
    // f at n points takes the gradient of itself at n − 1 points while it records.
    const inner: number[][] = []
    const f =
      <A>(F: Floating<A>) =>
      (xs: ReadonlyArray<A>): A => {
        if (xs.length > 2) {
          const shorter = Array.from({ length: xs.length - 1 }, (_, i) => 0.25 * i)
          inner.push([...grad(f)(scalar)(shorter)])
        }
        return rosenbrock(F)(xs)
      }
    const xs = Array.from({ length: 40 }, (_, i) => Math.sin(i))
    // The first call sizes the storage, the second leaves storage of that size, which the
    // third takes: a recording inside it that took the same storage would overwrite it.
    for (let call = 0; call < 3; call++) {
      inner.length = 0
      const [value, g] = valueAndGrad(f)(scalar)(xs)
      close([value], [rosenbrock(scalar)(xs)])
      close(g, rosenbrockGradient(xs))
      // The innermost finishes first: lengths 2, 3, …, 39.
      expect(inner.length).toBe(38)
      inner.forEach((gi, k) =>
        close(gi, rosenbrockGradient(Array.from({ length: k + 2 }, (_, i) => 0.25 * i))),
      )
    }
  })

  test("a pullback kept across other gradients of the same function gives its own point's cotangents", () => {
    // The function's adjoint buffer serves every fold over its tapes; a pullback of a
    // short tape, called after folds over longer ones, must read only its own entries.
    const f =
      <A>(F: Floating<A>) =>
      (xs: ReadonlyArray<A>): A =>
        rosenbrock(F)(xs)
    const xs = [0.5, -1, 2]
    const [, pullback] = vjp(f)(scalar)(xs)
    close(pullback(1), rosenbrockGradient(xs))
    const long = Array.from({ length: 500 }, (_, i) => Math.cos(i))
    close(grad(f)(scalar)(long), rosenbrockGradient(long))
    close(
      pullback(2),
      rosenbrockGradient(xs).map((g) => 2 * g),
    )
    close(grad(f)(scalar)(xs), rosenbrockGradient(xs))
  })

  test('an instance kept past its grad call throws on reading instead of reading reused storage', () => {
    let kept: { R: Floating<unknown>; y: unknown } | undefined
    const f =
      <A>(F: Floating<A>) =>
      (xs: ReadonlyArray<A>): A => {
        const y = F.mul(xs[0]!, xs[1]!)
        kept = { R: F as Floating<unknown>, y }
        return y
      }
    expect(grad(f)(scalar)([3, 4])).toEqual([4, 3])
    const { R, y } = kept!
    expect(() => R.toNumber(y)).toThrow(/used after its record action ended/)
    expect(grad(f)(scalar)([5, 6])).toEqual([6, 5])
  })
})
