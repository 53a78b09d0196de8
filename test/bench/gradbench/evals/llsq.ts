/**
 * GradBench `llsq`: y(x) = ½ Σᵢ (sᵢ − Σⱼ xⱼ tᵢʲ)² with tᵢ = −1 + 2i/(n − 1) and
 * sᵢ = sign(tᵢ); `primal` is y, `gradient` ∇y by reverse mode. The powers tᵢʲ form a
 * constant n × m matrix, so the residual is one matrix-vector product.
 */
import * as t from 'io-ts'
import { grad, tensor, Tensor, type Tensorial } from '../../../../src/index.js'
import { evalFunction, Numbers, Runs, type EvalModule } from '../protocol.js'

const Input = t.intersection([Runs, t.type({ x: Numbers, n: t.number })])

/** The n × m matrix of powers tᵢʲ and the signs sᵢ. */
const design = (n: number, m: number): { readonly powers: Tensor; readonly signs: Tensor } => {
  // Filled here, then frozen in Tensors: the buffers never escape.
  const powers = new Float64Array(n * m)
  const signs = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const ti = -1 + (i * 2) / (n - 1)
    signs[i] = Math.sign(ti)
    let power = 1
    for (let j = 0; j < m; j++) {
      powers[i * m + j] = power
      power *= ti
    }
  }
  return { powers: Tensor.fromArray(powers, [n, m]), signs: Tensor.fromArray(signs, [n]) }
}

const objective =
  (powers: Tensor, signs: Tensor) =>
  <A>(T: Tensorial<A>) =>
  (x: A): A => {
    const residual = T.sub(T.constant(signs), T.matmul(T.constant(powers), x))
    return T.div(T.sum(T.mul(residual, residual)), T.fromNumber(2))
  }

const prepared = (input: t.TypeOf<typeof Input>) => {
  const x = Tensor.fromArray(input.x)
  return { x, design: () => design(input.n, input.x.length) }
}

export const llsq: EvalModule = {
  primal: evalFunction(Input, (input) => {
    const { x, design: make } = prepared(input)
    return () => {
      const { powers, signs } = make()
      return tensor.toNumber(objective(powers, signs)(tensor)(x))
    }
  }),
  gradient: evalFunction(Input, (input) => {
    const { x, design: make } = prepared(input)
    return () => {
      const { powers, signs } = make()
      return Array.from(Tensor.toFlat(grad(objective(powers, signs))(tensor)(x)))
    }
  }),
}
