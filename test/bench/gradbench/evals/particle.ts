/**
 * GradBench `particle` (Pearlmutter and Siskind's charged particle): a particle starts
 * at (0, 8) with velocity (0.75, 0) and moves in the potential
 * p(x; w) = 1/‖x − (10, 10 − w)‖ + 1/‖x − (10, 0)‖ under naive Euler steps of 0.1,
 * its acceleration −∇ₓp taken by an inner derivative. Where it crosses the x axis
 * (interpolated linearly within the last step) it is at x(t_f); gradient descent on w
 * minimises x₀(t_f)², its derivative taken by an outer derivative through the whole
 * simulation. The function names give the modes: the first letter the outer (argmin)
 * one, the second the inner (Euler) one, f forward and r reverse.
 */
import * as t from 'io-ts'
import {
  forward,
  reverse,
  scalar,
  type ArrayFunctionOver,
  type Floating,
  type ScalarFunction,
} from '../../../../src/index.js'
import { argmin } from '../gd.js'
import { evalFunction, Runs, type EvalModule } from '../protocol.js'

const Input = t.intersection([Runs, t.type({ w: t.number })])

/** A gradient operator for functions that close over values of the enclosing instance. */
type InnerGrad = <C>(
  f: ArrayFunctionOver<C>,
) => (F: Floating<C>) => (xs: ReadonlyArray<C>) => ReadonlyArray<C>

/** The potential at a point, with w from the enclosing computation (lifted into it). */
const potential =
  <C>(w: C): ArrayFunctionOver<C> =>
  (G, lift) =>
  (xs) => {
    const ten = G.fromNumber(10)
    const charges = [
      [ten, G.sub(ten, lift(w))],
      [ten, G.zero],
    ] as const
    let sum = G.zero
    for (const [cx, cy] of charges) {
      const dx = G.sub(cx, xs[0]!)
      const dy = G.sub(cy, xs[1]!)
      sum = G.add(sum, G.div(G.one, G.sqrt(G.add(G.mul(dx, dx), G.mul(dy, dy)))))
    }
    return sum
  }

/** x₀(t_f)² as a function of w. */
export const miss =
  (innerGrad: InnerGrad): ScalarFunction =>
  <A>(F: Floating<A>) =>
  (w: A): A => {
    const dt = F.fromNumber(0.1)
    let x: ReadonlyArray<A> = [F.zero, F.fromNumber(8)]
    let v: ReadonlyArray<A> = [F.fromNumber(0.75), F.zero]
    for (;;) {
      const force = innerGrad(potential(w))(F)(x)
      x = x.map((xi, i) => F.add(xi, F.mul(dt, v[i]!)))
      if (F.toNumber(x[1]!) <= 0) {
        const dtf = F.neg(F.div(x[1]!, v[1]!))
        const x0 = F.add(x[0]!, F.mul(dtf, v[0]!))
        return F.mul(x0, x0)
      }
      v = v.map((vi, i) => F.sub(vi, F.mul(dt, force[i]!)))
    }
  }

/** Gradient descent on w with the outer derivative `outer` of the simulation. */
const solve =
  (outer: (f: ScalarFunction) => ScalarFunction, innerGrad: InnerGrad) =>
  (w0: number): number => {
    const f = miss(innerGrad)
    const df = outer(f)
    const [w] = argmin(
      scalar,
      { objective: ([w]) => f(scalar)(w!), gradient: ([w]) => [df(scalar)(w!)] },
      [w0],
    )
    return w!
  }

const variant = (outer: (f: ScalarFunction) => ScalarFunction, innerGrad: InnerGrad) =>
  evalFunction(
    Input,
    ({ w }) =>
      () =>
        solve(outer, innerGrad)(w),
  )

export const particle: EvalModule = {
  ff: variant(forward.diff, forward.grad),
  fr: variant(forward.diff, reverse.grad),
  rf: variant(reverse.grad, forward.grad),
  rr: variant(reverse.grad, reverse.grad),
}
