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

/** A block of entries over the `number` base: a struct of typed arrays. */
export interface NumberChunk {
  /** Global index of the chunk's first entry. */
  readonly start: number
  readonly length: number
  readonly vals: Float64Array
  readonly p1: Int32Array
  readonly p2: Int32Array
  readonly d1: Float64Array
  readonly d2: Float64Array
}

/**
 * A sealed run of entries over the `number` base, stored as chunks of doubling size so
 * that recording never copies what it has already written.
 */
export interface NumberSegment {
  readonly kind: 'number'
  readonly offset: number
  readonly length: number
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

/** The chunk holding global index i of a number segment. */
const chunkAt = (chunks: ReadonlyArray<NumberChunk>, i: number): NumberChunk =>
  chunks[lastStartingBy(chunks, (c) => c.start, i)]!

/** The value of entry i of a sealed tape. */
export const valueAt = (tape: Sealed, i: number): unknown => {
  const seg = segmentAt(tape, i)
  if (seg.kind === 'generic') return seg.vals[i - seg.offset]
  const chunk = chunkAt(seg.chunks, i)
  return chunk.vals[i - chunk.start]
}

/** Every value of a sealed segment, in order (a fresh array). */
export const segmentValues = (seg: Segment): unknown[] =>
  seg.kind === 'generic'
    ? [...seg.vals]
    : seg.chunks.flatMap((c) => Array.from(c.vals.subarray(0, c.length)))

// Chunks start at 2ˢ entries (s from 6 to 20, 2⁶ unless the builder is told how long a
// tape to expect) and double, so chunk boundaries are found with shifts.
const smallestShift = 6
const largestShift = 20

/** The shift of a first chunk that holds `expected` entries, within the bounds above. */
const shiftFor = (expected: number): number =>
  Math.min(largestShift, Math.max(smallestShift, 32 - Math.clz32(Math.max(0, expected - 1))))

const sealedError = (): Error =>
  new Error(
    'Tape: a reverse-mode instance was used after its record action ended; values of a tape cannot be extended once it is sealed',
  )

/** The bytes of a chunk of `cap` entries. */
const chunkBytes = (cap: number): number => cap * 32

/** The five arrays of a chunk as views of one buffer: one allocation instead of five. */
const chunkArrays = (cap: number, buffer = new ArrayBuffer(chunkBytes(cap))) => {
  return {
    vals: new Float64Array(buffer, 0, cap),
    d1: new Float64Array(buffer, 8 * cap, cap),
    d2: new Float64Array(buffer, 16 * cap, cap),
    p1: new Int32Array(buffer, 24 * cap, cap),
    p2: new Int32Array(buffer, 28 * cap, cap),
  }
}

/** Fills one number segment during one record action. */
export class NumberBuilder {
  // The chunk being filled, in fields so that push and value stay monomorphic and short.
  vals!: Float64Array
  p1!: Int32Array
  p2!: Int32Array
  d1!: Float64Array
  d2!: Float64Array
  /** Global index of the current chunk's first entry, its capacity, and its fill. */
  start: number
  capacity: number
  used = 0
  sealed = false
  readonly offset: number
  private readonly full: NumberChunk[] = []

  /** log2 of the first chunk's capacity. */
  private readonly shift: number

  /** The first chunk's storage, and whether it was handed back by `release`. */
  private readonly first: ArrayBuffer
  private released = false

  /**
   * A builder after the tape `prev`; `expected`, how many entries the recording is likely
   * to make (say, as many as last time), sizes its first chunk so that a recording of
   * that length fills one chunk: its values are then read from one array, and no chunk
   * is allocated twice over. `spare`, storage that `release` handed back from an earlier
   * tape, holds the first chunk when it is large enough: no fresh memory to map and zero
   * (entries are written before they are read, so what it held does not matter). Any
   * `expected` and `spare` give the same tape.
   */
  constructor(
    readonly prev: Sealed,
    expected = 0,
    spare?: ArrayBuffer,
  ) {
    this.offset = prev.size
    this.start = prev.size
    const shift = shiftFor(expected)
    const reuse = spare !== undefined && spare.byteLength >= chunkBytes(1 << shift)
    // A spare of a larger chunk keeps its size (always 32·2ˢ bytes, s within the bounds).
    this.shift = reuse ? shiftFor(spare.byteLength / 32) : shift
    this.capacity = 1 << this.shift
    this.first = reuse ? spare : new ArrayBuffer(chunkBytes(this.capacity))
    this.open(this.capacity, this.first)
  }

  /**
   * Hands back the first chunk's storage for the next recording, once the sealed tape is
   * unreachable (its owner read all it needs); the builder refuses reads from then on.
   */
  release(): ArrayBuffer {
    this.released = true
    this.full.length = 0
    return this.first
  }

  /** Makes a chunk of the given capacity the current one. */
  private open(cap: number, buffer?: ArrayBuffer): void {
    const c = chunkArrays(cap, buffer)
    this.vals = c.vals
    this.p1 = c.p1
    this.p2 = c.p2
    this.d1 = c.d1
    this.d2 = c.d2
  }

  private current(): NumberChunk {
    const { start, used: length, vals, p1, p2, d1, d2 } = this
    return { start, length, vals, p1, p2, d1, d2 }
  }

  /** Starts a chunk twice the size of the last: recording never copies old entries. */
  private nextChunk(): void {
    if (this.sealed) throw sealedError()
    this.full.push(this.current())
    const cap = this.capacity * 2
    this.start += this.used
    this.capacity = cap
    this.used = 0
    this.open(cap)
  }

  /** Appends an entry with up to two parents (index −1: none); returns its global index. */
  push(v: number, a: number, da: number, b: number, db: number): number {
    // A sealed builder has capacity 0, so this test also refuses writes after sealing.
    if (this.used === this.capacity) this.nextChunk()
    const i = this.used++
    this.vals[i] = v
    this.p1[i] = a
    this.d1[i] = da
    this.p2[i] = b
    this.d2[i] = db
    return this.start + i
  }

  value(i: number): number {
    const j = i - this.start
    if (j >= 0 && j < this.used) return this.vals[j]!
    return this.olderValue(i)
  }

  private olderValue(i: number): number {
    if (this.released) throw sealedError()
    if (i >= this.offset && i < this.start) {
      // Chunk k holds local indices [c·(2ᵏ − 1), c·(2ᵏ⁺¹ − 1)) for the initial capacity c,
      // so the chunk is found by arithmetic, not by search: inputs recorded first are read
      // all through a recording.
      const j = i - this.offset
      const k = 31 - Math.clz32((j >> this.shift) + 1)
      const c = 1 << this.shift
      return this.full[k]!.vals[j - ((c << k) - c)]!
    }
    return valueAt(this.prev, i) as number
  }

  seal(): Sealed {
    const length = this.start + this.used - this.offset
    // The last chunk joins the full ones, so reads after sealing still find every value.
    this.full.push(this.current())
    const chunks = [...this.full]
    this.sealed = true
    this.start = this.offset + length
    this.capacity = 0
    this.used = 0
    const segment: NumberSegment = { kind: 'number', offset: this.offset, length, chunks }
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
