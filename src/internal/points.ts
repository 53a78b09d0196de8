/** Helpers over points (one value or an array of values) shared by the modes. */
import type { Floating } from '../Floating.js'
import type { Point } from '../fn.js'
import { isTensorial } from '../Tensorial.js'

export const isArrayPoint = <A>(x: Point<A>): x is ReadonlyArray<A> => Array.isArray(x)

/** The j-th standard basis vector of length n. */
export const unitVector = <A>(F: Floating<A>, n: number, j: number): ReadonlyArray<A> =>
  Array.from({ length: n }, (_, i) => (i === j ? F.one : F.zero))

/** Throws unless a point and its tangents or cotangents have the same structure. */
export const checkLengths = <A>(op: string, x: Point<A>, v: Point<A>, what: string): void => {
  const xa = isArrayPoint(x)
  const va = isArrayPoint(v)
  if (xa !== va) {
    throw new Error(
      `${op}: expected ${what} shaped like the point: the point is ${xa ? 'an array' : 'a single value'}, the ${what} ${va ? 'an array' : 'a single value'}`,
    )
  }
  if (xa && va && x.length !== v.length) {
    const per = what === 'cotangents' ? 'output' : 'input'
    throw new Error(`${op}: expected ${x.length} ${what} (one per ${per}), got ${v.length}`)
  }
}

/** A value of ones with the shape of x (a tangent of ones for `diff`). */
export const onesLike = <A>(F: Floating<A>, x: A): A =>
  isTensorial(F) ? F.unbroadcast(F.one, x) : F.one
