import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { showBrief, showNumber, showValue } from '../../src/internal.js'

describe('the value printer', () => {
  test('spells out NaN, ±Infinity and −0, which JSON would hide', () => {
    expect([NaN, Infinity, -Infinity, -0, 0].map(showNumber)).toEqual([
      'NaN',
      'Infinity',
      '-Infinity',
      '-0',
      '0',
    ])
    expect(showValue({ loss: NaN, w: [-0, Infinity] })).toBe('{loss: NaN,w: [-0,Infinity]}')
  })

  fcTest.prop([
    fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0))),
  ])('prints finite arrays as JSON does', (xs) => {
    expect(showValue(xs)).toBe(JSON.stringify(xs))
  })

  test('prints deep nesting without recursion', () => {
    let v: unknown = 1
    for (let i = 0; i < 100_000; i++) v = [v]
    expect(showValue(v).length).toBe(200_001)
  })

  fcTest.prop([fc.anything()])('showBrief is one line of at most 80 characters', (v) => {
    const text = showBrief(v)
    expect(text.length).toBeLessThanOrEqual(80)
    expect(text).not.toMatch(/\n/)
  })
})
