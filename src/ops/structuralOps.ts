/**
 * The structural op table: every `Tensorial` operation that is not elementwise, once,
 * with its derivative rules written against `Tensorial` (so they are differentiable
 * again). Linear ops push a tangent through themselves; bilinear ops use the product
 * rule; each row's `vjp` gives the adjoint of each operand. Both modes read this table.
 *
 * Every tangent has the shape of its primal and every cotangent the shape of the
 * value it belongs to: each vjp receives its cotangent at the shape of the op's result
 * and returns one at the shape of its operand.
 *
 * @since 0.1.0
 */
import { tangentOps } from './opTable.js'
import type { Tensorial } from '../Tensorial.js'

/**
 * A linear structural op of one operand: its tangent map is the op itself.
 *
 * @category model
 * @since 0.1.0
 */
export interface LinearRow {
  /** The op's name (a `Tensorial` method). */
  readonly name: 'transpose'
  /** The adjoint in plain mathematics. */
  readonly note: string
  /**
   * The tangent map: from the operand `x`, the result `y` and the tangent `t` of `x`.
   * It is the op itself, with sums done as sums of tangents (`Tensorial.unbroadcast`).
   */
  readonly jvp: <A>(T: Tensorial<A>) => (x: A, y: A, t: A) => A
  /** The adjoint: from the operand `x` and the cotangent `u` of the result. */
  readonly vjp: <A>(T: Tensorial<A>) => (x: A, u: A) => A
}

/**
 * A bilinear structural op: tangent `op(ẋ, y) + op(x, ẏ)`, each product with the strong
 * zero (`Tensorial.tangentMatmul`).
 *
 * @category model
 * @since 0.1.0
 */
export interface BilinearRow {
  /** The op's name (a `Tensorial` method). */
  readonly name: 'dot' | 'matmul'
  /** The adjoints in plain mathematics. */
  readonly note: string
  /** The tangent of the result along the first operand's tangent t (operands x, y, result z). */
  readonly jvpX: <A>(T: Tensorial<A>) => (x: A, y: A, z: A, t: A) => A
  /** The tangent of the result along the second operand's tangent t. */
  readonly jvpY: <A>(T: Tensorial<A>) => (x: A, y: A, z: A, t: A) => A
  /** The adjoint of the first operand, from both operands and the cotangent u. */
  readonly vjpX: <A>(T: Tensorial<A>) => (x: A, y: A, u: A) => A
  /** The adjoint of the second operand. */
  readonly vjpY: <A>(T: Tensorial<A>) => (x: A, y: A, u: A) => A
}

/**
 * The linear rows.
 *
 * @example
 * import { linearOps } from 'ad-ts'
 * linearOps.transpose.name // => 'transpose'
 *
 * @category instances
 * @since 0.1.0
 */
export const linearOps: { readonly [K in LinearRow['name']]: LinearRow } = {
  transpose: {
    name: 'transpose',
    note: 'transpose is its own adjoint',
    jvp: (T) => (_x, _y, t) => T.transpose(t),
    vjp: (T) => (_x, u) => T.transpose(u),
  },
}

/**
 * The outer product of a partial vector p and a cotangent vector u, with the strong
 * zero: a product of a column by a row, each element one term, which `tangentMatmul`
 * forms exactly as `strongMul` does (a +0 factor skips it, a zero product is −0), on the
 * product kernels rather than an elementwise broadcast.
 */
const outer = <A>(T: Tensorial<A>, p: A, u: A, pFirst: boolean): A => {
  const column = (x: A) => T.reshape(x, [T.shape(x)[0]!, 1])
  const row = (x: A) => T.reshape(x, [1, T.shape(x)[0]!])
  return pFirst ? T.tangentMatmul(column(p), row(u)) : T.tangentMatmul(column(u), row(p))
}

/**
 * The bilinear rows.
 *
 * @example
 * import { bilinearOps } from 'ad-ts'
 * bilinearOps.matmul.note.startsWith('Y = A·B') // => true
 *
 * @category instances
 * @since 0.1.0
 */
export const bilinearOps: { readonly [K in BilinearRow['name']]: BilinearRow } = {
  dot: {
    name: 'dot',
    note: '∂⟨x, y⟩/∂x = y, ∂/∂y = x (scaled by the cotangent u of shape [])',
    jvpX: (T) => (_x, y, z, t) => T.unbroadcast(T.binary(tangentOps.strongMul, y, t), z),
    jvpY: (T) => (x, _y, z, t) => T.unbroadcast(T.binary(tangentOps.strongMul, x, t), z),
    vjpX: (T) => (_x, y, u) => T.binary(tangentOps.strongMul, y, u),
    vjpY: (T) => (x, _y, u) => T.binary(tangentOps.strongMul, x, u),
  },
  matmul: {
    name: 'matmul',
    note: 'Y = A·B: dA = dY·Bᵀ, dB = Aᵀ·dY (outer products when an operand is a vector)',
    jvpX: (T) => (_a, b, _z, t) => T.tangentMatmul(t, b),
    jvpY: (T) => (a, _b, _z, t) => T.tangentMatmul(a, t),
    vjpX: (T) => (a, b, u) =>
      T.shape(b).length === 1
        ? outer(T, b, u, false) // [m,k]·[k]: dA = u ⊗ b
        : T.shape(a).length === 1
          ? T.tangentMatmul(b, u) // [k]·[k,n]: da = B·u
          : T.unbroadcast(T.tangentMatmul(u, T.matrixTranspose(b)), a),
    vjpY: (T) => (a, b, u) =>
      T.shape(a).length === 1
        ? outer(T, a, u, true) // [k]·[k,n]: dB = a ⊗ u
        : T.shape(b).length === 1
          ? T.tangentMatmul(u, a) // [m,k]·[k]: db = Aᵀ·u, as uᵀ·A without forming Aᵀ
          : T.unbroadcast(T.tangentMatmul(T.matrixTranspose(a), u), b),
  },
}
