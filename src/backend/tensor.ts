/**
 * The `tensor` instance: `Tensorial<Tensor>`, plain evaluation on immutable float64
 * tensors. Elementwise operations are the op table's primals applied per element with
 * broadcasting; each operation allocates one output buffer.
 *
 * @since 0.1.0
 */
import { map, mapKernel, zipWith } from '../tensor/broadcast.js'
import { binaryKernel, unaryKernel } from './elementwiseKernels.js'
import { floatingFrom } from '../ops/lifting.js'
import { structuralMethods } from '../ops/structuralOps.js'
import { withComposites } from './composites.js'
import { internal, scalar as scalarTensor, showShape, type Tensor } from '../tensor/Tensor.js'
import type { Tensorial } from '../Tensorial.js'

const toNumber = (t: Tensor): number => {
  if (t.shape.length !== 0) {
    throw new Error(`toNumber: expected a tensor of shape [], got ${showShape(t.shape)}`)
  }
  return internal.data(t)[0]!
}

/**
 * Plain evaluation on tensors.
 *
 * @example
 * import { tensor, Tensor } from 'ad-ts'
 * const t = Tensor.fromArray([1, 2, 3])
 * Tensor.toArray(tensor.mul(t, tensor.fromNumber(2))) // => [2, 4, 6]
 * Tensor.toArray(tensor.sum(t)) // => 6
 *
 * @category instances
 * @since 0.1.0
 */
export const tensor: Tensorial<Tensor> = withComposites<Tensor>({
  ...floatingFrom<Tensor>({
    zero: scalarTensor(0),
    one: scalarTensor(1),
    fromNumber: scalarTensor,
    toNumber,
    unaryFor: (op) => {
      const kernel = unaryKernel(op)
      return kernel === undefined ? (t) => map(t, op.primal) : (t) => mapKernel(t, kernel)
    },
    binaryFor: (op) => {
      const kernel = binaryKernel(op)
      return (a, b) => zipWith(op.name, a, b, op.primal, kernel)
    },
  }),
  // Each structural op runs its row's eager kernel.
  ...structuralMethods<Tensor, Tensor>({
    unary: (row) => row.kernel,
    bilinear: (row) => row.kernel,
    concat: (row) => row.kernel,
    param: (v) => v,
    shape: (t) => t.shape,
  }),
  constant: (t) => t,
  shape: (t) => t.shape,
  // A built-in row runs its kernel; any other row (customJvp, checkpoint) its primal.
  apply: (row, x) =>
    row.kernel !== undefined ? row.kernel.run(x as ReadonlyArray<Tensor>) : row.primal(tensor)(x),
})
