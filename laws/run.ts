/**
 * The runner shared by every law suite: binds properties to fast-check with the caller's
 * run count, seed and path, and turns a failure into a message a user reads top down:
 * what is wrong (the subject, the law in words), where (the point), the value got and
 * the value expected (and how the expected one was found), then one line that replays
 * the failure. fast-check's own report stays out of the message; the law's error is the
 * `cause`.
 *
 * @since 0.1.0
 */
import fc from 'fast-check'
import { showBrief } from '../src/internal.js'

/**
 * Run options common to every suite.
 *
 * @category model
 * @since 0.1.0
 */
export interface RunOptions {
  /** Generated cases per law; default 200. */
  readonly numRuns?: number
  /** Replays a failure: the seed of its replay line (one seed serves every law of a suite). */
  readonly seed?: number
  /** Replays a failure: the path of its replay line (the case that failed, before shrinking). */
  readonly path?: string
}

/**
 * What a law reports when it does not hold, in the words the message is made of. The
 * message reads `subject: law`, `at …`, `got, expected … (how)`, then the note.
 *
 * @category model
 * @since 0.5.0
 */
export interface Violation {
  /** The op or function under test, by name. */
  readonly subject: string
  /** The law, in words (`forward mode disagrees with finite differences`). */
  readonly law: string
  /** The point, and the directions where they matter (`x = 0`). */
  readonly at: string
  /** The value got, with what it is (`derivative -0.64`). */
  readonly got: string
  /** The value expected. */
  readonly expected: string
  /** How the expected value was found, and the tolerance. */
  readonly how?: string | undefined
  /** A further line: a hint, or the other values. */
  readonly note?: string | undefined
}

/**
 * The error a law throws from inside a property: its `violation` holds the parts of
 * the message.
 *
 * @example
 * import { LawViolation } from 'ad-ts/laws'
 * new LawViolation({ subject: 'erf', law: 'forward mode disagrees with finite differences', at: 'x = 0', got: 'derivative -0.64', expected: '1.128' }).message
 * // => 'erf: forward mode disagrees with finite differences\n  at x = 0\n  derivative -0.64, expected 1.128'
 *
 * @internal
 * @category model
 * @since 0.5.0
 */
export class LawViolation extends Error {
  constructor(
    /** The parts of the message: subject, law, point, the value got and the one expected. */
    readonly violation: Violation,
  ) {
    super(describeViolation(violation))
    this.name = 'LawViolation'
  }
}

const describeViolation = (v: Violation): string =>
  [
    `${v.subject}: ${v.law}`,
    `  at ${v.at}`,
    `  ${v.got}, expected ${v.expected}${v.how === undefined ? '' : ` (${v.how})`}`,
    ...(v.note === undefined ? [] : [`  ${v.note}`]),
  ].join('\n')

/**
 * Numbers printed with the fewest significant digits (at least `digits`, default 4) that tell `got` from
 * `expected` wherever they differ, so "-0.64, expected 1.128" reads at a glance and a
 * 0.01% error still shows. Arrays longer than 8 are cut, with their length.
 *
 * @example
 * import { showDiffering } from 'ad-ts/laws'
 * showDiffering(-0.64, 1.1283791670955126) // => ['-0.64', '1.128']
 * showDiffering([1.00001234], [1.00002468]) // => ['[1.00001]', '[1.00002]']
 *
 * @category utils
 * @since 0.5.0
 */
export const showDiffering = (
  got: number | ReadonlyArray<number>,
  expected: number | ReadonlyArray<number>,
  digits = 4,
): readonly [string, string] => {
  const a = typeof got === 'number' ? [got] : got
  const b = typeof expected === 'number' ? [expected] : expected
  const at = (x: number, p: number) => (Number.isFinite(x) ? Number(x.toPrecision(p)) : x)
  let p = digits
  while (p < 17 && a.some((x, i) => i < b.length && x !== b[i] && at(x, p) === at(b[i]!, p))) p++
  const show = (xs: ReadonlyArray<number>, one: boolean) => {
    const shown = xs.slice(0, 8).map((x) => showBrief(at(x, p)))
    if (one) return shown[0]!
    return `[${shown.join(', ')}${xs.length > 8 ? `, … (${xs.length} values)` : ''}]`
  }
  return [show(a, typeof got === 'number'), show(b, typeof expected === 'number')]
}

/**
 * Numbers printed to 6 significant digits, for points and directions.
 *
 * @example
 * import { showNumbers } from 'ad-ts/laws'
 * showNumbers([Math.PI, -0.5]) // => '[3.14159, -0.5]'
 * showNumbers(2) // => '2'
 *
 * @category utils
 * @since 0.5.0
 */
export const showNumbers = (xs: number | ReadonlyArray<number>): string =>
  showDiffering(xs, xs, 6)[0]

/**
 * One law of a suite: its name in words (for errors other than a `LawViolation`) and
 * its property.
 *
 * @category model
 * @since 0.5.0
 */
export interface NamedLaw {
  /** The law, in words. */
  readonly name: string
  /** The property; it throws a `LawViolation` where the law fails. */
  readonly property: fc.IProperty<[unknown, ...unknown[]]>
}

/**
 * How a suite prints its own call, for the replay line: `call('{ seed: 1, path: "4" }')`
 * gives `laws.derivativeLaws(erf, { seed: 1, path: "4" })`.
 *
 * @category model
 * @since 0.5.0
 */
export interface Suite {
  /** The subject, by name, for errors other than a `LawViolation`. */
  readonly subject: string
  /** The suite's call with the given options text. */
  readonly call: (options: string) => string
}

/** A value for a message: functions by name only (never their source), cut short. */
const showCase = (value: unknown): string => {
  const strip = (v: unknown, depth: number): unknown =>
    typeof v === 'function'
      ? `<function ${v.name || 'anonymous'}>`
      : Array.isArray(v) && depth < 8
        ? v.map((x) => strip(x, depth + 1))
        : v
  return showBrief(strip(value, 0), 200)
}

/**
 * The options text of a replay line: the seed and the case's run index (a path of one
 * segment: replaying it shrinks again, deterministically, to the same counterexample),
 * after the caller's other options when there were any.
 */
const replayOptions = (options: object, seed: number, path: string): string => {
  // The run count does not matter to a replay: every case before the failing one passed.
  const others = Object.keys(options).some((k) => k !== 'seed' && k !== 'path' && k !== 'numRuns')
  return `{ ${others ? '...options, ' : ''}seed: ${seed}, path: "${path}" }`
}

/**
 * Runs the laws of a suite, in order, from one seed (drawn once per call unless given),
 * so that the replay line of a failure replays every law as it ran; throws an `Error`
 * whose message leads with the violation and ends with the replay line.
 *
 * @example
 * import fc from 'fast-check'
 * import { runLaws } from 'ad-ts/laws'
 * const law = { name: 'x = x', property: fc.property(fc.double({ noNaN: true }), (x) => x === x) }
 * runLaws({ subject: 'equality', call: (o) => `check(${o})` }, [law], { numRuns: 10 }) // => undefined
 *
 * @category utils
 * @since 0.5.0
 */
export const runLaws = (
  suite: Suite,
  laws: ReadonlyArray<NamedLaw>,
  options: RunOptions & object,
): void => {
  const seed = options.seed ?? (Math.random() * 2 ** 32) | 0
  const numRuns = options.numRuns ?? 200
  // A replayed path starts at its run index: the laws before the failing one passed every
  // case from there to numRuns, and must not be run on cases they never saw.
  const start = options.path === undefined ? 0 : Number(options.path.split(':')[0]) || 0
  for (const law of laws) {
    const details = fc.check(law.property, {
      numRuns: Math.max(1, numRuns - start),
      seed,
      ...(options.path === undefined ? {} : { path: options.path }),
    })
    if (!details.failed) continue
    if (details.counterexamplePath === null) {
      throw new Error(
        `${suite.subject}: ${law.name} could not be checked: fast-check gave up after ${details.numSkips} skipped cases (a \`where\` or domain filter rejecting nearly every point?)\n  replay: ${suite.call(replayOptions(options, seed, '0'))}`,
      )
    }
    const path = details.counterexamplePath.split(':')[0]!
    const error = details.errorInstance
    const replay = `  replay: ${suite.call(replayOptions(options, seed, path))}`
    const message =
      error instanceof LawViolation
        ? `${error.message}\n${replay}`
        : [
            `${suite.subject === '' ? '' : `${suite.subject}: ${law.name}: `}${error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : showCase(error)}`,
            `  at ${showCase(details.counterexample)}`,
            replay,
          ].join('\n')
    throw new Error(message, { cause: error })
  }
}

/**
 * Runs one property; throws on failure with the law's message, the case and a replay
 * line (`{ seed, path }` for these options).
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
): void =>
  runLaws(
    { subject: '', call: (o) => `options ${o}` },
    [{ name: 'the property', property: property as unknown as NamedLaw['property'] }],
    options,
  )
