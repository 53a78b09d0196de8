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

/** The parents and partials of a block of entries over the `number` base. */
export interface NumberChunk {
  /** Global index of the chunk's first entry. */
  readonly start: number
  readonly length: number
  readonly p1: Int32Array
  readonly p2: Int32Array
  readonly d1: Float64Array
  readonly d2: Float64Array
}

/**
 * A sealed run of entries over the `number` base: its values in one array (entry
 * `offset + j` at j), its parents and partials in chunks of doubling size, so that
 * recording copies only values (8 bytes an entry) as it grows.
 */
export interface NumberSegment {
  readonly kind: 'number'
  readonly offset: number
  readonly length: number
  readonly vals: Float64Array
  readonly chunks: ReadonlyArray<NumberChunk>
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

// Chunks start at 2ˢ entries (s from 6 to 20, 2⁶ unless the builder is told how long a
// tape to expect) and double.
const smallestShift = 6
const largestShift = 20

/** The shift of a first chunk that holds `expected` entries, within the bounds above. */
const shiftFor = (expected: number): number =>
  Math.min(largestShift, Math.max(smallestShift, 32 - Math.clz32(Math.max(0, expected - 1))))

const sealedError = (): Error =>
  new Error(
    'Tape: a reverse-mode instance was used after its record action ended; values of a tape cannot be extended once it is sealed',
  )

/** The bytes of a first chunk of `cap` entries: its values, parents and partials. */
const chunkBytes = (cap: number): number => cap * 32

/** The four arrays of a chunk (after `skip` bytes of its buffer): one allocation, not four. */
const chunkArrays = (cap: number, buffer = new ArrayBuffer(24 * cap), skip = 0) => ({
  d1: new Float64Array(buffer, skip, cap),
  d2: new Float64Array(buffer, skip + 8 * cap, cap),
  p1: new Int32Array(buffer, skip + 16 * cap, cap),
  p2: new Int32Array(buffer, skip + 20 * cap, cap),
})

/**
 * Fills one number segment during one record action. Its values are one array, so an op
 * reads an operand's value with one subtraction and one bounds test, wherever in the
 * segment the operand was recorded; the array doubles by copying as chunks are added.
 * Parents and partials go to chunks of doubling size, never copied.
 */
export class NumberBuilder {
  /** Every value of the segment, entry `offset + j` at j, and how many there are. */
  vals: Float64Array
  length = 0
  // The chunk being filled, in fields so that push stays monomorphic and short.
  p1!: Int32Array
  p2!: Int32Array
  d1!: Float64Array
  d2!: Float64Array
  /** The current chunk's capacity and fill. */
  capacity: number
  used = 0
  sealed = false
  readonly offset: number
  private readonly full: NumberChunk[] = []

  /** The first chunk's storage (with the first values), and whether `release` handed it back. */
  private readonly first: ArrayBuffer
  private released = false

  /**
   * A builder after the tape `prev`; `expected`, how many entries the recording is likely
   * to make (say, as many as last time), sizes its first chunk so that a recording of
   * that length fills one chunk: nothing is then allocated or copied as it grows.
   * `spare`, storage that `release` handed back from an earlier tape, holds the first
   * chunk when it is large enough: no fresh memory to map and zero (entries are written
   * before they are read, so what it held does not matter). Any `expected` and `spare`
   * give the same tape.
   */
  constructor(
    readonly prev: Sealed,
    expected = 0,
    spare?: ArrayBuffer,
  ) {
    this.offset = prev.size
    const shift = shiftFor(expected)
    const reuse = spare !== undefined && spare.byteLength >= chunkBytes(1 << shift)
    // A spare of a larger chunk keeps its size (always 32·2ˢ bytes, s within the bounds).
    this.capacity = 1 << (reuse ? shiftFor(spare.byteLength / 32) : shift)
    this.first = reuse ? spare : new ArrayBuffer(chunkBytes(this.capacity))
    this.vals = new Float64Array(this.first, 0, this.capacity)
    this.open(chunkArrays(this.capacity, this.first, 8 * this.capacity))
  }

  /**
   * Hands back the first chunk's storage for the next recording, once the sealed tape is
   * unreachable (its owner read all it needs); the builder refuses reads from then on.
   */
  release(): ArrayBuffer {
    this.released = true
    this.length = 0
    this.full.length = 0
    return this.first
  }

  /** Makes a chunk the current one. */
  private open(c: ReturnType<typeof chunkArrays>): void {
    this.p1 = c.p1
    this.p2 = c.p2
    this.d1 = c.d1
    this.d2 = c.d2
  }

  private current(): NumberChunk {
    const { length, used, p1, p2, d1, d2 } = this
    return { start: this.offset + length - used, length: used, p1, p2, d1, d2 }
  }

  /** Starts a chunk twice the size of the last, and makes room for its values. */
  nextChunk(): void {
    if (this.sealed) throw sealedError()
    this.full.push(this.current())
    this.capacity *= 2
    this.used = 0
    this.open(chunkArrays(this.capacity))
    const vals = new Float64Array(this.length + this.capacity)
    vals.set(this.vals.subarray(0, this.length))
    this.vals = vals
  }

  /** Appends an entry with up to two parents (index −1: none); returns its global index. */
  push(v: number, a: number, da: number, b: number, db: number): number {
    // A sealed builder has capacity 0, so this test also refuses writes after sealing.
    if (this.used >= this.capacity) this.nextChunk()
    const k = this.used++
    const n = this.length++
    this.vals[n] = v
    this.p1[k] = a
    this.d1[k] = da
    this.p2[k] = b
    this.d2[k] = db
    return this.offset + n
  }

  value(i: number): number {
    const j = i - this.offset
    if (j >= 0 && j < this.length) return this.vals[j]!
    return this.olderValue(i)
  }

  /** A value of the tape before this segment (or a refusal after `release`). */
  private olderValue(i: number): number {
    if (this.released) throw sealedError()
    return valueAt(this.prev, i) as number
  }

  seal(): Sealed {
    const { offset, length, vals } = this
    // The last chunk joins the full ones; reads after sealing still find every value.
    this.full.push(this.current())
    const chunks = [...this.full]
    this.sealed = true
    this.capacity = 0
    this.used = 0
    const segment: NumberSegment = { kind: 'number', offset, length, vals, chunks }
    return { segments: [...this.prev.segments, segment], size: offset + length }
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
