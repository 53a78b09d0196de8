/**
 * Every matrix-product kernel gives the plain triple loop's answer bit for bit: each
 * element the sum of its k products in the order p = 0, 1, … from +0, and for the
 * tangent product the strong-zero rules (a +0 factor skips the term; a zero sum that
 * took a term is −0). The references are written out here, one element at a time.
 */
import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { textbookProduct } from '../helpers/textbookProduct.js'
import {
  blockedProduct,
  matrixVector,
  product,
  vectorMatrix,
  tangentProduct,
} from '../../src/tensor/matmulKernel.js'
import { simdProduct } from '../../src/tensor/simdMatmul.js'
import type { Transposed } from '../../src/tensor/matmulKernel.js'

type Kernel = (
  x: Float64Array,
  xo: number,
  y: Float64Array,
  yo: number,
  out: Float64Array,
  oo: number,
  m: number,
  k: number,
  n: number,
  t?: Transposed,
) => void

/** The first element where two arrays differ as values (Object.is: −0 ≠ +0, NaN = NaN). */
const firstDifference = (got: Float64Array, want: Float64Array) => {
  for (let q = 0; q < want.length; q++)
    if (!Object.is(got[q], want[q])) return { index: q, got: got[q], want: want[q] }
  return got.length === want.length ? undefined : { length: got.length, want: want.length }
}

/** The `[r, c]` matrix `x` stored transposed, as `[c, r]`. */
const transposed = (x: Float64Array, r: number, c: number) => {
  const out = new Float64Array(x.length)
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = x[i * c + j]!
  return out
}

/**
 * Runs a kernel on operands placed at offsets, as a batch places them, each stored
 * transposed where `t` says so; the region written.
 */
const run = (
  kernel: Kernel,
  x: Float64Array,
  y: Float64Array,
  m: number,
  k: number,
  n: number,
  t: Transposed = {},
) => {
  const [xo, yo, oo] = [3, 5, 2]
  const xs = new Float64Array(xo + x.length + 1).fill(NaN)
  const ys = new Float64Array(yo + y.length + 1).fill(NaN)
  xs.set(t.a === true ? transposed(x, m, k) : x, xo)
  ys.set(t.b === true ? transposed(y, k, n) : y, yo)
  const out = new Float64Array(oo + m * n + 1)
  kernel(xs, xo, ys, yo, out, oo, m, k, n, t)
  expect([out[0], out[1], out[oo + m * n]]).toEqual([0, 0, 0])
  return out.subarray(oo, oo + m * n)
}

/** A seeded generator of values, a fraction of them ±0 or ±Infinity, NaN, tiny, huge. */
const values = (seed: number, special: number) => {
  let s = seed >>> 0
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
  const specials = [0, -0, 0, -0, Infinity, -Infinity, NaN, 5e-324, -1e-310, 1e300, -1e300]
  return (count: number) =>
    Float64Array.from({ length: count }, () =>
      next() < special ? specials[Math.floor(next() * specials.length)]! : 4 * next() - 2,
    )
}

const simd: Kernel = (...args) => {
  if (!simdProduct(...args)) throw new Error('WebAssembly SIMD is not available here')
}
const vector: Kernel = (x, xo, y, yo, out, oo, m, k, n) => {
  if (n !== 1) throw new Error('matrixVector takes n = 1')
  matrixVector(x, xo, y, yo, out, oo, m, k)
}

const row: Kernel = (x, xo, y, yo, out, oo, m, k, n) => {
  if (m !== 1) throw new Error('vectorMatrix takes m = 1')
  vectorMatrix(x, xo, y, yo, out, oo, k, n)
}

const edges = [1, 2, 3, 7, 8, 9, 63, 64, 65]
const kernels: ReadonlyArray<readonly [string, Kernel]> = [
  ['product (the kernel chosen by size)', product],
  ['the blocked JavaScript kernel', blockedProduct],
  ['the WebAssembly SIMD kernel', simd],
]

describe.each(kernels)('%s', (_, kernel) => {
  test('gives the plain loop bit for bit at every edge size (1, 2, 3, 7, 8, 9, 63, 64, 65)', () => {
    const draw = values(7, 0)
    for (const m of edges)
      for (const k of edges)
        for (const n of edges) {
          const x = draw(m * k)
          const y = draw(k * n)
          const diff = firstDifference(run(kernel, x, y, m, k, n), textbookProduct(x, y, m, k, n))
          expect(diff, `[${m},${k}]·[${k},${n}]`).toBeUndefined()
        }
  })

  test('carries each sum unbroken across blocks of terms (k = 255, 256, 257, 600)', () => {
    const draw = values(11, 0)
    for (const k of [255, 256, 257, 600])
      for (const [m, n] of [
        [5, 6],
        [9, 17],
        [1, 4],
      ] as const) {
        const x = draw(m * k)
        const y = draw(k * n)
        const diff = firstDifference(run(kernel, x, y, m, k, n), textbookProduct(x, y, m, k, n))
        expect(diff, `[${m},${k}]·[${k},${n}]`).toBeUndefined()
      }
  })

  test('reads either operand transposed in place, with the same numbers', () => {
    const draw = values(19, 0.1)
    for (const m of [1, 2, 7, 9, 65])
      for (const k of [1, 3, 8, 257])
        for (const n of [1, 2, 5, 8, 63]) {
          const x = draw(m * k)
          const y = draw(k * n)
          const want = textbookProduct(x, y, m, k, n)
          for (const t of [{ a: true }, { b: true }, { a: true, b: true }]) {
            const diff = firstDifference(run(kernel, x, y, m, k, n, t), want)
            expect(diff, `[${m},${k}]·[${k},${n}] ${JSON.stringify(t)}`).toBeUndefined()
          }
        }
  })

  test('keeps NaN, ±Infinity, −0 and subnormals where the plain loop has them', () => {
    const draw = values(3, 0.3)
    for (const [m, k, n] of [
      [7, 9, 8],
      [65, 3, 9],
      [2, 64, 63],
    ] as const) {
      const x = draw(m * k)
      const y = draw(k * n)
      expect(
        firstDifference(run(kernel, x, y, m, k, n), textbookProduct(x, y, m, k, n)),
      ).toBeUndefined()
    }
  })

  test('a column of −0 times positive rows sums to +0 (from +0, as the loop starts)', () => {
    const [m, k, n] = [9, 5, 6]
    const x = new Float64Array(m * k).fill(2)
    const y = Float64Array.from({ length: k * n }, (_, q) => (q % n === 3 ? -0 : 1))
    const out = run(kernel, x, y, m, k, n)
    expect(Object.is(out[3], 0)).toBe(true)
    expect(firstDifference(out, textbookProduct(x, y, m, k, n))).toBeUndefined()
  })
})

describe('simdProduct', () => {
  test('a product past the memory kept between calls (32 MiB) runs on a memory of its own, with the same numbers', () => {
    const [m, k, n] = [4300, 1000, 5]
    const draw = values(17, 0.01)
    const x = draw(m * k)
    const y = draw(k * n)
    expect(
      firstDifference(run(simd, x, y, m, k, n), textbookProduct(x, y, m, k, n)),
    ).toBeUndefined()
    const [m2, k2, n2] = [9, 7, 6]
    const x2 = draw(m2 * k2)
    const y2 = draw(k2 * n2)
    expect(
      firstDifference(run(simd, x2, y2, m2, k2, n2), textbookProduct(x2, y2, m2, k2, n2)),
    ).toBeUndefined()
  })
})

describe('matrixVector', () => {
  test('gives the plain loop bit for bit at every edge size, with special values', () => {
    const draw = values(5, 0.2)
    for (const m of edges)
      for (const k of [...edges, 300]) {
        const x = draw(m * k)
        const y = draw(k)
        expect(
          firstDifference(run(vector, x, y, m, k, 1), textbookProduct(x, y, m, k, 1)),
        ).toBeUndefined()
      }
  })
})

describe('vectorMatrix', () => {
  test('gives the plain loop bit for bit at every edge size, with special values', () => {
    const draw = values(9, 0.2)
    for (const k of [...edges, 300])
      for (const n of edges) {
        const x = draw(k)
        const y = draw(k * n)
        expect(
          firstDifference(run(row, x, y, 1, k, n), textbookProduct(x, y, 1, k, n)),
        ).toBeUndefined()
      }
  })
})

describe('tangentProduct', () => {
  test('skips a term with a +0 factor even against NaN or ±Infinity', () => {
    const x = Float64Array.of(Infinity, 1, NaN, 0)
    const y = Float64Array.of(0, 2, 0, 3)
    // [[∞, 1], [NaN, +0]] · [[+0, 2], [+0, 3]]
    expect(Array.from(run(tangentProduct, x, y, 2, 2, 2))).toEqual([0, Infinity, 0, NaN])
  })

  test('gives −0 for a zero sum that took a term and +0 for one that took none', () => {
    const x = Float64Array.of(1, -1, 0, 0)
    const y = Float64Array.of(2, 0, 2, 0)
    // Row 0: 1·2 + (−1)·2 = 0 by cancellation, then a column of strong zeros; row 1 +0.
    expect(Array.from(run(tangentProduct, x, y, 2, 2, 2))).toEqual([-0, 0, 0, 0])
    const z = Float64Array.of(-0, 0)
    expect(Array.from(run(tangentProduct, z, Float64Array.of(5, 7), 1, 2, 1))).toEqual([-0])
  })

  test('reads either operand transposed in place, finite or not, with the same numbers', () => {
    const sparse = values(23, 0.5)
    for (const m of [1, 2, 9, 65])
      for (const k of [1, 3, 9])
        for (const n of [1, 4, 9]) {
          const x = sparse(m * k)
          const y = sparse(k * n)
          const want = textbookProduct(x, y, m, k, n, true)
          for (const t of [{ a: true }, { b: true }, { a: true, b: true }])
            expect(firstDifference(run(tangentProduct, x, y, m, k, n, t), want)).toBeUndefined()
          const finite = (v: Float64Array) => v.map((e) => (Number.isFinite(e) ? e : 2))
          const [fx, fy] = [finite(x), finite(y)]
          const fwant = textbookProduct(fx, fy, m, k, n, true)
          for (const t of [{ a: true }, { b: true }, { a: true, b: true }])
            expect(firstDifference(run(tangentProduct, fx, fy, m, k, n, t), fwant)).toBeUndefined()
        }
  })

  test('gives the strong-zero loop bit for bit at every edge size, finite or not', () => {
    const sparse = values(13, 0.5)
    const finite = (count: number) => sparse(count).map((v) => (Number.isFinite(v) ? v : 0.5))
    for (const draw of [sparse, finite])
      for (const m of edges)
        for (const k of [1, 2, 3, 8, 9, 65])
          for (const n of edges) {
            const x = draw(m * k)
            const y = draw(k * n)
            const want = textbookProduct(x, y, m, k, n, true)
            const diff = firstDifference(run(tangentProduct, x, y, m, k, n), want)
            expect(diff, `[${m},${k}]·[${k},${n}]`).toBeUndefined()
          }
  })

  test('at sizes of the SIMD kernel, a single zero, NaN or infinite output among finite nonzero ones is found (the kernel scans its outputs)', () => {
    // [64, 2]·[2, 64] of ones and twos: every output 1·a + 1·b with a, b in {1, 2}, nonzero.
    const [m, k, n] = [64, 2, 64]
    const x = new Float64Array(m * k).fill(1)
    const y = Float64Array.from({ length: k * n }, (_, q) => 1 + (q % 3 === 0 ? 1 : 0))
    const cases: Array<readonly [string, (x: Float64Array, y: Float64Array) => void]> = [
      // A sum that cancels to zero: its terms were taken, so the tangent sum is −0.
      ['a cancellation', (_, b) => ((b[5] = 1), (b[n + 5] = -1))],
      // A term +0·∞ is skipped (a strong zero), where the plain product gives NaN.
      ['a strong zero against ∞', (a, b) => ((a[2 * k] = 0), (b[7] = Infinity))],
      ['an overflow', (a, b) => ((a[3 * k] = 1e308), (a[3 * k + 1] = 1e308), (b[9] = 10))],
    ]
    for (const [what, change] of cases) {
      const [a, b] = [x.slice(), y.slice()]
      change(a, b)
      const want = textbookProduct(a, b, m, k, n, true)
      expect(firstDifference(run(tangentProduct, a, b, m, k, n), want), what).toBeUndefined()
    }
  })

  test('a tangent of strong zeros gives strong zeros at every size (the common zero tangent)', () => {
    const [m, k, n] = [65, 64, 9]
    const x = values(1, 0)(m * k)
    const out = run(tangentProduct, x, new Float64Array(k * n), m, k, n)
    expect(out.every((v) => Object.is(v, 0))).toBe(true)
  })
})

const element = fc.oneof(
  { weight: 4, arbitrary: fc.double({ min: -4, max: 4, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0) },
  { weight: 1, arbitrary: fc.double() },
)
const operands = fc
  .tuple(
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 12 }),
  )
  .chain(([m, k, n]) =>
    fc.tuple(
      fc.constant([m, k, n] as const),
      fc.array(element, { minLength: m * k, maxLength: m * k }),
      fc.array(element, { minLength: k * n, maxLength: k * n }),
    ),
  )

describe('kernels, on random operands', () => {
  fcTest.prop([operands])(
    'every kernel agrees with the plain loop bit for bit',
    ([[m, k, n], a, b]) => {
      const x = Float64Array.from(a)
      const y = Float64Array.from(b)
      const want = textbookProduct(x, y, m, k, n)
      for (const [name, kernel] of kernels)
        expect(firstDifference(run(kernel, x, y, m, k, n), want), name).toBeUndefined()
    },
  )

  fcTest.prop([operands])(
    'tangentProduct agrees with the strong-zero loop bit for bit',
    ([[m, k, n], a, b]) => {
      const x = Float64Array.from(a)
      const y = Float64Array.from(b)
      const want = textbookProduct(x, y, m, k, n, true)
      expect(firstDifference(run(tangentProduct, x, y, m, k, n), want)).toBeUndefined()
    },
  )
})
