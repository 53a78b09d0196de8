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
import {
  accuracy,
  classCount,
  datasetProblem,
  fitScaler,
  gen2dData,
  isMultinomial,
  plotSvg,
  splitData,
  standardize,
  states,
  type Dataset,
  type EpochRecord,
  type EpochState,
  type TrainConfigInput,
  type Weights,
} from '../lr/index.js'
import { decodeDataFile, type LabelledData } from './dataFile.js'
import { parseFlags, usage, type Flags } from './flags.js'

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

const bar = (epoch: number, epochs: number, loss: number): string => {
  const width = 30
  const done = Math.round((epoch / epochs) * width)
  return `\r[${'#'.repeat(done)}${'.'.repeat(width - done)}] epoch ${epoch}/${epochs}  loss ${f4(loss)}`
}

/** What the command trains on: the training rows, the test rows if any, and their names. */
interface Loaded {
  readonly train: Dataset
  readonly test?: Dataset
  readonly features: ReadonlyArray<string>
  readonly classes: ReadonlyArray<string | number>
  readonly source: string
}

const loadData = (flags: Flags, io: Io): E.Either<string, Loaded> => {
  let whole: LabelledData
  let source: string
  if (flags.data === undefined) {
    whole = {
      data: gen2dData({ n: flags.n, seed: flags.seed }),
      features: ['x1', 'x2'],
      classes: [0, 1],
    }
    source = `generated (n = ${flags.n}, seed ${flags.seed})`
  } else {
    const file = flags.data
    const text = io.readFile(file)
    if (E.isLeft(text)) return E.left(`--data: ${text.left}`)
    const decoded = decodeDataFile(
      file,
      text.right,
      flags.label === undefined ? {} : { label: flags.label },
    )
    if (E.isLeft(decoded)) return decoded
    whole = decoded.right
    source = file
  }
  const n = whole.data.y.shape[0]!
  const nTest = Math.round(flags.testFraction * n)
  if (nTest >= n) {
    return E.left(`--test-fraction: ${flags.testFraction} of ${n} rows leaves no training row`)
  }
  const split = splitData(whole.data, { testFraction: flags.testFraction, seed: flags.seed })
  const problem = datasetProblem(whole.data)
  if (problem !== undefined) {
    // Generated data can hold one class (a single point); a file is checked when read.
    return E.left(`--n: ${n} generated point${n === 1 ? '' : 's'}: ${problem}`)
  }
  if (classCount(split.train) < whole.classes.length || datasetProblem(split.train) !== undefined) {
    return E.left(
      `--test-fraction: the ${split.train.y.shape[0]} training rows do not hold every class (${whole.classes.join(', ')}); use a smaller fraction or another --seed`,
    )
  }
  if (!flags.standardize) return E.right({ ...whole, ...split, source })
  const scaler = fitScaler(split.train)
  return E.right({
    ...whole,
    train: standardize(split.train, scaler),
    ...(split.test === undefined ? {} : { test: standardize(split.test, scaler) }),
    source,
  })
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

/**
 * Runs `ad-ts lr` with the arguments after `lr`; returns the exit status.
 *
 * @category utils
 * @since 0.1.0
 */
export const runLr = (args: ReadonlyArray<string>, io: Io): number => {
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
  const loaded = loadData(flags, io)
  if (E.isLeft(loaded)) return fail(loaded.left, 2)
  const { train, test, features, classes, source } = loaded.right
  const n = train.y.shape[0]!
  const nTest = test?.y.shape[0] ?? 0
  const secondOrder = flags.method === 'newton' || flags.method === 'lbfgs'
  const config = {
    epochs: flags.epochs,
    method: flags.method,
    ...(secondOrder ? {} : { learningRate: flags.lr }),
    ...(flags.l2 === 0 ? {} : { l2: flags.l2 }),
    ...(flags.tolerance === undefined ? {} : { tolerance: flags.tolerance }),
  } as TrainConfigInput
  const run = states(config)(train)
  if (E.isLeft(run)) return fail(run.left.message, 2)

  const rows = train.x.shape[1]!
  const k = classes.length
  const init: Weights =
    k > 2
      ? Array.from({ length: rows }, () => new Array<number>(k).fill(0))
      : new Array<number>(rows).fill(1)
  const before = accuracy(init, train)
  const text = !flags.json && !flags.quiet
  // newton and lbfgs usually stop long before their limit: their first ten iterations, then every tenth.
  const lineFor = secondOrder ? (e: number) => e <= 10 || e % 10 === 0 : shown(flags.epochs)
  if (text) {
    const rate = secondOrder ? '' : `, learning rate ${flags.lr}`
    const penalty = flags.l2 === 0 ? '' : `, l2 ${flags.l2}`
    const parts = nTest === 0 ? `${n} points` : `${n + nTest} points (${n} train, ${nTest} test)`
    const shape = `${features.length} feature${features.length === 1 ? '' : 's'}${flags.standardize ? ' (standardised)' : ''}, ${k} classes`
    io.stdout(
      `ad-ts lr: ${parts}, ${source}; ${shape}; ${flags.method}, ${flags.epochs} ${secondOrder ? 'iterations at most' : 'epochs'}${rate}${penalty}\n`,
    )
    io.stdout(`accuracy before training: ${f4(before)}\n`)
  }
  const history: EpochRecord[] = []
  let last: EpochState | undefined
  for (const s of run.right) {
    last = s
    history.push({ epoch: s.epoch, loss: s.loss, accuracy: s.accuracy })
    if (!text) continue
    if (io.isTTY) io.stdout(bar(s.epoch, flags.epochs, s.loss))
    else if (lineFor(s.epoch) || s.stop !== undefined)
      io.stdout(
        `epoch ${String(s.epoch).padStart(String(flags.epochs).length)}  loss ${f4(s.loss)}  accuracy ${f4(s.accuracy)}${s.gradientNorm === undefined ? '' : `  gradient norm ${s.gradientNorm.toExponential(2)}`}\n`,
      )
  }
  if (text && io.isTTY) io.stdout('\n')
  const weights = last!.weights
  const after = last!.accuracy
  const testAccuracy = test === undefined ? undefined : accuracy(weights, test)
  const stop =
    last!.stop === undefined
      ? undefined
      : { reason: last!.stop, iterations: last!.epoch, gradientNorm: last!.gradientNorm! }

  if (flags.plot !== undefined) {
    const names = classes.map((c) => (typeof c === 'number' ? `y = ${c}` : c))
    const svg = plotSvg(train, { weights, history }, { features, classes: names })
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
      accuracy: { before, after, train: after, test: testAccuracy ?? null },
      weights,
      history,
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
  io.stdout(`accuracy after training: ${f4(after)}\n`)
  if (testAccuracy !== undefined) io.stdout(`accuracy on the test rows: ${f4(testAccuracy)}\n`)
  io.stdout(describeWeights(weights, features, classes))
  if (flags.plot !== undefined) io.stdout(`plot written to ${flags.plot}\n`)
  return 0
}
