/**
 * A number tape: values in one array (doubled by copying), parents and partials in
 * chunks, the first sized by a hint and perhaps held in storage released by an earlier
 * tape. Every entry reads back as it was pushed, during the recording and after it is
 * sealed, whatever the hint and whatever the storage held.
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

  fcTest.prop([
    fc.constantFrom(0, 64, 100, 5000),
    fc.constantFrom(0, 10, 64, 65, 3000, 9000),
    fc.integer({ min: 0, max: 3000 }),
  ])(
    'a first chunk in released storage holds what is pushed, parents and partials included, whatever the storage held',
    (expected, earlier, length) => {
      // An earlier tape of another length fills its storage with other entries.
      const old = new NumberBuilder(emptySealed, earlier)
      for (let i = 0; i < earlier; i++) old.push(NaN, i - 1, -i, i - 1, NaN)
      const oldTape = old.seal()
      const spare = old.release()
      if (earlier > 0) expect(() => old.value(0)).toThrow(/used after its record action ended/)
      expect(oldTape.size).toBe(earlier)
      const b = new NumberBuilder(emptySealed, expected, spare)
      for (let i = 0; i < length; i++) b.push(i + 0.5, i - 1, 2 * i, -1, 0)
      const sealed = b.seal()
      const seg = sealed.segments[0]
      if (seg === undefined) return expect(length).toBe(0)
      if (seg.kind !== 'number') throw new Error('a number segment expected')
      // Values in one array, parents and partials in chunks that tile the segment.
      const entries = seg.chunks.flatMap((c) =>
        Array.from({ length: c.length }, (_, j) => [
          seg.vals[c.start - seg.offset + j],
          c.p1[j],
          c.d1[j],
          c.p2[j],
          c.d2[j],
        ]),
      )
      expect(entries).toEqual(Array.from({ length }, (_, i) => [i + 0.5, i - 1, 2 * i, -1, 0]))
    },
  )
})
