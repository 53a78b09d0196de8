import fc from 'fast-check'
import { describe, test } from 'vitest'
import { type Floating, type Tensorial } from '../src/index.js'
import { binaryOps, unaryOps } from '../src/internal.js'
import { tensorDerivativeLaws } from '../laws/index.js'

const dim = fc.integer({ min: 1, max: 4 })
const anyShape = fc.oneof(
  fc.constant([] as number[]),
  dim.map((n) => [n]),
  fc.tuple(dim, dim).map(([m, n]) => [m, n]),
)
/** Pairs of shapes that broadcast: equal, scalar with anything, row and column stretches. */
const broadcastPair = fc.oneof(
  anyShape.map((s) => [s, s]),
  anyShape.map((s) => [s, []]),
  anyShape.map((s) => [[], s]),
  fc.tuple(dim, dim).map(([m, n]) => [[m, n], [n]]),
  fc.tuple(dim, dim).map(([m, n]) => [[m, 1], [n]]),
  fc.tuple(dim, dim).map(([m, n]) => [
    [1, n],
    [m, 1],
  ]),
)

describe('tensor derivative laws: forward ≈ FD, reverse ≈ FD, adjointness, on generated shapes', () => {
  // Rows whose derivative is a definition (order 0) or that have kinks are checked on
  // numbers (test/opTable.test.ts, away from the kinks) and, on tensors, by the
  // generated programs (test/programs.test.ts), which skip the finite-difference judge
  // near kinks but still hold tensors to the scalar answer.
  const smoothUnary = Object.values(unaryOps).filter((row) => row.order > 0)
  const smoothBinary = Object.values(binaryOps).filter((row) => row.kink === undefined)

  describe.each(smoothUnary)('elementwise $name', (row) => {
    test('holds on its domain', () => {
      const f =
        <A>(F: Floating<A>) =>
        (xs: ReadonlyArray<A>): A =>
          F.unary(row, xs[0]!)
      const { min, max, avoid } = row.domain
      // One step serves every element of a tensor, so ops with a pole at 0 (log, sqrt)
      // are checked from 0.25, where central differences stay within tolerance.
      const values = fc
        .double({
          min: min > 0 ? Math.max(min, 0.25) : Math.max(min, -3),
          max: Math.min(max, 3),
          noNaN: true,
        })
        .filter((x) => avoid === undefined || Math.abs(x) >= avoid)
      tensorDerivativeLaws(row.name, f, { shapes: anyShape.map((s) => [s]), values, numRuns: 100 })
    })
  })

  describe.each(smoothBinary)('elementwise $name with broadcasting', (row) => {
    test('holds on its domain, for every pair of broadcastable shapes', () => {
      const f =
        <A>(F: Floating<A>) =>
        (xs: ReadonlyArray<A>): A =>
          F.binary(row, xs[0]!, xs[1]!)
      // One domain serving both operands: pow's base must be positive, div's divisor away from 0.
      const values =
        row.name === 'pow'
          ? fc.double({ min: 0.5, max: 2, noNaN: true })
          : row.name === 'div'
            ? fc.double({ min: 0.5, max: 2, noNaN: true }).chain((x) => fc.constantFrom(x, -x))
            : fc.double({ min: -2, max: 2, noNaN: true })
      tensorDerivativeLaws(row.name, f, { shapes: broadcastPair, values, numRuns: 100 })
    })
  })

  const structural: ReadonlyArray<{
    readonly name: string
    readonly f: <A>(T: Tensorial<A>) => (xs: ReadonlyArray<A>) => A
    readonly shapes: fc.Arbitrary<ReadonlyArray<ReadonlyArray<number>>>
  }> = [
    { name: 'sum', f: (T) => (xs) => T.sum(xs[0]!), shapes: anyShape.map((s) => [s]) },
    { name: 'mean', f: (T) => (xs) => T.mean(xs[0]!), shapes: anyShape.map((s) => [s]) },
    { name: 'transpose', f: (T) => (xs) => T.transpose(xs[0]!), shapes: anyShape.map((s) => [s]) },
    {
      name: 'reshape',
      f: (T) => (xs) => T.reshape(xs[0]!, [T.shape(xs[0]!).reduce((a, b) => a * b, 1)]),
      shapes: anyShape.map((s) => [s]),
    },
    { name: 'dot', f: (T) => (xs) => T.dot(xs[0]!, xs[1]!), shapes: dim.map((n) => [[n], [n]]) },
    {
      name: 'matmul [m,k]·[k,n]',
      f: (T) => (xs) => T.matmul(xs[0]!, xs[1]!),
      shapes: fc.tuple(dim, dim, dim).map(([m, k, n]) => [
        [m, k],
        [k, n],
      ]),
    },
    {
      name: 'matmul [m,k]·[k]',
      f: (T) => (xs) => T.matmul(xs[0]!, xs[1]!),
      shapes: fc.tuple(dim, dim).map(([m, k]) => [[m, k], [k]]),
    },
    {
      name: 'matmul [k]·[k,n]',
      f: (T) => (xs) => T.matmul(xs[0]!, xs[1]!),
      shapes: fc.tuple(dim, dim).map(([k, n]) => [[k], [k, n]]),
    },
    {
      name: 'a logistic loss: mean(log1p(exp(X·w)) − y·(X·w))',
      f: (T) => (xs) => {
        const z = T.matmul(xs[0]!, xs[1]!)
        return T.mean(T.sub(T.log1p(T.exp(z)), T.mul(xs[2]!, z)))
      },
      shapes: fc.tuple(dim, dim).map(([n, k]) => [[n, k], [k], [n]]),
    },
  ]

  test.each(structural)('$name', ({ name, f, shapes }) => {
    tensorDerivativeLaws(name, f, { shapes, numRuns: 100 })
  })
})
