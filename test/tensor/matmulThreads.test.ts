/**
 * The SIMD product split over worker threads gives the same numbers bit for bit for
 * every thread count: each output element is one thread's sum, in p order from +0.
 */
import { describe, expect, test } from 'vitest'
import { textbookProduct } from '../helpers/textbookProduct.js'
import { workersReady } from '../../src/tensor/matmulThreads.js'
import { simdProduct, splitFrom } from '../../src/tensor/simdMatmul.js'

/** A [rows, cols] matrix stored transposed, as [cols, rows]. */
const transposed = (x: Float64Array, rows: number, cols: number) =>
  Float64Array.from({ length: rows * cols }, (_, q) => x[(q % rows) * cols + Math.floor(q / rows)]!)

const sameBits = (a: Float64Array, b: Float64Array) =>
  a.length === b.length && a.every((v, q) => Object.is(v, b[q]))

/** A seeded generator of values, a few of them ±0, ±Infinity or NaN. */
const values = (seed: number) => {
  let s = seed >>> 0
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
  const specials = [0, -0, Infinity, -Infinity, NaN]
  return (count: number) =>
    Float64Array.from({ length: count }, () =>
      next() < 0.01 ? specials[Math.floor(next() * specials.length)]! : 4 * next() - 2,
    )
}

describe('simdProduct on worker threads', () => {
  test('gives the same numbers bit for bit on 1, 2, 3 and 4 threads, at odd sizes and past a block of terms, either operand stored transposed', async (ctx) => {
    const draw = values(29)
    // A first product large enough to be split starts the workers.
    const first = draw(130 * 130)
    simdProduct(first, 0, first, 0, new Float64Array(130 * 130), 0, 130, 130, 130, {}, 4)
    if (!(await workersReady(4)))
      ctx.skip('worker threads with shared WebAssembly memory are unavailable here')
    const splitSizes = [
      [521, 65, 63],
      [1030, 70, 33],
    ] as const
    for (const [m, k, n] of splitSizes) expect(m * k * n).toBeGreaterThanOrEqual(splitFrom)
    for (const [m, k, n] of [
      [64, 64, 64],
      [65, 300, 33],
      [9, 257, 8],
      [129, 63, 7],
      [1000, 64, 12],
      // The sizes above are below splitFrom and run on the calling thread; these two are past it.
      ...splitSizes,
    ] as const) {
      const x = draw(m * k)
      const y = draw(k * n)
      const want = textbookProduct(x, y, m, k, n)
      const [xt, yt] = [transposed(x, m, k), transposed(y, k, n)]
      for (const threads of [1, 2, 3, 4]) {
        for (const [a, b, t] of [
          [x, y, {}],
          [xt, y, { a: true }],
          [x, yt, { b: true }],
          [xt, yt, { a: true, b: true }],
        ] as const) {
          const out = new Float64Array(m * n)
          expect(simdProduct(a, 0, b, 0, out, 0, m, k, n, t, threads)).toBe(true)
          const what = `[${m},${k}]·[${k},${n}] ${JSON.stringify(t)} on ${threads} threads`
          expect(sameBits(out, want), what).toBe(true)
        }
      }
    }
  })
})
