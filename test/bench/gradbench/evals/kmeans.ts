/**
 * GradBench `kmeans`: the cost f(C) = Σᵢ minⱼ ‖Cⱼ − Pᵢ‖², and the Newton direction
 * J ⊘ diag(H). The Hessian is diagonal, so its diagonal is H·1: one forward-over-reverse
 * product `jvp(grad(f))(C, 1)` gives the gradient J and H·1 together.
 */
import * as t from 'io-ts'
import { grad, jvp, tensor, Tensor, type Tensorial } from '../../../../src/index.js'
import { flatten, unflatten } from '../arrays.js'
import { evalFunction, Matrix, Runs, type EvalModule } from '../protocol.js'

const Input = t.intersection([Runs, t.type({ points: Matrix, centroids: Matrix })])

/** The points as the data of the cost: −2P, and Σᵢ ‖Pᵢ‖². */
interface Data {
  readonly minusTwoP: Tensor
  readonly sumPP: Tensor
}

/**
 * ‖Pᵢ − Cⱼ‖² = ‖Pᵢ‖² + (‖Cⱼ‖² − 2 Pᵢ·Cⱼ), and ‖Pᵢ‖² does not depend on j, so the row
 * minimum is ‖Pᵢ‖² plus the minimum of the bracket: the n × k matrix the derivatives pass
 * through is one product of the data −2P with Cᵀ plus a row, and ‖Pᵢ‖² is one constant.
 */
const cost =
  (data: Data) =>
  <A>(T: Tensorial<A>) =>
  (centroids: A): A => {
    const cc = T.sum(T.mul(centroids, centroids), { axis: 1 })
    const shifted = T.add(T.matmul(T.constant(data.minusTwoP), T.transpose(centroids)), cc)
    return T.add(T.constant(data.sumPP), T.sum(T.min(shifted, { axis: 1 })))
  }

const tensors = (input: t.TypeOf<typeof Input>) => {
  const d = input.points[0]?.length ?? 0
  const points = flatten(input.points, d)
  // Filled once per input; the buffer is frozen in a Tensor below.
  const minusTwoP = new Float64Array(points.length)
  let sumPP = 0
  for (let i = 0; i < points.length; i++) {
    minusTwoP[i] = -2 * points[i]!
    sumPP += points[i]! * points[i]!
  }
  return {
    d,
    data: {
      minusTwoP: Tensor.fromArray(minusTwoP, [input.points.length, d]),
      sumPP: Tensor.fromArray(sumPP),
    },
    centroids: Tensor.fromArray(flatten(input.centroids, d), [input.centroids.length, d]),
  }
}

export const kmeans: EvalModule = {
  cost: evalFunction(Input, (input) => {
    const { data, centroids } = tensors(input)
    return () => tensor.toNumber(cost(data)(tensor)(centroids))
  }),
  dir: evalFunction(Input, (input) => {
    const { d, data, centroids } = tensors(input)
    const ones = Tensor.fill(Tensor.shape(centroids), 1)
    return () => {
      const [j, h] = jvp(grad(cost(data)))(tensor)(centroids, ones)
      return unflatten(Tensor.toFlat(tensor.div(j, h)), input.centroids.length, d)
    }
  }),
}
