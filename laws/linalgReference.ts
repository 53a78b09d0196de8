/**
 * Linear algebra by plain loops over the elements of one matrix, written against
 * `Floating`: the per-element instance's reference for the kernel rows of linear
 * algebra. Differentiated by the modes through its loops, it is an answer independent
 * of the rows' closed-form rules, which the program laws compare them with.
 *
 * @since 0.5.0
 */
import type { Floating } from '../src/index.js'
import type { Primitive } from '../src/internal.js'

/** A square or rectangular matrix of values, row-major. */
export interface Matrix<A> {
  readonly rows: number
  readonly cols: number
  readonly data: ReadonlyArray<A>
  /** A single number (a determinant) rather than a matrix. */
  readonly scalar?: true
}

const at = <A>(m: Matrix<A>, i: number, j: number): A => m.data[i * m.cols + j]!

/** L with L·Lᵀ = (a + aᵀ)/2, row by row; NaN everywhere when a pivot is not positive. */
const cholesky = <A>(F: Floating<A>, a: Matrix<A>): Matrix<A> => {
  const n = a.rows
  const half = F.fromNumber(0.5)
  const l: A[] = Array.from({ length: n * n }, () => F.zero)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = F.mul(half, F.add(at(a, i, j), at(a, j, i)))
      for (let p = 0; p < j; p++) s = F.sub(s, F.mul(l[i * n + p]!, l[j * n + p]!))
      if (i === j) {
        if (!(F.toNumber(s) > 0)) return { rows: n, cols: n, data: l.map(() => F.fromNumber(NaN)) }
        l[i * n + i] = F.sqrt(s)
      } else {
        l[i * n + j] = F.div(s, l[j * n + j]!)
      }
    }
  }
  return { rows: n, cols: n, data: l }
}

/** x with op(a)·x = b on a's named triangle. */
const triangularSolve = <A>(
  F: Floating<A>,
  a: Matrix<A>,
  b: Matrix<A>,
  o: Readonly<Record<string, boolean>>,
): Matrix<A> => {
  const n = a.rows
  const k = b.cols
  const op = (i: number, j: number) => (o['transposeA'] === true ? at(a, j, i) : at(a, i, j))
  const forward = (o['lower'] ?? true) !== (o['transposeA'] === true)
  const x: A[] = Array.from({ length: n * k }, () => F.zero)
  for (let step = 0; step < n; step++) {
    const i = forward ? step : n - 1 - step
    for (let c = 0; c < k; c++) {
      let s = at(b, i, c)
      const [from, to] = forward ? [0, i] : [i + 1, n]
      for (let j = from; j < to; j++) s = F.sub(s, F.mul(op(i, j), x[j * k + c]!))
      x[i * k + c] = o['unitDiagonal'] === true ? s : F.div(s, op(i, i))
    }
  }
  return { rows: n, cols: k, data: x }
}

/** LU with partial pivoting: the factors in one matrix, the row order and its sign. */
const lu = <A>(F: Floating<A>, a: Matrix<A>) => {
  const n = a.rows
  const m = [...a.data]
  const perm = Array.from({ length: n }, (_, i) => i)
  let sign = 1
  for (let c = 0; c < n; c++) {
    let p = c
    for (let r = c + 1; r < n; r++) {
      if (Math.abs(F.toNumber(m[r * n + c]!)) > Math.abs(F.toNumber(m[p * n + c]!))) p = r
    }
    if (p !== c) {
      for (let j = 0; j < n; j++) {
        const t = m[c * n + j]!
        m[c * n + j] = m[p * n + j]!
        m[p * n + j] = t
      }
      ;[perm[c], perm[p]] = [perm[p]!, perm[c]!]
      sign = -sign
    }
    if (F.toNumber(m[c * n + c]!) === 0) continue
    for (let r = c + 1; r < n; r++) {
      const f = F.div(m[r * n + c]!, m[c * n + c]!)
      m[r * n + c] = f
      for (let j = c + 1; j < n; j++) m[r * n + j] = F.sub(m[r * n + j]!, F.mul(f, m[c * n + j]!))
    }
  }
  return { m, perm, sign }
}

const solve = <A>(F: Floating<A>, a: Matrix<A>, b: Matrix<A>): Matrix<A> => {
  const n = a.rows
  const k = b.cols
  const { m, perm } = lu(F, a)
  const x: A[] = Array.from({ length: n * k }, (_, q) => at(b, perm[Math.floor(q / k)]!, q % k))
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++)
      for (let c = 0; c < k; c++)
        x[i * k + c] = F.sub(x[i * k + c]!, F.mul(m[i * n + j]!, x[j * k + c]!))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = i + 1; j < n; j++)
      for (let c = 0; c < k; c++)
        x[i * k + c] = F.sub(x[i * k + c]!, F.mul(m[i * n + j]!, x[j * k + c]!))
    for (let c = 0; c < k; c++) x[i * k + c] = F.div(x[i * k + c]!, m[i * n + i]!)
  }
  return { rows: n, cols: k, data: x }
}

/** The diagonal of the LU factors and the sign of the row order. */
const pivotsOf = <A>(F: Floating<A>, a: Matrix<A>) => {
  const { m, sign } = lu(F, a)
  return { pivots: Array.from({ length: a.rows }, (_, i) => m[i * a.rows + i]!), sign }
}

const identity = <A>(F: Floating<A>, n: number): Matrix<A> => ({
  rows: n,
  cols: n,
  data: Array.from({ length: n * n }, (_, q) => (Math.floor(q / n) === q % n ? F.one : F.zero)),
})

/**
 * A kernel row of linear algebra on single matrices (rank 2; a right-hand side of rank
 * 2), by the loops above; undefined for a row it does not know.
 *
 * @category utils
 * @since 0.5.0
 */
export const referenceOf = <A>(
  F: Floating<A>,
  row: Primitive,
  xs: ReadonlyArray<Matrix<A>>,
): Matrix<A> | undefined => {
  const [a, b] = xs as readonly [Matrix<A>, Matrix<A> | undefined]
  const scalarOf = (v: A): Matrix<A> => ({ rows: 1, cols: 1, data: [v], scalar: true })
  switch (row.name) {
    case 'cholesky':
      return cholesky(F, a)
    case 'triangularSolve':
      return triangularSolve(F, a, b!, row.params ?? {})
    case 'solve':
      return solve(F, a, b!)
    case 'inv':
      return solve(F, a, identity(F, a.rows))
    case 'det': {
      const { pivots, sign } = pivotsOf(F, a)
      return scalarOf(pivots.reduce((p, d) => F.mul(p, d), F.fromNumber(sign)))
    }
    case 'logAbsDet':
      return scalarOf(pivotsOf(F, a).pivots.reduce((s, d) => F.add(s, F.log(F.abs(d))), F.zero))
    case 'detSign': {
      const { pivots, sign } = pivotsOf(F, a)
      return scalarOf(F.fromNumber(pivots.reduce((p, v) => p * Math.sign(F.toNumber(v)), sign)))
    }
    default:
      return undefined
  }
}
