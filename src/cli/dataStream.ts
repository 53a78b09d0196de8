/**
 * Data files read in chunks, for files larger than memory: a CSV file block by block (a
 * block ends at a line end outside quotes), a Parquet file row group by row group. Each
 * pass over the file reads it anew; at most one block (or row group) is held at a time.
 * Cells are checked as when a file is read whole, with the same row and column in every
 * message.
 *
 * @since 0.4.0
 */
import { parse } from 'csv-parse/sync'
import * as E from 'fp-ts/lib/Either.js'
import type { AsyncBuffer } from 'hyparquet'
import type { Dataset } from '../lr/data.js'
import { internal } from '../tensor/Tensor.js'
import {
  csvTable,
  featureCodec,
  featureProblem,
  isEmpty,
  labelOf,
  listed,
  type Layout,
  type Table,
} from './dataFile.js'
import { parquetStream } from './parquetFile.js'

/**
 * A data file opened for streaming: its column names and a pass over its chunks.
 *
 * @category model
 * @since 0.4.0
 */
export interface ChunkedFile {
  readonly names: ReadonlyArray<string>
  /**
   * A new pass over the file: its rows in chunks, as datasets (labels by `classOf`) with
   * their raw labels, or the first problem.
   */
  readonly chunks: (
    layout: Layout,
    classOf: (label: string | number) => number | undefined,
  ) => AsyncIterable<E.Either<string, Chunk>>
}

/**
 * Consecutive rows of a file: the dataset (bias first) and each row's label as read.
 *
 * @category model
 * @since 0.4.0
 */
export interface Chunk {
  readonly data: Dataset
  readonly labels: ReadonlyArray<string | number>
}

/**
 * The rows of a block of plain CSV text (no quotes) read straight into a dataset, or
 * undefined where anything is unusual (a wrong count of cells, a cell that is not a
 * plain numeral, an empty label): the caller then reads the block the careful way, which
 * gives the same numbers and words the problem.
 */
const plainBlock = (
  text: string,
  layout: Layout,
  classOf: (label: string | number) => number | undefined,
): Chunk | undefined => {
  if (text.includes('"')) return undefined
  const width = layout.names.length
  const d = layout.features.length
  // Which feature slot each column fills (−1: not a feature).
  const slot = new Int32Array(width).fill(-1)
  layout.features.forEach((j, f) => (slot[j] = f + 1))
  let rows = 0
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) rows++
  rows++
  // Fresh buffers filled here and handed to the tensors (trimmed to the rows read).
  const x = new Float64Array(rows * (d + 1))
  const y = new Float64Array(rows)
  const labels: Array<string | number> = []
  let n = 0
  let at = 0
  while (at < text.length) {
    let end = text.indexOf('\n', at)
    if (end < 0) end = text.length
    const lineEnd = text.charCodeAt(end - 1) === 13 ? end - 1 : end
    const line = text.slice(at, lineEnd)
    at = end + 1
    if (line.trim() === '') continue
    const base = n * (d + 1)
    x[base] = 1
    let from = 0
    for (let j = 0; j < width; j++) {
      const comma = j === width - 1 ? line.length : line.indexOf(',', from)
      // Too few cells, or (on the last) too many.
      if (comma < 0 || (j === width - 1 && line.indexOf(',', from) >= 0)) return undefined
      const cell = line.slice(from, comma).trim()
      from = comma + 1
      if (j === layout.label) {
        if (cell === '') return undefined
        const v = numeric.test(cell) ? Number(cell) : cell
        if (typeof v === 'number' && !Number.isFinite(v)) return undefined
        labels.push(v)
        y[n] = classOf(v) ?? -1
      } else if (slot[j]! > 0) {
        if (!numeric.test(cell)) return undefined
        const v = Number(cell)
        if (!Number.isFinite(v)) return undefined
        x[base + slot[j]!] = v
      }
    }
    n++
  }
  return {
    data: {
      x: internal.make(x.slice(0, n * (d + 1)), [n, d + 1]),
      y: internal.make(y.slice(0, n), [n]),
    },
    labels,
  }
}

/** The bytes of a block of text to read at once. */
const blockBytes = 1 << 22

const numeric = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/** The end of the last whole record of `text` (after its line end), outside quotes; 0 if none. */
const lastRecordEnd = (text: string): number => {
  // Without quotes every line end ends a record.
  if (!text.includes('"')) return text.lastIndexOf('\n') + 1
  let quoted = false
  let end = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 34) quoted = !quoted
    else if (c === 10 && !quoted) end = i + 1
  }
  return end
}

/** Rows of a block of CSV text whose first line is line `line0 + 1` of the file. */
const blockRows = (
  file: string,
  text: string,
  line0: number,
  width: number,
  names: ReadonlyArray<string>,
): E.Either<string, Table['rows']> => {
  const rows: Array<Table['rows'][number]> = []
  if (!text.includes('"')) {
    // No quotes: lines and commas are the whole grammar (the common case, and fast).
    let line = line0
    let at = 0
    while (at < text.length) {
      let end = text.indexOf('\n', at)
      if (end < 0) end = text.length
      line++
      const raw = text.charCodeAt(end - 1) === 13 ? text.slice(at, end - 1) : text.slice(at, end)
      at = end + 1
      if (raw.trim() === '') continue
      const cells = raw.split(',').map((c) => c.trim())
      if (cells.length !== width)
        return E.left(
          `${file} row ${line}: expected ${width} columns (${listed(names)}), got ${cells.length}`,
        )
      rows.push({ row: line, cells })
    }
    return E.right(rows)
  }
  let records: Array<{ readonly record: string[]; readonly info: { readonly lines: number } }>
  try {
    records = parse(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      info: true,
      trim: true,
    }) as unknown as typeof records
  } catch (e) {
    return E.left(`${file}: not valid CSV (${e instanceof Error ? e.message : String(e)})`)
  }
  for (const { record, info } of records) {
    if (record.length !== width)
      return E.left(
        `${file} row ${line0 + info.lines}: expected ${width} columns (${listed(names)}), got ${record.length}`,
      )
    rows.push({ row: line0 + info.lines, cells: record })
  }
  return E.right(rows)
}

const countLines = (text: string): number => {
  let n = 0
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++
  return n
}

/**
 * A CSV file opened for streaming from a source of its bytes (each call a new read of
 * the file). The header is judged on the first block as when the file is read whole.
 *
 * @category constructors
 * @since 0.4.0
 */
export const csvChunks = async (
  file: string,
  bytes: () => AsyncIterable<Uint8Array>,
): Promise<E.Either<string, ChunkedFile>> => {
  // Blocks of whole records as text, each with the count of lines before it.
  async function* blocks(): AsyncGenerator<readonly [string, number]> {
    const decoder = new TextDecoder('utf-8')
    let rest = ''
    let line = 0
    for await (const chunk of bytes()) {
      rest += decoder.decode(chunk, { stream: true })
      if (rest.length < blockBytes) continue
      const end = lastRecordEnd(rest)
      if (end === 0) continue
      const block = rest.slice(0, end)
      rest = rest.slice(end)
      yield [block, line]
      line += countLines(block)
    }
    rest += decoder.decode()
    if (rest.trim() !== '') yield [rest, line]
  }
  const first = await blocks().next()
  if (first.done === true) return E.left(`${file}: the file is empty (expected CSV with a header)`)
  // The header is judged on the first lines, as when the file is read whole.
  const head = first.value[0]
  const prefix = head.slice(0, lastRecordEnd(head.slice(0, 1 << 16)) || head.length)
  const table = csvTable(file, prefix)
  if (E.isLeft(table)) return table
  const { names } = table.right
  const headerLines = table.right.rows[0]!.row - 1
  return E.right({
    names,
    chunks: async function* (layout, classOf) {
      for await (const [block, line0] of blocks()) {
        let text = block
        let line = line0
        if (line0 === 0) {
          // Drop the header's lines (and a byte-order mark) from the first block.
          let at = 0
          for (let i = 0; i < headerLines; i++) at = text.indexOf('\n', at) + 1 || text.length
          text = text.slice(at).replace(/^\uFEFF/, '')
          line = headerLines
        }
        const plain = plainBlock(text, layout, classOf)
        if (plain !== undefined) {
          yield E.right(plain)
          continue
        }
        const rows = blockRows(file, text, line, names.length, names)
        if (E.isLeft(rows)) {
          yield rows
          return
        }
        const chunk = chunkOf(file, { text: true, names, rows: rows.right }, layout, classOf)
        yield chunk
        if (E.isLeft(chunk)) return
      }
    },
  })
}

/**
 * A Parquet file opened for streaming, row group by row group.
 *
 * @category constructors
 * @since 0.4.0
 */
export const parquetChunks = async (
  file: string,
  buffer: AsyncBuffer,
): Promise<E.Either<string, ChunkedFile>> => {
  const stream = await parquetStream(file, buffer)
  if (E.isLeft(stream)) return stream
  const { names, groups } = stream.right
  return E.right({
    names,
    chunks: async function* (layout, classOf) {
      for await (const table of groups()) {
        const chunk = E.chain((t: Table) => chunkOf(file, t, layout, classOf))(table)
        yield chunk
        if (E.isLeft(chunk)) return
      }
    },
  })
}

/**
 * The rows of a table as a dataset chunk (bias first; labels by `classOf`), checked cell
 * by cell. `classOf` gives undefined for a label not seen in the first pass.
 *
 * @category constructors
 * @since 0.4.0
 */
export const chunkOf = (
  file: string,
  table: Table,
  layout: Layout,
  classOf: (label: string | number) => number | undefined,
): E.Either<
  string,
  { readonly data: Dataset; readonly labels: ReadonlyArray<string | number> }
> => {
  const { names, label: at, features: used } = layout
  const Feature = featureCodec(table.text)
  const d = used.length
  const n = table.rows.length
  // Fresh buffers filled here and handed to the tensors.
  const x = new Float64Array(n * (d + 1))
  const y = new Float64Array(n)
  const labels: Array<string | number> = []
  for (let i = 0; i < n; i++) {
    const { row, cells } = table.rows[i]!
    x[i * (d + 1)] = 1
    for (let f = 0; f < d; f++) {
      const j = used[f]!
      const cell = cells[j]
      // The fast form of FiniteText for plain numerals; anything else goes through the codec.
      if (table.text && typeof cell === 'string' && numeric.test(cell)) {
        const v = Number(cell)
        if (Number.isFinite(v)) {
          x[i * (d + 1) + f + 1] = v
          continue
        }
      }
      const decoded = isEmpty(cell) ? undefined : Feature.decode(cell)
      if (decoded === undefined || E.isLeft(decoded))
        return E.left(featureProblem(file, row, names[j]!, cell, decoded === undefined))
      x[i * (d + 1) + f + 1] = decoded.right
    }
    const l = labelOf(file, row, names[at]!, cells[at])
    if (E.isLeft(l)) return l
    labels.push(l.right)
    y[i] = classOf(l.right) ?? -1
  }
  return E.right({
    data: { x: internal.make(x, [n, d + 1]), y: internal.make(y, [n]) },
    labels,
  })
}
