/**
 * Parquet data files, read with hyparquet (pure JavaScript): a whole file into the same
 * table as a CSV or JSON file, or one row group at a time for streaming. Only flat
 * columns are read; numbers (FLOAT, DOUBLE, INT32, INT64 within ±2⁵³) are features and
 * any column may be the label. A file hyparquet cannot read (truncated, not Parquet) is
 * one line naming the file and hyparquet's reason.
 *
 * @since 0.4.0
 */
import * as E from 'fp-ts/lib/Either.js'
import {
  parquetMetadata,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
  type AsyncBuffer,
  type FileMetaData,
} from 'hyparquet'
import type { Table } from './dataFile.js'

/** hyparquet's complaint on one short line. */
const reasonOf = (e: unknown): string => {
  const text = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim()
  return text.length > 120 ? `${text.slice(0, 117)}...` : text
}

/** The names of the flat columns of a file, or why it cannot be read as a table. */
const namesOf = (file: string, metadata: FileMetaData): E.Either<string, ReadonlyArray<string>> => {
  const root = parquetSchema(metadata)
  const nested = root.children.find((c) => c.children.length > 0)
  if (nested !== undefined)
    return E.left(
      `${file}, column ${nested.element.name}: a nested column (a list, map or struct); expected flat columns of numbers and labels`,
    )
  return E.right(root.children.map((c) => c.element.name))
}

/**
 * The metadata of a Parquet file held whole, or the reason it is not one.
 *
 * @category constructors
 * @since 0.4.0
 */
export const parquetFooter = (
  file: string,
  bytes: ArrayBuffer,
): E.Either<string, { readonly metadata: FileMetaData; readonly names: ReadonlyArray<string> }> => {
  let metadata: FileMetaData
  try {
    metadata = parquetMetadata(bytes)
  } catch (e) {
    return E.left(`${file}: not a readable Parquet file (${reasonOf(e)})`)
  }
  const names = namesOf(file, metadata)
  return E.isLeft(names) ? names : E.right({ metadata, names: names.right })
}

/** Rows `[start, end)` of a file as arrays of cells in column order, or the reason they cannot be read. */
const readRows = (
  file: string,
  buffer: AsyncBuffer,
  metadata: FileMetaData,
  names: ReadonlyArray<string>,
  rowStart: number,
  rowEnd: number,
): Promise<E.Either<string, ReadonlyArray<ReadonlyArray<unknown>>>> =>
  new Promise((resolve) => {
    let rows: unknown[][] = []
    parquetRead({
      file: buffer,
      metadata,
      columns: [...names],
      rowStart,
      rowEnd,
      onComplete: (r) => {
        rows = r
      },
    }).then(
      () => resolve(E.right(rows)),
      (e: unknown) => resolve(E.left(`${file}: not a readable Parquet file (${reasonOf(e)})`)),
    )
  })

/**
 * The table of a Parquet file held whole (rows numbered from 1).
 *
 * @category constructors
 * @since 0.4.0
 */
export const parquetTable = async (
  file: string,
  bytes: ArrayBuffer,
): Promise<E.Either<string, Table>> => {
  const footer = parquetFooter(file, bytes)
  if (E.isLeft(footer)) return footer
  const { metadata, names } = footer.right
  const n = Number(metadata.num_rows)
  if (n === 0) return E.left(`${file}: no data rows`)
  const rows = await readRows(file, bytes, metadata, names, 0, n)
  if (E.isLeft(rows)) return rows
  return E.right({
    text: false,
    names,
    rows: rows.right.map((cells, i) => ({ row: i + 1, cells })),
  })
}

/**
 * A Parquet file read one row group at a time: its column names, its row count, and a
 * pass over its row groups (each a table of rows numbered from 1 across the file).
 *
 * @category model
 * @since 0.4.0
 */
export interface ParquetStream {
  readonly names: ReadonlyArray<string>
  readonly rows: number
  readonly groups: () => AsyncIterable<E.Either<string, Table>>
}

/**
 * Opens a Parquet file for streaming: only its footer is read now.
 *
 * @category constructors
 * @since 0.4.0
 */
export const parquetStream = async (
  file: string,
  buffer: AsyncBuffer,
): Promise<E.Either<string, ParquetStream>> => {
  let metadata: FileMetaData
  try {
    metadata = await parquetMetadataAsync(buffer)
  } catch (e) {
    return E.left(`${file}: not a readable Parquet file (${reasonOf(e)})`)
  }
  const names = namesOf(file, metadata)
  if (E.isLeft(names)) return names
  const groups = metadata.row_groups.map((g) => Number(g.num_rows))
  return E.right({
    names: names.right,
    rows: Number(metadata.num_rows),
    groups: async function* () {
      let start = 0
      for (const size of groups) {
        const rows = await readRows(file, buffer, metadata, names.right, start, start + size)
        const first = start
        start += size
        if (E.isLeft(rows)) {
          yield rows
          return
        }
        yield E.right({
          text: false,
          names: names.right,
          rows: rows.right.map((cells, i) => ({ row: first + i + 1, cells })),
        })
      }
    },
  })
}
