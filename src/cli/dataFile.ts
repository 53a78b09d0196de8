/**
 * Data files for `ad-ts lr --data FILE`: a CSV with a header of column names (or no
 * header: then the columns are x1, x2, …, y), CRLF or LF, quoted cells; or JSON, either
 * rows `[{ "name": value, … }, …]` (every row with the same fields) or columns
 * `{ "x": [[…], …], "y": […] }`. One column is the label (`--label NAME`, default the
 * last); its values, numbers or strings, become the classes in sorted order. The other
 * columns are the numeric features, all of them unless `features` names some or `drop`
 * leaves some out; a column in use is never skipped silently: a cell that is not a number
 * refuses the file, and the message says how to leave the column out. Parquet files are
 * read by hyparquet (`parquetFile.ts`) into the same table. Cells are decoded with io-ts;
 * every problem names the file, the row (1-based: for CSV the line in the file, header
 * included; for JSON and Parquet the row) and the column.
 *
 * @since 0.1.0
 */
import { parse } from 'csv-parse/sync'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import type { Dataset } from '../lr/data.js'
import { showBrief } from '../util/show.js'
import { internal } from '../tensor/Tensor.js'

/**
 * A decoded data file: the dataset (bias column first, labels 0..k−1), the feature names
 * in column order and the classes (label k−1 is `classes[k − 1]`).
 *
 * @category model
 * @since 0.3.0
 */
export interface LabelledData {
  readonly data: Dataset
  readonly features: ReadonlyArray<string>
  readonly classes: ReadonlyArray<string | number>
}

/**
 * A table read from a file: column names and rows of raw cells, each with its row number.
 *
 * @category model
 * @since 0.4.0
 */
export interface Table {
  /** Whether cells are text (CSV) rather than values (JSON, Parquet). */
  readonly text: boolean
  readonly names: ReadonlyArray<string>
  readonly rows: ReadonlyArray<{ readonly row: number; readonly cells: ReadonlyArray<unknown> }>
}

/**
 * Which columns of a file to use.
 *
 * @category model
 * @since 0.4.0
 */
export interface ColumnChoice {
  /** The label column (default the last). */
  readonly label?: string
  /** The feature columns, in this order (default every column but the label, in file order). */
  readonly features?: ReadonlyArray<string>
  /** Columns to leave out. */
  readonly drop?: ReadonlyArray<string>
}

/**
 * The columns in use: the label's index and the features' indices, with their names.
 *
 * @category model
 * @since 0.4.0
 */
export interface Layout {
  readonly names: ReadonlyArray<string>
  readonly label: number
  readonly features: ReadonlyArray<number>
}

const numeric = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/** A finite number written as text (CSV cells). */
const FiniteText = new t.Type<number, string, unknown>(
  'a finite number',
  (u): u is number => typeof u === 'number' && Number.isFinite(u),
  (u, c) => {
    if (typeof u !== 'string' || !numeric.test(u.trim())) return t.failure(u, c)
    const n = Number(u.trim())
    return Number.isFinite(n) ? t.success(n) : t.failure(u, c)
  },
  String,
)

/**
 * A finite number as a value (a string holding a number is refused: JSON and Parquet have
 * numbers); a Parquet INT64 (a bigint) within ±2⁵³ is that number.
 */
const FiniteJson = new t.Type<number, number, unknown>(
  'a finite number',
  (u): u is number => typeof u === 'number' && Number.isFinite(u),
  (u, c) =>
    typeof u === 'number' && Number.isFinite(u)
      ? t.success(u)
      : typeof u === 'bigint' && Number.isSafeInteger(Number(u))
        ? t.success(Number(u))
        : t.failure(u, c),
  (n) => n,
)

/** A label: a finite number or a non-empty string. */
const LabelCell = t.union([FiniteJson, FiniteText, t.string], 'a class label (a number or a name)')

/**
 * The most classes a label column may hold: more usually means the label is a
 * continuous column (a forgotten `--label`).
 *
 * @category utils
 * @since 0.3.0
 */
export const maxClasses = 100

/** A parser's complaint on one short line: it may quote the input, newlines and all. */
const parserMessage = (e: unknown): string => {
  const text = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim()
  return text.length > 120 ? `${text.slice(0, 117)}...` : text
}

export const isEmpty = (u: unknown): boolean =>
  u === undefined || u === null || (typeof u === 'string' && u.trim() === '')

/** The table of a CSV text, or the first problem. */
export const csvTable = (file: string, text: string): E.Either<string, Table> => {
  let records: Array<{ readonly record: string[]; readonly info: { readonly lines: number } }>
  try {
    records = parse(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      info: true,
      bom: true,
      // Spaces around a cell, quoted or not, are not part of it.
      trim: true,
    }) as unknown as typeof records
  } catch (e) {
    return E.left(`${file}: not valid CSV (${parserMessage(e)})`)
  }
  if (records.length === 0) return E.left(`${file}: no data rows (expected a header and rows)`)
  const first = records[0]!.record.map((c) => c.trim())
  const second = records[1]?.record.map((c) => c.trim())
  // A header has no numeric cell; or its numeric cells are whole numbers (years, codes)
  // and one of its other cells names a column whose next cell is a number ("2019,2020,y"
  // over "1,2,0"). A data row with one bad cell is reported as data.
  const hasHeader =
    first.every((c) => !numeric.test(c)) ||
    (second !== undefined &&
      first.every((c) => !numeric.test(c) || /^[+-]?\d+$/.test(c)) &&
      first.some((c, j) => !numeric.test(c) && numeric.test(second[j] ?? '')))
  const names = hasHeader
    ? first
    : first.map((_, j) => (j === first.length - 1 ? 'y' : `x${j + 1}`))
  const body = hasHeader ? records.slice(1) : records
  if (body.length === 0) return E.left(`${file}: no data rows after the header`)
  const rows: Array<Table['rows'][number]> = []
  for (const { record, info } of body) {
    if (record.length !== names.length) {
      return E.left(
        `${file} row ${info.lines}: expected ${names.length} columns (${listed(names)}), got ${record.length}`,
      )
    }
    rows.push({ row: info.lines, cells: record })
  }
  return E.right({ text: true, names, rows })
}

export const listed = (names: ReadonlyArray<string>): string =>
  names.length <= 6
    ? names.join(', ')
    : `${names.slice(0, 5).join(', ')}, … ${names[names.length - 1]}`

const shapes = '[{ "name": value, … }, …] or { "x": [[…], …], "y": […] }'

/** The table of a JSON text (either form), or the first problem. */
const jsonTable = (file: string, text: string): E.Either<string, Table> => {
  let value: unknown
  try {
    // A byte-order mark is not part of the JSON text.
    value = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (e) {
    return E.left(`${file}: not valid JSON (${parserMessage(e)})`)
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return E.left(`${file}: no data rows (expected ${shapes})`)
    const isRow = (r: unknown): r is Record<string, unknown> =>
      typeof r === 'object' && r !== null && !Array.isArray(r)
    const head = value[0]
    if (!isRow(head))
      return E.left(`${file} row 1: expected an object of named values, got ${showBrief(head)}`)
    const names = Object.keys(head)
    const rows: Array<Table['rows'][number]> = []
    for (let i = 0; i < value.length; i++) {
      const r: unknown = value[i]
      if (!isRow(r))
        return E.left(
          `${file} row ${i + 1}: expected an object of named values, got ${showBrief(r)}`,
        )
      const extra = Object.keys(r).find((k) => !names.includes(k))
      if (extra !== undefined) {
        return E.left(
          `${file} row ${i + 1}, column ${extra}: a column that row 1 does not have (expected ${listed(names)})`,
        )
      }
      const missing = names.find((k) => !(k in r))
      if (missing !== undefined)
        return E.left(`${file} row ${i + 1}, column ${missing}: expected a value, got nothing`)
      rows.push({ row: i + 1, cells: names.map((k) => r[k]) })
    }
    return E.right({ text: false, names, rows })
  }
  if (typeof value !== 'object' || value === null)
    return E.left(`${file}: expected ${shapes}, got ${showBrief(value)}`)
  const fields = Object.keys(value)
  const { x, y } = value as { readonly x?: unknown; readonly y?: unknown }
  const stray = fields.find((f) => f !== 'x' && f !== 'y')
  if (stray !== undefined || !Array.isArray(x) || !Array.isArray(y)) {
    return E.left(
      `${file}: expected ${shapes}, got ${stray === undefined ? 'an object without arrays x and y' : `a field ${stray}`}`,
    )
  }
  if (x.length !== y.length) return E.left(`${file}: x has ${x.length} rows but y has ${y.length}`)
  if (x.length === 0) return E.left(`${file}: no data rows`)
  const width = Array.isArray(x[0]) ? (x[0] as unknown[]).length : -1
  if (width < 1)
    return E.left(
      `${file} row 1, column x: expected an array of feature values, got ${showBrief(x[0])}`,
    )
  const names = [...Array.from({ length: width }, (_, j) => `x${j + 1}`), 'y']
  const rows: Array<Table['rows'][number]> = []
  for (let i = 0; i < x.length; i++) {
    const r: unknown = x[i]
    if (!Array.isArray(r) || r.length !== width) {
      return E.left(
        `${file} row ${i + 1}, column x: expected ${width} feature values (as in row 1), got ${showBrief(r)}`,
      )
    }
    rows.push({ row: i + 1, cells: [...(r as unknown[]), y[i]] })
  }
  return E.right({ text: false, names, rows })
}

/** The sorted classes of the label cells: numerically when all are numbers, else as text. */
const classesOf = (labels: ReadonlyArray<string | number>): ReadonlyArray<string | number> => {
  const distinct = [...new Set(labels)]
  return distinct.every((l) => typeof l === 'number')
    ? (distinct as number[]).sort((a, b) => a - b)
    : distinct.map(String).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/**
 * The columns of a file in use, chosen by name: the label (default the last column) and
 * the features (`features`, or every other column but those in `drop`).
 *
 * @category constructors
 * @since 0.4.0
 */
export const layoutOf = (
  file: string,
  names: ReadonlyArray<string>,
  choice: ColumnChoice,
): E.Either<string, Layout> => {
  const blank = names.findIndex((n) => n.trim() === '')
  if (blank >= 0) return E.left(`${file} row 1, column ${blank + 1}: the column has no name`)
  const twice = names.findIndex((n, j) => names.indexOf(n) !== j)
  if (twice >= 0) {
    return E.left(
      `${file} row 1: the column name ${JSON.stringify(names[twice])} is given twice (columns ${names.indexOf(names[twice]!) + 1} and ${twice + 1})`,
    )
  }
  if (names.length < 2) {
    return E.left(
      `${file}: expected at least two columns (features and a label), got ${names.length === 0 ? 'none' : `only ${names[0]}`}`,
    )
  }
  const { label } = choice
  const at = label === undefined ? names.length - 1 : names.indexOf(label)
  if (at < 0)
    return E.left(
      `--label: ${file} has no column named ${JSON.stringify(label)} (its columns: ${listed(names)})`,
    )
  const flag = choice.features !== undefined ? 'features' : 'drop'
  const named = choice.features ?? choice.drop ?? []
  const unknown = named.find((n) => !names.includes(n))
  if (unknown !== undefined)
    return E.left(
      `--${flag}: ${file} has no column named ${JSON.stringify(unknown)} (its columns: ${listed(names)})`,
    )
  if (named.includes(names[at]!))
    return E.left(
      `--${flag}: ${names[at]} is the label column${label === undefined ? ' (the last; choose another with --label)' : ''}, not a feature`,
    )
  const repeated = named.find((n, i) => named.indexOf(n) !== i)
  if (repeated !== undefined) return E.left(`--${flag}: ${repeated} is named twice`)
  const features =
    choice.features !== undefined
      ? choice.features.map((n) => names.indexOf(n))
      : names.flatMap((n, j) => (j === at || named.includes(n) ? [] : [j]))
  if (features.length === 0)
    return E.left(
      `--drop: no feature column is left (${file} has ${listed(names)}; the label is ${names[at]})`,
    )
  return E.right({ names, label: at, features })
}

/** Why a feature cell was refused, with the way to leave its column out. */
export const featureProblem = (
  file: string,
  row: number,
  name: string,
  cell: unknown,
  empty: boolean,
): string => {
  const what = empty
    ? 'the cell is empty (expected a finite number)'
    : `expected a finite number, got ${showBrief(cell)}`
  return `${file} row ${row}, column ${name}: ${what}; every column but the label is a feature unless --features or --drop says otherwise: leave this one out with --drop ${name}`
}

/** The label of one cell (a number, or a name), or why it was refused. */
export const labelOf = (
  file: string,
  row: number,
  name: string,
  cell: unknown,
): E.Either<string, string | number> => {
  if (isEmpty(cell))
    return E.left(`${file} row ${row}, column ${name}: the cell is empty (expected a class label)`)
  const decoded = LabelCell.decode(typeof cell === 'string' ? cell.trim() : cell)
  if (E.isLeft(decoded))
    return E.left(
      `${file} row ${row}, column ${name}: expected a class label (a number or a name), got ${showBrief(cell)}`,
    )
  const v = decoded.right
  // A label written as a numeral is that number, so "1" and "1.0" are one class.
  return E.right(typeof v === 'string' && numeric.test(v) ? Number(v) : v)
}

/** The decoder of feature cells: text (CSV) or values (JSON, Parquet). */
export const featureCodec = (text: boolean): t.Decoder<unknown, number> =>
  text ? FiniteText : FiniteJson

/**
 * The classes of a label column, sorted, or why they cannot train (one class; too many).
 *
 * @category constructors
 * @since 0.4.0
 */
export const classesFrom = (
  file: string,
  column: string,
  labels: Iterable<string | number>,
  n: number,
): E.Either<string, ReadonlyArray<string | number>> => {
  const classes = classesOf([...labels])
  if (classes.length < 2) {
    return E.left(
      `${file}, column ${column}: every row has the class ${showBrief(classes[0])}; training needs at least two classes`,
    )
  }
  if (classes.length > maxClasses) {
    return E.left(
      `${file}, column ${column}: ${classes.length} distinct labels in ${n} rows; a class label takes few values (at most ${maxClasses}) — is --label the right column?`,
    )
  }
  return E.right(classes)
}

/**
 * The label index of each class: a label is looked up by its value (numbers) or its text.
 *
 * @category utils
 * @since 0.4.0
 */
export const classIndex = (
  classes: ReadonlyArray<string | number>,
): ((label: string | number) => number | undefined) => {
  const index = new Map<string | number, number>(classes.map((c, i) => [c, i]))
  const textual = typeof classes[0] === 'string'
  return (l) => index.get(textual ? String(l) : l)
}

/**
 * The dataset of a table, with the columns chosen by name.
 *
 * @category constructors
 * @since 0.4.0
 */
export const labelledOf = (
  file: string,
  table: Table,
  choice: ColumnChoice,
): E.Either<string, LabelledData> => {
  const layout = layoutOf(file, table.names, choice)
  if (E.isLeft(layout)) return layout
  const { names, label: at, features: used } = layout.right
  const { rows } = table
  const Feature = featureCodec(table.text)
  const d = used.length
  const n = rows.length
  // Fresh buffers filled here and handed to the tensors.
  const x = new Float64Array(n * (d + 1))
  const labels: Array<string | number> = []
  for (let i = 0; i < n; i++) {
    const { row, cells } = rows[i]!
    x[i * (d + 1)] = 1
    for (let f = 0; f < d; f++) {
      const j = used[f]!
      const cell = cells[j]
      const decoded = isEmpty(cell) ? undefined : Feature.decode(cell)
      if (decoded === undefined || E.isLeft(decoded))
        return E.left(featureProblem(file, row, names[j]!, cell, decoded === undefined))
      x[i * (d + 1) + f + 1] = decoded.right
    }
    const l = labelOf(file, row, names[at]!, cells[at])
    if (E.isLeft(l)) return l
    labels.push(l.right)
  }
  const classes = classesFrom(file, names[at]!, labels, n)
  if (E.isLeft(classes)) return classes
  const index = classIndex(classes.right)
  const y = Float64Array.from(labels, (l) => index(l)!)
  return E.right({
    data: { x: internal.make(x, [n, d + 1]), y: internal.make(y, [n]) },
    features: used.map((j) => names[j]!),
    classes: classes.right,
  })
}

/**
 * Decodes a data file's text, choosing JSON for a `.json` name or a text starting with
 * `[` or `{`, CSV otherwise; `label` names the label column (default the last).
 *
 * @category constructors
 * @since 0.1.0
 */
export const decodeDataFile = (
  file: string,
  text: string,
  options: ColumnChoice = {},
): E.Either<string, LabelledData> => {
  const isJson = file.toLowerCase().endsWith('.json') || /^\s*[[{]/.test(text)
  if (text.trim() === '')
    return E.left(`${file}: the file is empty (expected CSV with a header, or JSON rows)`)
  const table = isJson ? jsonTable(file, text) : csvTable(file, text)
  return E.chain((tb: Table) => labelledOf(file, tb, options))(table)
}
