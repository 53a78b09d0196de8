/**
 * `Tensorial<A>`: `Floating` over tensors. Elementwise operations of `Floating` apply
 * per element with numpy broadcasting (a shape-`[]` value combines with any shape);
 * `Tensorial` adds reductions, products and reshaping.
 *
 * Laws (besides the `Floating` laws, elementwise): `sum` and `transpose` are linear,
 * `transpose(transpose(a)) = a`, `matmul` is bilinear and associative,
 * `dot(x, y) = sum(mul(x, y))` for vectors of one length, `mean(x) = sum(x) / size`,
 * and `unbroadcast(g, like)` is the adjoint of broadcasting `like`'s shape to `g`'s:
 * ⟨unbroadcast(g, x), v⟩ = ⟨g, broadcast(v)⟩. Floating point bends linearity and
 * associativity by rounding, as for `Floating`.
 *
 * @since 0.1.0
 */
import type { Floating } from './Floating.js'
import type { Tensor } from './Tensor.js'

/**
 * The typeclass of tensor-valued differentiable arithmetic.
 *
 * @example
 * import { tensor, Tensor, type Tensorial } from 'ad-ts'
 * const sse = <A>(T: Tensorial<A>) => (w: A): A => T.sum(T.mul(w, w))
 * Tensor.toArray(sse(tensor)(Tensor.fromArray([1, 2, 3]))) // => 14
 *
 * @category model
 * @since 0.1.0
 */
export interface Tensorial<A> extends Floating<A> {
  /** The sum of all elements, shape `[]`. Its adjoint spreads the cotangent to every element. */
  readonly sum: (x: A) => A
  /** The mean of all elements, shape `[]`. */
  readonly mean: (x: A) => A
  /** The inner product of two vectors of one length, shape `[]`. */
  readonly dot: (x: A, y: A) => A
  /** `[m,k]·[k,n] → [m,n]`, `[m,k]·[k] → [m]`, `[k]·[k,n] → [n]`; adjoints dA = dY·Bᵀ, dB = Aᵀ·dY. */
  readonly matmul: (a: A, b: A) => A
  /** Transpose of a matrix (rank 0 and 1 unchanged). */
  readonly transpose: (x: A) => A
  /**
   * The matrix product of a tangent and a partial, for the modes: products are
   * `strongMul(partial, tangent)` and sums `tangentAdd`, so a zero tangent meets an
   * infinite partial as 0; shapes as `matmul`.
   */
  readonly tangentMatmul: (a: A, b: A) => A
  /** The same elements under another shape of the same size. */
  readonly reshape: (x: A, shape: ReadonlyArray<number>) => A
  /** A constant tensor as a value of the instance (its derivative is 0). */
  readonly constant: (t: Tensor) => A
  /** The shape of a value. */
  readonly shape: (x: A) => ReadonlyArray<number>
  /**
   * `g` brought to the shape of `like`: summed over the axes that broadcasting added or
   * stretched (the adjoint of broadcasting), or broadcast up when `g` is smaller. The
   * sums are sums of tangents (`tangentAdd`). Both modes use it to keep every tangent
   * and cotangent at the shape of its value.
   */
  readonly unbroadcast: (g: A, like: A) => A
}

/**
 * Whether a `Floating` instance is `Tensorial`.
 *
 * @example
 * import { isTensorial, scalar, tensor } from 'ad-ts'
 * isTensorial(tensor) // => true
 * isTensorial(scalar) // => false
 *
 * @category utils
 * @since 0.1.0
 */
export const isTensorial = <A>(F: Floating<A>): F is Tensorial<A> =>
  'matmul' in F && 'sum' in F && 'constant' in F
