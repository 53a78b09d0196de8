/**
 * Moving eval data between JSON's nested lists and the flat row-major buffers that
 * `Tensor.fromArray(flat, shape)` takes.
 */

/** The rows of a matrix, concatenated (every row must have `cols` entries). */
export const flatten = (rows: ReadonlyArray<ReadonlyArray<number>>, cols: number): Float64Array => {
  const out = new Float64Array(rows.length * cols)
  rows.forEach((row, i) => {
    if (row.length !== cols) {
      throw new Error(`flatten: row ${i} has ${row.length} entries, expected ${cols}`)
    }
    out.set(row, i * cols)
  })
  return out
}

/** A flat row-major buffer cut into `rows` rows of `cols` numbers. */
export const unflatten = (flat: Float64Array, rows: number, cols: number): number[][] =>
  Array.from({ length: rows }, (_, i) => Array.from(flat.subarray(i * cols, (i + 1) * cols)))
