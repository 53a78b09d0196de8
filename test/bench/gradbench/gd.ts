/**
 * The gradient-descent solver that the `particle` and `saddle` evals prescribe: start
 * at a given point with step η = 1e-5; stop when the gradient's norm is at most 1e-5
 * or a step would move less than 1e-5; a step that lowers the objective is taken and
 * η doubles after ten of those in a row; a step that does not halves η.
 *
 * It is written against `Floating`, so an outer derivative can differentiate through
 * it: the decisions read primal values, the arithmetic stays in the instance.
 */
import type { Floating } from '../../../src/index.js'

/** The objective and its gradient at a point. */
export interface Problem<A> {
  readonly objective: (x: ReadonlyArray<A>) => A
  readonly gradient: (x: ReadonlyArray<A>) => ReadonlyArray<A>
}

const norm = <A>(F: Floating<A>, v: ReadonlyArray<A>): number =>
  Math.sqrt(v.reduce((s, x) => s + F.toNumber(x) ** 2, 0))

/** A point where the gradient-descent solver stops, from `start`. */
export const argmin = <A>(
  F: Floating<A>,
  problem: Problem<A>,
  start: ReadonlyArray<A>,
): ReadonlyArray<A> => {
  let x = start
  let fx = problem.objective(x)
  let gx = problem.gradient(x)
  let run = 0
  let eta = 1e-5
  for (;;) {
    if (norm(F, gx) <= 1e-5) return x
    if (run === 10) {
      eta *= 2
      run = 0
      continue
    }
    const step = F.fromNumber(eta)
    const next = x.map((xi, j) => F.sub(xi, F.mul(step, gx[j]!)))
    const moved = Math.sqrt(
      x.reduce((s, xi, j) => s + (F.toNumber(xi) - F.toNumber(next[j]!)) ** 2, 0),
    )
    if (moved <= 1e-5) return x
    const fNext = problem.objective(next)
    if (F.toNumber(fNext) < F.toNumber(fx)) {
      x = next
      fx = fNext
      gx = problem.gradient(x)
      run++
    } else {
      eta /= 2
      run = 0
    }
  }
}

/** A point where the solver stops on −f, from `start`: a local maximum of f. */
export const argmax = <A>(
  F: Floating<A>,
  problem: Problem<A>,
  start: ReadonlyArray<A>,
): ReadonlyArray<A> =>
  argmin(
    F,
    {
      objective: (x) => F.neg(problem.objective(x)),
      gradient: (x) => problem.gradient(x).map((g) => F.neg(g)),
    },
    start,
  )
