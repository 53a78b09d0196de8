/**
 * Storage of a reverse-mode tape: sealed, immutable segments, and the builder that
 * fills one segment during a single `record` action.
 *
 * Over the `number` base a segment is a struct of typed arrays (values, parent indices,
 * local partials), 32 bytes per entry. Over any other base (duals, tape variables,
 * tensors) an entry holds the base value and a pullback per parent. A builder is
 * created inside one action, grows its arrays by doubling, and is sealed when the
 * action ends; after that it refuses every write, so a sealed tape never changes.
 */

/** One parent's share of an adjoint: maps the entry's adjoint to the parent's. */
export type Pull<B> = (u: B) => B

/** A sealed run of entries over the `number` base. */
export interface NumberSegment {
  readonly kind: 'number'
  readonly offset: number
  readonly length: number
  readonly vals: Float64Array
  readonly p1: Int32Array
  readonly p2: Int32Array
  readonly d1: Float64Array
  readonly d2: Float64Array
}

/** A sealed run of entries over any other base. */
export interface GenericSegment {
  readonly kind: 'generic'
  readonly offset: number
  readonly length: number
  readonly vals: ReadonlyArray<unknown>
  readonly p1: Int32Array
  readonly p2: Int32Array
  readonly pull1: ReadonlyArray<Pull<unknown> | undefined>
  readonly pull2: ReadonlyArray<Pull<unknown> | undefined>
}

export type Segment = NumberSegment | GenericSegment

/** A finished tape: its segments in recording order and its total length. */
export interface Sealed {
  readonly segments: ReadonlyArray<Segment>
  readonly size: number
}

export const emptySealed: Sealed = { segments: [], size: 0 }

/** The segment holding global index i (segments are sorted by offset). */
export const segmentAt = (tape: Sealed, i: number): Segment => {
  const segs = tape.segments
  let lo = 0
  let hi = segs.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (segs[mid]!.offset <= i) lo = mid
    else hi = mid - 1
  }
  const seg = segs[lo]
  if (seg === undefined || i < seg.offset || i >= seg.offset + seg.length || i < 0) {
    throw new Error(`Tape: variable ${i} is not on this tape (its length is ${tape.size})`)
  }
  return seg
}

/** The value of entry i of a sealed tape. */
export const valueAt = (tape: Sealed, i: number): unknown => {
  const seg = segmentAt(tape, i)
  return seg.vals[i - seg.offset]
}

const initialCapacity = 1024

const sealedError = (): Error =>
  new Error(
    'Tape: a reverse-mode instance was used after its record action ended; values of a tape cannot be extended once it is sealed',
  )

/** Fills one number segment during one record action. */
export class NumberBuilder {
  vals = new Float64Array(initialCapacity)
  p1 = new Int32Array(initialCapacity)
  p2 = new Int32Array(initialCapacity)
  d1 = new Float64Array(initialCapacity)
  d2 = new Float64Array(initialCapacity)
  n = 0
  sealed = false
  readonly offset: number

  constructor(readonly prev: Sealed) {
    this.offset = prev.size
  }

  private grow(): void {
    const cap = this.vals.length * 2
    const widen = <T extends Float64Array | Int32Array>(old: T, make: (n: number) => T): T => {
      const next = make(cap)
      next.set(old)
      return next
    }
    this.vals = widen(this.vals, (n) => new Float64Array(n))
    this.d1 = widen(this.d1, (n) => new Float64Array(n))
    this.d2 = widen(this.d2, (n) => new Float64Array(n))
    this.p1 = widen(this.p1, (n) => new Int32Array(n))
    this.p2 = widen(this.p2, (n) => new Int32Array(n))
  }

  /** Appends an entry with up to two parents (index −1: none); returns its global index. */
  push(v: number, a: number, da: number, b: number, db: number): number {
    if (this.sealed) throw sealedError()
    if (this.n === this.vals.length) this.grow()
    const i = this.n++
    this.vals[i] = v
    this.p1[i] = a
    this.d1[i] = da
    this.p2[i] = b
    this.d2[i] = db
    return this.offset + i
  }

  value(i: number): number {
    const j = i - this.offset
    if (j >= 0 && j < this.n) return this.vals[j]!
    return valueAt(this.prev, i) as number
  }

  seal(): Sealed {
    this.sealed = true
    const n = this.n
    const segment: NumberSegment = {
      kind: 'number',
      offset: this.offset,
      length: n,
      vals: this.vals.subarray(0, n),
      p1: this.p1.subarray(0, n),
      p2: this.p2.subarray(0, n),
      d1: this.d1.subarray(0, n),
      d2: this.d2.subarray(0, n),
    }
    return { segments: [...this.prev.segments, segment], size: this.offset + n }
  }
}

/** Fills one generic segment during one record action. */
export class GenericBuilder<B> {
  readonly vals: B[] = []
  readonly p1: number[] = []
  readonly p2: number[] = []
  readonly pull1: (Pull<B> | undefined)[] = []
  readonly pull2: (Pull<B> | undefined)[] = []
  sealed = false
  readonly offset: number

  constructor(readonly prev: Sealed) {
    this.offset = prev.size
  }

  push(v: B, a: number, pa: Pull<B> | undefined, b: number, pb: Pull<B> | undefined): number {
    if (this.sealed) throw sealedError()
    const i = this.vals.length
    this.vals.push(v)
    this.p1.push(a)
    this.pull1.push(pa)
    this.p2.push(b)
    this.pull2.push(pb)
    return this.offset + i
  }

  value(i: number): B {
    const j = i - this.offset
    if (j >= 0 && j < this.vals.length) return this.vals[j]!
    return valueAt(this.prev, i) as B
  }

  seal(): Sealed {
    this.sealed = true
    const segment: GenericSegment = {
      kind: 'generic',
      offset: this.offset,
      length: this.vals.length,
      vals: this.vals,
      p1: Int32Array.from(this.p1),
      p2: Int32Array.from(this.p2),
      pull1: this.pull1 as ReadonlyArray<Pull<unknown> | undefined>,
      pull2: this.pull2 as ReadonlyArray<Pull<unknown> | undefined>,
    }
    return { segments: [...this.prev.segments, segment], size: this.offset + this.vals.length }
  }
}
