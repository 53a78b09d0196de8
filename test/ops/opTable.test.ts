import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { diff, forward, grad, reverse, scalar, type Floating } from '../../src/index.js'
import { binaryOps, unaryOps, type BinaryRow, type UnaryRow } from '../../src/internal.js'
import type { Domain } from '../../src/ops/opTable.js'
import { derivativeLaws } from '../../laws/index.js'

const arbitraryIn = (d: Domain): fc.Arbitrary<number> =>
  fc
    .double({ min: d.min, max: d.max, noNaN: true })
    .filter((x) => d.avoid === undefined || Math.abs(x) >= d.avoid)

/** Pairs in a binary row's domain, away from where it is not smooth. */
const pairsAwayFromKinks = (row: BinaryRow): fc.Arbitrary<readonly [number, number]> =>
  fc
    .tuple(arbitraryIn(row.domain[0]), arbitraryIn(row.domain[1]))
    .filter(([x, y]) => row.kink === undefined || row.kink(x, y) >= 0.01)

const tolerance = (row: { readonly tolerance?: number }) =>
  row.tolerance === undefined ? {} : { tolerance: { rel: row.tolerance, abs: row.tolerance } }

const unaryFunction = (row: UnaryRow) =>
  Object.defineProperty(
    <A>(F: Floating<A>) =>
      (x: A): A =>
        F.unary(row, x),
    'name',
    {
      value: row.name,
    },
  )

describe('the op table', () => {
  describe.each(Object.values(unaryOps))('$name', (row) => {
    test.skipIf(row.order === 0)(
      `both modes match finite differences up to order ${row.order} on [${row.domain.min}, ${row.domain.max}] (200 cases per law)`,
      () => {
        derivativeLaws(unaryFunction(row), {
          domain: arbitraryIn(row.domain),
          order: row.order,
          numRuns: 200,
          ...tolerance(row),
        })
      },
    )
  })

  describe.each(Object.values(binaryOps))('$name', (row) => {
    test('both modes match finite differences in each argument (200 cases per law)', () => {
      const f =
        <A>(F: Floating<A>) =>
        (xs: ReadonlyArray<A>): A =>
          F.binary(row, xs[0]!, xs[1]!)
      derivativeLaws(Object.defineProperty(f, 'name', { value: row.name }), {
        arity: 2,
        domain: row.domain.map(arbitraryIn),
        ...(row.kink === undefined
          ? {}
          : { where: ([x, y]: ReadonlyArray<number>) => row.kink!(x!, y!) >= 0.01 }),
        numRuns: 200,
        ...tolerance(row),
      })
    })

    test('second derivatives by forward-over-reverse match forward-over-forward', () => {
      fc.assert(
        fc.property(pairsAwayFromKinks(row), ([x, y]) => {
          const inX =
            <A>(F: Floating<A>) =>
            (t: A): A =>
              F.binary(row, t, F.fromNumber(y))
          const inY =
            <A>(F: Floating<A>) =>
            (t: A): A =>
              F.binary(row, F.fromNumber(x), t)
          expect(grad(diff(inX))(scalar)(x)).toBeClose(diff(diff(inX))(scalar)(x), { rel: 1e-10 })
          expect(diff(grad(inY))(scalar)(y)).toBeClose(diff(diff(inY))(scalar)(y), { rel: 1e-10 })
        }),
      )
    })
  })
})

describe('special points of the op table', () => {
  const unaryCases = Object.values(unaryOps).flatMap((row) =>
    row.special.map((p) => ({ name: row.name, row, ...p })),
  )
  test.each(unaryCases)('$name at $x: value $value, derivative $derivative ($why)', (c) => {
    const f = unaryFunction(c.row)
    expect(f(scalar)(c.x)).toBeClose(c.value)
    expect(diff(f)(scalar)(c.x)).toBeClose(c.derivative)
    expect(grad(f)(scalar)(c.x)).toBeClose(c.derivative)
  })

  const binaryCases = Object.values(binaryOps).flatMap((row) =>
    row.special.map((p) => ({ name: row.name, row, ...p })),
  )
  test.each(binaryCases)('$name at ($x, $y): value $value, ∂/∂x $derivative ($why)', (c) => {
    const g =
      <A>(F: Floating<A>) =>
      (xs: ReadonlyArray<A>): A =>
        F.binary(c.row, xs[0]!, xs[1]!)
    const at = [c.x, c.y ?? 0]
    expect(g(scalar)(at)).toBeClose(c.value)
    expect(forward.grad(g)(scalar)(at)[0]).toBeClose(c.derivative)
    expect(reverse.grad(g)(scalar)(at)[0]).toBeClose(c.derivative)
  })

  test('pow with base 0 and a positive exponent has exponent partial 0, not NaN', () => {
    const g =
      <A>(F: Floating<A>) =>
      (xs: ReadonlyArray<A>): A =>
        F.pow(xs[0]!, xs[1]!)
    expect(reverse.grad(g)(scalar)([0, 2])).toBeClose([0, 0])
    expect(forward.grad(g)(scalar)([0, 2])).toBeClose([0, 0])
    expect(reverse.grad(g)(scalar)([0, 1])).toBeClose([1, 0])
    expect(reverse.grad(g)(scalar)([0, 0.5])).toBeClose([Infinity, 0])
  })

  test('pow with a negative base has a real base partial and a NaN exponent partial', () => {
    const g =
      <A>(F: Floating<A>) =>
      (xs: ReadonlyArray<A>): A =>
        F.pow(xs[0]!, xs[1]!)
    expect(reverse.grad(g)(scalar)([-2, 3])).toBeClose([12, NaN])
    expect(forward.grad(g)(scalar)([-2, 3])).toBeClose([12, NaN])
  })
})
