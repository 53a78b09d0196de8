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

/** Squared distances ‖Pᵢ‖² − 2 Pᵢ·Cⱼ + ‖Cⱼ‖² as an n × k matrix, then the sum of row minima. */
const cost =
  (points: Tensor) =>
  <A>(T: Tensorial<A>) =>
  (centroids: A): A => {
    const p = T.constant(points)
    const pp = T.sum(T.mul(p, p), { axis: 1, keepDims: true })
    const cc = T.sum(T.mul(centroids, centroids), { axis: 1 })
    const pc = T.matmul(p, T.transpose(centroids))
    const d2 = T.add(T.sub(pp, T.mul(T.fromNumber(2), pc)), cc)
    return T.sum(T.min(d2, { axis: 1 }))
  }

const tensors = (input: t.TypeOf<typeof Input>) => {
  const d = input.points[0]?.length ?? 0
  return {
    d,
    points: Tensor.fromArray(flatten(input.points, d), [input.points.length, d]),
    centroids: Tensor.fromArray(flatten(input.centroids, d), [input.centroids.length, d]),
  }
}

export const kmeans: EvalModule = {
  cost: evalFunction(Input, (input) => {
    const { points, centroids } = tensors(input)
    return () => tensor.toNumber(cost(points)(tensor)(centroids))
  }),
  dir: evalFunction(Input, (input) => {
    const { d, points, centroids } = tensors(input)
    const ones = Tensor.fill(Tensor.shape(centroids), 1)
    return () => {
      const [j, h] = jvp(grad(cost(points)))(tensor)(centroids, ones)
      return unflatten(Tensor.toFlat(tensor.div(j, h)), input.centroids.length, d)
    }
  }),
}
