/**
 * Laws for the rule of a `customJvp` or `customVjp` function: the rule is used as
 * given, so these check it against finite differences of the primal, as
 * `derivativeLaws` checks the derivative of a `defineOp` op.
 *
 * - forward ≈ finite differences (`customJvp`): the rule's `J·v` agrees with central
 *   differences of the primal, Richardson-extrapolated;
 * - reverse ≈ finite differences (both): `⟨Jᵀ·u, v⟩ ≈ ⟨u, FD(v)⟩`;
 * - forward = reverse (`customJvp`): the whole Jacobian, for inputs and outputs of up
 *   to 256 entries in all;
 * - adjointness (`customJvp`): `⟨u, J·v⟩ = ⟨Jᵀ·u, v⟩` to rounding.
 *
 * @since 0.5.0
 */
import fc from 'fast-check'
import { Tensor, type Tensorial, type Tree } from '../src/index.js'
import { type Primitive } from '../src/internal.js'
import type { Tolerance } from './close.js'
import { identifier, named, sizeOf, treeCases, treeLaws, type TreeFunction } from './judge.js'
import { runLaws, type NamedLaw, type RunOptions } from './run.js'

/**
 * Options of `customRuleLaws`: where the inputs are drawn from (a shape, or a list of
 * shapes for a function of an array of tensors, and the element values), tolerances.
 *
 * @category model
 * @since 0.5.0
 */
export interface CustomRuleLawOptions extends RunOptions {
  /**
   * The shape of the input, for a function of one tensor: one shape (`[3]`) or an
   * arbitrary of shapes; default shapes `[]`, `[n]` and `[m, n]` with m, n in 1..4.
   */
  readonly shape?: ReadonlyArray<number> | fc.Arbitrary<ReadonlyArray<number>>
  /**
   * The shapes of the inputs, for a function of an array of tensors (instead of `shape`);
   * like `shape`, fixed or an arbitrary.
   */
  readonly shapes?:
    ReadonlyArray<ReadonlyArray<number>> | fc.Arbitrary<ReadonlyArray<ReadonlyArray<number>>>
  /** Element values of the inputs (the domain); default doubles in [−2, 2]. */
  readonly values?: fc.Arbitrary<number>
  /** Against finite differences; default `{ rel: 1e-5, abs: 1e-5 }`. */
  readonly tolerance?: Tolerance
  /** Between modes; default `{ rel: 1e-10, abs: 1e-12 }`. */
  readonly exactTolerance?: Tolerance
  /** The name in messages; default the name given to `customJvp` or `customVjp`. */
  readonly name?: string
}

/**
 * The row behind a custom function: it applies its row through the instance's `apply`,
 * so an instance whose `apply` records the row finds it (undefined for a function that
 * is not one custom function).
 */
const rowOf = (fn: TreeFunction): Primitive | undefined => {
  let row: Primitive | undefined
  const probe = {
    apply: (r: Primitive, x: unknown) => {
      row = r
      return x
    },
  } as unknown as Tensorial<unknown>
  try {
    fn(probe)(Tensor.scalar(0) as never)
  } catch {
    // Not a bare custom function: it calls other methods of the instance.
  }
  return row
}

/** A fixed value as the arbitrary that always draws it (an arbitrary is kept as it is). */
const drawn = <V>(v: V | fc.Arbitrary<V>): fc.Arbitrary<V> =>
  typeof (v as { readonly chain?: unknown }).chain === 'function'
    ? (v as fc.Arbitrary<V>)
    : fc.constant(v as V)

const dim = fc.integer({ min: 1, max: 4 })
const defaultShape: fc.Arbitrary<ReadonlyArray<number>> = fc.oneof(
  fc.constant([]),
  dim.map((n) => [n]),
  fc.tuple(dim, dim),
)

/**
 * Checks the rule of a function made by `customJvp` or `customVjp` against finite
 * differences of its primal, on tensors drawn from the options; throws on the first
 * violation, leading with the function's name, the law, the point, the derivative got
 * and the one expected, then a line that replays the failure. A `customVjp` function
 * has no forward mode, so only reverse ≈ finite differences applies to it.
 *
 * @example
 * import fc from 'fast-check'
 * import { customJvp, type Tensorial } from 'ad-ts'
 * import { customRuleLaws } from 'ad-ts/laws'
 * // log(1 + eˣ) with the rule σ(x)·v.
 * const softplus = customJvp({
 *   name: 'softplus',
 *   primal: <A>(T: Tensorial<A>) => (x: A): A => T.softplus(x),
 *   jvp: <A>(T: Tensorial<A>) => (x: A, _y: A, v: A): A => T.mul(T.sigmoid(x), v),
 * })
 * customRuleLaws(softplus, { shape: fc.constant([3]), numRuns: 20 }) // passes; a wrong rule throws
 *
 * @category laws
 * @since 0.5.0
 */
export const customRuleLaws = (
  fn: <A>(T: Tensorial<A>) => (x: never) => unknown,
  options: CustomRuleLawOptions = {},
): void => {
  const f = fn as unknown as TreeFunction
  const row = rowOf(f)
  const name = options.name ?? row?.name ?? 'the function'
  const forward = row === undefined || row.jvp !== undefined || row.vjp === undefined
  const t = options.tolerance ?? { rel: 1e-5, abs: 1e-5 }
  const exact = options.exactTolerance ?? { rel: 1e-10, abs: 1e-12 }
  const values = options.values ?? fc.double({ min: -2, max: 2, noNaN: true })
  const tensorOf = (shape: ReadonlyArray<number>) =>
    fc
      .array(values, { minLength: sizeOf(shape), maxLength: sizeOf(shape) })
      .map((xs) => Tensor.fromArray(xs, shape))
  const points: fc.Arbitrary<Tree<Tensor>> =
    options.shapes !== undefined
      ? drawn(options.shapes).chain((shapes) => fc.tuple(...shapes.map(tensorOf)))
      : drawn(options.shape ?? defaultShape).chain(tensorOf)
  const cases = treeCases(f, points)
  const laws = treeLaws(f, name, t, exact)
  const all: NamedLaw[] = forward
    ? [
        named('forward ≈ finite differences', fc.property(cases, laws.forward)),
        named('reverse ≈ finite differences', fc.property(cases, laws.reverse)),
        named('forward = reverse', fc.property(cases, laws.forwardEqualsReverse)),
        named('adjointness', fc.property(cases, laws.adjointness)),
      ]
    : [named('reverse ≈ finite differences', fc.property(cases, laws.reverse))]
  runLaws(
    { subject: name, call: (o) => `laws.customRuleLaws(${identifier(name, 'f')}, ${o})` },
    all,
    options,
  )
}
