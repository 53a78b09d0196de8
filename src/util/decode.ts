/**
 * Rendering io-ts decoding errors: the one place where structured errors become a
 * message. Each error names its path, the value received (printed by `showValue`, so
 * NaN and ±Infinity stay visible) and the rule it broke (the name of the io-ts type).
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import { showBrief } from './show.js'

/**
 * One decoding failure, structured: where, what was received, what was expected.
 *
 * @category model
 * @since 0.1.0
 */
export interface Problem {
  /** The keys from the root to the offending value (array indices as strings). */
  readonly path: ReadonlyArray<string>
  /** The value received. */
  readonly value: unknown
  /** The rule it broke, in words. */
  readonly expected: string
}

const composite = (type: t.Decoder<unknown, unknown>): boolean => {
  const tag = (type as { readonly _tag?: string })._tag
  return tag === 'IntersectionType' || tag === 'UnionType'
}

/**
 * The problems of an io-ts failure, deepest context first: for a union, the member
 * that failed deepest explains best, so problems are sorted by path length.
 *
 * @example
 * import * as t from 'io-ts'
 * import { problems } from 'ad-ts/internal'
 * const result = t.type({ n: t.number }).decode({ n: 'x' })
 * if (result._tag === 'Right') throw new Error('a Left')
 * problems(result.left) // => [{ path: ['n'], value: 'x', expected: 'number' }]
 *
 * @category utils
 * @since 0.1.0
 */
export const problems = (errors: t.Errors): ReadonlyArray<Problem> =>
  errors
    .map((e) => {
      // Members of intersections and unions appear in the context under their index;
      // they are not part of the value's path.
      const path = e.context
        .filter((_, i) => i > 0 && !composite(e.context[i - 1]!.type))
        .map((c) => c.key)
      const last = e.context[e.context.length - 1]
      return { path, value: e.value, expected: e.message ?? last?.type.name ?? 'a valid value' }
    })
    .sort((a, b) => b.path.length - a.path.length)

/**
 * The usual rendering: `root.a.b: expected RULE, got VALUE`.
 *
 * @example
 * import { renderProblem } from 'ad-ts/internal'
 * renderProblem('config', { path: ['epochs'], value: 0, expected: 'a positive integer' }) // => 'config.epochs: expected a positive integer, got 0'
 *
 * @category utils
 * @since 0.1.0
 */
export const renderProblem = (root: string, p: Problem): string =>
  `${[root, ...p.path].join('.')}: expected ${p.expected}, got ${p.value === undefined ? 'nothing' : showBrief(p.value)}`
