import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect } from 'vitest'
import { type BinaryOp, type UnaryOp } from '../../src/index.js'
import { binaryOps, ruleOps, tangentOps, unaryOps } from '../../src/internal.js'
import { binaryKernel, unaryKernel } from '../../src/backend/elementwiseKernels.js'

const values = fc.array(fc.double(), { minLength: 1, maxLength: 20 })
const unaryCandidates = [
  ...Object.values(unaryOps),
  ...Object.values(ruleOps),
  tangentOps.tangentNeg,
]
const withKernels = unaryCandidates.filter(
  (op): op is UnaryOp => 'derivative' in op && unaryKernel(op as UnaryOp) !== undefined,
)
const binaryCandidates = [
  ...Object.values(binaryOps),
  ...Object.values(ruleOps),
  tangentOps.strongMul,
  tangentOps.tangentAdd,
]
const withBinaryKernels = binaryCandidates.filter(
  (op): op is BinaryOp => 'dx' in op && binaryKernel(op as BinaryOp) !== undefined,
)

describe('array kernels', () => {
  fcTest.prop([values])(
    'every unary kernel agrees bit for bit with its op table primal, NaN and infinities included',
    (xs) => {
      expect(withKernels.map((op) => op.name)).toEqual([
        'neg',
        'exp',
        'log',
        'log1p',
        'sqrt',
        'sin',
        'cos',
        'tanh',
        'sigmoid',
        'abs',
        'relu',
        'expm1',
        'softplus',
        'tangentNeg',
      ])
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
      expect(withBinaryKernels.map((op) => op.name)).toEqual([
        'add',
        'sub',
        'mul',
        'div',
        'pow',
        'maximum',
        'minimum',
        'where',
        'where',
        'shiftBy',
        'strongMul',
        'tangentAdd',
      ])
      for (const op of withBinaryKernels) {
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

  fcTest.prop([fc.constant([0, 5e-324]), fc.constant([0, 5e-324])])(
    'regression: strongMul by a strong-zero tangent writes every element (it left a reused buffer as it was)',
    (xs, ys) => {
      const kernel = binaryKernel(tangentOps.strongMul)!
      const out = Float64Array.of(-0, -0)
      kernel(Float64Array.from(xs), 1, Float64Array.of(ys[0]!), 0, out)
      expect(Array.from(out).map((v) => Object.is(v, 0))).toEqual([true, true])
    },
  )
})
