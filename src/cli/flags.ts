/**
 * The flags of `ad-ts lr`, parsed with Node's `util.parseArgs` and decoded with io-ts.
 * A bad flag gives a `Left` with one line naming the flag, the value and the rule.
 *
 * @since 0.1.0
 */
import { parseArgs } from 'node:util'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { problems } from '../util/decode.js'
import { maxPoints } from '../lr/data.js'
import { listMethods, methodNames, methods, type Method } from '../lr/methods.js'
import { showBrief } from '../util/show.js'

const numeric = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

const numberFromString = (name: string, ok: (n: number) => boolean) =>
  new t.Type<number, string, unknown>(
    name,
    (u): u is number => typeof u === 'number' && ok(u),
    (u, c) => {
      const n = typeof u === 'string' && numeric.test(u.trim()) ? Number(u) : NaN
      return ok(n) ? t.success(n) : t.failure(u, c, name)
    },
    String,
  )

const Path = new t.Type<string, string, unknown>(
  'a file name',
  (u): u is string => typeof u === 'string' && u.length > 0,
  (u, c) =>
    typeof u === 'string' && u.trim().length > 0 ? t.success(u) : t.failure(u, c, 'a file name'),
  (s) => s,
)

/** A comma-separated list of column names, none empty. */
const Columns = new t.Type<ReadonlyArray<string>, string, unknown>(
  'a comma-separated list of column names',
  (u): u is ReadonlyArray<string> => Array.isArray(u),
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c)
    const names = u.split(',').map((n) => n.trim())
    return names.every((n) => n.length > 0) ? t.success(names) : t.failure(u, c)
  },
  (names) => names.join(','),
)

/**
 * The codec of the flags (values as `parseArgs` gives them: strings and booleans).
 *
 * @category model
 * @since 0.1.0
 */
export const FlagsCodec = t.partial({
  n: numberFromString(
    `an integer from 1 to ${maxPoints}`,
    (n) => Number.isSafeInteger(n) && n >= 1 && n <= maxPoints,
  ),
  epochs: numberFromString(
    'a positive integer',
    (n) => Number.isSafeInteger(n) && n >= 1 && n <= 1e9,
  ),
  lr: numberFromString('a positive finite number', (n) => Number.isFinite(n) && n > 0),
  method: t.keyof(
    Object.fromEntries(methodNames.map((m) => [m, null])) as Record<Method, null>,
    listMethods(methodNames),
  ),
  l2: numberFromString('a finite number ≥ 0', (n) => Number.isFinite(n) && n >= 0),
  tolerance: numberFromString('a finite number ≥ 0', (n) => Number.isFinite(n) && n >= 0),
  'test-fraction': numberFromString('a number in [0, 1)', (n) => n >= 0 && n < 1),
  label: new t.Type<string, string, unknown>(
    'a column name',
    (u): u is string => typeof u === 'string' && u.length > 0,
    (u, c) => (typeof u === 'string' && u.length > 0 ? t.success(u) : t.failure(u, c)),
    (s) => s,
  ),
  standardize: t.boolean,
  'no-standardize': t.boolean,
  features: Columns,
  drop: Columns,
  'batch-size': numberFromString(
    'a positive integer',
    (n) => Number.isSafeInteger(n) && n >= 1 && n <= 1e9,
  ),
  'shuffle-window': numberFromString(
    'a positive integer',
    (n) => Number.isSafeInteger(n) && n >= 1 && n <= 1e9,
  ),
  seed: numberFromString('an integer', Number.isSafeInteger),
  data: Path,
  plot: Path,
  json: t.boolean,
  quiet: t.boolean,
  help: t.boolean,
})

/**
 * The decoded flags with defaults. Without `--data`: the Python tool's settings (100
 * points, sgd, 300 epochs, learning rate 0.01, raw features) and seed 1. With `--data`:
 * scikit-learn's `LogisticRegression()` after a `StandardScaler` (lbfgs, standardised
 * features, and `l2` left out here: it is 1/n, n the training rows, known once the file
 * is read).
 *
 * @category model
 * @since 0.1.0
 */
export interface Flags {
  readonly n: number
  readonly epochs: number
  readonly lr: number
  readonly method: Method
  /** Whether `--method` was given (the log says when a default was chosen). */
  readonly methodGiven: boolean
  readonly seed: number
  /** λ of the penalty; absent: 1/n with `--data`, else 0. */
  readonly l2?: number
  readonly tolerance?: number
  readonly testFraction: number
  readonly label?: string
  readonly features?: ReadonlyArray<string>
  readonly drop?: ReadonlyArray<string>
  readonly standardize: boolean
  readonly batchSize?: number
  readonly shuffleWindow?: number
  readonly data?: string
  readonly plot?: string
  readonly json: boolean
  readonly quiet: boolean
  readonly help: boolean
}

const options = {
  n: { type: 'string' },
  epochs: { type: 'string' },
  lr: { type: 'string' },
  method: { type: 'string' },
  seed: { type: 'string' },
  l2: { type: 'string' },
  tolerance: { type: 'string' },
  'test-fraction': { type: 'string' },
  label: { type: 'string' },
  standardize: { type: 'boolean' },
  'no-standardize': { type: 'boolean' },
  features: { type: 'string' },
  drop: { type: 'string' },
  'batch-size': { type: 'string' },
  'shuffle-window': { type: 'string' },
  data: { type: 'string' },
  plot: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

/** The methods of an order (1: a learning rate; 2: a line search). */
const byOrder = (order: 1 | 2): ReadonlyArray<Method> =>
  methodNames.filter((m) => methods[m].order === order)

const methodLines = methodNames
  .map((m) => `                         ${m.padEnd(8)}${methods[m].summary}`)
  .join('\n')

const epochDefaults = [...new Set(methodNames.map((m) => methods[m].defaultEpochs))]
  .map(
    (e) =>
      `${e} for ${listMethods(
        methodNames.filter((m) => methods[m].defaultEpochs === e),
        false,
        'and',
      )}`,
  )
  .join(';\n                       ')

/**
 * The usage text of `ad-ts lr`.
 *
 * @category utils
 * @since 0.1.0
 */
export const usage = `Usage: ad-ts lr [flags]

Trains logistic regression on generated data (or a data file), prints the accuracy
before training, a line per epoch (a progress bar on a terminal), the final accuracy
and weights, and writes an SVG plot. Two classes train the binary model; more train
the multinomial (softmax) one. On a data file the defaults are scikit-learn's
LogisticRegression() after a StandardScaler (lbfgs, standardised features, --l2 1/n);
on generated data, the Python tool's (sgd, 300 epochs, rate 0.01).

  --data FILE          train on FILE: CSV with a header (or x1,…,y without one),
                       JSON or Parquet (.parquet)
  --label NAME         the label column of FILE (default the last); its values, numbers
                       or names, become the classes in sorted order
  --features A,B,...   the feature columns (default every column but the label)
  --drop A,B,...       leave these columns out
  --no-standardize     train on the raw features (with --data the default z-scores
                       every feature with the training rows' mean and std)
  --standardize        z-score the features of generated data too
  --test-fraction F    hold out this fraction of rows, in [0, 1), drawn with --seed
                       (default 0)
  --method M           one of (default lbfgs with --data, else sgd):
${methodLines}
  --epochs N           epochs; for newton and lbfgs, iterations at most (default
                       ${epochDefaults})
  --batch-size B       sgd and adam: mini-batches of B rows, shuffled with --seed in
                       windows of --shuffle-window rows; a file is then streamed, never
                       held whole, so it may be larger than memory
  --shuffle-window W   rows shuffled together (default 65536)
  --lr RATE            learning rate of sgd, batch and adam, positive (default 0.01)
  --l2 L               L2 penalty (L/2)·|w|², the bias not penalised, ≥ 0 (default 1/n
                       with --data, n the training rows; else 0)
  --tolerance T        newton and lbfgs stop at a gradient norm ≤ T (default 1e-8)
  --n N                number of generated points (default 100, at most ${maxPoints})
  --seed S             seed of the generated data, of the split and of the shuffle
                       (default 1)
  --plot FILE          write the SVG plot to FILE
  --json               print one JSON object (config, features, classes, weights,
                       accuracy, history)
  --quiet              print only the result
  -h, --help           print this help
`

const rewordParseError = (e: unknown): string => {
  const code = (e as { readonly code?: string }).code
  const message = e instanceof Error ? e.message : String(e)
  const flag = /'(-[^']*)'/.exec(message)?.[1]
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
    return `${flag ?? message}: unknown flag (see --help)`
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // "argument missing" at the end; "ambiguous" when the next word is another flag.
    return `${(flag ?? 'a flag').split(' ')[0]} needs a value (see --help)`
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument: ${message}`
  return message
}

/**
 * `--lr -1` as `--lr=-1`: parseArgs would take the negative number for a flag, and the
 * decoder then explains that the value must be positive.
 */
const joinNegatives = (args: ReadonlyArray<string>): string[] => {
  const out: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    const next = args[i + 1]
    const name = a.startsWith('--') ? a.slice(2) : undefined
    const takesValue =
      name !== undefined && (options as Record<string, { type: string }>)[name]?.type === 'string'
    if (takesValue && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${a}=${next}`)
      i++
    } else out.push(a)
  }
  return out
}

/**
 * Parses and decodes the arguments after `lr`: `Right` with defaults filled in, or
 * `Left` with one line (`--epochs: expected a positive integer, got "0"`).
 *
 * @category constructors
 * @since 0.1.0
 */
export const parseFlags = (args: ReadonlyArray<string>): E.Either<string, Flags> => {
  const attempt = E.tryCatch(
    () =>
      parseArgs({
        args: joinNegatives(args),
        options,
        strict: true,
        allowPositionals: false,
        tokens: true,
      }),
    rewordParseError,
  )
  if (E.isLeft(attempt)) return attempt
  const parsed = attempt.right
  const seen = new Set<string>()
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue
    if (seen.has(token.name)) return E.left(`--${token.name} is given twice; give it once`)
    seen.add(token.name)
  }
  const values = parsed.values as Record<string, unknown>
  const withData = values['data'] !== undefined
  if (withData && values['n'] !== undefined) {
    return E.left('--data cannot be combined with --n: the file decides the points')
  }
  for (const name of ['label', 'features', 'drop']) {
    if (!withData && values[name] !== undefined)
      return E.left(`--${name} names columns of --data FILE; give --data too`)
  }
  if (values['features'] !== undefined && values['drop'] !== undefined) {
    return E.left(
      '--features and --drop: give one (--features names the columns to use, --drop the ones to leave out)',
    )
  }
  if (values['standardize'] !== undefined && values['no-standardize'] !== undefined) {
    return E.left('--standardize and --no-standardize: give one')
  }
  return pipe(
    FlagsCodec.decode(values),
    E.mapLeft((errors) => {
      const p = problems(errors)[0]!
      return `--${p.path.join('.')}: expected ${p.expected}, got ${showBrief(p.value)}`
    }),
    E.chain((f) => {
      const method: Method = f.method ?? (withData ? 'lbfgs' : 'sgd')
      const row = methods[method]
      const chosen = f.method === undefined ? ` (the default${withData ? ' with --data' : ''})` : ''
      const takers = (field: 'tolerance' | 'batchSize') =>
        listMethods(
          methodNames.filter((m) => (methods[m].takes as ReadonlyArray<string>).includes(field)),
          false,
          'and',
        )
      if (f.tolerance !== undefined && row.order === 1) {
        return E.left(
          `--tolerance: only ${takers('tolerance')} stop on a tolerance, got --method ${method}${chosen}`,
        )
      }
      if (f.lr !== undefined && row.order === 2) {
        return E.left(
          `--lr: ${listMethods(byOrder(2), false, 'and')} take no learning rate (their line search sets each step), got --method ${method}${chosen}; choose --method ${listMethods(byOrder(1))} to set one`,
        )
      }
      if (
        f['batch-size'] !== undefined &&
        !(row.takes as ReadonlyArray<string>).includes('batchSize')
      ) {
        return E.left(
          `--batch-size: only ${takers('batchSize')} train on mini-batches, got --method ${method}${chosen}; add --method adam or --method sgd`,
        )
      }
      if (f['shuffle-window'] !== undefined && f['batch-size'] === undefined) {
        return E.left('--shuffle-window shuffles mini-batches; give --batch-size too')
      }
      return E.right({ f, method })
    }),
    E.map(({ f, method }) => ({
      n: f.n ?? 100,
      epochs: f.epochs ?? methods[method].defaultEpochs,
      lr: f.lr ?? 0.01,
      method,
      methodGiven: f.method !== undefined,
      seed: f.seed ?? 1,
      ...(f.l2 === undefined ? {} : { l2: f.l2 }),
      ...(f.tolerance === undefined ? {} : { tolerance: f.tolerance }),
      testFraction: f['test-fraction'] ?? 0,
      ...(f.label === undefined ? {} : { label: f.label }),
      ...(f.features === undefined ? {} : { features: f.features }),
      ...(f.drop === undefined ? {} : { drop: f.drop }),
      standardize: f['no-standardize'] === true ? false : (f.standardize ?? withData),
      ...(f['batch-size'] === undefined ? {} : { batchSize: f['batch-size'] }),
      ...(f['shuffle-window'] === undefined ? {} : { shuffleWindow: f['shuffle-window'] }),
      ...(f.data === undefined ? {} : { data: f.data }),
      ...(f.plot === undefined ? {} : { plot: f.plot }),
      json: f.json ?? false,
      quiet: f.quiet ?? false,
      help: f.help ?? false,
    })),
  )
}
