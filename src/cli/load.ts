/**
 * What `ad-ts lr` trains on: generated data, a data file held whole (CSV, JSON, Parquet),
 * or a CSV or Parquet file streamed in chunks (with `--batch-size`). Every problem is one
 * line naming the file, row and column, found before any training.
 *
 * @since 0.4.0
 */
import * as E from 'fp-ts/lib/Either.js'
import {
  classCount,
  datasetProblem,
  fitScaler,
  gen2dData,
  scalerFit,
  splitData,
  standardize,
  type Dataset,
  type Scaler,
} from '../lr/index.js'
import {
  classIndex,
  classesFrom,
  decodeDataFile,
  labelledOf,
  layoutOf,
  maxClasses,
  type LabelledData,
  type Layout,
} from './dataFile.js'
import { csvChunks, parquetChunks, type ChunkedFile } from './dataStream.js'
import type { Flags } from './flags.js'
import type { Io } from './lr.js'
import { parquetTable } from './parquetFile.js'

/**
 * Data held whole: the training rows, the test rows if any, and their names.
 *
 * @category model
 * @since 0.4.0
 */
export interface InMemory {
  readonly kind: 'memory'
  readonly train: Dataset
  readonly test?: Dataset
  readonly features: ReadonlyArray<string>
  readonly classes: ReadonlyArray<string | number>
  readonly source: string
}

/**
 * A file streamed in chunks: its row count and classes (from a first pass), the scaler
 * (when standardising), and a pass over its rows as dataset chunks, standardised.
 *
 * @category model
 * @since 0.4.0
 */
export interface Streamed {
  readonly kind: 'stream'
  readonly rows: number
  readonly width: number
  readonly features: ReadonlyArray<string>
  readonly classes: ReadonlyArray<string | number>
  readonly source: string
  readonly scaler?: Scaler
  readonly chunks: () => AsyncIterable<Dataset>
}

const isParquet = (file: string): boolean => file.toLowerCase().endsWith('.parquet')

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`

/** A file held whole, as a table of labelled rows. */
const readWhole = async (
  flags: Flags,
  file: string,
  io: Io,
): Promise<E.Either<string, LabelledData>> => {
  const choice = {
    ...(flags.label === undefined ? {} : { label: flags.label }),
    ...(flags.features === undefined ? {} : { features: flags.features }),
    ...(flags.drop === undefined ? {} : { drop: flags.drop }),
  }
  if (isParquet(file)) {
    const bytes = io.readBytes(file)
    if (E.isLeft(bytes)) return E.left(`--data: ${bytes.left}`)
    const table = await parquetTable(file, bytes.right)
    return E.isLeft(table) ? table : labelledOf(file, table.right, choice)
  }
  const text = io.readFile(file)
  if (E.isLeft(text)) return E.left(`--data: ${text.left}`)
  return decodeDataFile(file, text.right, choice)
}

/** Splits and standardises data held whole. */
const prepared = (
  flags: Flags,
  whole: LabelledData,
  source: string,
): E.Either<string, InMemory> => {
  const n = whole.data.y.shape[0]!
  const nTest = Math.round(flags.testFraction * n)
  if (nTest >= n) {
    return E.left(`--test-fraction: ${flags.testFraction} of ${n} rows leaves no training row`)
  }
  const problem = datasetProblem(whole.data)
  if (problem !== undefined) {
    // Generated data can hold one class (a single point); a file is checked when read.
    return E.left(`--n: ${n} generated point${n === 1 ? '' : 's'}: ${problem}`)
  }
  const split = splitData(whole.data, { testFraction: flags.testFraction, seed: flags.seed })
  if (classCount(split.train) < whole.classes.length || datasetProblem(split.train) !== undefined) {
    return E.left(
      `--test-fraction: the ${split.train.y.shape[0]} training rows do not hold every class (${whole.classes.join(', ')}); use a smaller fraction or another --seed`,
    )
  }
  const base = { kind: 'memory' as const, features: whole.features, classes: whole.classes, source }
  if (!flags.standardize) return E.right({ ...base, ...split })
  const scaler = fitScaler(split.train)
  return E.right({
    ...base,
    train: standardize(split.train, scaler),
    ...(split.test === undefined ? {} : { test: standardize(split.test, scaler) }),
  })
}

/** Opens a CSV or Parquet file for streaming. */
const open = async (file: string, io: Io): Promise<E.Either<string, ChunkedFile>> =>
  isParquet(file)
    ? parquetChunks(file, await io.openBuffer(file))
    : csvChunks(file, () => io.readChunks(file))

/**
 * Streams a file: a first pass counts the rows, finds the classes and checks every cell;
 * with standardisation, further passes fit the scaler (as `fitScaler` would, bit for bit).
 */
const streamed = async (
  flags: Flags,
  file: string,
  io: Io,
): Promise<E.Either<string, Streamed>> => {
  if (flags.testFraction > 0)
    return E.left(
      '--test-fraction: a streamed file (--batch-size) is not split; hold the test rows out in a file of their own',
    )
  const opened = await open(file, io)
  if (E.isLeft(opened)) return opened
  const chunked = opened.right
  const layout = layoutOf(file, chunked.names, {
    ...(flags.label === undefined ? {} : { label: flags.label }),
    ...(flags.features === undefined ? {} : { features: flags.features }),
    ...(flags.drop === undefined ? {} : { drop: flags.drop }),
  })
  if (E.isLeft(layout)) return layout
  const d = layout.right.features.length
  const fit = scalerFit(d)
  const seen = new Set<string | number>()
  let rows = 0
  for await (const chunk of chunked.chunks(layout.right, () => 0)) {
    if (E.isLeft(chunk)) return chunk
    rows += chunk.right.data.y.shape[0]!
    for (const l of chunk.right.labels) seen.add(typeof l === 'number' ? l : String(l))
    if (seen.size > maxClasses) break
    fit.passes[0]!.visit(chunk.right.data)
  }
  if (rows === 0) return E.left(`${file}: no data rows`)
  const column = layout.right.names[layout.right.label]!
  const classes = classesFrom(file, column, seen, rows)
  if (E.isLeft(classes)) return classes
  const classOf = classIndex(classes.right)
  const pass = (lay: Layout) =>
    async function* (): AsyncGenerator<Dataset> {
      for await (const chunk of chunked.chunks(lay, classOf)) {
        // Every cell was checked in the first pass.
        if (E.isLeft(chunk)) throw new Error(chunk.left)
        yield chunk.right.data
      }
    }
  const raw = pass(layout.right)
  let scaler: Scaler | undefined
  if (flags.standardize) {
    for (const p of fit.passes.slice(1)) {
      if (!p.needed()) continue
      for await (const data of raw()) p.visit(data)
    }
    scaler = fit.scaler()
  }
  const s = scaler
  return E.right({
    kind: 'stream',
    rows,
    width: d + 1,
    features: layout.right.features.map((j) => layout.right.names[j]!),
    classes: classes.right,
    source: file,
    ...(s === undefined ? {} : { scaler: s }),
    chunks:
      s === undefined
        ? raw
        : async function* () {
            for await (const data of raw()) yield standardize(data, s)
          },
  })
}

/**
 * Loads what the flags name: generated data, a file held whole, or a streamed file.
 *
 * @category utils
 * @since 0.4.0
 */
export const loadData = async (
  flags: Flags,
  io: Io,
): Promise<E.Either<string, InMemory | Streamed>> => {
  if (flags.data === undefined) {
    const data = gen2dData({ n: flags.n, seed: flags.seed })
    const source = `generated (n = ${flags.n}, seed ${flags.seed})`
    return prepared(flags, { data, features: ['x1', 'x2'], classes: [0, 1] }, source)
  }
  const file = flags.data
  const size = io.fileSize(file)
  if (E.isLeft(size)) return E.left(`--data: ${size.left}`)
  const streamable = !file.toLowerCase().endsWith('.json')
  if (flags.batchSize !== undefined && streamable) return streamed(flags, file, io)
  if (size.right > io.maxInMemoryBytes) {
    return E.left(
      `--data: ${file} is ${mb(size.right)}, more than the ${mb(io.maxInMemoryBytes)} read whole; --method ${flags.method} needs the whole data: train with --method adam --batch-size 1024 (or sgd), which streams ${streamable ? 'the file' : 'CSV and Parquet files'} in chunks`,
    )
  }
  const whole = await readWhole(flags, file, io)
  return E.isLeft(whole) ? whole : prepared(flags, whole.right, file)
}
