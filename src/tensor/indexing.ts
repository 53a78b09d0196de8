/**
 * Indexing kernels on tensors: `slice` and its adjoint `pad`, `take` (gather) and its
 * adjoint `scatterAdd`, and `concat` of two tensors along an axis. Each allocates one
 * output buffer and checks its arguments before any work, naming the op, the value and
 * what was expected.
 *
 * @since 0.2.0
 */
import { normaliseAxis } from './axes.js'
import { showValue } from '../util/show.js'
import { tangentAdd } from '../tangentArithmetic.js'
import type { Shape } from './broadcast.js'
import { internal, showShape, sizeOf, type Tensor } from './Tensor.js'

/** Row-major strides of a shape. */
const stridesOf = (shape: Shape): number[] => {
  const s = new Array<number>(shape.length)
  let acc = 1
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc
    acc *= shape[i]!
  }
  return s
}

/**
 * Visits the block of shape `block` placed at `offset` inside `shape` as runs along the
 * last axis: `visit(k, j, length)` with the run's first flat index in the block (k) and
 * in the whole (j). Copies then move whole runs instead of single elements.
 */
const eachRun = (
  shape: Shape,
  block: Shape,
  offset: ReadonlyArray<number>,
  visit: (k: number, j: number, length: number) => void,
): void => {
  const rank = block.length
  const n = sizeOf(block)
  if (n === 0) return
  if (rank === 0) {
    visit(0, 0, 1)
    return
  }
  const outer = stridesOf(shape)
  const width = block[rank - 1]!
  const counter = new Int32Array(rank - 1)
  let j = 0
  for (let d = 0; d < rank; d++) j += offset[d]! * outer[d]!
  for (let k = 0; k < n; k += width) {
    visit(k, j, width)
    // Odometer step over the leading axes of the block.
    for (let d = rank - 2; d >= 0; d--) {
      counter[d]!++
      j += outer[d]!
      if (counter[d]! < block[d]!) break
      j -= outer[d]! * block[d]!
      counter[d] = 0
    }
  }
}

/** Copies `length` elements from `from` at `i` into `to` at `o` (short runs by a loop). */
const copyRun = (from: Float64Array, i: number, to: Float64Array, o: number, length: number) => {
  if (length >= 16) to.set(from.subarray(i, i + length), o)
  else for (let m = 0; m < length; m++) to[o + m] = from[i + m]!
}

/** begin and end of a slice as full-rank bounds; throws on a bad index. */
export const sliceBounds = (
  shape: Shape,
  begin: ReadonlyArray<number>,
  end: ReadonlyArray<number>,
): { readonly start: number[]; readonly size: number[] } => {
  if (begin.length !== end.length || begin.length > shape.length) {
    throw new Error(
      `slice: begin ${showValue(begin)} and end ${showValue(end)} must be index arrays of one length, at most the rank of ${showShape(shape)}`,
    )
  }
  const start: number[] = []
  const size: number[] = []
  shape.forEach((d, i) => {
    if (i >= begin.length) {
      start.push(0)
      size.push(d)
      return
    }
    const fix = (v: number, what: string) => {
      if (!Number.isInteger(v) || v < -d || v > d) {
        throw new Error(
          `slice: ${what} ${showValue(v)} on axis ${i} of ${showShape(shape)} is out of range; expected an integer in [${-d}, ${d}]`,
        )
      }
      return v < 0 ? v + d : v
    }
    const b = fix(begin[i]!, 'begin')
    const e = fix(end[i]!, 'end')
    if (e < b) {
      throw new Error(
        `slice: end ${showValue(end[i])} comes before begin ${showValue(begin[i])} on axis ${i} of ${showShape(shape)}`,
      )
    }
    start.push(b)
    size.push(e - b)
  })
  return { start, size }
}

/**
 * The block of `t` from `begin` (inclusive) to `end` (exclusive) on the leading axes;
 * a negative index counts from the end; axes not listed stay whole.
 *
 * @example
 * import { Tensor } from 'ad-ts'
 * import { slice } from 'ad-ts/internal'
 * Tensor.toArray(slice(Tensor.fromArray([1, 2, 3, 4]), [1], [-1])) // => [2, 3]
 *
 * @category combinators
 * @since 0.2.0
 */
export const slice = (
  t: Tensor,
  begin: ReadonlyArray<number>,
  end: ReadonlyArray<number>,
): Tensor => {
  const { start, size } = sliceBounds(t.shape, begin, end)
  const x = internal.data(t)
  const out = new Float64Array(sizeOf(size))
  eachRun(t.shape, size, start, (k, j, w) => copyRun(x, j, out, k, w))
  return internal.make(out, size)
}

/**
 * `t` placed at `start` inside zeros of `shape`: the adjoint of `slice`.
 *
 * @example
 * import { Tensor } from 'ad-ts'
 * import { pad } from 'ad-ts/internal'
 * Tensor.toArray(pad(Tensor.fromArray([2, 3]), [4], [1])) // => [0, 2, 3, 0]
 *
 * @category combinators
 * @since 0.2.0
 */
export const pad = (t: Tensor, shape: Shape, start: ReadonlyArray<number>): Tensor => {
  if (
    shape.length !== t.shape.length ||
    start.length !== shape.length ||
    shape.some(
      (d, i) => !Number.isInteger(start[i]) || start[i]! < 0 || start[i]! + t.shape[i]! > d,
    )
  ) {
    throw new Error(
      `pad: cannot place ${showShape(t.shape)} at ${showValue(start)} inside ${showShape(shape)}`,
    )
  }
  const x = internal.data(t)
  const out = new Float64Array(sizeOf(shape))
  eachRun(shape, t.shape, start, (k, j, w) => copyRun(x, k, out, j, w))
  return internal.make(out, shape)
}

/** The indices of a take, checked and made non-negative. */
const takeIndices = (op: string, indices: ReadonlyArray<number>, length: number): number[] =>
  indices.map((i) => {
    if (!Number.isInteger(i) || i < -length || i >= length) {
      throw new Error(
        `${op}: index ${showValue(i)} is out of range for an axis of length ${length}; expected an integer in [${-length}, ${length - 1}]`,
      )
    }
    return i < 0 ? i + length : i
  })

/** Visits each (source element, destination element) pair of a take along an axis. */
const eachTaken = (
  shape: Shape,
  axis: number,
  indices: ReadonlyArray<number>,
  visit: (out: number, src: number) => void,
): void => {
  const outer = sizeOf(shape.slice(0, axis))
  const inner = sizeOf(shape.slice(axis + 1))
  const n = shape[axis]!
  const m = indices.length
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const src = (o * n + indices[j]!) * inner
      const dst = (o * m + j) * inner
      for (let i = 0; i < inner; i++) visit(dst + i, src + i)
    }
  }
}

/**
 * Gathers the slices at `indices` along `axis` (numpy's `take`); indices may repeat
 * and may be negative.
 *
 * @example
 * import { Tensor } from 'ad-ts'
 * import { take } from 'ad-ts/internal'
 * Tensor.toArray(take(Tensor.fromArray([10, 20, 30]), [2, 0, 2])) // => [30, 10, 30]
 *
 * @category combinators
 * @since 0.2.0
 */
export const take = (t: Tensor, indices: ReadonlyArray<number>, axis = 0): Tensor => {
  const a = normaliseAxis('take', axis, t.shape.length)
  const idx = takeIndices('take', indices, t.shape[a]!)
  const x = internal.data(t)
  const shape = t.shape.map((d, i) => (i === a ? idx.length : d))
  const out = new Float64Array(sizeOf(shape))
  eachTaken(t.shape, a, idx, (dst, src) => (out[dst] = x[src]!))
  return internal.make(out, shape)
}

/**
 * The adjoint of `take`: each slice of `u` along `axis` added into position
 * `indices[j]` of zeros with `length` along that axis (repeated indices add up, as
 * tangents add).
 *
 * @example
 * import { Tensor } from 'ad-ts'
 * import { scatterAdd } from 'ad-ts/internal'
 * Tensor.toArray(scatterAdd(Tensor.fromArray([1, 2, 3]), [2, 0, 2], 0, 3)) // => [2, 0, 4]
 *
 * @category combinators
 * @since 0.2.0
 */
export const scatterAdd = (
  u: Tensor,
  indices: ReadonlyArray<number>,
  axis: number,
  length: number,
): Tensor => {
  const a = normaliseAxis('scatterAdd', axis, u.shape.length)
  const idx = takeIndices('scatterAdd', indices, length)
  if (idx.length !== u.shape[a]) {
    throw new Error(
      `scatterAdd: ${idx.length} indices for an axis of length ${u.shape[a]} in ${showShape(u.shape)}`,
    )
  }
  const shape = u.shape.map((d, i) => (i === a ? length : d))
  const x = internal.data(u)
  const out = new Float64Array(sizeOf(shape))
  // out is this call's fresh buffer; positions taken twice add as tangents do.
  eachTaken(shape, a, idx, (src, dst) => (out[dst] = tangentAdd(out[dst]!, x[src]!)))
  return internal.make(out, shape)
}

/**
 * Tensors joined along an axis (numpy's `concatenate`), in one output buffer; their
 * other axes must agree.
 *
 * @example
 * import { Tensor } from 'ad-ts'
 * import { concat } from 'ad-ts/internal'
 * Tensor.toArray(concat([Tensor.fromArray([[1], [2]]), Tensor.fromArray([[3], [4]])], 1)) // => [[1, 3], [2, 4]]
 *
 * @category combinators
 * @since 0.2.0
 */
export const concat = (ts: ReadonlyArray<Tensor>, axis = 0): Tensor => {
  if (ts.length === 0) throw new Error('concat: expected at least one value, got none')
  const shape = ts.slice(1).reduce((s, t) => concatShape(s, t.shape, axis), ts[0]!.shape)
  const k = normaliseAxis('concat', axis, shape.length)
  const out = new Float64Array(sizeOf(shape))
  const start = shape.map(() => 0)
  for (const t of ts) {
    const x = internal.data(t)
    eachRun(shape, t.shape, start, (i, j, w) => copyRun(x, i, out, j, w))
    start[k] = start[k]! + t.shape[k]!
  }
  return internal.make(out, shape)
}

/** The shape of two shapes joined along an axis; throws naming both when they cannot be. */
const concatShape = (a: Shape, b: Shape, axis: number): Shape => {
  if (a.length === 0 || a.length !== b.length) {
    throw new Error(
      `concat: cannot join ${showShape(a)} and ${showShape(b)}; expected tensors of one rank ≥ 1`,
    )
  }
  const k = normaliseAxis('concat', axis, a.length)
  if (a.some((d, i) => i !== k && d !== b[i])) {
    throw new Error(
      `concat: cannot join ${showShape(a)} and ${showShape(b)} along axis ${k}; the other axes must agree`,
    )
  }
  return a.map((d, i) => (i === k ? d + b[i]! : d))
}
