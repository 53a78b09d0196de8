/**
 * The `ad-ts lr` command: trains logistic regression and reports. All effects go
 * through an `Io` record, so the command is a function of its arguments and its Io
 * (tests drive it in-process; `main.ts` binds it to the real process).
 *
 * Exit status: 0 on success, 2 for bad flags or a bad data file (one line on stderr,
 * nothing written), 1 for any other failure.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { AsyncBuffer } from 'hyparquet'
import {
  accuracy,
  batchStep,
  evaluate,
  isMultinomial,
  methods,
  plotSvg,
  rebatcher,
  states,
  type Dataset,
  type EpochState,
  type TrainConfigInput,
  type Weights,
} from '../lr/index.js'
import { weightsOf, weightTensor } from '../lr/model.js'
import type { PlotRecord } from '../lr/plot.js'
import type { Tensor } from '../tensor/Tensor.js'
import { parseFlags, usage, type Flags } from './flags.js'
import { loadData, type Streamed } from './load.js'

/**
 * The effects the command needs.
 *
 * @category model
 * @since 0.1.0
 */
export interface Io {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  /** Whether stdout is a terminal (a progress bar instead of epoch lines). */
  readonly isTTY: boolean
  readonly readFile: (path: string) => E.Either<string, string>
  /** The whole file as bytes (Parquet). */
  readonly readBytes: (path: string) => E.Either<string, ArrayBuffer>
  /** The size of a file in bytes. */
  readonly fileSize: (path: string) => E.Either<string, number>
  /** A new read of a file, in chunks of bytes (streamed CSV). */
  readonly readChunks: (path: string) => AsyncIterable<Uint8Array>
  /** Random access to a file (streamed Parquet). */
  readonly openBuffer: (path: string) => Promise<AsyncBuffer>
  /** Files larger than this many bytes are streamed or refused, never read whole. */
  readonly maxInMemoryBytes: number
  /** Milliseconds on a steady clock, for the progress line. */
  readonly now: () => number
  /** Writes a whole file or nothing (temporary file, then rename). */
  readonly writeFileAtomic: (path: string, text: string) => E.Either<string, void>
  /** Whether a file could be written at `path` (its folder exists and is writable), before any work. */
  readonly canWrite: (path: string) => E.Either<string, void>
}

/** Four decimals; in exponent form beyond ±1e6 or below 1e-4; never −0. */
const f4 = (x: number): string => {
  const a = Math.abs(x)
  if (a !== 0 && Number.isFinite(a) && (a >= 1e6 || a < 5e-5)) return x.toExponential(3)
  const s = x.toFixed(4)
  return /^-0\.0+$/.test(s) ? s.slice(1) : s
}

/** Epochs that get a line: all of a short run, about twenty of a long one. */
const shown = (epochs: number) => {
  const every = epochs <= 30 ? 1 : Math.ceil(epochs / 20)
  return (e: number) => e === 1 || e === epochs || e % every === 0
}

/** A duration in words a person reads at a glance: 850ms, 12.4s, 3m05s, 1h02m. */
export const duration = (ms: number): string => {
  if (ms < 1000) return `${Math.round(ms)}ms`
  const s = ms / 1000
  if (s < 60) return `${s.toFixed(1)}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`
}

/**
 * The progress line of a terminal: a bar, the epoch (or iteration), the loss, the time
 * since the start and, for a fixed count of epochs, an estimate of the time left (the
 * mean time of an epoch so far times the epochs left). `done` is the fraction of the run.
 */
export const progressLine = (p: {
  readonly unit: string
  readonly epoch: number
  readonly epochs: number
  readonly done: number
  readonly loss: number
  readonly elapsed: number
  readonly fixed: boolean
}): string => {
  const width = 30
  const filled = Math.round(Math.min(1, p.done) * width)
  const left =
    p.fixed && p.done > 0 && p.done < 1
      ? `  ~${duration((p.elapsed / p.done) * (1 - p.done))} left`
      : ''
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.unit} ${p.epoch}/${p.epochs}  loss ${f4(p.loss)}  ${duration(p.elapsed)}${left}\x1b[K`
}

const describeWeights = (
  weights: Weights,
  features: ReadonlyArray<string>,
  classes: ReadonlyArray<string | number>,
): string => {
  if (!isMultinomial(weights)) return `weights: [${weights.map(f4).join(', ')}]\n`
  const names = ['(bias)', ...features]
  const width = Math.max(...names.map((n) => n.length))
  return [
    `weights (a row per feature, a column per class: ${classes.join(', ')}):`,
    ...weights.map(
      (row, j) => `  ${names[j]!.padEnd(width)}  ${row.map((v) => f4(v).padStart(9)).join(' ')}`,
    ),
    '',
  ].join('\n')
}

/** The initial weights of the command: ones (binary), zeros (multinomial). */
const initialWeights = (rows: number, k: number): Weights =>
  k > 2
    ? Array.from({ length: rows }, () => new Array<number>(k).fill(0))
    : new Array<number>(rows).fill(1)

/** One state of a run as the command reports it. */
interface Reported {
  readonly epoch: number
  readonly weights: Weights
  readonly loss: number
  readonly accuracy: number
  readonly gradientNorm?: number
  readonly stop?: EpochState['stop']
}

/**
 * Streamed mini-batch training: each epoch a new pass over the file, its rows re-batched
 * (windows shuffled with the seed), each batch one optimiser step. The loss and accuracy
 * of an epoch are those of its batches under the weights each batch met (a file larger
 * than memory is not read again to evaluate).
 */
async function* streamStates(
  flags: Flags,
  data: Streamed,
  l2: number,
  onBatch: (epoch: number, rowsDone: number, loss: number) => void,
): AsyncGenerator<Reported> {
  const k = data.classes.length
  const optimizer = methods[flags.method].optimizer!(flags.lr)
  const update = batchStep(optimizer, { l2, classes: Math.max(2, k) })
  let w: Tensor = weightTensor(initialWeights(data.width, k))
  let state = optimizer.init(w)
  for (let epoch = 1; epoch <= flags.epochs; epoch++) {
    const order = {
      batchSize: flags.batchSize!,
      shuffleSeed: flags.seed,
      epoch,
      ...(flags.shuffleWindow === undefined ? {} : { shuffleWindow: flags.shuffleWindow }),
    }
    const batcher = rebatcher(data.width, order)
    let rows = 0
    let loss = 0
    let right = 0
    let batches = 0
    const step = (batch: Dataset) => {
      const n = batch.y.shape[0]!
      const e = evaluate(weightsOf(w), batch)
      loss += e.loss * n
      right += e.accuracy * n
      rows += n
      ;[w, state] = update(w, state, batch)
      if (++batches % 64 === 0) onBatch(epoch, rows, loss / rows)
    }
    for await (const chunk of data.chunks()) for (const b of batcher.push(chunk)) step(b)
    for (const b of batcher.end()) step(b)
    yield { epoch, weights: weightsOf(w), loss: loss / rows, accuracy: right / rows }
  }
}

/**
 * Runs `ad-ts lr` with the arguments after `lr`; resolves to the exit status.
 *
 * @category utils
 * @since 0.1.0
 */
export const runLr = async (args: ReadonlyArray<string>, io: Io): Promise<number> => {
  const fail = (message: string, status: number): number => {
    io.stderr(`ad-ts lr: ${message.replace(/\s*\n\s*/g, ' ')}\n`)
    return status
  }
  const parsed = parseFlags(args)
  if (E.isLeft(parsed)) return fail(parsed.left, 2)
  const flags = parsed.right
  if (flags.help) {
    io.stdout(usage)
    return 0
  }
  if (flags.plot !== undefined) {
    const writable = io.canWrite(flags.plot)
    if (E.isLeft(writable)) return fail(`--plot: ${writable.left}`, 2)
  }
  const start = io.now()
  const loaded = await loadData(flags, io)
  if (E.isLeft(loaded)) return fail(loaded.left, 2)
  const data = loaded.right
  const { features, classes, source } = data
  const n = data.kind === 'memory' ? data.train.y.shape[0]! : data.rows
  const test = data.kind === 'memory' ? data.test : undefined
  const nTest = test?.y.shape[0] ?? 0
  const row = methods[flags.method]
  const secondOrder = row.order === 2
  // scikit-learn's C = 1 is λ = 1/n on the mean loss.
  const l2 = flags.l2 ?? (flags.data === undefined ? 0 : 1 / n)
  const config = {
    epochs: flags.epochs,
    method: flags.method,
    ...(secondOrder ? {} : { learningRate: flags.lr }),
    ...(l2 === 0 ? {} : { l2 }),
    ...(flags.tolerance === undefined ? {} : { tolerance: flags.tolerance }),
    ...(flags.batchSize === undefined
      ? {}
      : {
          batchSize: flags.batchSize,
          shuffleSeed: flags.seed,
          ...(flags.shuffleWindow === undefined ? {} : { shuffleWindow: flags.shuffleWindow }),
        }),
  } as TrainConfigInput
  const width = data.kind === 'memory' ? data.train.x.shape[1]! : data.width
  const k = classes.length
  const init = initialWeights(width, k)

  const text = !flags.json && !flags.quiet
  const unit = row.unit
  const progress = (epoch: number, done: number, loss: number) =>
    io.stdout(
      progressLine({
        unit,
        epoch,
        epochs: flags.epochs,
        done,
        loss,
        elapsed: io.now() - start,
        fixed: !secondOrder,
      }),
    )
  let run: Iterable<Reported> | AsyncIterable<Reported>
  let before: number | undefined
  if (data.kind === 'memory') {
    const r = states(config)(data.train)
    if (E.isLeft(r)) return fail(r.left.message, 2)
    run = r.right
    before = accuracy(init, data.train)
  } else {
    const onBatch = (epoch: number, rows: number, loss: number) => {
      if (text && io.isTTY) progress(epoch, (epoch - 1 + rows / n) / flags.epochs, loss)
    }
    run = streamStates(flags, data, l2, onBatch)
  }
  // newton and lbfgs usually stop long before their limit: their first ten iterations, then every tenth.
  const lineFor = secondOrder ? (e: number) => e <= 10 || e % 10 === 0 : shown(flags.epochs)
  if (text) {
    const rate = secondOrder ? '' : `, learning rate ${flags.lr}`
    const batches = flags.batchSize === undefined ? '' : `, batches of ${flags.batchSize}`
    const penalty = l2 === 0 ? '' : `, l2 ${flags.l2 === undefined ? `1/${n}` : l2}`
    const parts = nTest === 0 ? `${n} points` : `${n + nTest} points (${n} train, ${nTest} test)`
    const shape = `${features.length} feature${features.length === 1 ? '' : 's'}${flags.standardize ? ' (standardised)' : ''}, ${k} classes`
    const streaming = data.kind === 'stream' ? ' (streamed)' : ''
    io.stdout(
      `ad-ts lr: ${parts}, ${source}${streaming}; ${shape}; ${flags.method}, ${flags.epochs} ${secondOrder ? 'iterations at most' : 'epochs'}${rate}${batches}${penalty}\n`,
    )
    if (before !== undefined) io.stdout(`accuracy before training: ${f4(before)}\n`)
  }
  const history: PlotRecord[] = []
  let last: Reported | undefined
  const width0 = String(flags.epochs).length
  const see = (s: Reported) => {
    last = s
    const testAccuracy = test === undefined ? undefined : accuracy(s.weights, test)
    history.push({
      epoch: s.epoch,
      loss: s.loss,
      accuracy: s.accuracy,
      ...(testAccuracy === undefined ? {} : { testAccuracy }),
    })
    if (!text) return
    if (io.isTTY) progress(s.epoch, s.epoch / flags.epochs, s.loss)
    else if (lineFor(s.epoch) || s.stop !== undefined)
      io.stdout(
        `${unit} ${String(s.epoch).padStart(width0)}  loss ${f4(s.loss)}  accuracy ${f4(s.accuracy)}${testAccuracy === undefined ? '' : `  test ${f4(testAccuracy)}`}${s.gradientNorm === undefined ? '' : `  gradient norm ${s.gradientNorm.toExponential(2)}`}\n`,
      )
  }
  if (Symbol.asyncIterator in run) for await (const s of run) see(s)
  else for (const s of run) see(s)
  if (text && io.isTTY) io.stdout('\n')
  const end = last!
  const weights = end.weights
  const after = end.accuracy
  const testAccuracy = test === undefined ? undefined : accuracy(weights, test)
  const stop =
    end.stop === undefined
      ? undefined
      : { reason: end.stop, iterations: end.epoch, gradientNorm: end.gradientNorm! }

  if (flags.plot !== undefined) {
    const names = classes.map((c) => (typeof c === 'number' ? `y = ${c}` : c))
    const shown = data.kind === 'memory' ? data.train : undefined
    const svg = plotSvg(shown, { weights, history }, { features, classes: names, unit })
    const written = io.writeFileAtomic(flags.plot, svg)
    if (E.isLeft(written)) return fail(`--plot: ${written.left}`, 2)
  }
  if (flags.json) {
    const result = {
      config: {
        ...config,
        n: n + nTest,
        source,
        ...(flags.data === undefined ? { seed: flags.seed } : {}),
        ...(nTest === 0 ? {} : { testFraction: flags.testFraction, seed: flags.seed }),
        ...(flags.standardize ? { standardize: true } : {}),
      },
      features,
      classes,
      accuracy: { before: before ?? null, after, train: after, test: testAccuracy ?? null },
      weights,
      history: history.map(({ epoch, loss, accuracy }) => ({ epoch, loss, accuracy })),
      ...(stop === undefined ? {} : { stop }),
      ...(flags.plot === undefined ? {} : { plot: flags.plot }),
    }
    io.stdout(`${JSON.stringify(result)}\n`)
    return 0
  }
  if (stop !== undefined) {
    io.stdout(
      `${flags.method} stopped: ${stop.reason} after ${stop.iterations} iterations, gradient norm ${stop.gradientNorm.toExponential(2)}\n`,
    )
  }
  io.stdout(
    `accuracy after training: ${f4(after)}${data.kind === 'stream' ? " (over the last epoch's batches)" : ''}\n`,
  )
  if (testAccuracy !== undefined) io.stdout(`accuracy on the test rows: ${f4(testAccuracy)}\n`)
  io.stdout(describeWeights(weights, features, classes))
  if (flags.plot !== undefined) io.stdout(`plot written to ${flags.plot}\n`)
  return 0
}
