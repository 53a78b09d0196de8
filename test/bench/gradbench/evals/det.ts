/**
 * GradBench `det`: the determinant of an ℓ × ℓ matrix by expansion by minors along
 * the first row, recursively (cmpad's `det_by_minor`: the rows and columns still in a
 * minor are kept as linked lists), and its gradient by reverse mode over numbers.
 */
import * as t from 'io-ts'
import { grad, scalar, type Floating } from '../../../../src/index.js'
import { evalFunction, Numbers, Runs, type EvalModule } from '../protocol.js'

const Input = t.intersection([Runs, t.type({ A: Numbers, ell: t.number })])

/**
 * The determinant of the m × m minor whose rows start at `rows[n]` and columns at
 * `cols[n]` (each list linked through `rows` and `cols`, ending at n).
 */
const minor = <A>(
  F: Floating<A>,
  a: ReadonlyArray<A>,
  n: number,
  m: number,
  rows: number[],
  cols: number[],
): A => {
  const r0 = rows[n]!
  let cj = cols[n]!
  if (m === 1) return a[r0 * n + cj]!
  let det = F.zero
  let sign = 1
  // Unlink row r0 for the sub-minors, and each column in turn; relinked before returning.
  rows[n] = rows[r0]!
  let previous = n
  for (let j = 0; j < m; j++) {
    const entry = a[r0 * n + cj]!
    cols[previous] = cols[cj]!
    const sub = minor(F, a, n, m - 1, rows, cols)
    cols[previous] = cj
    det = sign > 0 ? F.add(det, F.mul(entry, sub)) : F.sub(det, F.mul(entry, sub))
    previous = cj
    cj = cols[cj]!
    sign = -sign
  }
  rows[n] = r0
  return det
}

/** det A for A given row-major; the recursion depth is ℓ, which is small. */
const determinant =
  <A>(F: Floating<A>) =>
  (a: ReadonlyArray<A>): A => {
    const ell = Math.round(Math.sqrt(a.length))
    // Linked lists local to this call: mutated and restored by `minor`, never shared.
    const rows = Array.from({ length: ell + 1 }, (_, i) => (i < ell ? i + 1 : 0))
    const cols = Array.from({ length: ell + 1 }, (_, i) => (i < ell ? i + 1 : 0))
    return minor(F, a, ell, ell, rows, cols)
  }

const checked = (input: t.TypeOf<typeof Input>): ReadonlyArray<number> => {
  if (input.A.length !== input.ell * input.ell) {
    throw new Error(`det: A has ${input.A.length} entries, expected ell² = ${input.ell ** 2}`)
  }
  return input.A
}

export const det: EvalModule = {
  primal: evalFunction(Input, (input) => {
    const a = checked(input)
    return () => determinant(scalar)(a)
  }),
  gradient: evalFunction(Input, (input) => {
    const a = checked(input)
    return () => grad(determinant)(scalar)(a)
  }),
}
