/**
 * The array-in, array-out combinators (`jacobian`, `hessian`) take one value per variable
 * in an array and, for a Jacobian, a function returning an array. Anything else is a
 * programming error, reported by name rather than as a TypeError from inside.
 *
 * @since 0.5.0
 */
import { showKind } from './showKind.js'

/**
 * Throws unless `value` is an array, naming `op` and what was given. `role` says which
 * argument: the inputs or f's result.
 *
 * @example
 * import { requireArray } from 'ad-ts/internal'
 * requireArray('jacobian', 'inputs', [1, 2]) // => undefined
 *
 * @category utils
 * @since 0.5.0
 */
export const requireArray = (op: string, role: 'inputs' | 'outputs', value: unknown): void => {
  if (Array.isArray(value)) return
  throw new Error(
    role === 'inputs'
      ? `${op}: expected an array of inputs (one value per variable), got ${showKind(value)}; for a tensor input, jvp, vjp or vmap(grad) give its derivatives`
      : `${op}: f must return an array of outputs (one value each), got ${showKind(value)}; for one output use grad`,
  )
}
