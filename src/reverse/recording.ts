/**
 * One record action's work: the builder of its segment, the reverse-mode instance over
 * it, and the sealed tape it leaves. `Tape.record` runs it; reverse mode's combinators
 * run it with a `Sizing`, so that a function recorded again and again gets a first chunk
 * of the length it recorded last time.
 *
 * @since 0.5.0
 */
import type { Floating } from '../Floating.js'
import { reverseOverBase, reverseOverNumber } from './reverseInstance.js'
import { GenericBuilder, NumberBuilder } from './tapeStore.js'
import type { ReverseFloating } from './Var.js'
import type { TapeState } from './Tape.js'

/**
 * How many entries the last recording through it made: a hint for the next one's first
 * chunk (numbers base only), which changes how the tape is stored, never what it holds.
 */
export interface Sizing {
  entries: number
}

/**
 * Runs `f` with the reverse-mode instance over the tape of `s`; the instance refuses use
 * after `f` returns. The result and the longer tape.
 */
export const recordOn = <B, R>(
  f: (F: ReverseFloating<B>) => R,
  s: TapeState,
  sizing?: Sizing,
): readonly [R, TapeState] => {
  const base = s.base as Floating<B>
  if (base.numeric === true) {
    const builder = new NumberBuilder(s.sealed, sizing?.entries)
    try {
      const F = base as unknown as Floating<number>
      const r = f(reverseOverNumber(F, builder) as unknown as ReverseFloating<B>)
      const sealed = builder.seal()
      if (sizing !== undefined) sizing.entries = sealed.size - s.sealed.size
      return [r, { base: s.base, sealed }]
    } finally {
      builder.sealed = true
    }
  }
  const builder = new GenericBuilder<B>(s.sealed)
  try {
    const r = f(reverseOverBase(base, builder))
    return [r, { base: s.base, sealed: builder.seal() }]
  } finally {
    builder.sealed = true
  }
}
