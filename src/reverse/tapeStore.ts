/**
 * Storage of a reverse-mode tape: sealed, immutable segments, and the builder that
 * fills one segment during a single `record` action.
 *
 * Over the `number` base a segment is a struct of typed arrays (values, parent indices,
 * local partials), 32 bytes per entry. Over any other base (duals, tape variables,
 * tensors) an entry holds the base value and a pullback per parent.
 *
 * A constant (a value that depends on no input variable) is a leaf entry like any
 * other; what marks it is its handle: a variable is the entry's index `i ≥ 0`, a
 * constant the negative handle `~i` (see `Var.ts`), so an op sees from its operands
 * alone which ones need a partial. A builder is
 * created inside one action, grows its arrays by doubling, and is sealed when the
 * action ends; after that it refuses every write, so a sealed tape never changes.
 */

import { showKind } from '../util/showKind.js'

/** One parent's share of an adjoint: maps the entry's adjoint to the parent's. */
export type Pull<B> = (u: B) => B

/**
 * A sealed run of entries over the `number` base: a struct of typed arrays, entry i of
 * the segment at index i (its global index is `offset + i`).
 */
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

/** The index of the last item whose start is ≤ i (items sorted by start), by bisection. */
const lastStartingBy = <T>(
  items: ReadonlyArray<T>,
  startOf: (t: T) => number,
  i: number,
): number => {
  let lo = 0
  let hi = items.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (startOf(items[mid]!) <= i) lo = mid
    else hi = mid - 1
  }
  return lo
}

/** The segment holding global index i. */
export const segmentAt = (tape: Sealed, i: number): Segment => {
  if (typeof i !== 'number') {
    // A value from outside the mode (a Tensor closed over) where a variable is due.
    throw new Error(
      `reverse mode: an operand is ${showKind(i)}, not a value of this mode; bring a value from outside in with T.constant(t), or pass it as a data argument`,
    )
  }
  const seg = tape.segments[lastStartingBy(tape.segments, (s) => s.offset, i)]
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

/** Every value of a sealed segment, in order (a fresh array). */
export const segmentValues = (seg: Segment): unknown[] =>
  seg.kind === 'generic' ? [...seg.vals] : Array.from(seg.vals.subarray(0, seg.length))

// The first capacity is 2ˢ entries, s at least 6 (more when the builder is told how long
// a tape to expect); the arrays double, by copying, when they are full.
const smallestShift = 6

/** The capacity, a power of two, of storage that holds `expected` entries. */
const capacityFor = (expected: number): number =>
  2 ** Math.max(smallestShift, 32 - Math.clz32(Math.max(0, expected - 1)))

const sealedError = (): Error =>
  new Error(
    'Tape: a reverse-mode instance was used after its record action ended; values of a tape cannot be extended once it is sealed',
  )

/** The bytes of storage for `cap` entries. */
const storageBytes = (cap: number): number => cap * 32

/** The five arrays of a segment as views of one buffer: one allocation instead of five. */
const storageArrays = (cap: number, buffer: ArrayBuffer) => ({
  vals: new Float64Array(buffer, 0, cap),
  d1: new Float64Array(buffer, 8 * cap, cap),
  d2: new Float64Array(buffer, 16 * cap, cap),
  p1: new Int32Array(buffer, 24 * cap, cap),
  p2: new Int32Array(buffer, 28 * cap, cap),
})

/**
 * Fills one number segment during one record action: five arrays, contiguous, so that an
 * op reads an operand's value with one subtraction and one bounds test (the op's code is
 * then small enough for the JIT to inline into the user's loop whole).
 */
export class NumberBuilder {
  // The arrays, in fields so that push and value stay monomorphic and short.
  vals!: Float64Array
  p1!: Int32Array
  p2!: Int32Array
  d1!: Float64Array
  d2!: Float64Array
  /** How many entries the arrays hold, and how many are written. */
  capacity: number
  used = 0
  sealed = false
  readonly offset: number
  private storage: ArrayBuffer
  private released = false

  /**
   * A builder after the tape `prev`; `expected`, how many entries the recording is likely
   * to make (say, as many as last time), sizes its arrays so that they never grow during
   * the recording. `spare`, storage that `release` handed back from an earlier tape,
   * holds them when it is large enough: no fresh memory to map and zero (entries are
   * written before they are read, so what it held does not matter). Any `expected` and
   * `spare` give the same tape.
   */
  constructor(
    readonly prev: Sealed,
    expected = 0,
    spare?: ArrayBuffer,
  ) {
    this.offset = prev.size
    const cap = capacityFor(expected)
    const reuse = spare !== undefined && spare.byteLength >= storageBytes(cap)
    // A larger spare keeps its size (always 32·2ˢ bytes).
    this.capacity = reuse ? spare.byteLength / 32 : cap
    this.storage = reuse ? spare : new ArrayBuffer(storageBytes(this.capacity))
    this.open()
  }

  /**
   * Hands back the storage for the next recording, once the sealed tape is unreachable
   * (its owner read all it needs); the builder refuses reads from then on.
   */
  release(): ArrayBuffer {
    this.released = true
    this.used = 0
    return this.storage
  }

  private open(): void {
    const c = storageArrays(this.capacity, this.storage)
    this.vals = c.vals
    this.p1 = c.p1
    this.p2 = c.p2
    this.d1 = c.d1
    this.d2 = c.d2
  }

  /** Doubles the arrays, copying what is written (amortised: one copy per entry). */
  grow(): void {
    if (this.sealed) throw sealedError()
    const { vals, p1, p2, d1, d2, used } = this
    this.capacity *= 2
    this.storage = new ArrayBuffer(storageBytes(this.capacity))
    this.open()
    this.vals.set(vals.subarray(0, used))
    this.p1.set(p1.subarray(0, used))
    this.p2.set(p2.subarray(0, used))
    this.d1.set(d1.subarray(0, used))
    this.d2.set(d2.subarray(0, used))
  }

  /** Appends an entry with up to two parents (index −1: none); returns its global index. */
  push(v: number, a: number, da: number, b: number, db: number): number {
    // A sealed builder has capacity 0, so this test also refuses writes after sealing.
    if (this.used >= this.capacity) this.grow()
    const i = this.used++
    this.vals[i] = v
    this.p1[i] = a
    this.d1[i] = da
    this.p2[i] = b
    this.d2[i] = db
    return this.offset + i
  }

  value(i: number): number {
    const j = i - this.offset
    if (j >= 0 && j < this.used) return this.vals[j]!
    return this.olderValue(i)
  }

  /** A value of the tape before this segment (or a refusal after `release`). */
  private olderValue(i: number): number {
    if (this.released) throw sealedError()
    return valueAt(this.prev, i) as number
  }

  seal(): Sealed {
    const length = this.used
    const { offset, vals, p1, p2, d1, d2 } = this
    this.sealed = true
    // Reads after sealing still find every value; writes find no room.
    this.capacity = 0
    const segment: NumberSegment = { kind: 'number', offset, length, vals, p1, p2, d1, d2 }
    return { segments: [...this.prev.segments, segment], size: this.offset + length }
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
