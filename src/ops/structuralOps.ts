/**
 * The structural op table: every `Tensorial` operation that is not elementwise, one row
 * each, holding in one place its eager kernel, its shape rule, its forward rule, its
 * reverse rule (naming its adjoint partner: slice ↔ pad, take ↔ scatterAdd,
 * broadcastTo ↔ unbroadcast) and its batching rule for `vmap`. The rules are written
 * against `Tensorial`, so they are differentiable again. `dual`, the reverse instance,
 * `vmap`'s batching instance, jit's tracer and its shape-only instance are interpreters
 * that map over these rows; none of them writes an op by hand.
 *
 * Every tangent has the shape of its primal and every cotangent the shape of the value
 * it belongs to: each `vjp` receives its cotangent at the shape of the op's result and
 * returns one at the shape of its operand.
 *
 * @since 0.1.0
 */
import { tangentOps } from './opTable.js'
import { withBatchVectors } from './batchVectors.js'
import type { BatchContext, BatchValue } from './batchRule.js'
import {
  keptShape,
  normaliseAxis,
  reducedAxes,
  reducedShape,
  type ReduceOptions,
} from '../tensor/axes.js'
import { broadcastTo, unbroadcast } from '../tensor/broadcast.js'
import { concat, pad, scatterAdd, slice, sliceBounds, take } from '../tensor/indexing.js'
import { dot, matmul, productShape, tangentMatmul } from '../tensor/products.js'
import { extremum, sum } from '../tensor/reductions.js'
import { matrixTranspose, reshape, transpose } from '../tensor/reshape.js'
import { internal, showShape, type Tensor } from '../tensor/Tensor.js'
import type { Tensorial } from '../Tensorial.js'

type Shape = ReadonlyArray<number>

/** What a shape rule reads of a value parameter. */
interface HasShape {
  readonly shape: Shape
}

/**
 * The parameters of each structural op of one operand, after the operand. A parameter
 * of type `A` is a value of the instance (only `unbroadcast`'s `like`, read for its
 * shape); every other parameter is plain data.
 *
 * @category model
 * @since 0.5.0
 */
export interface UnaryParams<A> {
  readonly sum: readonly [options?: ReduceOptions]
  readonly extremum: readonly [which: 'max' | 'min', options?: ReduceOptions]
  readonly broadcastTo: readonly [shape: Shape]
  readonly unbroadcast: readonly [like: A]
  readonly reshape: readonly [shape: Shape]
  readonly transpose: readonly []
  readonly matrixTranspose: readonly []
  readonly slice: readonly [begin: Shape, end: Shape]
  readonly pad: readonly [shape: Shape, start: Shape]
  readonly take: readonly [indices: ReadonlyArray<number>, axis?: number]
  readonly scatterAdd: readonly [indices: ReadonlyArray<number>, axis: number, length: number]
}

/**
 * The structural ops of one operand.
 *
 * @category model
 * @since 0.5.0
 */
export type UnaryStructuralName = keyof UnaryParams<unknown>

/**
 * The structural ops of two operands (bilinear: a product).
 *
 * @category model
 * @since 0.5.0
 */
export type BilinearName = 'dot' | 'matmul' | 'tangentMatmul'

/**
 * Every structural op: the names of `Tensorial` methods the table defines.
 *
 * @category model
 * @since 0.5.0
 */
export type StructuralName = UnaryStructuralName | BilinearName | 'concat'

/**
 * A structural op of one operand, linear in it (or, with no rules, a constant of the
 * modes: extremum's derivative is built around it by `max` and `min`).
 *
 * @category model
 * @since 0.5.0
 */
export interface UnaryStructuralRow<K extends UnaryStructuralName> {
  /** The op's name (a `Tensorial` method). */
  readonly name: K
  /** The op whose rule is this one's adjoint (for a linear op), and the adjoint in words. */
  readonly adjoint: { readonly partner: StructuralName | 'itself'; readonly note: string } | null
  /** The eager kernel on tensors. */
  readonly kernel: (x: Tensor, ...p: UnaryParams<Tensor>[K]) => Tensor
  /** The op on an instance (its method). */
  readonly method: <A>(T: Tensorial<A>) => (x: A, ...p: UnaryParams<A>[K]) => A
  /** The result's shape from the operand's (a value parameter is read for its shape). */
  readonly shape: (x: Shape, ...p: UnaryParams<HasShape>[K]) => Shape
  /** The tangent of the result from the tangent t of x (x the operand, y the result). */
  readonly jvp?: <A>(T: Tensorial<A>) => (t: A, x: A, y: A, ...p: UnaryParams<A>[K]) => A
  /** The cotangent of x from the cotangent u of the result. */
  readonly vjp?: <A>(T: Tensorial<A>) => (u: A, x: A, ...p: UnaryParams<A>[K]) => A
  /** The batching rule: the op on a value whose first axis may be mapped. */
  readonly batch: <A>(
    B: BatchContext<A>,
  ) => (x: BatchValue<A>, ...p: UnaryParams<BatchValue<A>>[K]) => BatchValue<A>
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
  readonly name: BilinearName
  /** The adjoints in plain mathematics. */
  readonly note: string
  /** The eager kernel on tensors. */
  readonly kernel: (x: Tensor, y: Tensor) => Tensor
  /** The op on an instance (its method). */
  readonly method: <A>(T: Tensorial<A>) => (x: A, y: A) => A
  /** The result's shape from the operands'. */
  readonly shape: (x: Shape, y: Shape) => Shape
  /** The tangent of the result along the first operand's tangent t (operands x, y, result z). */
  readonly jvpX: <A>(T: Tensorial<A>) => (x: A, y: A, z: A, t: A) => A
  /** The tangent of the result along the second operand's tangent t. */
  readonly jvpY: <A>(T: Tensorial<A>) => (x: A, y: A, z: A, t: A) => A
  /** The adjoint of the first operand, from both operands and the cotangent u. */
  readonly vjpX: <A>(T: Tensorial<A>) => (x: A, y: A, u: A) => A
  /** The adjoint of the second operand. */
  readonly vjpY: <A>(T: Tensorial<A>) => (x: A, y: A, u: A) => A
  /** The batching rule. */
  readonly batch: <A>(B: BatchContext<A>) => (x: BatchValue<A>, y: BatchValue<A>) => BatchValue<A>
}

/**
 * `concat`, the one structural op of any number of operands.
 *
 * @category model
 * @since 0.5.0
 */
export interface ConcatRow {
  /** The op's name. */
  readonly name: 'concat'
  /** The adjoint in words: each operand's block of the cotangent. */
  readonly note: string
  /** The eager kernel on tensors. */
  readonly kernel: (xs: ReadonlyArray<Tensor>, axis?: number) => Tensor
  /** The result's shape from the operands'. */
  readonly shape: (xs: ReadonlyArray<Shape>, axis?: number) => Shape
  /** The tangent: the operands' tangents concatenated (`undefined`: a constant operand). */
  readonly jvp: <A>(
    T: Tensorial<A>,
  ) => (ts: ReadonlyArray<A | undefined>, xs: ReadonlyArray<A>, axis?: number) => A
  /** The cotangent of operand i: its block of u along the axis. */
  readonly vjp: <A>(T: Tensorial<A>) => (u: A, xs: ReadonlyArray<A>, i: number, axis?: number) => A
  /** The batching rule. */
  readonly batch: <A>(
    B: BatchContext<A>,
  ) => (xs: ReadonlyArray<BatchValue<A>>, axis?: number) => BatchValue<A>
}

// -------------------------------------------------------------------------------------
// batching helpers
// -------------------------------------------------------------------------------------

/** A reduction's options with its axes moved past the mapped axis. */
const shiftedAxes = <A>(
  B: BatchContext<A>,
  op: string,
  x: BatchValue<A>,
  options?: ReduceOptions,
): ReduceOptions & { readonly axis: ReadonlyArray<number> } => ({
  ...options,
  axis: reducedAxes(op, B.exShape(x), options).map((a) => a + 1),
})

/** The example reshaped to s, the mapped axis kept. */
const reshapeEx = <A>(B: BatchContext<A>, x: BatchValue<A>, s: Shape): BatchValue<A> =>
  B.of(B.T.reshape(x.value, x.mapped ? [B.n, ...s] : s), x.mapped)

/** An op that keeps its axes after the operand's: unmapped as is, mapped with the axis shifted. */
const perExample =
  <A>(B: BatchContext<A>, unmapped: (v: A) => A, mapped: (v: A) => A) =>
  (x: BatchValue<A>): BatchValue<A> =>
    x.mapped ? B.of(mapped(x.value), true) : B.of(unmapped(x.value), false)

/** The batching rule of a matrix product: the mapped axis as one more batch axis. */
const batchProduct =
  (name: 'matmul' | 'tangentMatmul') =>
  <A>(B: BatchContext<A>) =>
  (x: BatchValue<A>, y: BatchValue<A>): BatchValue<A> => {
    const f = B.T[name]
    if (!x.mapped && !y.mapped) return B.of(f(x.value, y.value), false)
    const sx = B.exShape(x)
    const sy = B.exShape(y)
    productShape(sx, sy)
    // Vectors as one-row and one-column matrices, squeezed out afterwards.
    const xm = sx.length === 1 ? reshapeEx(B, x, [1, sx[0]!]) : x
    const ym = sy.length === 1 ? reshapeEx(B, y, [sy[0]!, 1]) : y
    const r = Math.max(B.exShape(xm).length, B.exShape(ym).length)
    let out = f(B.atRank(xm, r), B.atRank(ym, r))
    const so = B.T.shape(out)
    if (sx.length === 1) out = B.T.reshape(out, [...so.slice(0, -2), so[so.length - 1]!])
    else if (sy.length === 1) out = B.T.reshape(out, so.slice(0, -1))
    return B.of(out, true)
  }

/** The batching rule of a transpose: the mapped axis stays first. */
const batchTranspose = <A>(B: BatchContext<A>, x: BatchValue<A>, whole: boolean) => {
  const s = B.exShape(x)
  if (s.length < 2) return x
  if (whole && s.length > 2)
    throw new Error(`transpose: expected rank 0, 1 or 2, got ${showShape(s)}`)
  return B.of(x.mapped || !whole ? B.T.matrixTranspose(x.value) : B.T.transpose(x.value), x.mapped)
}

// -------------------------------------------------------------------------------------
// rows
// -------------------------------------------------------------------------------------

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
 * The rows of one operand.
 *
 * @example
 * import { unaryStructuralOps } from 'ad-ts/internal'
 * unaryStructuralOps.slice.adjoint?.partner // => 'pad'
 * unaryStructuralOps.take.shape([5, 2], [4, 4, 0]) // => [3, 2]
 *
 * @category instances
 * @since 0.5.0
 */
export const unaryStructuralOps: { readonly [K in UnaryStructuralName]: UnaryStructuralRow<K> } = {
  sum: {
    name: 'sum',
    adjoint: { partner: 'broadcastTo', note: 'the cotangent spread over the summed axes' },
    kernel: sum,
    method: (T) => T.sum,
    shape: (s, o) => reducedShape(s, reducedAxes('sum', s, o), o?.keepDims === true),
    // The sum's tangent is the sum of tangents (tangentAdd), through unbroadcast.
    jvp: (T) => (t, x, y, o) => {
      const shape = T.shape(x)
      const like = T.reshape(y, keptShape(shape, reducedAxes('sum', shape, o)))
      return T.reshape(T.unbroadcast(t, like), T.shape(y))
    },
    // The cotangent, with the summed axes back as 1s, spread over them.
    vjp: (T) => (u, x, o) => {
      const shape = T.shape(x)
      return T.unbroadcast(T.reshape(u, keptShape(shape, reducedAxes('sum', shape, o))), x)
    },
    batch: (B) => (x, o) => {
      if (!x.mapped) return B.of(B.T.sum(x.value, o), false)
      const shifted = shiftedAxes(B, 'sum', x, o)
      return shifted.axis.length === 0 ? x : B.of(B.T.sum(x.value, shifted), true)
    },
  },
  extremum: {
    name: 'extremum',
    adjoint: null,
    kernel: extremum,
    method: (T) => T.extremum,
    shape: (s, which, o) => reducedShape(s, reducedAxes(which, s, o), o?.keepDims === true),
    batch: (B) => (x, which, o) => {
      if (!x.mapped) return B.of(B.T.extremum(x.value, which, o), false)
      const shifted = shiftedAxes(B, which, x, o)
      return shifted.axis.length === 0 ? x : B.of(B.T.extremum(x.value, which, shifted), true)
    },
  },
  broadcastTo: {
    name: 'broadcastTo',
    adjoint: { partner: 'unbroadcast', note: 'the cotangent summed back to the operand' },
    kernel: broadcastTo,
    method: (T) => T.broadcastTo,
    shape: (_s, shape) => shape,
    jvp: (T) => (t, _x, _y, shape) => T.broadcastTo(t, shape),
    vjp: (T) => (u, x) => T.unbroadcast(u, x),
    batch: (B) => (x, shape) =>
      x.mapped
        ? B.of(B.T.broadcastTo(B.atRank(x, shape.length), [B.n, ...shape]), true)
        : B.of(B.T.broadcastTo(x.value, shape), false),
  },
  unbroadcast: {
    name: 'unbroadcast',
    adjoint: { partner: 'broadcastTo', note: 'the cotangent broadcast back to the operand' },
    kernel: (g, like) => unbroadcast(g, like.shape),
    method: (T) => T.unbroadcast,
    shape: (_s, like) => like.shape,
    jvp: (T) => (t, _x, _y, like) => T.unbroadcast(t, like),
    vjp: (T) => (u, x) => T.unbroadcast(u, x),
    // g brought to like's example shape: broadcast up, or summed over the axes that
    // broadcasting added or stretched.
    batch: (B) => (g, like) => {
      if (!g.mapped && !like.mapped) return B.of(B.T.unbroadcast(g.value, like.value), false)
      const s = B.exShape(like)
      const sg = B.exShape(g)
      if (sg.length === s.length && sg.every((d, i) => d === s[i])) return g
      const lead = sg.length - s.length
      if (lead < 0 || s.some((d, i) => d !== sg[lead + i] && d !== 1))
        return B.self.broadcastTo(g, s)
      // Summed by unbroadcast itself (to a constant of the kept shape, read for its shape),
      // so that a sum cancelling to zero is −0 as it is per example: a plain sum gave +0,
      // a strong zero that hid a NaN partial behind it.
      const like0 = (shape: Shape) => B.T.constant(internal.uniform(0, shape))
      if (!g.mapped) return B.of(B.T.unbroadcast(g.value, like0(s)), false)
      const kept = [B.n, ...new Array<number>(lead).fill(1), ...s]
      return reshapeEx(B, B.of(B.T.unbroadcast(g.value, like0(kept)), true), s)
    },
  },
  reshape: {
    name: 'reshape',
    adjoint: { partner: 'reshape', note: 'the cotangent reshaped back' },
    kernel: reshape,
    method: (T) => T.reshape,
    shape: (_s, shape) => shape,
    jvp: (T) => (t, _x, _y, shape) => T.reshape(t, shape),
    vjp: (T) => (u, x) => T.reshape(u, T.shape(x)),
    batch: (B) => (x, shape) => reshapeEx(B, x, shape),
  },
  transpose: {
    name: 'transpose',
    adjoint: { partner: 'itself', note: 'transpose is its own adjoint' },
    kernel: transpose,
    method: (T) => T.transpose,
    shape: (s) => (s.length < 2 ? s : [...s].reverse()),
    jvp: (T) => (t) => T.transpose(t),
    vjp: (T) => (u) => T.transpose(u),
    batch: (B) => (x) => batchTranspose(B, x, true),
  },
  matrixTranspose: {
    name: 'matrixTranspose',
    adjoint: { partner: 'itself', note: 'a transpose of the last two axes is its own adjoint' },
    kernel: matrixTranspose,
    method: (T) => T.matrixTranspose,
    shape: (s) => (s.length < 2 ? s : [...s.slice(0, -2), s[s.length - 1]!, s[s.length - 2]!]),
    jvp: (T) => (t) => T.matrixTranspose(t),
    vjp: (T) => (u) => T.matrixTranspose(u),
    batch: (B) => (x) => batchTranspose(B, x, false),
  },
  slice: {
    name: 'slice',
    adjoint: { partner: 'pad', note: 'the cotangent padded with zeros to the operand' },
    kernel: slice,
    method: (T) => T.slice,
    shape: (s, begin, end) => sliceBounds(s, begin, end).size,
    jvp: (T) => (t, _x, _y, begin, end) => T.slice(t, begin, end),
    vjp: (T) => (u, x, begin, end) => {
      const shape = T.shape(x)
      return T.pad(u, shape, sliceBounds(shape, begin, end).start)
    },
    batch: (B) => (x, begin, end) =>
      perExample(
        B,
        (v) => B.T.slice(v, begin, end),
        (v) => B.T.slice(v, [0, ...begin], [B.n, ...end]),
      )(x),
  },
  pad: {
    name: 'pad',
    adjoint: { partner: 'slice', note: 'the cotangent sliced back to the operand' },
    kernel: pad,
    method: (T) => T.pad,
    shape: (_s, shape) => shape,
    jvp: (T) => (t, _x, _y, shape, start) => T.pad(t, shape, start),
    vjp: (T) => (u, x, _shape, start) =>
      T.slice(
        u,
        start,
        T.shape(x).map((d, i) => start[i]! + d),
      ),
    batch: (B) => (x, shape, start) =>
      perExample(
        B,
        (v) => B.T.pad(v, shape, start),
        (v) => B.T.pad(v, [B.n, ...shape], [0, ...start]),
      )(x),
  },
  take: {
    name: 'take',
    adjoint: { partner: 'scatterAdd', note: 'repeated indices add their cotangents' },
    kernel: take,
    method: (T) => T.take,
    shape: (s, indices, axis = 0) => {
      const a = normaliseAxis('take', axis, s.length)
      return s.map((d, i) => (i === a ? indices.length : d))
    },
    jvp: (T) => (t, _x, _y, indices, axis) => T.take(t, indices, axis),
    vjp:
      (T) =>
      (u, x, indices, axis = 0) => {
        const shape = T.shape(x)
        return T.scatterAdd(u, indices, axis, shape[normaliseAxis('take', axis, shape.length)]!)
      },
    batch:
      (B) =>
      (x, indices, axis = 0) =>
        perExample(
          B,
          (v) => B.T.take(v, indices, axis),
          (v) => B.T.take(v, indices, normaliseAxis('take', axis, B.exShape(x).length) + 1),
        )(x),
  },
  scatterAdd: {
    name: 'scatterAdd',
    adjoint: { partner: 'take', note: 'each index gathers its cotangent' },
    kernel: scatterAdd,
    method: (T) => T.scatterAdd,
    shape: (s, _indices, axis, length) => {
      const a = normaliseAxis('scatterAdd', axis, s.length)
      return s.map((d, i) => (i === a ? length : d))
    },
    jvp: (T) => (t, _x, _y, indices, axis, length) => T.scatterAdd(t, indices, axis, length),
    vjp: (T) => (u, _x, indices, axis) => T.take(u, indices, axis),
    batch: (B) => (x, indices, axis, length) =>
      perExample(
        B,
        (v) => B.T.scatterAdd(v, indices, axis, length),
        (v) =>
          B.T.scatterAdd(
            v,
            indices,
            normaliseAxis('scatterAdd', axis, B.exShape(x).length) + 1,
            length,
          ),
      )(x),
  },
}

const matmulRules = {
  note: 'Y = A·B: dA = dY·Bᵀ, dB = Aᵀ·dY (outer products when an operand is a vector)',
  shape: productShape,
  jvpX:
    <A>(T: Tensorial<A>) =>
    (_a: A, b: A, _z: A, t: A) =>
      T.tangentMatmul(t, b),
  jvpY:
    <A>(T: Tensorial<A>) =>
    (a: A, _b: A, _z: A, t: A) =>
      T.tangentMatmul(a, t),
  vjpX:
    <A>(T: Tensorial<A>) =>
    (a: A, b: A, u: A) =>
      T.shape(b).length === 1
        ? outer(T, b, u, false) // [m,k]·[k]: dA = u ⊗ b
        : T.shape(a).length === 1
          ? T.tangentMatmul(b, u) // [k]·[k,n]: da = B·u
          : T.unbroadcast(T.tangentMatmul(u, T.matrixTranspose(b)), a),
  vjpY:
    <A>(T: Tensorial<A>) =>
    (a: A, b: A, u: A) =>
      T.shape(a).length === 1
        ? outer(T, a, u, true) // [k]·[k,n]: dB = a ⊗ u
        : T.shape(b).length === 1
          ? T.tangentMatmul(u, a) // [m,k]·[k]: db = Aᵀ·u, as uᵀ·A without forming Aᵀ
          : isColumnProduct(T.shape(a), T.shape(b))
            ? columnCotangent(T, a, b, u)
            : T.unbroadcast(T.tangentMatmul(T.matrixTranspose(a), u), b),
}

/** A matrix [m, k] times a column [k, 1]. */
const isColumnProduct = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean =>
  a.length === 2 && b.length === 2 && b[1] === 1

/**
 * dB = Aᵀ·u for a column B [k, 1] and u [m, 1]: as the vector uᵀ·A, without forming Aᵀ.
 * Element j is Σᵢ A[i, j]·u[i] in the order i = 0, 1, … either way, so the numbers are
 * those of Aᵀ·u bit for bit; the reshapes keep the order of the elements.
 */
const columnCotangent = <A>(T: Tensorial<A>, a: A, b: A, u: A): A =>
  T.reshape(T.tangentMatmul(T.reshape(u, [T.shape(a)[0]!]), a), T.shape(b))

/**
 * The bilinear rows. `tangentMatmul` (a tangent times a partial, with the strong zero)
 * has `matmul`'s rules: both factors are values of the level it runs at.
 *
 * @example
 * import { bilinearOps } from 'ad-ts/internal'
 * bilinearOps.matmul.note.startsWith('Y = A·B') // => true
 * bilinearOps.matmul.shape([2, 3], [3]) // => [2]
 *
 * @category instances
 * @since 0.1.0
 */
export const bilinearOps: { readonly [K in BilinearName]: BilinearRow } = {
  dot: {
    name: 'dot',
    note: '∂⟨x, y⟩/∂x = y, ∂/∂y = x (scaled by the cotangent u of shape [])',
    kernel: dot,
    method: (T) => T.dot,
    shape: () => [],
    jvpX: (T) => (_x, y, z, t) => T.unbroadcast(T.binary(tangentOps.strongMul, y, t), z),
    jvpY: (T) => (x, _y, z, t) => T.unbroadcast(T.binary(tangentOps.strongMul, x, t), z),
    vjpX: (T) => (_x, y, u) => T.binary(tangentOps.strongMul, y, u),
    vjpY: (T) => (x, _y, u) => T.binary(tangentOps.strongMul, x, u),
    batch: (B) => (x, y) => {
      if (!x.mapped && !y.mapped) return B.of(B.T.dot(x.value, y.value), false)
      const sx = B.exShape(x)
      const sy = B.exShape(y)
      if (sx.length !== 1 || sy.length !== 1 || sx[0] !== sy[0]) {
        throw new Error(
          `dot: expected two vectors of one length, got ${showShape(sx)} and ${showShape(sy)}`,
        )
      }
      return B.of(B.T.sum(B.T.mul(B.atRank(x, 1), B.atRank(y, 1)), { axis: -1 }), true)
    },
  },
  matmul: {
    name: 'matmul',
    kernel: matmul,
    method: (T) => T.matmul,
    ...matmulRules,
    batch: batchProduct('matmul'),
  },
  tangentMatmul: {
    name: 'tangentMatmul',
    kernel: tangentMatmul,
    method: (T) => T.tangentMatmul,
    ...matmulRules,
    batch: batchProduct('tangentMatmul'),
  },
}

/**
 * The concat row.
 *
 * @example
 * import { concatOp } from 'ad-ts/internal'
 * concatOp.shape([[2, 3], [4, 3]]) // => [6, 3]
 *
 * @category instances
 * @since 0.5.0
 */
export const concatOp: ConcatRow = {
  name: 'concat',
  note: "each operand's cotangent is its block of the cotangent along the axis",
  kernel: concat,
  shape: (xs, axis = 0) => {
    const s = xs[0]!
    const a = normaliseAxis('concat', axis, s.length)
    return s.map((d, i) => (i === a ? xs.reduce((n, x) => n + x[a]!, 0) : d))
  },
  jvp: (T) => (ts, xs, axis) =>
    T.concat(
      ts.map((t, i) => t ?? T.broadcastTo(T.zero, T.shape(xs[i]!))),
      axis,
    ),
  vjp:
    (T) =>
    (u, xs, i, axis = 0) => {
      const sz = T.shape(u)
      const k = normaliseAxis('concat', axis, sz.length)
      const offset = xs.slice(0, i).reduce((o, x) => o + T.shape(x)[k]!, 0)
      return T.slice(
        u,
        [...sz.slice(0, k).map(() => 0), offset],
        [...sz.slice(0, k), offset + T.shape(xs[i]!)[k]!],
      )
    },
  batch:
    (B) =>
    (xs, axis = 0) => {
      if (!xs.some((x) => x.mapped))
        return B.of(
          B.T.concat(
            xs.map((x) => x.value),
            axis,
          ),
          false,
        )
      const a = normaliseAxis('concat', axis, B.exShape(xs[0]!).length)
      return B.of(B.T.concat(xs.map(B.full), a + 1), true)
    },
}

/**
 * The names of every structural op, from the rows' keys.
 *
 * @example
 * import { structuralNames } from 'ad-ts/internal'
 * structuralNames.filter((name) => name.toLowerCase().endsWith('matmul')) // => ['matmul', 'tangentMatmul']
 *
 * @category instances
 * @since 0.5.0
 */
export const structuralNames: ReadonlyArray<StructuralName> = [
  ...(Object.keys(unaryStructuralOps) as UnaryStructuralName[]),
  ...(Object.keys(bilinearOps) as BilinearName[]),
  concatOp.name,
]

/**
 * How an interpreter runs each kind of row; `structuralMethods` maps them over the table.
 * `P` is what a value parameter becomes when the interpreter calls a rule.
 *
 * @category model
 * @since 0.5.0
 */
export interface StructuralInterpreter<V, P> {
  /** A row of one operand as a method. */
  readonly unary: <K extends UnaryStructuralName>(
    row: UnaryStructuralRow<K>,
  ) => (x: V, ...p: UnaryParams<P>[K]) => V
  /** A bilinear row as a method. */
  readonly bilinear: (row: BilinearRow) => (x: V, y: V) => V
  /** The concat row as a method. */
  readonly concat: (row: ConcatRow) => (xs: ReadonlyArray<V>, axis?: number) => V
  /** A value parameter (`unbroadcast`'s `like`) as the rules receive it. */
  readonly param: (v: V) => P
  /** The shape of a value (per example, under vmap). */
  readonly shape: (v: V) => Shape
}

/**
 * Every structural method of an instance, each an interpreter's reading of its row.
 *
 * @example
 * import { structuralMethods } from 'ad-ts/internal'
 * const counted = structuralMethods<number, number>({
 *   unary: () => (x) => x + 1,
 *   bilinear: () => (x, y) => x + y,
 *   concat: () => (xs) => xs.length,
 *   param: (v) => v,
 *   shape: () => [],
 * })
 * counted.slice(1, [0], [1]) // => 2
 *
 * @category instances
 * @since 0.5.0
 */
export const structuralMethods = <V, P>(
  I: StructuralInterpreter<V, P>,
): { readonly [K in StructuralName]: Tensorial<V>[K] } => {
  const methods: Record<string, unknown> = {}
  const unaryMethod = <K extends UnaryStructuralName>(name: K) =>
    I.unary<K>(unaryStructuralOps[name])
  for (const name of Object.keys(unaryStructuralOps) as UnaryStructuralName[])
    methods[name] = unaryMethod(name)
  const unbroadcastWith = I.unary(unaryStructuralOps.unbroadcast)
  methods['unbroadcast'] = (g: V, like: V) => unbroadcastWith(g, I.param(like))
  const reshape = methods['reshape'] as (x: V, s: Shape) => V
  for (const name of Object.keys(bilinearOps) as BilinearName[]) {
    const product = I.bilinear(bilinearOps[name])
    methods[name] = name === 'dot' ? product : withBatchVectors(product, reshape, I.shape)
  }
  methods['concat'] = I.concat(concatOp)
  return methods as { readonly [K in StructuralName]: Tensorial<V>[K] }
}
