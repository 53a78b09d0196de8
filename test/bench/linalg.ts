/**
 * Linear algebra: value and gradient of Cholesky and solve on a 200×200 matrix against a
 * hand-written float64 loop of the value alone, and the gradient of a multivariate
 * normal negative log-likelihood (d = 50, N = 1,000 observations) by a Cholesky factor.
 */
import { grad, tensor, Tensor, valueAndGrad, type Tensorial } from '../../src/index.js'
import { compare, fmt } from './measure.js'

const n = 200

/** A well-conditioned symmetric positive definite matrix: M·Mᵀ/n + I. */
const spd = (size: number, seed: number): Float64Array => {
  const m = Float64Array.from({ length: size * size }, (_, i) => Math.sin(seed + i * 0.7))
  const a = new Float64Array(size * size)
  for (let i = 0; i < size; i++)
    for (let j = 0; j < size; j++) {
      let s = i === j ? 1 : 0
      for (let p = 0; p < size; p++) s += (m[i * size + p]! * m[j * size + p]!) / size
      a[i * size + j] = s
    }
  return a
}

/** The plain loop a careful person writes: Cholesky–Banachiewicz, row by row. */
const plainCholesky = (a: Float64Array, size: number): Float64Array => {
  const l = new Float64Array(size * size)
  for (let i = 0; i < size; i++) {
    const ri = i * size
    for (let j = 0; j <= i; j++) {
      const rj = j * size
      let s = a[ri + j]!
      for (let p = 0; p < j; p++) s -= l[ri + p]! * l[rj + p]!
      l[ri + j] = i === j ? Math.sqrt(s) : s / l[rj + j]!
    }
  }
  return l
}

/** Gaussian elimination with partial pivoting on a copy, then back substitution. */
const plainSolve = (a: Float64Array, b: Float64Array, size: number): Float64Array => {
  const m = a.slice()
  const x = b.slice()
  for (let c = 0; c < size; c++) {
    let p = c
    for (let r = c + 1; r < size; r++)
      if (Math.abs(m[r * size + c]!) > Math.abs(m[p * size + c]!)) p = r
    if (p !== c) {
      for (let j = 0; j < size; j++) {
        const t = m[c * size + j]!
        m[c * size + j] = m[p * size + j]!
        m[p * size + j] = t
      }
      const t = x[c]!
      x[c] = x[p]!
      x[p] = t
    }
    for (let r = c + 1; r < size; r++) {
      const f = m[r * size + c]! / m[c * size + c]!
      for (let j = c; j < size; j++) m[r * size + j] = m[r * size + j]! - f * m[c * size + j]!
      x[r] = x[r]! - f * x[c]!
    }
  }
  for (let i = size - 1; i >= 0; i--) {
    let s = x[i]!
    for (let j = i + 1; j < size; j++) s -= m[i * size + j]! * x[j]!
    x[i] = s / m[i * size + i]!
  }
  return x
}

const mvnBench = (): string => {
  const [d, count] = [50, 1000]
  const data = Tensor.fromArray(
    Array.from({ length: count * d }, (_, i) => Math.sin(i * 0.37)),
    [count, d],
  )
  const lower = Tensor.fromArray(
    Array.from({ length: d * d }, (_, k) => {
      const [i, j] = [Math.floor(k / d), k % d]
      return i === j ? 1.5 : i > j ? 0.01 * Math.cos(k) : 0
    }),
    [d, d],
  )
  const params = { mu: Tensor.fromArray(new Array<number>(d).fill(0.1)), l: lower }
  // ½ Σ ‖L⁻¹(x − μ)‖² + N·Σ log |Lᵢᵢ| (the constant left out), L lower triangular.
  const nll =
    <A>(T: Tensorial<A>) =>
    (p: { readonly mu: A; readonly l: A }, x: A): A => {
      const z = T.triangularSolve(p.l, T.matrixTranspose(T.sub(x, p.mu)))
      const logDet = T.sum(T.log(T.abs(T.diagonal(p.l))))
      return T.add(T.mul(T.fromNumber(0.5), T.sum(T.mul(z, z))), T.mul(T.fromNumber(count), logDet))
    }
  const value = () => nll(tensor)(params, data)
  const c = compare(value, { grad: () => valueAndGrad(nll)(tensor)(params, data) }, 9, 2)
  return `  Gaussian NLL by a Cholesky factor, d = ${d}, N = ${count}: value and gradient ${fmt(c.ms['grad']!)} ms, ${fmt(c.ratio['grad']!)}x the value alone (${fmt(c.ms['baseline']!)} ms)`
}

export const linalgBench = (): ReadonlyArray<string> => {
  const a = spd(n, 1)
  const b = Float64Array.from({ length: n }, (_, i) => Math.cos(i))
  const A = Tensor.fromArray(a, [n, n])
  const B = Tensor.fromArray(b, [n])
  const cholLoss =
    <X>(T: Tensorial<X>) =>
    (m: X): X =>
      T.sum(T.cholesky(m))
  const solveLoss =
    <X>(T: Tensorial<X>) =>
    (m: X): X =>
      T.sum(T.solve(m, T.constant(B)))
  const ch = compare(
    () => plainCholesky(a, n),
    {
      value: () => tensor.cholesky(A),
      valueAndGrad: () => valueAndGrad(cholLoss)(tensor)(A),
    },
    9,
    2,
  )
  const so = compare(
    () => plainSolve(a, b, n),
    {
      value: () => tensor.solve(A, B),
      valueAndGrad: () => valueAndGrad(solveLoss)(tensor)(A),
    },
    9,
    2,
  )
  grad(cholLoss)(tensor)(A)
  return [
    `Linear algebra, ${n}×${n} (medians over 9 interleaved rounds; baselines plain float64 loops of the value alone)`,
    `  cholesky: value ${fmt(ch.ratio['value']!)}x, value and gradient ${fmt(ch.ratio['valueAndGrad']!)}x the plain loop (${fmt(ch.ms['valueAndGrad']!)} ms vs ${fmt(ch.ms['baseline']!)} ms; goal <= 4x)`,
    `  solve: value ${fmt(so.ratio['value']!)}x, value and gradient ${fmt(so.ratio['valueAndGrad']!)}x the plain loop (${fmt(so.ms['valueAndGrad']!)} ms vs ${fmt(so.ms['baseline']!)} ms; goal <= 4x)`,
    mvnBench(),
  ]
}
