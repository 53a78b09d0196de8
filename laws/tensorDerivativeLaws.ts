/**
 * Derivative laws for functions of tensors: the same properties as `derivativeLaws`,
 * with inputs of generated shapes, tangents of the inputs' shapes and cotangents of
 * the output's shape.
 *
 * - forward ≈ finite differences: `J·v` by dual tensors agrees with central differences;
 * - reverse ≈ finite differences: `⟨Jᵀ·u, v⟩ ≈ ⟨u, FD(v)⟩`;
 * - adjointness: `⟨u, J·v⟩ = ⟨Jᵀ·u, v⟩` to rounding, the law that pins down the
 *   adjoints of matmul, transpose, sum, mean and broadcasting.
 *
 * @since 0.1.0
 */
import fc from 'fast-check'
import { Tensor, type TensorialArrayFunction, type Tree } from '../src/index.js'
import type { Tolerance } from './close.js'
import { named, sizeOf, treeCases, treeLaws, type TreeFunction } from './judge.js'
import { runLaws, type RunOptions } from './run.js'

/**
 * Options of `tensorDerivativeLaws`.
 *
 * @category model
 * @since 0.1.0
 */
export interface TensorLawOptions extends RunOptions {
  /** The shapes of the inputs, one list per case (they must fit the function). */
  readonly shapes: fc.Arbitrary<ReadonlyArray<ReadonlyArray<number>>>
  /** Element values of the inputs; default doubles in [−2, 2]. */
  readonly values?: fc.Arbitrary<number>
  /** Against finite differences; default `{ rel: 1e-5, abs: 1e-5 }`. */
  readonly tolerance?: Tolerance
  /** Between modes; default `{ rel: 1e-10, abs: 1e-12 }`. */
  readonly exactTolerance?: Tolerance
}

/** Tensors of the given shapes filled from a stream of numbers (cycled). */
const filled = (shapes: ReadonlyArray<ReadonlyArray<number>>, stream: ReadonlyArray<number>) => {
  let k = 0
  return shapes.map((s) =>
    Tensor.fromArray(
      Array.from({ length: sizeOf(s) }, () => stream[k++ % stream.length]!),
      s,
    ),
  )
}

/**
 * Runs the tensor derivative laws on a function of tensors with fast-check.
 *
 * @example
 * import fc from 'fast-check'
 * import { type Tensorial } from 'ad-ts'
 * import { tensorDerivativeLaws } from 'ad-ts/laws'
 * const f = <A>(T: Tensorial<A>) => (xs: ReadonlyArray<A>): A => T.matmul(xs[0]!, xs[1]!)
 * const shapes = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })).map(([m, k, n]) => [[m, k], [k, n]])
 * tensorDerivativeLaws('matmul', f, { shapes, numRuns: 20 }) // throws on a violation
 *
 * @category laws
 * @since 0.1.0
 */
export const tensorDerivativeLaws = (
  name: string,
  f: TensorialArrayFunction,
  options: TensorLawOptions,
): void => {
  const t = options.tolerance ?? { rel: 1e-5, abs: 1e-5 }
  const exact = options.exactTolerance ?? { rel: 1e-10, abs: 1e-12 }
  const values = options.values ?? fc.double({ min: -2, max: 2, noNaN: true })
  const stream = fc.array(values, { minLength: 1, maxLength: 64 })
  const g = f as unknown as TreeFunction
  const points = fc
    .tuple(options.shapes, stream)
    .map(([shapes, xs]) => filled(shapes, xs) as Tree<Tensor>)
  const cases = treeCases(g, points)
  const laws = treeLaws(g, name, t, exact)
  runLaws(
    {
      subject: name,
      call: (o) => `laws.tensorDerivativeLaws(${JSON.stringify(name)}, f, ${o})`,
    },
    [
      named('forward ≈ finite differences', fc.property(cases, laws.forward)),
      named('reverse ≈ finite differences', fc.property(cases, laws.reverse)),
      named('adjointness', fc.property(cases, laws.adjointness)),
    ],
    options,
  )
}
