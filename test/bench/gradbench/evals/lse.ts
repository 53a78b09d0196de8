/**
 * GradBench `lse`: LSE(x) = a + log Σᵢ exp(xᵢ − a) with a = max x, written with the
 * primitives (max, exp, sum, log); `gradient` by reverse mode.
 */
import * as t from 'io-ts'
import { grad, tensor, Tensor, type Tensorial } from '../../../../src/index.js'
import { evalFunction, Numbers, Runs, type EvalModule } from '../protocol.js'

const Input = t.intersection([Runs, t.type({ x: Numbers })])

const logSumExp =
  <A>(T: Tensorial<A>) =>
  (x: A): A => {
    const a = T.max(x)
    return T.add(a, T.log(T.sum(T.exp(T.sub(x, a)))))
  }

export const lse: EvalModule = {
  primal: evalFunction(Input, (input) => {
    const x = Tensor.fromArray(input.x)
    return () => tensor.toNumber(logSumExp(tensor)(x))
  }),
  gradient: evalFunction(Input, (input) => {
    const x = Tensor.fromArray(input.x)
    return () => Array.from(Tensor.toFlat(grad(logSumExp)(tensor)(x)))
  }),
}
