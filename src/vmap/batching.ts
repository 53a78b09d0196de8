/**
 * The batching instance behind `vmap`: a `Tensorial<Batched<A>>` over any base, whose
 * values carry the mapped axis in front (or no mapped axis: a value every example
 * shares). Every op is one batched op of the base (its batching rule): elementwise ops
 * align example ranks and broadcast, reductions and indexing shift their axes past the
 * batch axis, products and linear algebra treat it as one more batch axis.
 *
 * @since 0.5.0
 */
import { withReductions, type TensorialCore } from '../backend/reductions.js'
import { floatingFrom } from '../ops/lifting.js'
import type { Primitive } from '../ops/primitive.js'
import { normaliseAxis, reducedAxes, type ReduceOptions } from '../tensor/axes.js'
import { showShape } from '../tensor/Tensor.js'
import type { Tensorial } from '../Tensorial.js'
import { leavesOf, withLeaves, type Tree } from '../tree.js'

/**
 * A value under `vmap`: the base value, and whether its first axis is the mapped axis.
 *
 * @example
 * import { Batched, Tensor } from 'ad-ts'
 * new Batched(Tensor.fromArray([[1, 2], [3, 4]]), true).mapped // => true
 *
 * @category model
 * @since 0.5.0
 */
export class Batched<A> {
  constructor(
    /** The base value: `[n, ...example]` when mapped, else the example shape. */
    readonly value: A,
    /** Whether the first axis of `value` is the mapped axis. */
    readonly mapped: boolean,
  ) {}
}

const ones = (k: number): number[] => Array.from({ length: Math.max(0, k) }, () => 1)

/**
 * The batching instance over T for a mapped axis of length n. `batchRow` gives the
 * batched form of a row without a kernel (customJvp, customVjp): its functions mapped.
 */
export const batching = <A>(
  T: Tensorial<A>,
  n: number,
  batchRow: (row: Primitive) => Primitive,
): Tensorial<Batched<A>> => {
  const lift = (a: A) => new Batched(a, false)
  const mapped = (a: A) => new Batched(a, true)
  const exShape = (x: Batched<A>): ReadonlyArray<number> =>
    x.mapped ? T.shape(x.value).slice(1) : T.shape(x.value)
  const exRank = (x: Batched<A>) => exShape(x).length
  // A mapped value with 1s inserted after the batch axis up to example rank r, so that it
  // broadcasts against an unmapped value as its example would.
  const atRank = (x: Batched<A>, r: number): A => {
    const s = exShape(x)
    return x.mapped && s.length < r ? T.reshape(x.value, [n, ...ones(r - s.length), ...s]) : x.value
  }
  const full = (x: Batched<A>): A =>
    x.mapped ? x.value : T.broadcastTo(x.value, [n, ...exShape(x)])
  const reshapeEx = (x: Batched<A>, s: ReadonlyArray<number>) =>
    new Batched(T.reshape(x.value, x.mapped ? [n, ...s] : s), x.mapped)
  const shifted = (op: string, x: Batched<A>, options?: ReduceOptions) => {
    const axes = reducedAxes(op, exShape(x), options).map((a) => a + 1)
    return { ...options, axis: axes }
  }
  const core: TensorialCore<Batched<A>> = {
    ...floatingFrom<Batched<A>>({
      zero: lift(T.zero),
      one: lift(T.one),
      fromNumber: (k) => lift(T.fromNumber(k)),
      toNumber: (x) => {
        if (x.mapped) {
          throw new Error(
            `vmap: toNumber of a mapped value (example shape ${showShape(exShape(x))}): control flow on mapped values cannot be batched; choose per element with where(cond, x, y)`,
          )
        }
        return T.toNumber(x.value)
      },
      unaryFor: (op) => (x) => new Batched(T.unary(op, x.value), x.mapped),
      binaryFor: (op) => (x, y) => {
        if (!x.mapped && !y.mapped) return lift(T.binary(op, x.value, y.value))
        const r = Math.max(exRank(x), exRank(y))
        return mapped(T.binary(op, atRank(x, r), atRank(y, r)))
      },
    }),
    sum: (x, options) => {
      if (!x.mapped) return lift(T.sum(x.value, options))
      const o = shifted('sum', x, options)
      return o.axis.length === 0 ? x : mapped(T.sum(x.value, o))
    },
    extremum: (x, which, options) => {
      if (!x.mapped) return lift(T.extremum(x.value, which, options))
      const o = shifted(which, x, options)
      return o.axis.length === 0 ? x : mapped(T.extremum(x.value, which, o))
    },
    broadcastTo: (x, shape) =>
      x.mapped
        ? mapped(T.broadcastTo(atRank(x, shape.length), [n, ...shape]))
        : lift(T.broadcastTo(x.value, shape)),
    slice: (x, begin, end) =>
      x.mapped
        ? mapped(T.slice(x.value, [0, ...begin], [n, ...end]))
        : lift(T.slice(x.value, begin, end)),
    pad: (x, shape, start) =>
      x.mapped
        ? mapped(T.pad(x.value, [n, ...shape], [0, ...start]))
        : lift(T.pad(x.value, shape, start)),
    take: (x, indices, axis = 0) =>
      x.mapped
        ? mapped(T.take(x.value, indices, normaliseAxis('take', axis, exRank(x)) + 1))
        : lift(T.take(x.value, indices, axis)),
    scatterAdd: (x, indices, axis, length) =>
      x.mapped
        ? mapped(
            T.scatterAdd(
              x.value,
              indices,
              normaliseAxis('scatterAdd', axis, exRank(x)) + 1,
              length,
            ),
          )
        : lift(T.scatterAdd(x.value, indices, axis, length)),
    concat: (xs, axis = 0) => {
      if (!xs.some((x) => x.mapped))
        return lift(
          T.concat(
            xs.map((x) => x.value),
            axis,
          ),
        )
      const a = normaliseAxis('concat', axis, exRank(xs[0]!))
      return mapped(T.concat(xs.map(full), a + 1))
    },
    dot: (x, y) => {
      if (!x.mapped && !y.mapped) return lift(T.dot(x.value, y.value))
      const sx = exShape(x)
      const sy = exShape(y)
      if (sx.length !== 1 || sy.length !== 1 || sx[0] !== sy[0]) {
        throw new Error(
          `dot: expected two vectors of one length, got ${showShape(sx)} and ${showShape(sy)}`,
        )
      }
      return mapped(T.sum(T.mul(atRank(x, 1), atRank(y, 1)), { axis: -1 }))
    },
    matmul: (a, b) => product(T.matmul, a, b),
    tangentMatmul: (a, b) => product(T.tangentMatmul, a, b),
    transpose: (x) => {
      const r = exRank(x)
      if (r < 2) return x
      if (r > 2) throw new Error(`transpose: expected rank 0, 1 or 2, got ${showShape(exShape(x))}`)
      return new Batched(x.mapped ? T.matrixTranspose(x.value) : T.transpose(x.value), x.mapped)
    },
    matrixTranspose: (x) => (exRank(x) < 2 ? x : new Batched(T.matrixTranspose(x.value), x.mapped)),
    reshape: (x, shape) => reshapeEx(x, shape),
    constant: (t) => lift(T.constant(t)),
    shape: exShape,
    unbroadcast: (g, like) =>
      !g.mapped && !like.mapped
        ? lift(T.unbroadcast(g.value, like.value))
        : fitTo(g, exShape(like)),
    apply: (row, x) => apply(row, x),
  }
  // x brought to the example shape s: broadcast up, or summed over the axes that
  // broadcasting added or stretched.
  const fitTo = (g: Batched<A>, s: ReadonlyArray<number>): Batched<A> => {
    const sg = exShape(g)
    if (sg.length === s.length && sg.every((d, i) => d === s[i])) return g
    const lead = sg.length - s.length
    if (lead < 0 || s.some((d, i) => d !== sg[lead + i] && d !== 1)) return self.broadcastTo(g, s)
    const axes = sg.flatMap((d, i) => (i < lead || (s[i - lead] === 1 && d !== 1) ? [i] : []))
    return reshapeEx(self.sum(g, { axis: axes, keepDims: true }), s)
  }
  const product = (f: (a: A, b: A) => A, x: Batched<A>, y: Batched<A>): Batched<A> => {
    if (!x.mapped && !y.mapped) return lift(f(x.value, y.value))
    const sx = exShape(x)
    const sy = exShape(y)
    if (sx.length === 0 || sy.length === 0 || (sx.length === 1 && sy.length === 1)) {
      throw new Error(`matmul: cannot multiply ${showShape(sx)} by ${showShape(sy)}`)
    }
    // Vectors as one-row and one-column matrices, squeezed out afterwards.
    const xm = sx.length === 1 ? reshapeEx(x, [1, sx[0]!]) : x
    const ym = sy.length === 1 ? reshapeEx(y, [sy[0]!, 1]) : y
    const r = Math.max(exRank(xm), exRank(ym))
    let out = f(atRank(xm, r), atRank(ym, r))
    const so = T.shape(out)
    if (sx.length === 1) out = T.reshape(out, [...so.slice(0, -2), so[so.length - 1]!])
    else if (sy.length === 1) out = T.reshape(out, so.slice(0, -1))
    return mapped(out)
  }
  const apply = (row: Primitive, x: Tree<Batched<A>>): Tree<Batched<A>> => {
    const xs = leavesOf(x)
    if (!xs.some((v) => v.mapped)) {
      const y = T.apply(
        row,
        withLeaves(
          x,
          xs.map((v) => v.value),
        ),
      )
      return withLeaves(y, leavesOf(y).map(lift))
    }
    if (row.mode === 'checkpoint') return row.primal(self)(x)
    const kernel = row.kernel
    if (kernel === undefined) {
      // A user's row: its functions mapped over every input (made whole).
      const y = T.apply(batchRow(row), withLeaves(x, xs.map(full)))
      return withLeaves(y, leavesOf(y).map(mapped))
    }
    // A kernel broadcasts leading batch axes: the mapped axis is one more, in front of
    // each operand's batch axes, all operands brought to one batch rank.
    const prefix = xs.map((v, i) => exRank(v) - kernel.coreRanks[i]!)
    const p = Math.max(...prefix)
    return mapped(
      T.apply(
        row,
        xs.map((v, i) => atRank(v, p + kernel.coreRanks[i]!)),
      ) as A,
    )
  }
  const self: Tensorial<Batched<A>> = withReductions<Batched<A>>(core)
  return self
}
