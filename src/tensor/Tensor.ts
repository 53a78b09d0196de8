/**
 * `Tensor`: immutable, row-major arrays of float64 with a shape (`[]`, `[n]`,
 * `[m, n]`, or any rank).
 *
 * Immutability is enforced, not promised: the backing `Float64Array` lives in a
 * private class field that no caller can reach. `fromArray` copies its input (a typed
 * array handed in may change afterwards without affecting the tensor) and every way
 * out (`toArray`, `toFlat`) copies too. The cost is one O(size) copy at each boundary;
 * operations inside the library share buffers freely because nothing can write them.
 *
 * @since 0.1.0
 */
import { showValue } from '../util/show.js'

interface Unsafe {
  /** Every element, row-major (a uniform tensor's one value is spread into a fresh buffer). */
  readonly data: (t: Tensor) => Float64Array
  /** The stored buffer: every element, or one value for a uniform tensor. */
  readonly raw: (t: Tensor) => Float64Array
  readonly make: (data: Float64Array, shape: ReadonlyArray<number>) => Tensor
  /** A tensor of `shape` whose every element is `value`, stored as that one value. */
  readonly uniform: (value: number, shape: ReadonlyArray<number>) => Tensor
}

// Assigned exactly once, by Tensor's static block below, before any export is used.
let unsafe: Unsafe

/**
 * An immutable tensor. Its data can only be read through the functions of this module.
 *
 * @example
 * import { Tensor } from 'ad-ts'
 * const t = Tensor.fromArray([[1, 2], [3, 4]])
 * Tensor.shape(t) // => [2, 2]
 * Tensor.toArray(t) // => [[1, 2], [3, 4]]
 *
 * @category model
 * @since 0.1.0
 */
export class Tensor {
  // Every element in row-major order, or, for a uniform tensor (a broadcast scalar, the
  // cotangent of a sum), its one value: a representation for speed that no caller can
  // tell apart from the spread buffer, since `data` spreads it on the way out.
  readonly #data: Float64Array
  /** The shape: `[]` for a scalar, `[n]` for a vector, `[m, n]` for a matrix. */
  readonly shape: ReadonlyArray<number>

  private constructor(data: Float64Array, shape: ReadonlyArray<number>) {
    this.#data = data
    this.shape = Object.freeze([...shape])
    Object.freeze(this)
  }

  static {
    // The one door to the private buffer, for the library's own kernels.
    unsafe = {
      data: (t) =>
        // Only a one-value buffer can be a uniform tensor's; spread it unless size is 1.
        t.#data.length !== 1 || sizeOf(t.shape) === 1
          ? t.#data
          : new Float64Array(sizeOf(t.shape)).fill(t.#data[0]!),
      raw: (t) => t.#data,
      make: (data, shape) => new Tensor(data, shape),
      uniform: (value, shape) => new Tensor(Float64Array.of(value), shape),
    }
  }

  /**
   * A tensor from nested arrays, or from a flat array or typed array and a shape
   * (copied).
   *
   * @example
   * import { Tensor } from 'ad-ts'
   * Tensor.shape(Tensor.fromArray([[1, 2, 3], [4, 5, 6]])) // => [2, 3]
   * Tensor.toArray(Tensor.fromArray([1, 2, 3, 4], [2, 2])) // => [[1, 2], [3, 4]]
   */
  static fromArray(data: Nested | ArrayLike<number>, shape?: ReadonlyArray<number>): Tensor {
    return fromArray(data, shape)
  }

  /**
   * Nested plain arrays of the tensor's shape; a number for shape `[]` (a copy).
   *
   * @example
   * import { Tensor } from 'ad-ts'
   * Tensor.toArray(Tensor.fromArray([[1, 2], [3, 4]])) // => [[1, 2], [3, 4]]
   */
  static toArray(t: Tensor): Nested {
    return toArray(t)
  }

  /**
   * The elements of a vector (shape `[n]`) as a plain array (a copy); throws an `Error`
   * naming the shape for any other rank.
   *
   * @example
   * import { Tensor } from 'ad-ts'
   * Tensor.toArray1(Tensor.fromArray([1, 2, 3])) // => [1, 2, 3]
   */
  static toArray1(t: Tensor): number[] {
    return toArray1(t)
  }

  /**
   * The rows of a matrix (shape `[m, n]`) as plain arrays (a copy); throws an `Error`
   * naming the shape for any other rank.
   *
   * @example
   * import { Tensor } from 'ad-ts'
   * Tensor.toArray2(Tensor.fromArray([[1, 2], [3, 4]])) // => [[1, 2], [3, 4]]
   */
  static toArray2(t: Tensor): number[][] {
    return toArray2(t)
  }

  /**
   * The shape of a tensor.
   *
   * @example
   * import { Tensor } from 'ad-ts'
   * Tensor.shape(Tensor.fromArray([1, 2, 3])) // => [3]
   */
  static shape(t: Tensor): ReadonlyArray<number> {
    return t.shape
  }

  /**
   * The number of elements of a tensor.
   *
   * @example
   * import { Tensor } from 'ad-ts'
   * Tensor.size(Tensor.fromArray([[1, 2], [3, 4]])) // => 4
   */
  static size(t: Tensor): number {
    return sizeOf(t.shape)
  }

  /**
   * The elements in row-major order, as a fresh `Float64Array`.
   *
   * @example
   * import { Tensor } from 'ad-ts'
   * Array.from(Tensor.toFlat(Tensor.fromArray([[1, 2], [3, 4]]))) // => [1, 2, 3, 4]
   */
  static toFlat(t: Tensor): Float64Array {
    return toFlat(t)
  }

  /**
   * The element at a multi-index.
   *
   * @example
   * import { Tensor } from 'ad-ts'
   * Tensor.get(Tensor.fromArray([[1, 2], [3, 4]]), 1, 0) // => 3
   */
  static get(t: Tensor, ...index: ReadonlyArray<number>): number {
    return get(t, ...index)
  }

  /**
   * A tensor of shape `[]` holding one number.
   *
   * @example
   * import { Tensor } from 'ad-ts'
   * Tensor.toArray(Tensor.scalar(3)) // => 3
   */
  static scalar(x: number): Tensor {
    return scalar(x)
  }

  /**
   * A tensor of the given shape filled with one value.
   *
   * @example
   * import { Tensor } from 'ad-ts'
   * Tensor.toArray(Tensor.fill([2], 7)) // => [7, 7]
   */
  static fill(shape: ReadonlyArray<number>, value: number): Tensor {
    return fill(shape, value)
  }

  /**
   * The n×n identity matrix.
   *
   * @example
   * import { Tensor } from 'ad-ts'
   * Tensor.toArray(Tensor.eye(2)) // => [[1, 0], [0, 1]]
   */
  static eye(n: number): Tensor {
    return eye(n)
  }

  /**
   * Whether a value is a tensor.
   *
   * @example
   * import { Tensor } from 'ad-ts'
   * Tensor.isTensor(Tensor.scalar(1)) // => true
   * Tensor.isTensor([1]) // => false
   */
  static isTensor(x: unknown): x is Tensor {
    return x instanceof Tensor
  }

  /**
   * Prints a shape as a bracketed list.
   *
   * @example
   * import { Tensor } from 'ad-ts'
   * Tensor.showShape([2, 3]) // => '[2,3]'
   */
  static showShape(shape: ReadonlyArray<number>): string {
    return showShape(shape)
  }

  /**
   * `Tensor([2,3])`: the shape, for messages and the console.
   *
   * @example
   * import { Tensor } from 'ad-ts'
   * String(Tensor.fromArray([1, 2])) // => 'Tensor([2])'
   */
  toString(): string {
    return `Tensor(${showShape(this.shape)})`
  }
}

/**
 * The buffer of a tensor, never to be written, and a tensor over a buffer that the
 * caller gives up (it must not be written afterwards either). For the library's own
 * kernels only.
 *
 * @internal
 */
export const internal: Unsafe = {
  data: (t) => unsafe.data(t),
  raw: (t) => unsafe.raw(t),
  make: (data, shape) => unsafe.make(data, shape),
  uniform: (value, shape) => unsafe.uniform(value, shape),
}

/**
 * Prints a shape as a bracketed list: `[2,3]`.
 *
 * @category utils
 * @since 0.1.0
 */
export const showShape = (shape: ReadonlyArray<number>): string => `[${shape.join(',')}]`

/**
 * The number of elements of a shape (1 for `[]`).
 *
 * @category utils
 * @since 0.1.0
 */
export const sizeOf = (shape: ReadonlyArray<number>): number => shape.reduce((a, b) => a * b, 1)

/**
 * Whether a value is a `Tensor`.
 *
 * @category utils
 * @since 0.1.0
 */
export const isTensor = (x: unknown): x is Tensor => x instanceof Tensor

/**
 * A number, or nested arrays of numbers (the plain form of a tensor).
 *
 * @category model
 * @since 0.1.0
 */
export type Nested = number | ReadonlyArray<Nested>

/** Throws unless every length is a non-negative integer, naming the constructor called. */
const checkShape = (op: string, shape: ReadonlyArray<number>): void => {
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new Error(`${op}: shape ${showValue(shape)} must hold non-negative integers`)
    }
  }
}

/**
 * The error for nested arrays given with a shape, made only where the data fail (at a
 * length or an element), so that flat data pay no extra pass.
 */
const nestedWithShape = (data: Nested, shape: ReadonlyArray<number>): Error =>
  new Error(
    `Tensor.fromArray: with a shape, data is a flat array of ${sizeOf(shape)} numbers for shape ${showShape(shape)}; got nested arrays (of shape ${showShape(nestedShape(data))}): pass them without a shape, or flatten them`,
  )

/** The shape of a nested array, read along its first elements; checked afterwards. */
const nestedShape = (data: Nested): number[] => {
  const shape: number[] = []
  let x: Nested = data
  while (Array.isArray(x)) {
    shape.push(x.length)
    if (x.length === 0) break
    x = (x as ReadonlyArray<Nested>)[0]!
  }
  return shape
}

/** Flattens a nested array of the given shape row-major, iteratively, checking as it goes. */
const flattenNested = (data: Nested, shape: ReadonlyArray<number>): Float64Array => {
  const out = new Float64Array(sizeOf(shape))
  let k = 0
  const stack: Array<readonly [Nested, number, string]> = [[data, 0, '']]
  while (stack.length > 0) {
    const [x, depth, path] = stack.pop()!
    if (depth === shape.length) {
      if (typeof x !== 'number') {
        throw new Error(
          `Tensor.fromArray: element ${path || '(top)'} must be a number, got ${showValue(x)}`,
        )
      }
      out[k++] = x
      continue
    }
    if (!Array.isArray(x) || x.length !== shape[depth]) {
      throw new Error(
        `Tensor.fromArray: ragged array: element ${path || '(top)'} should be an array of length ${shape[depth]}, got ${Array.isArray(x) ? `length ${x.length}` : showValue(x)}`,
      )
    }
    for (let i = x.length - 1; i >= 0; i--)
      stack.push([(x as ReadonlyArray<Nested>)[i]!, depth + 1, `${path}[${i}]`])
  }
  return out
}

/**
 * A tensor from nested arrays (`fromArray([[1, 2], [3, 4]])`, shape `[2, 2]`; a number
 * gives shape `[]`), or from a flat array or typed array and a shape
 * (`fromArray([1, 2, 3, 4], [2, 2])`). The data is copied.
 *
 * @example
 * import { Tensor } from 'ad-ts'
 * Tensor.shape(Tensor.fromArray([[1, 2, 3], [4, 5, 6]])) // => [2, 3]
 * Tensor.toArray(Tensor.fromArray([1, 2, 3, 4], [2, 2])) // => [[1, 2], [3, 4]]
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromArray = (
  data: Nested | ArrayLike<number>,
  shape?: ReadonlyArray<number>,
): Tensor => {
  if (shape === undefined) {
    if (typeof data !== 'number' && !Array.isArray(data)) {
      throw new Error('Tensor.fromArray: a typed array needs a shape: fromArray(data, shape)')
    }
    const s = nestedShape(data as Nested)
    return internal.make(flattenNested(data as Nested, s), s)
  }
  checkShape('Tensor.fromArray', shape)
  const n = sizeOf(shape)
  if (typeof data === 'number' || data.length !== n) {
    if (Array.isArray(data) && Array.isArray(data[0])) throw nestedWithShape(data as Nested, shape)
    const got = typeof data === 'number' ? '1 number' : `${data.length} elements`
    throw new Error(`Tensor.fromArray: shape ${showShape(shape)} needs ${n} elements, got ${got}`)
  }
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const v = (data as ArrayLike<unknown>)[i]
    if (typeof v !== 'number') {
      if (Array.isArray(v)) throw nestedWithShape(data as Nested, shape)
      throw new Error(`Tensor.fromArray: element ${i} must be a number, got ${showValue(v)}`)
    }
    out[i] = v
  }
  return internal.make(out, shape)
}

/**
 * A tensor of shape `[]` holding one number.
 *
 * @example
 * import { Tensor } from 'ad-ts'
 * Tensor.toArray(Tensor.scalar(3)) // => 3
 *
 * @category constructors
 * @since 0.1.0
 */
export const scalar = (x: number): Tensor => internal.make(Float64Array.of(x), [])

/**
 * A tensor of the given shape filled with one value.
 *
 * @example
 * import { Tensor } from 'ad-ts'
 * Tensor.toArray(Tensor.fill([2], 7)) // => [7, 7]
 *
 * @category constructors
 * @since 0.1.0
 */
export const fill = (shape: ReadonlyArray<number>, value: number): Tensor => {
  checkShape('Tensor.fill', shape)
  return internal.make(new Float64Array(sizeOf(shape)).fill(value), shape)
}

/**
 * The n×n identity matrix.
 *
 * @example
 * import { Tensor } from 'ad-ts'
 * Tensor.toArray(Tensor.eye(2)) // => [[1, 0], [0, 1]]
 *
 * @category constructors
 * @since 0.5.0
 */
export const eye = (n: number): Tensor => {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new Error(`Tensor.eye: n = ${showValue(n)} must be a non-negative integer`)
  }
  const out = new Float64Array(n * n)
  for (let i = 0; i < n; i++) out[i * n + i] = 1
  return internal.make(out, [n, n])
}

/**
 * The shape of a tensor.
 *
 * @category utils
 * @since 0.1.0
 */
export const shape = (t: Tensor): ReadonlyArray<number> => t.shape

/**
 * The number of elements of a tensor.
 *
 * @category utils
 * @since 0.1.0
 */
export const size = (t: Tensor): number => sizeOf(t.shape)

/**
 * The elements in row-major order, as a fresh `Float64Array`.
 *
 * @category utils
 * @since 0.1.0
 */
export const toFlat = (t: Tensor): Float64Array => internal.data(t).slice()

/**
 * Nested plain arrays of the tensor's shape; a number for shape `[]`.
 *
 * @example
 * import { Tensor } from 'ad-ts'
 * Tensor.toArray(Tensor.fromArray([[1, 2], [3, 4]])) // => [[1, 2], [3, 4]]
 *
 * @category utils
 * @since 0.1.0
 */
export const toArray = (t: Tensor): Nested => {
  const data = internal.data(t)
  const dims = t.shape
  if (dims.length === 0) return data[0]!
  // Build rows bottom-up: first the innermost arrays, then group them dimension by dimension.
  const last = dims[dims.length - 1]!
  let level: Nested[] = []
  for (let i = 0; i < data.length; i += last) level.push(Array.from(data.subarray(i, i + last)))
  if (last === 0) level = Array.from({ length: sizeOf(dims.slice(0, -1)) }, () => [])
  for (let d = dims.length - 2; d >= 0; d--) {
    const k = dims[d]!
    const next: Nested[] = []
    for (let i = 0; i < level.length; i += k) next.push(level.slice(i, i + k))
    level = next
  }
  return level[0] ?? []
}

const requireRank = (op: string, t: Tensor, rank: number, expected: string): void => {
  if (t.shape.length !== rank) {
    throw new Error(
      `${op}: expected a tensor of rank ${rank} (shape ${expected}), got shape ${showShape(t.shape)}`,
    )
  }
}

/**
 * The elements of a vector as a plain array: `toArray` typed for rank 1. Throws an
 * `Error` naming the shape unless it is `[n]`.
 *
 * @example
 * import { Tensor } from 'ad-ts'
 * Tensor.toArray1(Tensor.fromArray([1, 2, 3])) // => [1, 2, 3]
 *
 * @category utils
 * @since 0.5.0
 */
export const toArray1 = (t: Tensor): number[] => {
  requireRank('Tensor.toArray1', t, 1, '[n]')
  return Array.from(internal.data(t))
}

/**
 * The rows of a matrix as plain arrays: `toArray` typed for rank 2. Throws an `Error`
 * naming the shape unless it is `[m, n]`.
 *
 * @example
 * import { Tensor } from 'ad-ts'
 * Tensor.toArray2(Tensor.fromArray([[1, 2], [3, 4]])) // => [[1, 2], [3, 4]]
 *
 * @category utils
 * @since 0.5.0
 */
export const toArray2 = (t: Tensor): number[][] => {
  requireRank('Tensor.toArray2', t, 2, '[m, n]')
  const [m, n] = t.shape as readonly [number, number]
  const data = internal.data(t)
  return Array.from({ length: m }, (_, i) => Array.from(data.subarray(i * n, (i + 1) * n)))
}

/**
 * The element at a multi-index.
 *
 * @example
 * import { Tensor } from 'ad-ts'
 * Tensor.get(Tensor.fromArray([[1, 2], [3, 4]]), 1, 0) // => 3
 *
 * @category utils
 * @since 0.1.0
 */
export const get = (t: Tensor, ...index: ReadonlyArray<number>): number => {
  const dims = t.shape
  if (
    index.length !== dims.length ||
    index.some((k, d) => !Number.isInteger(k) || k < 0 || k >= dims[d]!)
  ) {
    throw new Error(`Tensor.get: index ${showValue(index)} is outside shape ${showShape(dims)}`)
  }
  let flat = 0
  for (let d = 0; d < dims.length; d++) flat = flat * dims[d]! + index[d]!
  return internal.data(t)[flat]!
}
