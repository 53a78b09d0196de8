/**
 * What kind of value a message is about, in words: a Tensor by its shape, an array or
 * an object by its size, anything else by its type. For errors that name a value's kind
 * rather than print it (`showValue` prints it).
 *
 * @since 0.5.0
 */
import { isTensor, showShape } from '../tensor/Tensor.js'

const plural = (k: number, noun: string): string => `${k} ${noun}${k === 1 ? '' : 's'}`

/**
 * The kind of a value, in words.
 *
 * @example
 * import { showKind } from 'ad-ts/internal'
 * showKind([1, 2]) // => 'an array of 2 elements'
 * showKind({ w: 1 }) // => 'an object of 1 field'
 * showKind(3) // => 'a number'
 *
 * @category utils
 * @since 0.5.0
 */
export const showKind = (value: unknown): string => {
  if (isTensor(value)) return `a Tensor of shape ${showShape(value.shape)}`
  if (Array.isArray(value)) return `an array of ${plural(value.length, 'element')}`
  if (value === null || value === undefined) return String(value)
  if (typeof value === 'object') return `an object of ${plural(Object.keys(value).length, 'field')}`
  return `a ${typeof value}`
}
