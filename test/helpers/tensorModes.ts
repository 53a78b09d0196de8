/**
 * Gradients of tensor functions in both modes, for specs that ask the same question of
 * each: reverse mode by `grad` (a vector result is seeded with ones, so its gradient is
 * that of its sum), forward mode by one `jvp` per input element with a one-hot tangent.
 */
import { grad, jvp, tensor, Tensor, type Tensorial } from '../../src/index.js'

export type TensorFunction = <A>(T: Tensorial<A>) => (xs: ReadonlyArray<A>) => A

const zerosLike = (t: Tensor): Tensor => Tensor.fill(Tensor.shape(t), 0)

const oneHot = (t: Tensor, k: number): Tensor => {
  const flat = new Float64Array(Tensor.size(t))
  flat[k] = 1
  return Tensor.fromArray(flat, Tensor.shape(t))
}

export const reverseGradient = (f: TensorFunction, xs: ReadonlyArray<Tensor>): Tensor[] => [
  ...grad(f)(tensor)(xs),
]

export const forwardGradient = (f: TensorFunction, xs: ReadonlyArray<Tensor>): Tensor[] =>
  xs.map((x, i) => {
    const partials = Array.from({ length: Tensor.size(x) }, (_, k) => {
      const vs = xs.map((other, j) => (j === i ? oneHot(other, k) : zerosLike(other)))
      const [, t] = jvp(f)(tensor)(xs, vs)
      return Tensor.toFlat(t).reduce((a, b) => a + b, 0)
    })
    return Tensor.fromArray(partials, Tensor.shape(x))
  })

export const modes = [
  { mode: 'reverse', gradient: reverseGradient },
  { mode: 'forward', gradient: forwardGradient },
] as const
