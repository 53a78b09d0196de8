import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, test } from 'vitest'
import {
  diff,
  forward,
  grad,
  reverse,
  scalar,
  Tape,
  tensor,
  Tensor,
  vjp,
  type Floating,
} from '../../src/index.js'
import { type Var } from '../../src/internal.js'
import { tapeLaws } from '../../laws/index.js'
import { chain, diamond } from '../helpers/functions.js'

const square = (x: Var<number>) => Tape.record<number, Var<number>>((R) => R.mul(x, x))

describe('Tape', () => {
  test('is a lawful monad (left and right identity, associativity, functor identity, ap)', () => {
    tapeLaws({ numRuns: 100 })
  })

  test('do-notation records a program and backprop reads its gradient', () => {
    const program = pipe(
      Tape.Do,
      Tape.bind('x', () => Tape.variable(3)),
      Tape.bind('y', ({ x }) => square(x)),
    )
    const [{ x, y }, tape] = Tape.run(scalar)(program)
    expect(Tape.value(tape, y)).toBe(9)
    expect(Tape.backprop(tape, [[y, 1]])(x)).toBe(6)
  })

  test('a variable that does not influence the output has adjoint zero', () => {
    const [[a, b, y], tape] = Tape.run(scalar)(
      Tape.record<number, readonly [Var<number>, Var<number>, Var<number>]>((R) => {
        const a = R.variable(1)
        const b = R.variable(0)
        R.log(b) // computed, unused: its infinite partial must not leak
        return [a, b, R.sin(a)]
      }),
    )
    expect(Tape.backprop(tape, [[y, 1]])(a)).toBe(Math.cos(1))
    expect(Tape.backprop(tape, [[y, 1]])(b)).toBe(0)
  })

  test('two actions run from the same tape get independent tapes', () => {
    const [x, base] = Tape.run(scalar)(Tape.variable(2))
    const state = { base: scalar, sealed: base.sealed }
    const [y1, s1] = square(x)(state)
    const [y2, s2] = Tape.record<number, Var<number>>((R) => R.exp(x))(state)
    expect(y1).toBe(y2)
    expect(Tape.values({ base: scalar, sealed: s1.sealed })).not.toEqual(
      Tape.values({ base: scalar, sealed: s2.sealed }),
    )
    expect(Tape.size(base)).toBe(3)
  })

  test('an instance used after its record action ended throws instead of changing a sealed tape', () => {
    let escaped: Floating<Var<number>> | undefined
    const [, tape] = Tape.run(scalar)(
      Tape.record<number, void>((R) => {
        escaped = R
      }),
    )
    const before = Tape.values(tape)
    expect(() => escaped!.fromNumber(1)).toThrow(/used after its record action ended/)
    expect(() => escaped!.mul(escaped!.one, escaped!.one)).toThrow(
      /used after its record action ended/,
    )
    expect(escaped!.toNumber(escaped!.one)).toBe(1) // reading a sealed tape is fine
    expect(Tape.values(tape)).toEqual(before)
  })

  test('a seed of +0 at every element contributes nothing, on tensors as on numbers; a -0 in it still does', () => {
    // sqrt's partial at -1 is NaN: a seed that reached it as anything but +0 would show it.
    const f =
      <A>(F: Floating<A>) =>
      (xs: ReadonlyArray<A>): ReadonlyArray<A> => [F.sqrt(xs[0]!), F.mul(xs[0]!, F.fromNumber(3))]
    const [, pullback] = vjp(f)(tensor)([Tensor.fromArray([-1, 4])])
    const row = (u: ReadonlyArray<number>, v: ReadonlyArray<number>) =>
      Tensor.toArray(pullback([Tensor.fromArray(u), Tensor.fromArray(v)])[0]!)
    expect(row([0, 0], [1, 1])).toEqual([3, 3])
    expect(row([0, 0], [0, 0])).toEqual([0, 0])
    expect(row([-0, 0], [1, 1])).toEqual([NaN, 3])
    const [, numbers] = vjp(f)(scalar)([-1])
    expect(numbers([0, 1])).toEqual([3])
    expect(numbers([-0, 1])).toEqual([NaN])
  })

  test('backprop refuses a seed that is not on the tape', () => {
    const [, tape] = Tape.run(scalar)(Tape.variable(1))
    expect(() => Tape.backprop(tape, [[99 as Var<number>, 1]])).toThrow(
      'backprop: seed index 99 is not on the tape (its length is 3)',
    )
  })
})

describe('deep and shared graphs', () => {
  test('a chain of 1,000,000 ops differentiates in both modes without stack overflow', () => {
    const f = chain(500_000) // two ops per step
    expect(grad(f)(scalar)(1)).toBe(1)
    expect(diff(f)(scalar)(1)).toBe(1)
  })

  test('a diamond of 2,000 levels differentiates in both modes; the tape grows linearly', () => {
    expect(reverse.grad(diamond(2000))(scalar)(3)).toBe(1)
    expect(forward.grad(diamond(2000))(scalar)(3)).toBe(1)
    const size = (levels: number) =>
      Tape.size(
        Tape.run(scalar)(Tape.record<number, Var<number>>((R) => diamond(levels)(R)(R.lift(3))))[1],
      )
    expect(size(2000) - size(1000)).toBe(3 * 1000)
  })

  test('values recorded early are read correctly after the tape has grown through many chunks', () => {
    // Every step reads the first inputs again, long after their chunk was filled.
    const xs = Array.from({ length: 300 }, (_, i) => 1 + i / 1000)
    const f =
      <A>(F: Floating<A>) =>
      (v: ReadonlyArray<A>): A => {
        let s = F.zero
        for (let r = 0; r < 20; r++)
          for (let i = 1; i < v.length; i++) s = F.add(s, F.mul(v[0]!, v[i]!))
        return s
      }
    const g = reverse.grad(f)(scalar)(xs)
    expect(g[0]).toBeClose(20 * xs.slice(1).reduce((a, b) => a + b, 0), { rel: 1e-12 })
    expect(g.slice(1)).toBeClose(
      xs.slice(1).map(() => 20 * xs[0]!),
      { rel: 1e-12 },
    )
  })

  test('forward-over-reverse and reverse-over-forward through a chain of 1,000,000 ops', () => {
    expect(diff(grad(chain(500_000)))(scalar)(1)).toBe(0)
    expect(grad(diff(chain(500_000)))(scalar)(1)).toBe(0)
  })
})
