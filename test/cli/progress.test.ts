import { describe, expect, test } from 'vitest'
import { duration, progressLine } from '../../src/cli/lr.js'

const line = {
  unit: 'epoch',
  epoch: 75,
  epochs: 300,
  done: 0.25,
  loss: 0.5,
  elapsed: 10_000,
  fixed: true,
}

describe('the progress line of a terminal', () => {
  test('shows the elapsed time and, for a fixed count of epochs, the time left at the mean pace so far', () => {
    const text = progressLine(line)
    expect(text).toContain('epoch 75/300')
    expect(text).toContain('  10.0s')
    // A quarter done in 10 s: three quarters left take 30 s.
    expect(text).toContain('~30.0s left')
  })

  test('newton and lbfgs (an upper limit, not a count) get no estimate, and say iteration', () => {
    const text = progressLine({
      ...line,
      unit: 'iteration',
      epoch: 5,
      epochs: 1000,
      done: 0.005,
      fixed: false,
    })
    expect(text).toContain('iteration 5/1000')
    expect(text).not.toContain('left')
  })

  test.each([
    [850, '850ms'],
    [12_400, '12.4s'],
    [185_000, '3m05s'],
    [3_720_000, '1h02m'],
  ])('a duration of %d ms reads %s', (ms, words) => expect(duration(ms)).toBe(words))
})
