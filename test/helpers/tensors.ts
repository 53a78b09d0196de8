/** Short spellings for tensors in specs: `t` from nested arrays, `arr` back to them. */
import { Tensor, type Nested } from '../../src/index.js'

export const t = (x: Nested): Tensor => Tensor.fromArray(x)
export const arr = (x: Tensor): Nested => Tensor.toArray(x)
