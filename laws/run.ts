/**
 * The runner shared by every law suite: binds a property to fast-check's `assert`
 * with the caller's run count, seed and path.
 *
 * @since 0.1.0
 */
import fc from 'fast-check'

/**
 * Run options common to every suite.
 *
 * @category model
 * @since 0.1.0
 */
export interface RunOptions {
  /** Generated cases per law; default 200. */
  readonly numRuns?: number
  /** Replays a failure: the seed fast-check printed. */
  readonly seed?: number
  /** Replays a failure: the path fast-check printed. */
  readonly path?: string
}

/**
 * Runs one property; throws fast-check's report (counterexample, seed, path) on failure.
 *
 * @example
 * import fc from 'fast-check'
 * import { assertProperty } from 'ad-ts/laws'
 * assertProperty(fc.property(fc.double({ noNaN: true }), (x) => x === x), { numRuns: 10 }) // => undefined
 *
 * @category utils
 * @since 0.1.0
 */
export const assertProperty = <Ts extends [unknown, ...unknown[]]>(
  property: fc.IProperty<Ts>,
  options: RunOptions,
): void => {
  fc.assert(property, {
    numRuns: options.numRuns ?? 200,
    // The law's own message (both values) belongs in the report, not only in `cause`.
    includeErrorInReport: true,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.path === undefined ? {} : { path: options.path }),
  })
}
