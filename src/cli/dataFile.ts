/**
 * Data files for `ad-ts lr --data FILE`: CSV (`x1,x2,y`, with or without a header,
 * CRLF or LF, quoted cells) or JSON (`[{ "x1": …, "x2": …, "y": … }]` or
 * `{ "x": [[x1, x2], …], "y": […] }`), decoded with io-ts into a dataset with the bias
 * column added. Every problem is reported with the file, the row (1-based: for CSV the
 * line in the file, header included) and the column.
 *
 * @since 0.1.0
 */
import { parse } from 'csv-parse/sync'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { problems } from '../decode.js'
import type { Dataset } from '../lr/data.js'
import { showBrief } from '../show.js'
import { internal } from '../Tensor.js'

/**
 * A decoded row.
 *
 * @category model
 * @since 0.1.0
 */
export interface Row {
  readonly x1: number
  readonly x2: number
  readonly y: 0 | 1
}

const numeric = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/** A finite number written as text (CSV cells). */
const FiniteFromString = new t.Type<number, string, unknown>(
  'a finite number',
  (u): u is number => typeof u === 'number' && Number.isFinite(u),
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c, 'a finite number')
    const s = u.trim()
    const n = Number(s)
    return numeric.test(s) && Number.isFinite(n) ? t.success(n) : t.failure(u, c, 'a finite number')
  },
  String,
)

/** A finite JSON number (a string holding a number is refused: JSON has numbers). */
const FiniteJson = new t.Type<number, number, unknown>(
  'a finite number',
  (u): u is number => typeof u === 'number' && Number.isFinite(u),
  (u, c) =>
    typeof u === 'number' && Number.isFinite(u) ? t.success(u) : t.failure(u, c, 'a finite number'),
  (n) => n,
)

const label = <I>(from: t.Type<number, I, unknown>) =>
  new t.Type<0 | 1, I, unknown>(
    '0 or 1',
    (u): u is 0 | 1 => u === 0 || u === 1,
    (u, c) => {
      const n = from.decode(u)
      return E.isRight(n) && (n.right === 0 || n.right === 1)
        ? t.success(n.right)
        : t.failure(u, c, '0 or 1')
    },
    (y) => from.encode(y),
  )

/** The codec of one CSV row, cells as text. */
export const CsvRow = t.type({
  x1: FiniteFromString,
  x2: FiniteFromString,
  y: label(FiniteFromString),
})

/** The codec of one JSON row. */
export const JsonRow = t.type({ x1: FiniteJson, x2: FiniteJson, y: label(FiniteJson) })

/** The codec of the columnar JSON form. */
export const JsonColumns = t.type({
  x: t.array(t.tuple([FiniteJson, FiniteJson], '[x1, x2]'), 'an array of [x1, x2] pairs'),
  y: t.array(label(FiniteJson), 'an array of labels'),
})

const columns = ['x1', 'x2', 'y'] as const

/** A parser's complaint on one short line: it may quote the input, newlines and all. */
const parserMessage = (e: unknown): string => {
  const text = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim()
  return text.length > 120 ? `${text.slice(0, 117)}...` : text
}

const rowError = (file: string, row: number, errors: t.Errors): string => {
  const p = problems(errors)[0]!
  const column = p.path[p.path.length - 1]
  return `${file} row ${row}${column === undefined ? '' : `, column ${column}`}: expected ${p.expected}, got ${p.value === undefined ? 'nothing' : showBrief(p.value)}`
}

/** Rows of a CSV text, or the first problem. */
export const csvRows = (file: string, text: string): E.Either<string, ReadonlyArray<Row>> => {
  let records: Array<{ readonly record: string[]; readonly info: { readonly lines: number } }>
  try {
    records = parse(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      info: true,
      bom: true,
    }) as unknown as typeof records
  } catch (e) {
    return E.left(`${file}: not valid CSV (${parserMessage(e)})`)
  }
  if (records.length === 0) return E.left(`${file}: no data rows (expected lines of x1,x2,y)`)
  const first = records[0]!.record.map((c) => c.trim())
  // A header has no numeric cell; a data row with one bad cell is reported as data.
  const hasHeader = first.every((c) => !numeric.test(c))
  let order: ReadonlyArray<number> = [0, 1, 2]
  if (hasHeader) {
    const names = first.map((c) => c.toLowerCase())
    if (names.length !== 3 || !columns.every((c) => names.includes(c))) {
      return E.left(
        `${file} row 1: expected a header of the columns x1, x2 and y (or no header), got ${showBrief(first)}`,
      )
    }
    order = columns.map((c) => names.indexOf(c))
  }
  const body = hasHeader ? records.slice(1) : records
  if (body.length === 0) return E.left(`${file}: no data rows after the header`)
  const rows: Row[] = []
  for (const { record, info } of body) {
    const line = info.lines
    if (record.length !== 3) {
      return E.left(`${file} row ${line}: expected 3 columns (x1, x2, y), got ${record.length}`)
    }
    const decoded = CsvRow.decode({
      x1: record[order[0]!],
      x2: record[order[1]!],
      y: record[order[2]!],
    })
    if (E.isLeft(decoded)) return E.left(rowError(file, line, decoded.left))
    rows.push(decoded.right)
  }
  return E.right(rows)
}

/** Rows of a JSON text (either form), or the first problem. */
export const jsonRows = (file: string, text: string): E.Either<string, ReadonlyArray<Row>> => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    return E.left(`${file}: not valid JSON (${parserMessage(e)})`)
  }
  if (Array.isArray(value)) {
    if (value.length === 0)
      return E.left(`${file}: no data rows (expected [{ "x1", "x2", "y" }, …])`)
    const rows: Row[] = []
    for (let i = 0; i < value.length; i++) {
      const decoded = JsonRow.decode(value[i])
      if (E.isLeft(decoded)) return E.left(rowError(file, i + 1, decoded.left))
      rows.push(decoded.right)
    }
    return E.right(rows)
  }
  const decoded = JsonColumns.decode(value)
  if (E.isLeft(decoded)) {
    const p = problems(decoded.left)[0]!
    const [field, index, inner] = p.path
    if (index === undefined) {
      return E.left(
        `${file}: expected [{ "x1", "x2", "y" }, …] or { "x": [[x1, x2], …], "y": […] }, got ${field === undefined ? showBrief(value) : `a bad field ${field}`}`,
      )
    }
    const column = field === 'y' ? 'y' : inner === '1' ? 'x2' : inner === '0' ? 'x1' : 'x'
    return E.left(
      `${file} row ${Number(index) + 1}, column ${column}: expected ${p.expected}, got ${p.value === undefined ? 'nothing' : showBrief(p.value)}`,
    )
  }
  const { x, y } = decoded.right
  if (x.length !== y.length) return E.left(`${file}: x has ${x.length} rows but y has ${y.length}`)
  if (x.length === 0) return E.left(`${file}: no data rows`)
  return E.right(x.map(([x1, x2], i) => ({ x1, x2, y: y[i]! })))
}

/**
 * A dataset from rows: `x` gets the bias column first, `[n, 3]`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const datasetOf = (rows: ReadonlyArray<Row>): Dataset => {
  // Fresh buffers filled here and handed to the tensors: nothing else holds them.
  const x = new Float64Array(3 * rows.length)
  const y = new Float64Array(rows.length)
  rows.forEach((r, i) => {
    x[3 * i] = 1
    x[3 * i + 1] = r.x1
    x[3 * i + 2] = r.x2
    y[i] = r.y
  })
  return { x: internal.make(x, [rows.length, 3]), y: internal.make(y, [rows.length]) }
}

/**
 * Decodes a data file's text, choosing JSON for a `.json` name or a text starting with
 * `[` or `{`, CSV otherwise.
 *
 * @category constructors
 * @since 0.1.0
 */
export const decodeDataFile = (file: string, text: string): E.Either<string, Dataset> => {
  const isJson = file.toLowerCase().endsWith('.json') || /^\s*[[{]/.test(text)
  if (text.trim() === '')
    return E.left(`${file}: the file is empty (expected CSV x1,x2,y or JSON rows)`)
  return E.map(datasetOf)(isJson ? jsonRows(file, text) : csvRows(file, text))
}
