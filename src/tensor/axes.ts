/**
 * Axis arguments of reductions, numpy's way: one axis or several, a negative one
 * counting from the end, none meaning every axis; `keepDims` keeps each reduced axis
 * with length 1.
 *
 * @since 0.2.0
 */
import { showValue } from '../util/show.js'

/**
 * Options of a reduction: the axes to reduce (default all) and whether to keep them
 * with length 1 (default false).
 *
 * @category model
 * @since 0.2.0
 */
export interface ReduceOptions {
  /** The axis or axes to reduce; negative counts from the end; default every axis. */
  readonly axis?: number | ReadonlyArray<number>
  /** Keep each reduced axis with length 1 (numpy's keepdims); default false. */
  readonly keepDims?: boolean
}

/**
 * One axis, checked and made non-negative; throws naming the op, the axis and the rank.
 *
 * @example
 * import { normaliseAxis } from 'ad-ts/internal'
 * normaliseAxis('softmax', -1, 2) // => 1
 *
 * @category utils
 * @since 0.2.0
 */
export const normaliseAxis = (op: string, axis: number, rank: number): number => {
  if (rank === 0) {
    throw new Error(`${op}: axis ${showValue(axis)} given, but a tensor of rank 0 has no axes`)
  }
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new Error(
      `${op}: axis ${showValue(axis)} is out of range for a tensor of rank ${rank}; expected an integer in [${-rank}, ${rank - 1}]`,
    )
  }
  return axis < 0 ? axis + rank : axis
}

/**
 * The reduced axes, sorted and non-negative; throws on an axis out of range or repeated.
 *
 * @example
 * import { reducedAxes } from 'ad-ts/internal'
 * reducedAxes('sum', [2, 3], { axis: -1 }) // => [1]
 * reducedAxes('sum', [2, 3], {}) // => [0, 1]
 *
 * @category utils
 * @since 0.2.0
 */
export const reducedAxes = (
  op: string,
  shape: ReadonlyArray<number>,
  options: ReduceOptions = {},
): ReadonlyArray<number> => {
  const rank = shape.length
  if (options.axis === undefined) return shape.map((_, i) => i)
  const given = typeof options.axis === 'number' ? [options.axis] : options.axis
  const axes = given.map((a) => normaliseAxis(op, a, rank))
  const seen = new Set<number>()
  for (const a of axes) {
    if (seen.has(a)) {
      throw new Error(`${op}: axis ${a} is repeated in ${showValue(given)}; expected distinct axes`)
    }
    seen.add(a)
  }
  return [...axes].sort((a, b) => a - b)
}

/**
 * The shape with each reduced axis kept as 1.
 *
 * @example
 * import { keptShape } from 'ad-ts/internal'
 * keptShape([2, 3, 4], [1]) // => [2, 1, 4]
 *
 * @category utils
 * @since 0.2.0
 */
export const keptShape = (
  shape: ReadonlyArray<number>,
  axes: ReadonlyArray<number>,
): ReadonlyArray<number> => shape.map((d, i) => (axes.includes(i) ? 1 : d))

/**
 * The shape of a reduction's result.
 *
 * @example
 * import { reducedShape } from 'ad-ts/internal'
 * reducedShape([2, 3, 4], [1], false) // => [2, 4]
 *
 * @category utils
 * @since 0.2.0
 */
export const reducedShape = (
  shape: ReadonlyArray<number>,
  axes: ReadonlyArray<number>,
  keepDims: boolean,
): ReadonlyArray<number> =>
  keepDims ? keptShape(shape, axes) : shape.filter((_, i) => !axes.includes(i))

/**
 * The number of elements a reduction combines into each result.
 *
 * @example
 * import { reducedCount } from 'ad-ts/internal'
 * reducedCount([2, 3, 4], [0, 2]) // => 8
 *
 * @category utils
 * @since 0.2.0
 */
export const reducedCount = (shape: ReadonlyArray<number>, axes: ReadonlyArray<number>): number =>
  axes.reduce((n, a) => n * shape[a]!, 1)
