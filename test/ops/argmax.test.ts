import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  argmax,
  argmin,
  grad,
  jit,
  jvp,
  tensor,
  Tensor,
  vmap,
  type Tensorial,
} from '../../src/index.js'

const flat = (t: Tensor) => Array.from(Tensor.toFlat(t))

/** The index numpy's argmax (or argmin) gives for one line of numbers: the first NaN, else the first best. */
const plainIndex = (line: ReadonlyArray<number>, which: 'max' | 'min'): number => {
  const nan = line.findIndex(Number.isNaN)
  if (nan >= 0) return nan
  let best = 0
  for (let i = 1; i < line.length; i++) {
    if (which === 'max' ? line[i]! > line[best]! : line[i]! < line[best]!) best = i
  }
  return best
}

/** The plain loop over every line of x along axis a, row-major over the other axes. */
const plain = (x: Tensor, a: number, which: 'max' | 'min'): number[] => {
  const shape = Tensor.shape(x)
  const axis = a < 0 ? a + shape.length : a
  const outer = shape.slice(0, axis).reduce((p, d) => p * d, 1)
  const inner = shape.slice(axis + 1).reduce((p, d) => p * d, 1)
  const n = shape[axis]!
  const xs = Tensor.toFlat(x)
  const out: number[] = []
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      const line = Array.from({ length: n }, (_, k) => xs[(o * n + k) * inner + i]!)
      out.push(plainIndex(line, which))
    }
  return out
}

/** Entries drawn from a few integers (so ties are common), any double, and now and then NaN or ±Infinity. */
const entry = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -2, max: 2 }) },
  { weight: 3, arbitrary: fc.double({ min: -10, max: 10, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity) },
)
const tensorOf = (shape: ReadonlyArray<number>) => {
  const n = shape.reduce((p, d) => p * d, 1)
  return fc.array(entry, { minLength: n, maxLength: n }).map((xs) => Tensor.fromArray(xs, shape))
}
/** A tensor of rank 1 to 3 with positive lengths, and an axis of it (maybe negative). */
const tensorAndAxis = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 })
  .chain((shape) =>
    fc.tuple(tensorOf(shape), fc.integer({ min: -shape.length, max: shape.length - 1 })),
  )

const ops = [
  { name: 'argmax', op: argmax, which: 'max' },
  { name: 'argmin', op: argmin, which: 'min' },
] as const

describe.each(ops)('$name', ({ name, op, which }) => {
  fcTest.prop([tensorAndAxis])(
    'equals a plain loop along any axis, ties to the first index and a NaN to the first NaN',
    ([x, a]) => {
      const got = op(tensor)(x, a)
      const shape = Tensor.shape(x)
      const axis = a < 0 ? a + shape.length : a
      expect(Tensor.shape(got)).toEqual(shape.filter((_, k) => k !== axis))
      expect(flat(got)).toEqual(plain(x, a, which))
    },
  )

  test('the default axis is the last', () => {
    const x = Tensor.fromArray([
      [3, 1, 3],
      [0, 2, 2],
    ])
    expect(flat(op(tensor)(x))).toEqual(plain(x, -1, which))
  })

  fcTest.prop([tensorAndAxis])('under jit equals eager', ([x, a]) => {
    const f =
      <A>(T: Tensorial<A>) =>
      (y: A): A =>
        op(T)(y, a)
    expect(flat(jit(f)(tensor)(x))).toEqual(flat(op(tensor)(x, a)))
  })

  fcTest.prop([
    fc
      .tuple(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
      )
      .chain((shape) => tensorOf(shape)),
    fc.integer({ min: -3, max: 2 }),
    fc.integer({ min: -2, max: 1 }),
  ])(
    'under vmap (and jit of vmap) equals eager on each example, whatever the mapped axis',
    (x, inAxis, a) => {
      const f =
        <A>(T: Tensorial<A>) =>
        (y: A): A =>
          op(T)(y, a)
      const mapped = vmap(f, { inAxes: inAxis })
      const m = inAxis < 0 ? inAxis + 3 : inAxis
      const shape = Tensor.shape(x)
      const perExample = Array.from({ length: shape[m]! }, (_, i) => {
        const ex = tensor.squeeze(tensor.take(x, [i], m), m)
        return flat(op(tensor)(ex, a))
      })
      expect(flat(mapped(tensor)(x))).toEqual(perExample.flat())
      expect(flat(jit(mapped)(tensor)(x))).toEqual(perExample.flat())
    },
  )

  fcTest.prop([tensorOf([3, 4]).filter((x) => flat(x).every(Number.isFinite))])(
    'has derivative 0 in reverse mode, in forward mode and at second order',
    (x) => {
      const f =
        <A>(T: Tensorial<A>) =>
        (y: A): A =>
          T.sum(T.mul(op(T)(y), T.sum(y, { axis: -1 })))
      // f = Σᵢ idxᵢ · Σⱼ yᵢⱼ: its gradient is idxᵢ on row i, from the product rule alone.
      const idx = flat(op(tensor)(x))
      expect(Tensor.toArray2(grad(f)(tensor)(x))).toEqual(idx.map((k) => [k, k, k, k]))
      const g =
        <A>(T: Tensorial<A>) =>
        (y: A): A =>
          T.sum(op(T)(y))
      expect(flat(grad(g)(tensor)(x))).toEqual(Array(12).fill(0))
      expect(Tensor.toArray(jvp(g)(tensor)(x, Tensor.fill([3, 4], 1))[1])).toBe(0)
      expect(flat(grad(grad(g))(tensor)(x))).toEqual(Array(12).fill(0))
    },
  )

  test('refuses a rank-0 value, an axis out of range and an empty axis, naming the op', () => {
    expect(() => op(tensor)(Tensor.scalar(1))).toThrow(
      `${name}: axis -1 given, but a tensor of rank 0`,
    )
    expect(() => op(tensor)(Tensor.fromArray([1, 2]), 1)).toThrow(`${name}: axis 1 is out of range`)
    expect(() => op(tensor)(Tensor.fromArray([], [2, 0]))).toThrow(
      `${name}: axis -1 of shape [2,0] has length 0`,
    )
  })
})
