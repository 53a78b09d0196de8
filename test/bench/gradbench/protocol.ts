/**
 * The GradBench protocol as a tool speaks it: one JSON message a line in, one JSON
 * response a line out. `start` and `analysis` are acknowledged, `define` says whether
 * the module is implemented, and `evaluate` decodes the eval's input, runs the function
 * at least `min_runs` times and until `min_seconds` have passed (whichever is longer),
 * and answers with the last output and one `evaluate` timing, in nanoseconds, per run.
 * A message that cannot be understood gets an error response; nothing here throws.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { renderProblem, problems } from '../../../src/internal.js'

/** A function of an eval: decodes its input and gives back one run, ready to time. */
export interface EvalFunction {
  readonly prepare: (input: unknown) => E.Either<string, () => unknown>
}

/** An eval module: its functions by name. */
export type EvalModule = Readonly<Record<string, EvalFunction>>

/** The deepest problem of a failed decoding, rendered from `root`. */
const firstProblem = (root: string, errors: t.Errors): string => {
  const first = problems(errors)[0]
  return first === undefined ? `${root}: invalid` : renderProblem(root, first)
}

/** Builds an `EvalFunction` from an io-ts codec of its input and the run it makes. */
export const evalFunction = <I>(
  codec: t.Decoder<unknown, I>,
  run: (input: I) => () => unknown,
): EvalFunction => ({
  prepare: (input) =>
    pipe(
      codec.decode(input),
      E.mapLeft((errors) => firstProblem('input', errors)),
      E.map(run),
    ),
})

/** The `Runs` fields that most evals add to their inputs. */
export const Runs = t.type({ min_runs: t.number, min_seconds: t.number })

/** A list of numbers (JSON has no NaN, so every entry is finite). */
export const Numbers = t.array(t.number)

/** A list of lists of numbers. */
export const Matrix = t.array(Numbers)

const Id = t.union([t.number, t.string])

const Message = t.union([
  t.type({ id: Id, kind: t.literal('start') }),
  t.type({ id: Id, kind: t.literal('define'), module: t.string }),
  t.type({
    id: Id,
    kind: t.literal('evaluate'),
    module: t.string,
    function: t.string,
    input: t.unknown,
  }),
  t.type({ id: Id, kind: t.literal('analysis') }),
])
type Message = t.TypeOf<typeof Message>

/** One timing of a response. */
export interface Timing {
  readonly name: string
  readonly nanoseconds: number
}

/** A response of the tool (the fields the protocol allows). */
export interface Response {
  readonly id: number | string | null
  readonly success?: boolean
  readonly output?: unknown
  readonly timings?: ReadonlyArray<Timing>
  readonly error?: string
  readonly tool?: string
}

/** How many times to run, read from the input's `Runs` fields (one run when absent). */
const runsOf = (input: unknown): { readonly minRuns: number; readonly minSeconds: number } =>
  pipe(
    Runs.decode(input),
    E.match(
      () => ({ minRuns: 1, minSeconds: 0 }),
      (r) => ({ minRuns: Math.max(1, r.min_runs), minSeconds: r.min_seconds }),
    ),
  )

/**
 * Runs `run` at least `minRuns` times and until the runs add up to `minSeconds`;
 * gives the last output and the time of each run.
 */
export const timeRuns = (
  run: () => unknown,
  minRuns: number,
  minSeconds: number,
): { readonly output: unknown; readonly timings: ReadonlyArray<Timing> } => {
  const timings: Timing[] = []
  let output: unknown = undefined
  let total = 0n
  const budget = BigInt(Math.round(minSeconds * 1e9))
  while (timings.length < minRuns || total < budget) {
    const start = process.hrtime.bigint()
    output = run()
    const elapsed = process.hrtime.bigint() - start
    total += elapsed
    timings.push({ name: 'evaluate', nanoseconds: Number(elapsed) })
  }
  return { output, timings }
}

const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e))

const evaluate = (
  modules: Readonly<Record<string, EvalModule>>,
  m: Extract<Message, { kind: 'evaluate' }>,
): Response => {
  const module = modules[m.module]
  if (module === undefined) {
    return { id: m.id, success: false, error: `evaluate: unknown module "${m.module}"` }
  }
  const fn = Object.hasOwn(module, m.function) ? module[m.function] : undefined
  if (fn === undefined) {
    const known = Object.keys(module).join(', ')
    return {
      id: m.id,
      success: false,
      error: `evaluate: module "${m.module}" has no function "${m.function}" (it has ${known})`,
    }
  }
  const { minRuns, minSeconds } = runsOf(m.input)
  try {
    const prepared = fn.prepare(m.input)
    if (E.isLeft(prepared)) {
      return { id: m.id, success: false, error: `${m.module}.${m.function}: ${prepared.left}` }
    }
    const { output, timings } = timeRuns(prepared.right, minRuns, minSeconds)
    return { id: m.id, success: true, output, timings }
  } catch (e) {
    return { id: m.id, success: false, error: `${m.module}.${m.function}: ${errorMessage(e)}` }
  }
}

/** Answers one message, given as the parsed JSON value of its line. */
export const respond = (
  modules: Readonly<Record<string, EvalModule>>,
  message: unknown,
): Response => {
  const decoded = Message.decode(message)
  if (E.isLeft(decoded)) {
    const id = t.type({ id: Id }).is(message) ? message.id : null
    return { id, success: false, error: firstProblem('message', decoded.left) }
  }
  const m = decoded.right
  switch (m.kind) {
    case 'start':
      return { id: m.id, tool: 'ad-ts' }
    case 'define':
      return Object.hasOwn(modules, m.module)
        ? { id: m.id, success: true }
        : { id: m.id, success: false, error: `define: no module "${m.module}"` }
    case 'evaluate':
      return evaluate(modules, m)
    case 'analysis':
      return { id: m.id }
  }
}

/** Answers one line of the protocol with one line (no newline at the end). */
export const respondLine = (
  modules: Readonly<Record<string, EvalModule>>,
  line: string,
): string => {
  let message: unknown
  try {
    message = JSON.parse(line)
  } catch (e) {
    return JSON.stringify({ id: null, success: false, error: `message: ${errorMessage(e)}` })
  }
  return JSON.stringify(respond(modules, message))
}
