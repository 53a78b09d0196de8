/**
 * A number tape stored in chunks, the first sized by a hint: every entry reads back as it
 * was pushed, during the recording and after it is sealed, whatever the hint.
 */
import { fc, test as fcTest } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { emptySealed, NumberBuilder, valueAt } from '../../src/reverse/tapeStore.js'

describe('NumberBuilder', () => {
  fcTest.prop([
    fc.constantFrom(0, 1, 63, 64, 65, 100, 1000, 5000, 2 ** 21),
    fc.integer({ min: 0, max: 3000 }),
    fc.integer({ min: 0, max: 300 }),
  ])(
    'reads back every entry while recording and after sealing, for every first-chunk hint and a tape before it',
    (expected, length, before) => {
      const prevBuilder = new NumberBuilder(emptySealed)
      for (let i = 0; i < before; i++) prevBuilder.push(-i, -1, 0, -1, 0)
      const prev = prevBuilder.seal()
      const b = new NumberBuilder(prev, expected)
      const at: number[] = []
      for (let i = 0; i < length; i++) {
        at.push(b.push(i + 0.5, -1, 0, -1, 0))
        // An input recorded first is read all through a recording.
        if (i % 97 === 0) for (let j = 0; j <= i; j += 13) expect(b.value(at[j]!)).toBe(j + 0.5)
      }
      for (let j = 0; j < before; j += 7) expect(b.value(j)).toBe(-j)
      expect(at).toEqual(Array.from({ length }, (_, i) => before + i))
      const sealed = b.seal()
      expect(sealed.size).toBe(before + length)
      for (let i = 0; i < length; i++) expect(valueAt(sealed, before + i)).toBe(i + 0.5)
    },
  )
})
