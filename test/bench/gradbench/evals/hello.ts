/**
 * GradBench `hello`: `square` is x², `double` its derivative, 2x, by reverse mode.
 */
import * as t from 'io-ts'
import { grad, scalar, type Floating } from '../../../../src/index.js'
import { evalFunction, type EvalModule } from '../protocol.js'

const square =
  <A>(F: Floating<A>) =>
  (x: A): A =>
    F.mul(x, x)

const Input = t.number

export const hello: EvalModule = {
  square: evalFunction(Input, (x) => () => square(scalar)(x)),
  double: evalFunction(Input, (x) => () => grad(square)(scalar)(x)),
}
