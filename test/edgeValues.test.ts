import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import {
  diff,
  forward,
  grad,
  reverse,
  scalar,
  tensor,
  Tensor,
  type Floating,
} from '../src/index.js'
import { close } from '../laws/index.js'
import { renderEdgeValues } from './edge/render.js'
import { binaryTable, commonPoints, unaryTable } from './edge/table.js'

/** The same number, a zero's sign included (the strong zero is the sign of a zero), or both NaN. */
const same = (a: number, b: number): boolean =>
  Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))
/** The documented figure: exact for special values and zeros (sign included), to 1e-15 relative otherwise. */
const matches = (got: number, documented: number): boolean =>
  same(got, documented) || (documented !== 0 && close(got, documented, { rel: 1e-15, abs: 0 }))
const onTensor = (t: Tensor): number => Tensor.toArray(t) as number

describe('edge values of every unary op, in every mode and on both backends', () => {
  const cells = unaryTable.flatMap(({ name, f, rows }) => rows.map((r) => ({ name, f, ...r })))

  test('every op is checked at every common point', () => {
    for (const { name, rows } of unaryTable) {
      for (const p of commonPoints)
        expect(
          rows.some((r) => Object.is(r.x, p)),
          `${name} at ${p}`,
        ).toBe(true)
    }
  })

  test.each(cells)(
    '$name at $x: value $value, derivative $derivative',
    ({ f, x, value, derivative }) => {
      const values = [
        f(scalar)(x),
        onTensor(f(tensor)(Tensor.scalar(x))),
        ...Tensor.toFlat(f(tensor)(Tensor.fromArray([x, x]))),
      ]
      for (const v of values)
        expect(Object.is(v, values[0]) || same(v, values[0]!), `values agree: ${values}`).toBe(true)
      expect(matches(values[0]!, value), `value ${values[0]} documented ${value}`).toBe(true)

      const derivatives = [
        diff(f)(scalar)(x),
        grad(f)(scalar)(x),
        forward.grad(f)(scalar)(x),
        reverse.grad(f)(scalar)(x),
        onTensor(diff(f)(tensor)(Tensor.scalar(x))),
        onTensor(grad(f)(tensor)(Tensor.scalar(x))),
      ]
      for (const d of derivatives)
        expect(same(d, derivatives[0]!), `derivatives agree: ${derivatives}`).toBe(true)
      expect(
        matches(derivatives[0]!, derivative),
        `derivative ${derivatives[0]} documented ${derivative}`,
      ).toBe(true)

      // Forward-over-reverse gives the second derivative forward-over-forward gives.
      expect(same(diff(grad(f))(scalar)(x), diff(diff(f))(scalar)(x))).toBe(true)
      expect(
        same(onTensor(diff(grad(f))(tensor)(Tensor.scalar(x))), diff(diff(f))(scalar)(x)),
      ).toBe(true)
    },
  )
})

describe('edge values of every binary op, in every mode and on both backends', () => {
  const cells = binaryTable.flatMap(({ name, f, rows }) => rows.map((r) => ({ name, f, ...r })))

  test.each(cells)(
    '$name at ($x, $y): value $value, partials $dx and $dy',
    ({ f, x, y, value, dx, dy }) => {
      const g =
        <A>(F: Floating<A>) =>
        (xs: ReadonlyArray<A>): A =>
          f(F)(xs[0]!, xs[1]!)
      const values = [g(scalar)([x, y]), onTensor(g(tensor)([Tensor.scalar(x), Tensor.scalar(y)]))]
      expect(same(values[0]!, values[1]!), `values agree: ${values}`).toBe(true)
      expect(matches(values[0]!, value), `value ${values[0]} documented ${value}`).toBe(true)
      const gradients = [
        reverse.grad(g)(scalar)([x, y]),
        forward.grad(g)(scalar)([x, y]),
        reverse
          .grad(g)(tensor)([Tensor.scalar(x), Tensor.scalar(y)])
          .map(onTensor),
        forward
          .grad(g)(tensor)([Tensor.scalar(x), Tensor.scalar(y)])
          .map(onTensor),
      ]
      for (const gr of gradients)
        expect(
          same(gr[0]!, gradients[0]![0]!) && same(gr[1]!, gradients[0]![1]!),
          `gradients agree: ${JSON.stringify(gradients.map((q) => q.map(String)))}`,
        ).toBe(true)
      expect(
        matches(gradients[0]![0]!, dx) && matches(gradients[0]![1]!, dy),
        `partials ${gradients[0]} documented ${dx}, ${dy}`,
      ).toBe(true)
    },
  )
})

describe('docs/edge-values.md', () => {
  test('is the rendering of the table (run npm run docs:edges after changing it)', () => {
    expect(readFileSync(new URL('../docs/edge-values.md', import.meta.url), 'utf8')).toBe(
      renderEdgeValues(),
    )
  })
})
