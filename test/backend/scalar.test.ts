import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { binaryOps, scalar, unaryOps, type BinaryName, type UnaryName } from '../../src/index.js'
import { floatingLaws } from '../../laws/index.js'

describe('scalar', () => {
  test('satisfies the Floating laws', () => {
    floatingLaws(scalar, { numRuns: 200 })
  })

  fcTest.prop([fc.double(), fc.double()])(
    'each named operation is its op-table primal, bit for bit',
    (x, y) => {
      for (const name of Object.keys(unaryOps) as UnaryName[]) {
        expect(Object.is(scalar[name](x), unaryOps[name].primal(x))).toBe(true)
      }
      for (const name of Object.keys(binaryOps) as BinaryName[]) {
        expect(Object.is(scalar[name](x, y), binaryOps[name].primal(x, y))).toBe(true)
      }
    },
  )

  test('fromNumber and toNumber are the identity; zero and one are 0 and 1', () => {
    expect([scalar.fromNumber(-0), scalar.toNumber(2.5), scalar.zero, scalar.one]).toEqual([
      -0, 2.5, 0, 1,
    ])
  })
})
