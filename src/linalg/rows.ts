/**
 * The primitive rows of linear algebra: each a kernel (./kernels.ts) with its forward and
 * reverse rules in closed form, written against `Tensorial` so that they differentiate
 * again to any order. Matrices are the last two axes; leading axes are batch axes.
 *
 * Sources: Cholesky's rules as in I. Murray, "Differentiation of the Cholesky
 * decomposition" (2016), with Φ taking the lower triangle and half the diagonal;
 * triangular solve, solve, inverse and determinant from the same matrix calculus
 * (M. Giles, "An extended collection of matrix derivative results", 2008): d(A⁻¹) =
 * −A⁻¹·dA·A⁻¹, d det A = det A · tr(A⁻¹·dA).
 *
 * @since 0.5.0
 */
import type { Primitive, PrimitiveKernel } from '../ops/primitive.js'
import { internal, type Tensor } from '../tensor/Tensor.js'
import type { Tensorial } from '../Tensorial.js'
import type { Tree } from '../tree.js'
import * as K from './kernels.js'
import { tangentOps } from '../ops/opTable.js'

/** A constant n×n mask: entry (i, j) is `f(i, j)`. */
const mask = (n: number, f: (i: number, j: number) => number): Tensor => {
  const out = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = f(i, j)
  return internal.make(out, [n, n])
}

const orderOf = <A>(T: Tensorial<A>, a: A): number => T.shape(a)[T.shape(a).length - 1]!

/** Φ: the lower triangle with half the diagonal, as a mask. */
const phi = <A>(T: Tensorial<A>, n: number): A =>
  T.constant(mask(n, (i, j) => (i > j ? 1 : i === j ? 0.5 : 0)))

const sym = <A>(T: Tensorial<A>, m: A): A =>
  T.mul(T.add(m, T.matrixTranspose(m)), T.fromNumber(0.5))

const pair = <A>(x: Tree<A>): readonly [A, A] => x as unknown as readonly [A, A]
const first = <A>(x: Tree<A>): A => (x as ReadonlyArray<A>)[0]!

const oneMatrix = (run: (a: Tensor) => Tensor, op: string): PrimitiveKernel => ({
  run: (xs) => run(xs[0]!),
  shape: ([s]) => {
    K.squareOrder(op, s!)
    return s!
  },
  coreRanks: [2],
})

/**
 * cholesky: L with L·Lᵀ = (a + aᵀ)/2. dL = L·Φ(L⁻¹·sym(da)·L⁻ᵀ);
 * ā = sym(L⁻ᵀ·Φ(Lᵀ·L̄)·L⁻¹).
 */
export const choleskyRow: Primitive = {
  name: 'cholesky',
  primal: (T) => (x) => T.apply(choleskyRow, x),
  kernel: oneMatrix(K.cholesky, 'cholesky'),
  jvp: (T) => (_x, y, v) => {
    const L = y as Tree<unknown> as never
    const da = sym(T, first(v as Tree<never>))
    const m = T.triangularSolve(L, da)
    const inner = T.triangularSolve(L, T.matrixTranspose(m))
    return T.matmul(L, T.mul(inner, phi(T, orderOf(T, L))))
  },
  vjp: (T) => (x, y, u) => {
    const L = y as never
    const p = T.mul(T.matmul(T.matrixTranspose(L), u as never), phi(T, orderOf(T, L)))
    const z = T.triangularSolve(L, p, { transposeA: true })
    const s = T.matrixTranspose(T.triangularSolve(L, T.matrixTranspose(z), { transposeA: true }))
    return [T.unbroadcast(sym(T, s), first(x as Tree<never>))]
  },
}

const triangleMask = (n: number, lower: boolean, unit: boolean): Tensor =>
  mask(n, (i, j) => ((lower ? i > j : i < j) || (!unit && i === j) ? 1 : 0))

const triangularRow = (lower: boolean, transposeA: boolean, unitDiagonal: boolean): Primitive => {
  const options = { lower, transposeA, unitDiagonal }
  // op(m) of the triangle that is read, as a value of T.
  const opOf = <A>(T: Tensorial<A>, m: A): A => {
    const kept = T.mul(m, T.constant(triangleMask(orderOf(T, m), lower, unitDiagonal)))
    return transposeA ? T.matrixTranspose(kept) : kept
  }
  const row: Primitive = {
    name: 'triangularSolve',
    params: options,
    primal: (T) => (x) => T.apply(row, x),
    kernel: {
      run: ([a, b]) => K.triangularSolve(a!, b!, options),
      shape: ([a, b]) => K.solveShape('triangularSolve', a!, b!),
      coreRanks: [2, 2],
    },
    // dx = op(a)⁻¹·(db − op(da)·x)
    jvp: (T) => (x, y, v) => {
      const [a] = pair(x as Tree<never>)
      const [da, db] = v as unknown as readonly [unknown, unknown]
      const fromA = da === undefined ? undefined : T.matmul(opOf(T, da as never), y as never)
      const r =
        fromA === undefined ? db : db === undefined ? T.neg(fromA) : T.sub(db as never, fromA)
      return T.triangularSolve(a, r as never, options)
    },
    // b̄ = op(a)⁻ᵀ·ū, ā = −b̄·xᵀ (transposed when op(a) = aᵀ), on a's triangle.
    vjp: (T) => (x, y, u) => {
      const [a, b] = pair(x as Tree<never>)
      const bbar = T.triangularSolve(a, u as never, { ...options, transposeA: !transposeA })
      const outer = transposeA
        ? T.matmul(y as never, T.matrixTranspose(bbar))
        : T.matmul(bbar, T.matrixTranspose(y as never))
      const abar = T.neg(T.mul(outer, T.constant(triangleMask(orderOf(T, a), lower, unitDiagonal))))
      return [T.unbroadcast(abar, a), T.unbroadcast(bbar, b)]
    },
  }
  return row
}

const triangularRows = [false, true].flatMap((lower) =>
  [false, true].flatMap((transposeA) =>
    [false, true].map((unit) => triangularRow(lower, transposeA, unit)),
  ),
)

/** The triangular-solve row for one choice of options. */
export const triangularSolveRow = (options: K.TriangularOptions = {}): Primitive => {
  const { lower = true, transposeA = false, unitDiagonal = false } = options
  return triangularRows[(lower ? 4 : 0) + (transposeA ? 2 : 0) + (unitDiagonal ? 1 : 0)]!
}

/** solve: x = a⁻¹·b. dx = a⁻¹·(db − da·x); b̄ = a⁻ᵀ·x̄, ā = −b̄·xᵀ. */
export const solveRow: Primitive = {
  name: 'solve',
  primal: (T) => (x) => T.apply(solveRow, x),
  kernel: {
    run: ([a, b]) => K.solve(a!, b!),
    shape: ([a, b]) => K.solveShape('solve', a!, b!),
    coreRanks: [2, 2],
  },
  jvp: (T) => (x, y, v) => {
    const [a] = pair(x as Tree<never>)
    const [da, db] = v as unknown as readonly [unknown, unknown]
    const fromA = da === undefined ? undefined : T.matmul(da as never, y as never)
    const r = fromA === undefined ? db : db === undefined ? T.neg(fromA) : T.sub(db as never, fromA)
    return T.apply(solveRow, [a, r as never])
  },
  vjp: (T) => (x, y, u) => {
    const [a, b] = pair(x as Tree<never>)
    const bbar = T.apply(solveRow, [T.matrixTranspose(a), u as never]) as never
    const abar = T.neg(T.matmul(bbar, T.matrixTranspose(y as never)))
    return [T.unbroadcast(abar, a), T.unbroadcast(bbar, b)]
  },
}

/** A tangent or cotangent times a partial, elementwise, with the strong zero. */
const strongMul = <A>(T: Tensorial<A>, t: A, d: A): A => T.binary(tangentOps.strongMul, t, d)

/**
 * inv: d(a⁻¹) = −a⁻¹·da·a⁻¹; ā = −a⁻ᵀ·ū·a⁻ᵀ. The products are tangent products: a +0
 * (co)tangent gives +0 even where a⁻¹ is not finite (a singular a on a branch `where`
 * did not choose).
 */
export const invRow: Primitive = {
  name: 'inv',
  primal: (T) => (x) => T.apply(invRow, x),
  kernel: oneMatrix(K.inv, 'inv'),
  jvp: (T) => (_x, y, v) =>
    T.neg(T.tangentMatmul(T.tangentMatmul(y as never, first(v as never)), y as never)),
  vjp: (T) => (_x, y, u) => {
    const yt = T.matrixTranspose(y as never)
    return [T.neg(T.tangentMatmul(T.tangentMatmul(yt, u as never), yt))]
  },
}

/** ⟨a⁻ᵀ, m⟩ over the last two axes: tr(a⁻¹·m), a tangent m weighed with the strong zero. */
const traceWithInverse = <A>(T: Tensorial<A>, a: A, m: A): A =>
  T.sum(strongMul(T, m, T.matrixTranspose(T.inv(a))), { axis: [-2, -1] })

/** A cotangent of shape [...] spread over the last two axes: ū·a⁻ᵀ, with the strong zero. */
const timesInverseT = <A>(T: Tensorial<A>, a: A, u: A): A =>
  strongMul(T, T.expandDims(T.expandDims(u, -1), -1), T.matrixTranspose(T.inv(a)))

const determinantShape = (op: string) => (shapes: ReadonlyArray<ReadonlyArray<number>>) => {
  K.squareOrder(op, shapes[0]!)
  return shapes[0]!.slice(0, -2)
}

/** det: d det = det·tr(a⁻¹·da); ā = ū·det·a⁻ᵀ. */
export const detRow: Primitive = {
  name: 'det',
  primal: (T) => (x) => T.apply(detRow, x),
  kernel: { run: ([a]) => K.det(a!), shape: determinantShape('det'), coreRanks: [2] },
  jvp: (T) => (x, y, v) =>
    strongMul(T, traceWithInverse(T, first(x as never), first(v as never)), y as never),
  vjp: (T) => (x, y, u) => [
    timesInverseT(T, first(x as never), strongMul(T, u as never, y as never)),
  ],
}

/** log |det|: its derivative tr(a⁻¹·da); ā = ū·a⁻ᵀ. */
export const logAbsDetRow: Primitive = {
  name: 'logAbsDet',
  primal: (T) => (x) => T.apply(logAbsDetRow, x),
  kernel: { run: ([a]) => K.logAbsDet(a!), shape: determinantShape('slogdet'), coreRanks: [2] },
  jvp: (T) => (x, _y, v) => traceWithInverse(T, first(x as never), first(v as never)),
  vjp: (T) => (x, _y, u) => [timesInverseT(T, first(x as never), u as never)],
}

/** The sign of the determinant: piecewise constant, derivative 0. */
export const detSignRow: Primitive = {
  name: 'detSign',
  primal: (T) => (x) => T.apply(detSignRow, x),
  kernel: { run: ([a]) => K.detSign(a!), shape: determinantShape('slogdet'), coreRanks: [2] },
  mode: 'constant',
}
