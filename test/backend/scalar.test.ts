import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { scalar } from '../../src/index.js'
import { close, floatingLaws } from '../../laws/index.js'

describe('scalar', () => {
  test('satisfies the Floating laws', () => {
    floatingLaws(scalar, { numRuns: 200 })
  })

  // Independent definitions, not the table's primals: sigmoid and tanh through exp,
  // log1p through log where 1 + x is exact enough, so a wrong row shows.
  const definitions: ReadonlyArray<
    readonly [string, (x: number) => number, (x: number) => number]
  > = [
    ['neg', scalar.neg, (x) => 0 - x],
    ['exp', scalar.exp, (x) => Math.E ** x],
    ['log', (x) => scalar.log(Math.abs(x) + 0.5), (x) => Math.log2(Math.abs(x) + 0.5) * Math.LN2],
    ['log1p', (x) => scalar.log1p(Math.abs(x)), (x) => Math.log(1 + Math.abs(x))],
    ['sqrt', (x) => scalar.sqrt(Math.abs(x)), (x) => Math.abs(x) ** 0.5],
    ['sin', scalar.sin, (x) => Math.cos(x - Math.PI / 2)],
    ['cos', scalar.cos, (x) => Math.sin(x + Math.PI / 2)],
    ['tanh', scalar.tanh, (x) => (Math.exp(2 * x) - 1) / (Math.exp(2 * x) + 1)],
    ['sigmoid', scalar.sigmoid, (x) => 1 / (1 + Math.exp(-x))],
    ['abs', scalar.abs, (x) => (x < 0 ? -x : x)],
  ]

  fcTest.prop([fc.double({ min: -20, max: 20, noNaN: true })])(
    'each unary operation agrees with its mathematical definition',
    (x) => {
      for (const [name, op, definition] of definitions) {
        expect(close(op(x), definition(x), { rel: 1e-12, abs: 1e-13 }), name).toBe(true)
      }
    },
  )

  fcTest.prop([
    fc.double({ min: -20, max: 20, noNaN: true }),
    fc.double({ min: 0.5, max: 4, noNaN: true }),
  ])('each binary operation agrees with its mathematical definition', (x, y) => {
    expect(scalar.add(x, y)).toBe(y + x)
    expect(scalar.sub(x, y)).toBe(x + -y)
    expect(scalar.mul(x, y)).toBe(y * x)
    expect(close(scalar.div(x, y), x * (1 / y), { rel: 1e-15 })).toBe(true)
    expect(close(scalar.pow(y, x), Math.exp(x * Math.log(y)), { rel: 1e-12 })).toBe(true)
  })

  test('sub of equal numbers is +0, as IEEE subtraction gives (the draws above never hit x = y)', () => {
    expect(Object.is(scalar.sub(2, 2), 0)).toBe(true)
    expect(Object.is(scalar.sub(-0, -0), 0)).toBe(true)
    expect(Object.is(scalar.sub(-0, 0), -0)).toBe(true)
  })

  test('fromNumber and toNumber are the identity; zero and one are 0 and 1', () => {
    expect([scalar.fromNumber(-0), scalar.toNumber(2.5), scalar.zero, scalar.one]).toEqual([
      -0, 2.5, 0, 1,
    ])
  })
})
