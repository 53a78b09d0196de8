/**
 * Seeded random numbers: one documented generator (mulberry32), so the same seed gives
 * the same values on every machine, and seeded random tensors for initialising
 * parameters. Nothing here reads a clock or a global source of randomness.
 *
 * @since 0.2.0
 */
import { internal, type Tensor } from './Tensor.js'

/**
 * mulberry32, a 32-bit PRNG: the same seed gives the same stream on every machine
 * (integer arithmetic only). Returns a generator of doubles in [0, 1).
 *
 * @example
 * import { mulberry32 } from 'ad-ts/internal'
 * const next = mulberry32(1)
 * next() // => 0.6270739405881613
 * next() // => 0.002735721180215478
 * mulberry32(1)() // => 0.6270739405881613
 *
 * @category constructors
 * @since 0.1.0
 */
export const mulberry32 = (seed: number): (() => number) => {
  // The generator's state is local to the closure it returns: one stream per call.
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const sizeOfShape = (op: string, shape: ReadonlyArray<number>): number => {
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new Error(`${op}: expected a shape of non-negative integers, got [${shape.join(',')}]`)
  }
  return shape.reduce((a, b) => a * b, 1)
}

/**
 * A tensor of `shape` with elements uniform in [low, high) from mulberry32(seed).
 *
 * @example
 * import { Tensor, uniform } from 'ad-ts'
 * Tensor.shape(uniform([2, 3], { seed: 1 })) // => [2, 3]
 * Tensor.toArray(uniform([2], { seed: 7 })) // => [0.011704753153026104, 0.06195825757458806]
 *
 * @category constructors
 * @since 0.2.0
 */
export const uniform = (
  shape: ReadonlyArray<number>,
  options: { readonly seed: number; readonly low?: number; readonly high?: number },
): Tensor => {
  const { seed, low = 0, high = 1 } = options
  const next = mulberry32(seed)
  const out = new Float64Array(sizeOfShape('uniform', shape))
  // out is this call's fresh buffer.
  for (let i = 0; i < out.length; i++) out[i] = low + (high - low) * next()
  return internal.make(out, shape)
}

/**
 * A tensor of `shape` with normal elements (mean, standard deviation) from
 * mulberry32(seed), by the Box–Muller transform (Box and Muller, 1958).
 *
 * @example
 * import { normal, Tensor } from 'ad-ts'
 * Tensor.shape(normal([4], { seed: 3, std: 0.1 })) // => [4]
 *
 * @category constructors
 * @since 0.2.0
 */
export const normal = (
  shape: ReadonlyArray<number>,
  options: { readonly seed: number; readonly mean?: number; readonly std?: number },
): Tensor => {
  const { seed, mean = 0, std = 1 } = options
  const next = mulberry32(seed)
  const out = new Float64Array(sizeOfShape('normal', shape))
  for (let i = 0; i < out.length; i += 2) {
    // 1 − u lies in (0, 1], so its log is finite.
    const r = Math.sqrt(-2 * Math.log(1 - next()))
    const angle = 2 * Math.PI * next()
    out[i] = mean + std * r * Math.cos(angle)
    if (i + 1 < out.length) out[i + 1] = mean + std * r * Math.sin(angle)
  }
  return internal.make(out, shape)
}
