/**
 * `shuffle`: a seeded permutation, the row order of a training epoch. The same seed and
 * length give the same permutation on every machine (mulberry32, integer arithmetic).
 *
 * @since 0.5.0
 */
import { mulberry32 } from '../tensor/random.js'
import { showValue } from '../util/show.js'

/**
 * A permutation of 0, 1, …, n − 1, fixed by an integer `seed`: a Fisher–Yates shuffle
 * driven by `mulberry32(seed)` (a fresh array each call). Curried so that one seed can
 * shuffle several lengths: `shuffle(epoch)(n)`.
 *
 * Throws an `Error` naming the value when `seed` is not an integer or `n` is not a
 * non-negative integer.
 *
 * @example
 * import { shuffle } from 'ad-ts'
 * [...shuffle(7)(5)].sort((a, b) => a - b) // => [0, 1, 2, 3, 4]
 * shuffle(7)(5) // => shuffle(7)(5)
 * shuffle(1)(0) // => []
 *
 * @category constructors
 * @since 0.5.0
 */
export const shuffle =
  (seed: number) =>
  (n: number): number[] => {
    if (!Number.isSafeInteger(seed)) {
      throw new Error(`shuffle: seed is ${showValue(seed)}; expected an integer`)
    }
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new Error(`shuffle: n is ${showValue(n)}; expected a non-negative integer`)
    }
    return Array.from(permutation(n, mulberry32(seed)))
  }

/**
 * 0, 1, …, n − 1 permuted by Fisher–Yates from the last position down, each swap drawn
 * from `next` (uniform in [0, 1)): the one shuffle of the trainer's epochs, splits and
 * batches and of `shuffle`.
 *
 * @category utils
 * @since 0.5.0
 */
export const permutation = (n: number, next: () => number): Int32Array => {
  // A fresh permutation, filled and shuffled here, then handed to the caller.
  const order = new Int32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    const t = order[i]!
    order[i] = order[j]!
    order[j] = t
  }
  return order
}
