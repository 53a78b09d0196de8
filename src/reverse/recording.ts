/**
 * One record action's work: the builder of its segment, the reverse-mode instance over
 * it, and the sealed tape it leaves. `Tape.record` runs it; reverse mode's combinators
 * run it with a `Sizing`, so that a function recorded again and again gets storage of
 * the length it recorded last time.
 *
 * @since 0.5.0
 */
import type { Floating } from '../Floating.js'
import { reverseOverBase, reverseOverNumber } from './reverseInstance.js'
import { GenericBuilder, NumberBuilder } from './tapeStore.js'
import type { ReverseFloating } from './Var.js'
import type { TapeState } from './Tape.js'

/**
 * How many entries the last recording through it made: a hint for the size of the next
 * one's storage (numbers base only), which changes how the tape is stored, never what it
 * holds;
 * and the storage of a released tape, which the next recording takes (see
 * `NumberBuilder`).
 */
export interface Sizing {
  entries: number
  spare?: ArrayBuffer | undefined
  /** An adjoint buffer that a fold over such a tape may clear and fill. */
  adjoints?: Float64Array | undefined
}

/** Hands a recording's storage back to its `Sizing` once its tape is unreachable. */
export type Release = () => void

const keep: Release = () => undefined

/**
 * Runs `f` with the reverse-mode instance over the tape of `s`; the instance refuses use
 * after `f` returns. The result and the longer tape. With a `Sizing`, also a `Release`
 * for an owner that drops the tape after reading it (`valueAndGrad`): the next recording
 * through the same `Sizing` then reuses its storage. An owner that keeps the tape (a
 * pullback) never calls it.
 */
export const recordOn = <B, R>(
  f: (F: ReverseFloating<B>) => R,
  s: TapeState,
  sizing?: Sizing,
): readonly [R, TapeState, Release] => {
  const base = s.base as Floating<B>
  if (base.numeric === true) {
    // Taken out while recording: a recording of the same function inside this one
    // allocates its own.
    const spare = sizing?.spare
    if (sizing !== undefined) sizing.spare = undefined
    const builder = new NumberBuilder(s.sealed, sizing?.entries, spare)
    try {
      const F = base as unknown as Floating<number>
      const r = f(reverseOverNumber(F, builder) as unknown as ReverseFloating<B>)
      const sealed = builder.seal()
      if (sizing === undefined) return [r, { base: s.base, sealed }, keep]
      sizing.entries = sealed.size - s.sealed.size
      const release = () => {
        sizing.spare = builder.release()
      }
      return [r, { base: s.base, sealed }, release]
    } finally {
      builder.sealed = true
    }
  }
  const builder = new GenericBuilder<B>(s.sealed)
  try {
    const r = f(reverseOverBase(base, builder))
    return [r, { base: s.base, sealed: builder.seal() }, keep]
  } finally {
    builder.sealed = true
  }
}
