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
import type { ReduceOptions } from './tensor/axes.js'
import type { TriangularOptions } from './linalg/kernels.js'
import type { Primitive } from './ops/primitive.js'
import type { Tree } from './tree.js'
import type { Floating } from './Floating.js'
import type { Tensor } from './tensor/Tensor.js'

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
  /**
   * The sum over the given axes (default all: shape `[]`); `keepDims` keeps them with
   * length 1. Its adjoint spreads the cotangent over the summed axes.
   */
  readonly sum: (x: A, options?: ReduceOptions) => A
  /** The mean over the given axes (default all). */
  readonly mean: (x: A, options?: ReduceOptions) => A
  /** The largest element over the given axes; the derivative is split equally among ties. */
  readonly max: (x: A, options?: ReduceOptions) => A
  /** The smallest element over the given axes; the derivative is split equally among ties. */
  readonly min: (x: A, options?: ReduceOptions) => A
  /**
   * log Σ exp over the given axes, without overflow; its gradient is softmax. An entry
   * of −Infinity gets gradient 0 and causes no NaN while another entry is finite.
   */
  readonly logsumexp: (x: A, options?: ReduceOptions) => A
  /** The population variance (divisor n) over the given axes. */
  readonly variance: (x: A, options?: ReduceOptions) => A
  /** exp(x − logsumexp(x)) along an axis (default the last); finite at inputs of ±1000. */
  readonly softmax: (x: A, axis?: number) => A
  /** x − logsumexp(x) along an axis (default the last). */
  readonly logSoftmax: (x: A, axis?: number) => A
  /**
   * The 2-norm over the given axes (default all), scaled so that it neither overflows
   * nor underflows; derivative x / ‖x‖, and 0 at x = 0.
   */
  readonly norm: (x: A, options?: ReduceOptions) => A
  /**
   * The largest (`'max'`) or smallest (`'min'`) element over the given axes as a
   * constant (derivative 0): what `max` and `min` are built on.
   */
  readonly extremum: (x: A, which: 'max' | 'min', options?: ReduceOptions) => A
  /** x stretched to a shape it broadcasts to; the adjoint sums back. */
  readonly broadcastTo: (x: A, shape: ReadonlyArray<number>) => A
  /** x with an axis of length 1 inserted at `axis` (negative counts from the end). */
  readonly expandDims: (x: A, axis: number) => A
  /**
   * The block from `begin` (inclusive) to `end` (exclusive) on the leading axes, a
   * negative index counting from the end; axes not listed stay whole. numpy's `x[1:]`
   * on a vector of n is `slice(x, [1], [n])`, `x[:-1]` is `slice(x, [0], [-1])`.
   */
  readonly slice: (x: A, begin: ReadonlyArray<number>, end: ReadonlyArray<number>) => A
  /** x placed at `start` inside zeros of `shape`: the adjoint of `slice`. */
  readonly pad: (x: A, shape: ReadonlyArray<number>, start: ReadonlyArray<number>) => A
  /** The slices at `indices` along `axis` (default 0); repeated indices add their cotangents. */
  readonly take: (x: A, indices: ReadonlyArray<number>, axis?: number) => A
  /** The adjoint of `take`: slices of x added into zeros with `length` along `axis`. */
  readonly scatterAdd: (x: A, indices: ReadonlyArray<number>, axis: number, length: number) => A
  /** Values joined along an axis (default 0); their other axes must agree. */
  readonly concat: (xs: ReadonlyArray<A>, axis?: number) => A
  /** Values of one shape stacked along a new axis (default 0); shape-`[]` values make a vector. */
  readonly stack: (xs: ReadonlyArray<A>, axis?: number) => A
  /** x without the given axes of length 1 (default every axis of length 1). */
  readonly squeeze: (x: A, axis?: number | ReadonlyArray<number>) => A
  /** The inner product of two vectors of one length, shape `[]`. */
  readonly dot: (x: A, y: A) => A
  /**
   * `[m,k]·[k,n] → [m,n]`, `[m,k]·[k] → [m]`, `[k]·[k,n] → [n]`, and for operands of rank
   * ≥ 3 a product per matrix with the leading (batch) axes broadcast, as numpy's;
   * adjoints dA = dY·Bᵀ, dB = Aᵀ·dY (summed over broadcast batch axes).
   */
  readonly matmul: (a: A, b: A) => A
  /** The transpose of the last two axes (each matrix of a batch); ranks 0 and 1 unchanged. */
  readonly matrixTranspose: (x: A) => A
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
  /**
   * A primitive row applied to a tree of values (see `ops/primitive.ts`): the one method
   * through which linear algebra, `customJvp`, `customVjp` and `checkpoint` reach every
   * instance, each instance interpreting the row's rules in its own mode.
   */
  readonly apply: (row: Primitive, x: Tree<A>) => Tree<A>
  /**
   * The lower Cholesky factor L of (a + aᵀ)/2 = L·Lᵀ, a `[..., n, n]`; a matrix that is not
   * positive definite gives NaN in every entry of its factor. Throws for a non-square a.
   */
  readonly cholesky: (a: A) => A
  /**
   * x with op(a)·x = b, reading only a's named triangle (`lower`, default true; not its
   * diagonal with `unitDiagonal`); op(a) = aᵀ with `transposeA`. a `[..., n, n]`, b
   * `[..., n, k]` (or one vector `[n]`), batch axes broadcast: a b of a's rank less one is
   * one matrix for every factor, not a vector a factor (`solve` reads that as vectors).
   */
  readonly triangularSolve: (a: A, b: A, options?: TriangularOptions) => A
  /**
   * x with a·x = b by LU with partial pivoting; b `[..., n, k]` or, as numpy, `[..., n]`
   * for one right-hand side. A singular a gives ±Infinity or NaN, never an exception.
   */
  readonly solve: (a: A, b: A) => A
  /** The inverse of each matrix of `[..., n, n]`. */
  readonly inv: (a: A) => A
  /** The determinant of each matrix: shape `[...]`. */
  readonly det: (a: A) => A
  /** `[sign, log |det|]` of each matrix (sign 0 and −Infinity for a singular one). */
  readonly slogdet: (a: A) => readonly [A, A]
  /** The diagonal of each matrix: `[..., n]`. */
  readonly diagonal: (a: A) => A
  /** The trace of each matrix: `[...]`. */
  readonly trace: (a: A) => A
}

/**
 * Whether a `Floating` instance is `Tensorial`.
 *
 * @example
 * import { scalar, tensor } from 'ad-ts'
 * import { isTensorial } from 'ad-ts/internal'
 * isTensorial(tensor) // => true
 * isTensorial(scalar) // => false
 *
 * @category utils
 * @since 0.1.0
 */
export const isTensorial = <A>(F: Floating<A>): F is Tensorial<A> =>
  'matmul' in F && 'sum' in F && 'constant' in F
