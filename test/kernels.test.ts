import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect } from 'vitest'
import { binaryOps, softplus, unaryOps } from '../src/index.js'
import { binaryKernel, unaryKernel } from '../src/kernels.js'

const values = fc.array(fc.double(), { minLength: 1, maxLength: 20 })
const withKernels = [...Object.values(unaryOps), softplus.spec].filter(
  (op) => unaryKernel(op) !== undefined,
)

describe('array kernels', () => {
  fcTest.prop([values])(
    'every unary kernel agrees bit for bit with its op table primal, NaN and infinities included',
    (xs) => {
      expect(withKernels.length).toBe(11)
      for (const op of withKernels) {
        const out = new Float64Array(xs.length)
        unaryKernel(op)!(Float64Array.from(xs), out)
        expect(Array.from(out)).toEqual(xs.map(op.primal))
      }
    },
  )

  fcTest.prop([values, values])(
    'every binary kernel agrees bit for bit with its primal, with and without broadcasting',
    (xs, ys) => {
      for (const op of Object.values(binaryOps)) {
        const n = Math.min(xs.length, ys.length)
        const kernel = binaryKernel(op)!
        const out = new Float64Array(n)
        kernel(Float64Array.from(xs), 1, Float64Array.from(ys), 1, out)
        expect(Array.from(out)).toEqual(
          Array.from({ length: n }, (_, i) => op.primal(xs[i]!, ys[i]!)),
        )
        kernel(Float64Array.from(xs), 1, Float64Array.of(ys[0]!), 0, out)
        expect(Array.from(out)).toEqual(
          Array.from({ length: n }, (_, i) => op.primal(xs[i]!, ys[0]!)),
        )
      }
    },
  )
})
