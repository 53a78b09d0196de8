/**
 * The trainer's configuration and its io-ts codec. Decoding never throws: an invalid
 * configuration is a `Left` whose message names the field, the value and the rule.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { problems, renderProblem } from '../util/decode.js'
import { showBrief } from '../util/show.js'
import {
  listMethods,
  methodNames,
  methods,
  type Method as MethodName,
  type MethodField,
} from './methods.js'

const refine = <A extends number>(name: string, ok: (n: number) => boolean) =>
  new t.Type<A, number, unknown>(
    name,
    (u): u is A => typeof u === 'number' && ok(u),
    (u, c) => (typeof u === 'number' && ok(u) ? t.success(u as A) : t.failure(u, c, name)),
    (a) => a,
  )

/**
 * An integer ≥ 1.
 *
 * @category model
 * @since 0.1.0
 */
export const PositiveInteger = refine<number>(
  'a positive integer',
  (n) => Number.isSafeInteger(n) && n >= 1,
)

/**
 * A number > 0 that is finite (NaN and ±Infinity are refused).
 *
 * @category model
 * @since 0.1.0
 */
export const PositiveFinite = refine<number>(
  'a positive finite number',
  (n) => Number.isFinite(n) && n > 0,
)

/**
 * A finite number (NaN and ±Infinity are refused).
 *
 * @category model
 * @since 0.1.0
 */
export const FiniteNumber = refine<number>('a finite number', Number.isFinite)

/**
 * An integer (for seeds).
 *
 * @category model
 * @since 0.1.0
 */
export const Integer = refine<number>('an integer', Number.isSafeInteger)

/**
 * A finite number ≥ 0.
 *
 * @category model
 * @since 0.3.0
 */
export const NonNegativeFinite = refine<number>(
  'a finite number ≥ 0',
  (n) => Number.isFinite(n) && n >= 0,
)

/**
 * The training method, one of the rows of `methods`: `'sgd'` (per sample, in data order
 * unless `shuffleSeed` is given; mini-batches with `batchSize`), `'batch'` (full-batch
 * gradient descent on the objective), `'adam'` (full-batch Adam, or mini-batches with
 * `batchSize`), `'newton'` (damped Newton's method) or `'lbfgs'` (L-BFGS). The last two
 * take one iteration per epoch and stop early at the gradient-norm `tolerance`.
 *
 * @category model
 * @since 0.1.0
 */
export const Method = t.keyof(
  Object.fromEntries(methodNames.map((m) => [m, null])) as Record<MethodName, null>,
  listMethods(methodNames, true),
)

/**
 * A training method's name.
 *
 * @category model
 * @since 0.3.0
 */
export type Method = MethodName

/**
 * The model: `'binary'` (weights `[d + 1]`, labels 0 and 1) or `'multinomial'`
 * (softmax, weights `[d + 1][k]`). The default is binary for two classes and
 * multinomial for more.
 *
 * @category model
 * @since 0.3.0
 */
export const Model = t.keyof({ binary: null, multinomial: null }, "'binary' or 'multinomial'")

const FiniteArray = t.readonlyArray(FiniteNumber, 'an array of finite numbers')

const Rows = t.readonlyArray(FiniteArray, 'an array of rows of finite numbers')

/**
 * Initial weights: an array of finite numbers (binary) or of rows of them (multinomial);
 * an error names the element at fault (`config.init.1`, `config.init.0.2`).
 *
 * @category model
 * @since 0.3.0
 */
export const Init = new t.Type<
  ReadonlyArray<number> | ReadonlyArray<ReadonlyArray<number>>,
  ReadonlyArray<number> | ReadonlyArray<ReadonlyArray<number>>,
  unknown
>(
  'an array of finite numbers, or of rows of them',
  (u): u is ReadonlyArray<number> => FiniteArray.is(u) || Rows.is(u),
  (u, c) =>
    Array.isArray(u) && u.some(Array.isArray) ? Rows.validate(u, c) : FiniteArray.validate(u, c),
  (w) => w,
)

/**
 * The codec of the trainer's configuration (what comes from outside: a JSON file, a
 * JavaScript caller).
 *
 * @category model
 * @since 0.1.0
 */
export const TrainConfigCodec = t.intersection([
  t.type({ epochs: PositiveInteger }),
  t.partial({
    learningRate: PositiveFinite,
    method: Method,
    init: Init,
    shuffleSeed: Integer,
    l2: NonNegativeFinite,
    tolerance: NonNegativeFinite,
    model: Model,
    batchSize: PositiveInteger,
    shuffleWindow: PositiveInteger,
  }),
])

/**
 * The fields of a configuration that every method takes.
 *
 * @category model
 * @since 0.3.0
 */
export interface CommonInput {
  /** Epochs: passes over the data, or iterations of newton and lbfgs (a positive integer). */
  readonly epochs: number
  /** Initial weights (default: all ones for the binary model, all zeros for the multinomial one). */
  readonly init?: ReadonlyArray<number> | ReadonlyArray<ReadonlyArray<number>>
  /** λ ≥ 0 of the penalty (λ/2)·‖w‖², the bias not penalised (default 0). */
  readonly l2?: number
  /** The model (default: binary for two classes, multinomial for more). */
  readonly model?: 'binary' | 'multinomial'
}

/**
 * A configuration as a TypeScript caller writes it: the type says which fields each
 * method takes, so `method: 'adamw'`, a missing `learningRate` for a first-order
 * method or a `tolerance` for sgd do not compile. (`train` still decodes its argument,
 * for JavaScript callers and data from outside.)
 *
 * @category model
 * @since 0.3.0
 */
export type TrainConfigInput = CommonInput &
  (
    | {
        /** Per-sample gradient descent (the default). */
        readonly method?: 'sgd'
        /** The step size α, positive and finite. */
        readonly learningRate: number
        /** Shuffle the samples each epoch with this seed (default: data order). */
        readonly shuffleSeed?: number
        /** Mini-batches of this many rows, each a step of `optim.sgd` (default: per sample). */
        readonly batchSize?: number
        /** With `batchSize`: rows shuffled together (default `defaultShuffleWindow`). */
        readonly shuffleWindow?: number
      }
    | {
        /** Full-batch gradient descent. */
        readonly method: 'batch'
        /** The step size α, positive and finite. */
        readonly learningRate: number
      }
    | {
        /** Adam: full batch, or mini-batches with `batchSize`. */
        readonly method: 'adam'
        /** The step size α, positive and finite. */
        readonly learningRate: number
        /** Mini-batches of this many rows (default: one full-batch step an epoch). */
        readonly batchSize?: number
        /** With `batchSize`: rows shuffled together (default `defaultShuffleWindow`). */
        readonly shuffleWindow?: number
        /** With `batchSize`: the seed of the shuffle (default: data order). */
        readonly shuffleSeed?: number
      }
    | {
        /** Damped Newton's method or L-BFGS, one iteration per epoch. */
        readonly method: 'newton' | 'lbfgs'
        /** Not used by these methods; allowed so one config can switch methods. */
        readonly learningRate?: number
        /** Stop at a gradient 2-norm ≤ this (default 1e-8). */
        readonly tolerance?: number
      }
  )

/**
 * A decoded configuration with its defaults filled in (`init` and `model` stay optional:
 * their defaults depend on the data).
 *
 * @category model
 * @since 0.1.0
 */
export interface TrainConfig {
  /** Passes over the data (iterations for newton and lbfgs), a positive integer. */
  readonly epochs: number
  /** The step size α, positive and finite (present for sgd, batch and adam). */
  readonly learningRate?: number
  /** The training method. */
  readonly method: Method
  /** Initial weights. */
  readonly init?: ReadonlyArray<number> | ReadonlyArray<ReadonlyArray<number>>
  /** With sgd: shuffle the samples each epoch with this seed (default: data order). */
  readonly shuffleSeed?: number
  /** λ ≥ 0 of the L2 penalty (default 0). */
  readonly l2?: number
  /** Gradient-norm tolerance of newton and lbfgs (default 1e-8). */
  readonly tolerance?: number
  /** The model, when chosen. */
  readonly model?: 'binary' | 'multinomial'
  /** sgd and adam: rows per mini-batch. */
  readonly batchSize?: number
  /** With `batchSize`: rows shuffled together. */
  readonly shuffleWindow?: number
}

/** The fields that some methods take and others do not, from the methods' record. */
const methodFields: ReadonlyArray<MethodField> = [
  ...new Set(
    Object.values(methods).flatMap((m): ReadonlyArray<MethodField> => [...m.needs, ...m.takes]),
  ),
]

const fields: ReadonlyArray<string> = ['epochs', 'method', 'init', 'l2', 'model', ...methodFields]

/** A fresh copy: the decoded config never shares an array with its input. */
const copyWeights = (
  w: ReadonlyArray<number> | ReadonlyArray<ReadonlyArray<number>>,
): ReadonlyArray<number> | ReadonlyArray<ReadonlyArray<number>> =>
  (w as ReadonlyArray<number | ReadonlyArray<number>>).map((r) =>
    typeof r === 'number' ? r : [...r],
  ) as ReadonlyArray<number> | ReadonlyArray<ReadonlyArray<number>>

/** The methods that take a field. */
const takers = (field: MethodField): ReadonlyArray<Method> =>
  methodNames.filter((m) =>
    ([...methods[m].needs, ...methods[m].takes] as ReadonlyArray<MethodField>).includes(field),
  )

/** A field that the chosen method does not take, or a missing one it needs. */
const methodProblem = (
  c: t.TypeOf<typeof TrainConfigCodec>,
  method: Method,
): string | undefined => {
  const row = methods[method]
  for (const field of row.needs as ReadonlyArray<MethodField>) {
    if (c[field] === undefined)
      return `config.${field}: expected a positive finite number (method '${method}' needs one), got nothing`
  }
  const allowed = [...row.needs, ...row.takes] as ReadonlyArray<MethodField>
  for (const field of methodFields) {
    if (c[field] === undefined || allowed.includes(field)) continue
    const names = takers(field)
    return `config.${field}: only method${names.length === 1 ? '' : 's'} ${listMethods(names, true, 'and')} take${names.length === 1 ? 's' : ''} it, got method '${method}'`
  }
  if (c.batchSize === undefined && c.shuffleWindow !== undefined)
    return 'config.shuffleWindow: it shuffles mini-batches; give batchSize too'
  if (c.batchSize === undefined && c.shuffleSeed !== undefined && method !== 'sgd')
    return `config.shuffleSeed: method '${method}' shuffles only mini-batches; give batchSize too`
  return undefined
}

/**
 * Decodes a configuration: `Right` with defaults filled in (method `'sgd'`, l2 0,
 * tolerance 1e-8), or `Left` with an `Error` whose message names the first bad field
 * (`config.epochs: expected a positive integer, got 0`). Unknown fields are refused,
 * so a typo is not silently ignored, and so are fields the method does not take.
 *
 * @example
 * import { lr } from 'ad-ts'
 * lr.decodeConfig({ epochs: 10, learningRate: 0.1 }) // => { _tag: 'Right', right: { epochs: 10, learningRate: 0.1, method: 'sgd', l2: 0, tolerance: 1e-8 } }
 *
 * @category constructors
 * @since 0.1.0
 */
export const decodeConfig = (input: unknown): E.Either<Error, TrainConfig> => {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return E.left(
      new Error(`config: expected an object with epochs and learningRate, got ${showBrief(input)}`),
    )
  }
  const unknown = Object.keys(input).find((k) => !(fields as ReadonlyArray<string>).includes(k))
  if (unknown !== undefined) {
    return E.left(
      new Error(`config.${unknown}: unknown field (expected one of ${fields.join(', ')})`),
    )
  }
  return pipe(
    TrainConfigCodec.decode(input),
    E.mapLeft((errors) => new Error(renderProblem('config', problems(errors)[0]!))),
    E.chain((c) => {
      const method = c.method ?? 'sgd'
      const problem = methodProblem(c, method)
      if (problem !== undefined) return E.left(new Error(problem))
      return E.right({
        epochs: c.epochs,
        ...(c.learningRate === undefined ? {} : { learningRate: c.learningRate }),
        method,
        ...(c.init === undefined ? {} : { init: copyWeights(c.init) }),
        ...(c.shuffleSeed === undefined ? {} : { shuffleSeed: c.shuffleSeed }),
        l2: c.l2 ?? 0,
        tolerance: c.tolerance ?? 1e-8,
        ...(c.model === undefined ? {} : { model: c.model }),
        ...(c.batchSize === undefined ? {} : { batchSize: c.batchSize }),
        ...(c.shuffleWindow === undefined ? {} : { shuffleWindow: c.shuffleWindow }),
      })
    }),
  )
}
