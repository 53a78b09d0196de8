/**
 * The batching instance behind `vmap`: a `Tensorial<Batched<A>>` over any base, whose
 * values carry the mapped axis in front (or no mapped axis: a value every example
 * shares). Every op is one batched op of the base (its batching rule): elementwise ops
 * align example ranks and broadcast, reductions and indexing shift their axes past the
 * batch axis, products and linear algebra treat it as one more batch axis.
 *
 * @since 0.5.0
 */
import { withComposites, type TensorialCore } from '../backend/composites.js'
import { floatingFrom } from '../ops/lifting.js'
import type { BatchContext, BatchValue } from '../ops/batchRule.js'
import type { Primitive } from '../ops/primitive.js'
import { structuralMethods, type StructuralName } from '../ops/structuralOps.js'
import { showShape } from '../tensor/Tensor.js'
import type { Tensorial } from '../Tensorial.js'
import { leavesOf, mapLeaves, withLeaves, type Tree } from '../tree.js'

/**
 * A value under `vmap`: the base value, and whether its first axis is the mapped axis.
 *
 * @example
 * import { Tensor, tensor, vmap, type Tensorial } from 'ad-ts'
 * // Inside vmap every value is a Batched: the rows of x are mapped, so the sum of each
 * // example is the sum of its row.
 * const total = <A>(T: Tensorial<A>) => (x: A) => T.sum(x)
 * Tensor.toArray(vmap(total)(tensor)(Tensor.fromArray([[1, 2], [3, 4]]))) // => [3, 7]
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
  // Each structural op by its row's batching rule.
  const context: BatchContext<A> = {
    T,
    get self() {
      return self
    },
    n,
    of: (value, isMapped) => new Batched(value, isMapped),
    exShape,
    atRank,
    full,
  }
  const structural = structuralMethods<BatchValue<A>, BatchValue<A>>({
    unary: (row) => row.batch(context),
    bilinear: (row) => row.batch(context),
    concat: (row) => row.batch(context),
    param: (v) => v,
    shape: (x) => context.exShape(x),
  }) as unknown as Pick<TensorialCore<Batched<A>>, StructuralName>
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
    ...structural,
    constant: (t) => lift(T.constant(t)),
    shape: exShape,
    apply: (row, x) => apply(row, x),
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
      return mapLeaves(y, lift)
    }
    if (row.mode === 'checkpoint') return row.primal(self)(x)
    const kernel = row.kernel
    if (kernel === undefined) {
      // A user's row: its functions mapped over every input (made whole).
      const y = T.apply(batchRow(row), withLeaves(x, xs.map(full)))
      return mapLeaves(y, mapped)
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
  const self: Tensorial<Batched<A>> = withComposites<Batched<A>>(core)
  return self
}
