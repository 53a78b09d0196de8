/**
 * Mini-batches: rows are taken in windows of consecutive rows, each window shuffled
 * with a seed (or kept in order), and the shuffled stream is cut into batches of a fixed
 * size. The order depends only on the rows, the window, the seed and the epoch, never
 * on how the rows arrive: a dataset held whole and the same rows read from a file in
 * chunks give the same batches, which is what lets a file larger than memory train.
 *
 * @since 0.4.0
 */
import { permutation } from '../data/shuffle.js'
import { mulberry32 } from '../tensor/random.js'
import { internal } from '../tensor/Tensor.js'
import type { Dataset } from './data.js'

/**
 * Rows shuffled together when `shuffleWindow` is not given: 65,536 (a window of 20
 * features takes 11 MB).
 *
 * @example
 * import { lr } from 'ad-ts'
 * lr.defaultShuffleWindow // => 65536
 *
 * @category utils
 * @since 0.4.0
 */
export const defaultShuffleWindow = 65_536

/**
 * How an epoch's rows become batches.
 *
 * @category model
 * @since 0.4.0
 */
export interface BatchOrder {
  /** Rows per batch (the last batch of an epoch may be smaller). */
  readonly batchSize: number
  /** Rows shuffled together (default `defaultShuffleWindow`). */
  readonly shuffleWindow?: number
  /** The seed of the shuffle; without one, rows stay in data order. */
  readonly shuffleSeed?: number
  /** The epoch, from 1: each epoch shuffles anew. */
  readonly epoch: number
}

/**
 * The order of the rows of window `index` (of `length` rows) in an epoch: a seeded
 * Fisher–Yates permutation (mulberry32), or the identity without a seed.
 *
 * @example
 * import { lr } from 'ad-ts'
 * Array.from(lr.windowOrder(4, undefined, 1, 0)) // => [0, 1, 2, 3]
 * Array.from(lr.windowOrder(4, 7, 1, 0)).sort() // => [0, 1, 2, 3]
 *
 * @category utils
 * @since 0.4.0
 */
export const windowOrder = (
  length: number,
  seed: number | undefined,
  epoch: number,
  index: number,
): Int32Array => {
  if (seed === undefined) return Int32Array.from({ length }, (_, i) => i)
  return permutation(
    length,
    mulberry32((Math.imul(seed, 1_000_003) + Math.imul(epoch, 7919) + index) | 0),
  )
}

/**
 * A re-batcher for one pass: `push` a chunk of rows (any size), get the batches it
 * completes; `end` gives the rest. Memory: one window and one batch of rows.
 *
 * @category utils
 * @since 0.4.0
 */
export interface Rebatcher {
  /** Takes the next rows; gives the batches they complete. */
  readonly push: (chunk: Dataset) => ReadonlyArray<Dataset>
  /** At the end of the pass: the last window's batches and the last, smaller batch. */
  readonly end: () => ReadonlyArray<Dataset>
}

/**
 * A re-batcher for rows of `width` columns (bias included) in the given order. Its
 * buffers belong to this one pass: every batch it hands out is a fresh copy.
 *
 * @example
 * import { lr, Tensor } from 'ad-ts'
 * const r = lr.rebatcher(3, { batchSize: 4, shuffleWindow: 5, epoch: 1 })
 * const data = lr.gen2dData({ n: 6, seed: 1 })
 * r.push(data).length // => 1
 * r.end().map((b) => Tensor.shape(b.y)[0]) // => [2]
 *
 * @category constructors
 * @since 0.4.0
 */
export const rebatcher = (width: number, order: BatchOrder): Rebatcher => {
  const b = order.batchSize
  const w = order.shuffleWindow ?? defaultShuffleWindow
  const wx = new Float64Array(w * width)
  const wy = new Float64Array(w)
  const bx = new Float64Array(b * width)
  const by = new Float64Array(b)
  let inWindow = 0
  let inBatch = 0
  let windows = 0
  const emit = (out: Dataset[], rows: number) => {
    out.push({
      x: internal.make(bx.slice(0, rows * width), [rows, width]),
      y: internal.make(by.slice(0, rows), [rows]),
    })
    inBatch = 0
  }
  const flushWindow = (out: Dataset[]) => {
    const idx = windowOrder(inWindow, order.shuffleSeed, order.epoch, windows++)
    for (const i of idx) {
      bx.set(wx.subarray(i * width, (i + 1) * width), inBatch * width)
      by[inBatch++] = wy[i]!
      if (inBatch === b) emit(out, b)
    }
    inWindow = 0
  }
  return {
    push: (chunk) => {
      const out: Dataset[] = []
      const x = internal.data(chunk.x)
      const y = internal.data(chunk.y)
      for (let i = 0; i < y.length; i++) {
        wx.set(x.subarray(i * width, (i + 1) * width), inWindow * width)
        wy[inWindow++] = y[i]!
        if (inWindow === w) flushWindow(out)
      }
      return out
    },
    end: () => {
      const out: Dataset[] = []
      if (inWindow > 0) flushWindow(out)
      if (inBatch > 0) emit(out, inBatch)
      return out
    },
  }
}

/**
 * The batches of an epoch of a dataset held whole.
 *
 * @example
 * import { lr, Tensor } from 'ad-ts'
 * const data = lr.gen2dData({ n: 10, seed: 1 })
 * const sizes = [...lr.batchesOf(data, { batchSize: 4, epoch: 1 })].map((b) => Tensor.shape(b.y)[0])
 * sizes // => [4, 4, 2]
 *
 * @category combinators
 * @since 0.4.0
 */
export function* batchesOf(data: Dataset, order: BatchOrder): Generator<Dataset> {
  const r = rebatcher(data.x.shape[1]!, order)
  yield* r.push(data)
  yield* r.end()
}
