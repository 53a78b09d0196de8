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
  gen2dData,
  plotSvg,
  states,
  type Dataset,
  type EpochRecord,
} from '../lr/index.js'
import { decodeDataFile } from './dataFile.js'
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
}

const f4 = (x: number): string => x.toFixed(4)

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

const loadData = (
  flags: Flags,
  io: Io,
): E.Either<string, { readonly data: Dataset; readonly source: string }> => {
  if (flags.data === undefined) {
    return E.right({
      data: gen2dData({ n: flags.n, seed: flags.seed }),
      source: `generated (n = ${flags.n}, seed ${flags.seed})`,
    })
  }
  const file = flags.data
  const text = io.readFile(file)
  if (E.isLeft(text)) return E.left(`--data: ${text.left}`)
  return E.map((data: Dataset) => ({ data, source: file }))(decodeDataFile(file, text.right))
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
  const loaded = loadData(flags, io)
  if (E.isLeft(loaded)) return fail(loaded.left, 2)
  const { data, source } = loaded.right
  const n = data.y.shape[0]!
  const config = { epochs: flags.epochs, learningRate: flags.lr, method: flags.method }
  const run = states(config)(data)
  if (E.isLeft(run)) return fail(run.left.message, 2)

  const k = data.x.shape[1]!
  const before = accuracy(new Array<number>(k).fill(1), data)
  const text = !flags.json && !flags.quiet
  const lineFor = shown(flags.epochs)
  if (text) {
    io.stdout(
      `ad-ts lr: ${n} points, ${source}; ${flags.method}, ${flags.epochs} epochs, learning rate ${flags.lr}\n`,
    )
    io.stdout(`accuracy before training: ${f4(before)}\n`)
  }
  const history: EpochRecord[] = []
  let weights: ReadonlyArray<number> = new Array<number>(k).fill(1)
  for (const s of run.right) {
    weights = s.weights
    history.push({ epoch: s.epoch, loss: s.loss, accuracy: s.accuracy })
    if (!text) continue
    if (io.isTTY) io.stdout(bar(s.epoch, flags.epochs, s.loss))
    else if (lineFor(s.epoch))
      io.stdout(
        `epoch ${String(s.epoch).padStart(String(flags.epochs).length)}  loss ${f4(s.loss)}  accuracy ${f4(s.accuracy)}\n`,
      )
  }
  if (text && io.isTTY) io.stdout('\n')
  const after = history[history.length - 1]!.accuracy

  if (flags.plot !== undefined) {
    const written = io.writeFileAtomic(flags.plot, plotSvg(data, { weights, history }))
    if (E.isLeft(written)) return fail(`--plot: ${written.left}`, 2)
  }
  if (flags.json) {
    const result = {
      config: { ...config, n, source, ...(flags.data === undefined ? { seed: flags.seed } : {}) },
      accuracy: { before, after },
      weights,
      history,
      ...(flags.plot === undefined ? {} : { plot: flags.plot }),
    }
    io.stdout(`${JSON.stringify(result)}\n`)
    return 0
  }
  io.stdout(`accuracy after training: ${f4(after)}\n`)
  io.stdout(`weights: [${weights.map(f4).join(', ')}]\n`)
  if (flags.plot !== undefined) io.stdout(`plot written to ${flags.plot}\n`)
  return 0
}
