/**
 * GradBench `ode`: y′₀ = x₀, y′ᵢ = xᵢ·yᵢ₋₁ (i > 0), y(0) = 0, integrated to t = 2 by
 * s steps of classical fourth-order Runge–Kutta (the eval's reference right-hand
 * side). `primal` is y(2); `gradient` is the gradient of its last element with
 * respect to x, by reverse mode.
 */
import * as t from 'io-ts'
import { grad, tensor, Tensor, type Tensorial } from '../../../../src/index.js'
import { evalFunction, Numbers, Runs, type EvalModule } from '../protocol.js'

const Input = t.intersection([Runs, t.type({ x: Numbers, s: t.number })])

/** The right-hand side: x ⊙ (1, y₀, …, yₙ₋₂). */
const rhs = <A>(T: Tensorial<A>, x: A, y: A): A =>
  T.mul(x, T.concat([T.constant(Tensor.fromArray([1])), T.slice(y, [0], [-1])]))

const solve =
  (s: number) =>
  <A>(T: Tensorial<A>) =>
  (x: A): A => {
    // The step's constants folded into one factor each, so that every stage costs one
    // product and one sum over the n-vector (the eval's h·k/2 and h/6·Σ, reassociated).
    const half = T.fromNumber(1 / s)
    const whole = T.fromNumber(2 / s)
    const sixth = T.fromNumber(1 / (3 * s))
    const two = T.fromNumber(2)
    let y = T.mul(x, T.zero)
    for (let step = 0; step < s; step++) {
      const k1 = rhs(T, x, y)
      const k2 = rhs(T, x, T.add(y, T.mul(k1, half)))
      const k3 = rhs(T, x, T.add(y, T.mul(k2, half)))
      const k4 = rhs(T, x, T.add(y, T.mul(k3, whole)))
      const sum = T.add(T.add(k1, k4), T.mul(T.add(k2, k3), two))
      y = T.add(y, T.mul(sum, sixth))
    }
    return y
  }

const last =
  (s: number) =>
  <A>(T: Tensorial<A>) =>
  (x: A): A => {
    const y = solve(s)(T)(x)
    const n = T.shape(y)[0]!
    return T.sum(T.slice(y, [n - 1], [n]))
  }

export const ode: EvalModule = {
  primal: evalFunction(Input, (input) => {
    const x = Tensor.fromArray(input.x)
    return () => Array.from(Tensor.toFlat(solve(input.s)(tensor)(x)))
  }),
  gradient: evalFunction(Input, (input) => {
    const x = Tensor.fromArray(input.x)
    return () => Array.from(Tensor.toFlat(grad(last(input.s))(tensor)(x)))
  }),
}
