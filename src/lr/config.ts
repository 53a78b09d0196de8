/**
 * The trainer's configuration and its io-ts codec. Decoding never throws: an invalid
 * configuration is a `Left` whose message names the field, the value and the rule.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { problems, renderProblem } from '../decode.js'
import { showBrief } from '../show.js'

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
 * The optimisation method: `'sgd'` (per sample, in data order unless `shuffleSeed` is
 * given) or `'batch'` (full-batch gradient descent on the mean loss, tensor backend).
 *
 * @category model
 * @since 0.1.0
 */
export const Method = t.keyof({ sgd: null, batch: null }, "'sgd' or 'batch'")

/**
 * The codec of the trainer's configuration.
 *
 * @category model
 * @since 0.1.0
 */
export const TrainConfigCodec = t.intersection([
  t.type({ epochs: PositiveInteger, learningRate: PositiveFinite }),
  t.partial({
    method: Method,
    init: t.readonlyArray(FiniteNumber, 'an array of finite numbers'),
    shuffleSeed: Integer,
  }),
])

/**
 * A configuration as written by a caller.
 *
 * @category model
 * @since 0.1.0
 */
export type TrainConfigInput = t.TypeOf<typeof TrainConfigCodec>

/**
 * A decoded configuration with its defaults filled in (`init` stays optional: its
 * default, all ones, depends on the data's width).
 *
 * @category model
 * @since 0.1.0
 */
export interface TrainConfig {
  /** Passes over the data, a positive integer. */
  readonly epochs: number
  /** The step size α, positive and finite. */
  readonly learningRate: number
  /** `'sgd'` (per sample) or `'batch'` (full batch). */
  readonly method: 'sgd' | 'batch'
  /** Initial weights, one per column of x (default all ones). */
  readonly init?: ReadonlyArray<number>
  /** With sgd: shuffle the samples each epoch with this seed (default: data order). */
  readonly shuffleSeed?: number
}

const fields = ['epochs', 'learningRate', 'method', 'init', 'shuffleSeed'] as const

/**
 * Decodes a configuration: `Right` with defaults filled in (method `'sgd'`), or `Left`
 * with an `Error` whose message names the first bad field (`config.epochs: expected a
 * positive integer, got 0`). Unknown fields are refused too, so a typo is not
 * silently ignored.
 *
 * @example
 * import { lr } from 'ad-ts'
 * lr.decodeConfig({ epochs: 10, learningRate: 0.1 }) // => { _tag: 'Right', right: { epochs: 10, learningRate: 0.1, method: 'sgd' } }
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
    E.map((c) => ({
      epochs: c.epochs,
      learningRate: c.learningRate,
      method: c.method ?? 'sgd',
      ...(c.init === undefined ? {} : { init: [...c.init] }),
      ...(c.shuffleSeed === undefined ? {} : { shuffleSeed: c.shuffleSeed }),
    })),
  )
}
