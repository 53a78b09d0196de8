/**
 * The linear-algebra methods of `Tensorial`, built on any instance from its `apply`
 * (the rows of ./rows.ts) and its structural ops, so every mode gets them at once.
 *
 * @since 0.5.0
 */
import { showShape } from '../tensor/Tensor.js'
import type { Tensorial } from '../Tensorial.js'
import type { TriangularOptions } from './kernels.js'
import { squareOrder } from './kernels.js'
import {
  choleskyRow,
  detRow,
  detSignRow,
  invRow,
  logAbsDetRow,
  solveRow,
  triangularSolveRow,
} from './rows.js'

/**
 * The names of the linear-algebra methods of `Tensorial`, built from `apply`.
 *
 * @category model
 * @since 0.5.0
 */
export type LinalgName =
  'cholesky' | 'triangularSolve' | 'solve' | 'inv' | 'det' | 'slogdet' | 'diagonal' | 'trace'

/** The linear-algebra methods over an instance that has everything else. */
export const linalgMethods = <A>(
  T: Omit<Tensorial<A>, LinalgName>,
): Pick<Tensorial<A>, LinalgName> => {
  const one = (row: Parameters<Tensorial<A>['apply']>[0], xs: ReadonlyArray<A>): A =>
    T.apply(row, xs) as A
  const matrixRhs = (op: string, a: A, b: A) => {
    const sa = T.shape(a)
    const sb = T.shape(b)
    squareOrder(op, sa)
    if (sb.length === 0) {
      throw new Error(
        `${op}: b of shape ${showShape(sb)} with a of shape ${showShape(sa)}; b must be [..., n, k] or [..., n]`,
      )
    }
    // One right-hand side: a vector; for solve also b of a's shape without its last axis
    // (a batch of vectors, numpy 1's and JAX's reading). Otherwise b is [..., n, k], as
    // triangularSolve's b always is (the contract names no vector batch for it).
    return (
      sb.length === 1 ||
      (op === 'solve' && sb.length === sa.length - 1 && sb.every((d, i) => d === sa[i]))
    )
  }
  // A vector right-hand side is solved as one column.
  const rhs = (op: string, a: A, b: A, f: (b: A) => A): A =>
    matrixRhs(op, a, b) ? T.squeeze(f(T.expandDims(b, -1)), -1) : f(b)
  // op: the method the user called, for its errors (trace reads the diagonal).
  const diagonalOf = (a: A, op: string): A => {
    const s = T.shape(a)
    const n = squareOrder(op, s)
    const flat = T.reshape(a, [...s.slice(0, -2), n * n])
    return T.take(
      flat,
      Array.from({ length: n }, (_, i) => i * (n + 1)),
      -1,
    )
  }
  return {
    cholesky: (a) => one(choleskyRow, [a]),
    triangularSolve: (a, b, options?: TriangularOptions) =>
      rhs('triangularSolve', a, b, (bm) => one(triangularSolveRow(options), [a, bm])),
    solve: (a, b) => rhs('solve', a, b, (bm) => one(solveRow, [a, bm])),
    inv: (a) => one(invRow, [a]),
    det: (a) => one(detRow, [a]),
    slogdet: (a) => [one(detSignRow, [a]), one(logAbsDetRow, [a])] as const,
    diagonal: (a) => diagonalOf(a, 'diagonal'),
    trace: (a) => T.sum(diagonalOf(a, 'trace'), { axis: -1 }),
  }
}
