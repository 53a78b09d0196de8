/**
 * `batches`: the mini-batches of an epoch over a tree of Tensors (`{ x, y }`, or any
 * tree), every leaf cut along axis 0 at the same rows, in data order or in a seeded
 * shuffled order.
 *
 * @since 0.5.0
 */
import { take } from '../tensor/indexing.js'
import { isTensor, showShape, type Tensor } from '../tensor/Tensor.js'
import { leafPathsOf, leavesOf, withLeaves, type Tree } from '../tree.js'
import { showValue } from '../util/show.js'
import { shuffle } from './shuffle.js'

/**
 * How the rows of an epoch become batches.
 *
 * @category model
 * @since 0.5.0
 */
export interface BatchOptions {
  /** Rows per batch, a positive integer; the last batch may be smaller (see `dropLast`). */
  readonly batchSize: number
  /** With a seed (an integer), rows come in the order of `shuffle(seed)`; without, in data order. */
  readonly seed?: number | undefined
  /** Leave out the last batch when it is smaller than `batchSize` (default false). */
  readonly dropLast?: boolean | undefined
}

const where = (path: string): string => (path === '' ? 'the tree' : `the leaf at ${path}`)

/** The number of rows every leaf has; throws naming the leaf that differs. */
const rowCount = (leaves: ReadonlyArray<unknown>, paths: ReadonlyArray<string>): number => {
  if (leaves.length === 0) throw new Error('batches: the tree has no leaves; expected Tensors')
  let rows = -1
  leaves.forEach((leaf, i) => {
    if (!isTensor(leaf)) {
      throw new Error(`batches: ${where(paths[i]!)} is ${showValue(leaf)}; expected a Tensor`)
    }
    if (leaf.shape.length === 0) {
      throw new Error(`batches: ${where(paths[i]!)} has shape []; expected a leading axis of rows`)
    }
    const n = leaf.shape[0]!
    if (rows === -1) rows = n
    else if (n !== rows) {
      throw new Error(
        `batches: ${where(paths[i]!)} has ${n} rows (shape ${showShape(leaf.shape)}) but ${where(paths[0]!)} has ${rows}; every leaf needs the same length along axis 0`,
      )
    }
  })
  return rows
}

/**
 * The mini-batches of one pass over a tree of Tensors: trees of the same structure whose
 * every leaf holds the same `batchSize` rows (along axis 0) of the corresponding leaf.
 * With a `seed`, the rows come in the order of `shuffle(seed)(n)`, so each row appears in
 * exactly one batch; pass a different seed each epoch (`seed: epoch`) for a new order.
 * The result is an iterable that can be walked again and gives the same batches each
 * time; the input is never changed.
 *
 * Throws an `Error` (when called) for a `batchSize` that is not a positive integer, a
 * seed that is not an integer, a tree without leaves, a leaf that is not a Tensor or has
 * rank 0, and leaves of different lengths along axis 0 (naming both leaves and lengths).
 *
 * @example
 * import { batches, Tensor } from 'ad-ts'
 * const data = { x: Tensor.fromArray([[0], [1], [2], [3], [4]]), y: Tensor.fromArray([0, 1, 2, 3, 4]) }
 * [...batches(data, { batchSize: 2 })].map((b) => Tensor.toArray(b.y)) // => [[0, 1], [2, 3], [4]]
 * [...batches(data, { batchSize: 2, dropLast: true })].length // => 2
 * const shuffled = [...batches(data, { batchSize: 2, seed: 1 })]
 * shuffled.map((b) => Tensor.toArray(b.y)) // => [[4, 2], [1, 0], [3]]
 * shuffled.map((b) => Tensor.toArray2(b.x).flat()) // => [[4, 2], [1, 0], [3]]
 *
 * @category combinators
 * @since 0.5.0
 */
export const batches = <P extends Tree<Tensor>>(tree: P, options: BatchOptions): Iterable<P> => {
  const { batchSize, seed, dropLast = false } = options
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new Error(`batches: batchSize is ${showValue(batchSize)}; expected a positive integer`)
  }
  if (seed !== undefined && !Number.isSafeInteger(seed)) {
    throw new Error(`batches: seed is ${showValue(seed)}; expected an integer`)
  }
  const leaves = leavesOf<unknown>(tree) as Tensor[]
  const rows = rowCount(leaves, leafPathsOf(tree))
  const order = seed === undefined ? Array.from({ length: rows }, (_, i) => i) : shuffle(seed)(rows)
  const end = dropLast ? rows - (rows % batchSize) : rows
  return {
    *[Symbol.iterator]() {
      for (let start = 0; start < end; start += batchSize) {
        const picked = order.slice(start, Math.min(start + batchSize, end))
        yield withLeaves(
          tree,
          leaves.map((t) => take(t, picked, 0)),
        ) as P
      }
    },
  }
}
