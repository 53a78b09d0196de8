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
  /** A new pass over the file: tables of consecutive rows, or the first problem. */
  readonly tables: () => AsyncIterable<E.Either<string, Table>>
}

/** The bytes of a block of text to read at once. */
const blockBytes = 1 << 22

const numeric = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/** The end of the last whole record of `text` (after its line end), outside quotes; 0 if none. */
const lastRecordEnd = (text: string): number => {
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
  const head = csvTable(file, first.value[0])
  if (E.isLeft(head)) return head
  const { names } = head.right
  return E.right({
    names,
    tables: async function* () {
      let firstBlock = true
      for await (const [text, line] of blocks()) {
        if (firstBlock) {
          firstBlock = false
          const table = csvTable(file, text)
          yield table
          if (E.isLeft(table)) return
          continue
        }
        const rows = blockRows(file, text, line, names.length, names)
        yield E.map((r: Table['rows']) => ({ text: true, names, rows: r }))(rows)
        if (E.isLeft(rows)) return
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
  return E.right({ names: stream.right.names, tables: stream.right.groups })
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
