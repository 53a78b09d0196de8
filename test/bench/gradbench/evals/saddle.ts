/**
 * GradBench `saddle` (Pearlmutter and Siskind): min over x of max over y of
 * f(x, y) = (x₁² + y₁²) − (x₂² + y₂²), where the arguments are the two points of R²
 * (f reads x = (x₁, y₁), y = (x₂, y₂) in the eval's naming). Both searches are the
 * prescribed gradient descent from the same start; the outer objective runs the inner
 * search, so its gradient is a derivative through a loop of derivatives. The function
 * names give the modes: the first letter the outer (argmin) one, the second the inner
 * (argmax) one, f forward and r reverse. The final argmax uses the outer mode.
 */
import * as t from 'io-ts'
import {
  forward,
  reverse,
  scalar,
  type ArrayFunction,
  type ArrayFunctionOver,
  type Floating,
} from '../../../../src/index.js'
import { argmax, argmin } from '../gd.js'
import { evalFunction, Numbers, Runs, type EvalModule } from '../protocol.js'

const Input = t.intersection([Runs, t.type({ start: Numbers })])

/** A gradient operator for functions that close over values of the enclosing instance. */
type InnerGrad = <C>(
  f: ArrayFunctionOver<C>,
) => (F: Floating<C>) => (xs: ReadonlyArray<C>) => ReadonlyArray<C>

/** f(p, q) with p from the enclosing computation, as a function of q. */
const inner =
  <C>(p: ReadonlyArray<C>): ArrayFunctionOver<C> =>
  (G, lift) =>
  (q) => {
    const [p1, p2] = [lift(p[0]!), lift(p[1]!)]
    return G.sub(
      G.add(G.mul(p1, p1), G.mul(p2, p2)),
      G.add(G.mul(q[0]!, q[0]!), G.mul(q[1]!, q[1]!)),
    )
  }

/** The inner search's problem at p, over the instance of p. */
const innerProblem = <A>(F: Floating<A>, innerGrad: InnerGrad, p: ReadonlyArray<A>) => ({
  objective: (q: ReadonlyArray<A>) => inner(p)(F, (c: A) => c)(q),
  gradient: (q: ReadonlyArray<A>) => innerGrad(inner(p))(F)(q),
})

/** max over q of f(p, q), found by the inner search from `start`. */
export const maxOver =
  (innerGrad: InnerGrad, start: ReadonlyArray<number>): ArrayFunction =>
  <A>(F: Floating<A>) =>
  (p: ReadonlyArray<A>): A => {
    const problem = innerProblem(F, innerGrad, p)
    const from = start.map((s) => F.fromNumber(s))
    return problem.objective(argmax(F, problem, from))
  }

type OuterGrad = (
  f: ArrayFunction,
) => <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => ReadonlyArray<A>

const solve = (
  outerGrad: OuterGrad & InnerGrad,
  innerGrad: InnerGrad,
  start: ReadonlyArray<number>,
) => {
  const outer = maxOver(innerGrad, start)
  const p = argmin(scalar, { objective: outer(scalar), gradient: outerGrad(outer)(scalar) }, start)
  // The last search is not nested; it uses the outer search's mode.
  const q = argmax(scalar, innerProblem(scalar, outerGrad, p), start)
  return [...p, ...q]
}

const variant = (outerGrad: OuterGrad & InnerGrad, innerGrad: InnerGrad) =>
  evalFunction(
    Input,
    ({ start }) =>
      () =>
        solve(outerGrad, innerGrad, start),
  )

export const saddle: EvalModule = {
  ff: variant(forward.grad, forward.grad),
  fr: variant(forward.grad, reverse.grad),
  rf: variant(reverse.grad, forward.grad),
  rr: variant(reverse.grad, reverse.grad),
}
