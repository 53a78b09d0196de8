/** Helpers over points (one value or an array of values) shared by the modes. */
import type { Floating } from '../Floating.js'
import { isTensorial } from '../Tensorial.js'

/** The j-th standard basis vector of length n. */
export const unitVector = <A>(F: Floating<A>, n: number, j: number): ReadonlyArray<A> =>
  Array.from({ length: n }, (_, i) => (i === j ? F.one : F.zero))

/** A value of ones with the shape of x (a tangent of ones for `diff`). */
export const onesLike = <A>(F: Floating<A>, x: A): A =>
  isTensorial(F) ? F.unbroadcast(F.one, x) : F.one
