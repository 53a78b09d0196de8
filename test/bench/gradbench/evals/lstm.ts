/**
 * GradBench `lstm` (ADBench's LSTM, whose weight matrices are diagonal): the mean
 * negative log-likelihood of a character sequence under an l-layer LSTM, and its
 * gradient with respect to the main and extra parameters by reverse mode. Each hidden
 * unit is a handful of scalar operations, so the model runs on numbers (the scalar
 * tape), unit by unit, as the eval's reference does.
 */
import * as t from 'io-ts'
import { grad, scalar, type Floating } from '../../../../src/index.js'
import { flatten } from '../arrays.js'
import { evalFunction, Matrix, Runs, type EvalModule } from '../protocol.js'

const Input = t.intersection([
  Runs,
  t.type({ main_params: Matrix, extra_params: Matrix, state: Matrix, sequence: Matrix }),
])

/** The sizes and the constant data of one input. */
interface Data {
  readonly layers: number
  readonly b: number
  readonly c: number
  readonly state: Float64Array
  readonly sequence: Float64Array
}

/**
 * The loss at params = main (layer i: 4b weights then 4b biases, each forget, input,
 * output, change) followed by extra (input weights, output weights, output biases).
 */
const loss =
  (data: Data) =>
  <A>(F: Floating<A>) =>
  (params: ReadonlyArray<A>): A => {
    const { layers, b, c, sequence } = data
    const p = (i: number) => params[i]!
    const extra = 8 * b * layers
    const hidden: A[][] = []
    const cell: A[][] = []
    for (let i = 0; i < layers; i++) {
      hidden.push(Array.from({ length: b }, (_, j) => F.fromNumber(data.state[2 * b * i + j]!)))
      cell.push(Array.from({ length: b }, (_, j) => F.fromNumber(data.state[2 * b * i + b + j]!)))
    }
    let total = F.zero
    for (let step = 0; step < c - 1; step++) {
      let input = Array.from({ length: b }, (_, j) =>
        F.mul(F.fromNumber(sequence[step * b + j]!), p(extra + j)),
      )
      for (let i = 0; i < layers; i++) {
        const o = 8 * b * i
        const h = hidden[i]!
        const s = cell[i]!
        for (let j = 0; j < b; j++) {
          const forget = F.sigmoid(F.add(F.mul(input[j]!, p(o + j)), p(o + 4 * b + j)))
          const ingate = F.sigmoid(F.add(F.mul(h[j]!, p(o + b + j)), p(o + 5 * b + j)))
          const outgate = F.sigmoid(F.add(F.mul(input[j]!, p(o + 2 * b + j)), p(o + 6 * b + j)))
          const change = F.tanh(F.add(F.mul(h[j]!, p(o + 3 * b + j)), p(o + 7 * b + j)))
          s[j] = F.add(F.mul(s[j]!, forget), F.mul(ingate, change))
          h[j] = F.mul(outgate, F.tanh(s[j]!))
        }
        input = h
      }
      const prediction = input.map((y, j) =>
        F.add(F.mul(y, p(extra + b + j)), p(extra + 2 * b + j)),
      )
      let sumExp = F.zero
      for (const y of prediction) sumExp = F.add(sumExp, F.exp(y))
      const lse = F.log(F.add(sumExp, F.fromNumber(2)))
      for (let j = 0; j < b; j++) {
        const gold = F.fromNumber(sequence[(step + 1) * b + j]!)
        total = F.add(total, F.mul(gold, F.sub(prediction[j]!, lse)))
      }
    }
    return F.neg(F.div(total, F.fromNumber((c - 1) * b)))
  }

const prepare = (input: t.TypeOf<typeof Input>) => {
  const b = (input.main_params[0]?.length ?? 0) / 4
  const data: Data = {
    layers: input.main_params.length / 2,
    b,
    c: input.sequence.length,
    state: flatten(input.state, b),
    sequence: flatten(input.sequence, b),
  }
  const params = [...flatten(input.main_params, 4 * b), ...flatten(input.extra_params, b)]
  return { data, params }
}

export const lstm: EvalModule = {
  objective: evalFunction(Input, (input) => {
    const { data, params } = prepare(input)
    return () => loss(data)(scalar)(params)
  }),
  jacobian: evalFunction(Input, (input) => {
    const { data, params } = prepare(input)
    return () => grad(loss(data))(scalar)(params)
  }),
}
