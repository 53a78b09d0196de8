/**
 * `toBeClose`: one closeness matcher for numbers and nested arrays of numbers, using
 * the laws' `close` (relative and absolute tolerance, NaN equals NaN, infinities
 * equal only themselves). On failure it prints both sides in full.
 */
import { expect } from 'vitest'
import { close, type Tolerance } from '../../laws/index.js'
import { showValue } from '../../src/internal.js'

/** Walks two values in step; returns the path of the first difference, or undefined. */
const firstDifference = (a: unknown, b: unknown, t: Tolerance): string | undefined => {
  const stack: Array<readonly [unknown, unknown, string]> = [[a, b, '']]
  while (stack.length > 0) {
    const [x, y, path] = stack.pop()!
    if (typeof x === 'number' && typeof y === 'number') {
      if (!close(x, y, t)) return path || '(top)'
    } else if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) return `${path || '(top)'} (lengths ${x.length} and ${y.length})`
      x.forEach((xi, i) => stack.push([xi, y[i], `${path}[${i}]`]))
    } else return `${path || '(top)'} (a ${typeof x} and a ${typeof y})`
  }
  return undefined
}

expect.extend({
  toBeClose(received: unknown, expected: unknown, tolerance: Tolerance = {}) {
    const where = firstDifference(received, expected, { rel: 1e-9, abs: 1e-12, ...tolerance })
    return {
      pass: where === undefined,
      message: () =>
        `expected ${showValue(received)} ${where === undefined ? 'not ' : ''}to be close to ${showValue(expected)}` +
        (where === undefined ? '' : `; first difference at ${where}`),
    }
  },
})

declare module 'vitest' {
  interface Assertion<T> {
    toBeClose(expected: unknown, tolerance?: Tolerance): T
  }
  interface AsymmetricMatchersContaining {
    toBeClose(expected: unknown, tolerance?: Tolerance): unknown
  }
}
