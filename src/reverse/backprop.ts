/**
 * Backpropagation: one fold over a sealed tape, from its last entry to its first.
 *
 * Each entry is visited once; its adjoint is complete when the fold reaches it
 * because every entry's parents come before it. Adjoints are multiplied by partials
 * and added with the tangent arithmetic (`tangentArithmetic.ts`): a zero partial or a
 * strong-zero adjoint contributes nothing, even against NaN or an infinity, so an
 * unused branch (say `log(0)` computed but ignored) never pollutes a gradient with
 * `0 · ∞ = NaN`, exactly as in forward mode. There is no recursion and no visited
 * set: the cost is linear in the tape length, for any depth or sharing.
 *
 * @since 0.1.0
 */
import type { Floating } from '../Floating.js'
import { tangentOps } from '../ops/opTable.js'
import { isStrongZero as importedIsStrongZero, tangentAdd } from '../tangentArithmetic.js'
import {
  type GenericSegment,
  type NumberChunk,
  type NumberSegment,
  type Sealed,
} from './tapeStore.js'

/**
 * A seed of the fold: the index of an output entry and its adjoint.
 *
 * @category model
 * @since 0.1.0
 */
export type Seed<B> = readonly [index: number, adjoint: B]

const checkIndex = (tape: Sealed, index: number): void => {
  if (!Number.isInteger(index) || ~index >= tape.size || index >= tape.size) {
    throw new Error(`backprop: seed index ${index} is not on the tape (its length is ${tape.size})`)
  }
}

// Bound in this module: V8 inlines a module's own constant into the fold's loop, where it
// calls an imported binding (about twice as slow, as in strongMul).
const isStrongZero = importedIsStrongZero

const foldNumberChunk = (chunk: NumberChunk, adj: Float64Array): void => {
  const { start, p1, p2, d1, d2 } = chunk
  for (let i = chunk.length - 1; i >= 0; i--) {
    const a = adj[start + i]!
    // A strong zero (+0) contributes nothing: unreached entries have adjoint +0.
    if (isStrongZero(a)) continue
    // strongMul and tangentAdd inline: a +0 partial contributes nothing; any other
    // contribution is not a strong zero, so a zero sum it takes part in is kept as −0.
    const pa = p1[i]!
    const da = d1[i]!
    if (pa >= 0 && !isStrongZero(da)) {
      const s = adj[pa]! + da * a
      adj[pa] = s === 0 ? -0 : s
    }
    const pb = p2[i]!
    const db = d2[i]!
    if (pb >= 0 && !isStrongZero(db)) {
      const s = adj[pb]! + db * a
      adj[pb] = s === 0 ? -0 : s
    }
  }
}

const foldNumberSegment = (seg: NumberSegment, adj: Float64Array): void => {
  for (let c = seg.chunks.length - 1; c >= 0; c--) foldNumberChunk(seg.chunks[c]!, adj)
}

/**
 * Adjoints of every entry of a tape over the `number` base. An entry no seed reaches
 * has adjoint 0.
 *
 * @category utils
 * @since 0.1.0
 */
export const backpropNumber = (
  tape: Sealed,
  seeds: ReadonlyArray<Seed<number>>,
  spare?: Float64Array,
): Float64Array => {
  // adj is a fresh buffer filled by this call only, or `spare` (an internal caller's
  // buffer, whose other uses are over), cleared: the same adjoints in its first entries.
  const adj =
    spare !== undefined && spare.length >= tape.size
      ? spare.fill(0, 0, tape.size)
      : new Float64Array(tape.size)
  for (const [index, u] of seeds) {
    checkIndex(tape, index)
    // A constant output (a negative handle) passes its adjoint to nothing.
    if (index >= 0) adj[index] = tangentAdd(adj[index]!, u)
  }
  for (let s = tape.segments.length - 1; s >= 0; s--) {
    const seg = tape.segments[s]!
    if (seg.kind !== 'number') throw new Error('backprop: a number fold met a generic segment')
    foldNumberSegment(seg, adj)
  }
  return adj
}

/**
 * The adjoints of some variables, read from the adjoints of every entry of a number tape
 * (a constant's is 0): one loop, so that no value is boxed on its way out.
 */
export const adjointsOf = (adj: Float64Array, vars: ReadonlyArray<number>): number[] => {
  const out = new Array<number>(vars.length)
  for (let i = 0; i < vars.length; i++) {
    const v = vars[i]!
    out[i] = v < 0 ? 0 : adj[v]!
  }
  return out
}

const accumulate = <B>(F: Floating<B>, adj: (B | undefined)[], p: number, c: B): void => {
  const old = adj[p]
  adj[p] = old === undefined ? c : F.binary(tangentOps.tangentAdd, old, c)
}

const foldGenericSegment = <B>(
  F: Floating<B>,
  seg: GenericSegment,
  adj: (B | undefined)[],
): void => {
  const { offset, p1, p2 } = seg
  const pull1 = seg.pull1 as ReadonlyArray<((u: B) => B) | undefined>
  const pull2 = seg.pull2 as ReadonlyArray<((u: B) => B) | undefined>
  for (let i = seg.length - 1; i >= 0; i--) {
    const a = adj[offset + i]
    if (a === undefined) continue
    const fa = pull1[i]
    if (fa !== undefined) accumulate(F, adj, p1[i]!, fa(a))
    const fb = pull2[i]
    if (fb !== undefined) accumulate(F, adj, p2[i]!, fb(a))
  }
}

/**
 * Adjoints of every entry of a tape over a generic base, computed with that base's
 * operations (so they are recorded again when the base is itself a tape). An entry
 * no seed reaches has adjoint `undefined`.
 *
 * @category utils
 * @since 0.1.0
 */
export const backpropGeneric = <B>(
  F: Floating<B>,
  tape: Sealed,
  seeds: ReadonlyArray<Seed<B>>,
): ReadonlyArray<B | undefined> => {
  // adj is a fresh array filled by this call only.
  const adj: (B | undefined)[] = new Array<B | undefined>(tape.size).fill(undefined)
  for (const [index, u] of seeds) {
    checkIndex(tape, index)
    if (index >= 0) accumulate(F, adj, index, u)
  }
  for (let s = tape.segments.length - 1; s >= 0; s--) {
    const seg = tape.segments[s]!
    if (seg.kind !== 'generic') throw new Error('backprop: a generic fold met a number segment')
    foldGenericSegment(F, seg, adj)
  }
  return adj
}
