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
import {
  defaultStep,
  jvp,
  showValue,
  tensor,
  Tensor,
  vjp,
  type TensorialArrayFunction,
} from '../src/index.js'
import { close, type Tolerance } from './close.js'
import { assertProperty, type RunOptions } from './run.js'

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

const sizeOf = (shape: ReadonlyArray<number>) => shape.reduce((a, b) => a * b, 1)

const inner = (a: ReadonlyArray<Tensor>, b: ReadonlyArray<Tensor>) => {
  let s = 0
  let scale = 0
  a.forEach((t, i) => {
    const x = Tensor.toFlat(t)
    const y = Tensor.toFlat(b[i]!)
    for (let k = 0; k < x.length; k++) {
      s += x[k]! * y[k]!
      scale += Math.abs(x[k]! * y[k]!)
    }
  })
  return { value: s, scale }
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

/** xs + h·vs/norm, dividing first so that a tiny direction cannot overflow the step. */
const step = (xs: ReadonlyArray<Tensor>, h: number, vs: ReadonlyArray<Tensor>, norm: number) =>
  xs.map((x, i) => {
    const a = Tensor.toFlat(x)
    const v = Tensor.toFlat(vs[i]!)
    return Tensor.fromArray(
      a.map((ai, k) => ai + h * (v[k]! / norm)),
      Tensor.shape(x),
    )
  })

const finiteDifference = (
  f: (xs: ReadonlyArray<Tensor>) => Tensor,
  xs: ReadonlyArray<Tensor>,
  vs: ReadonlyArray<Tensor>,
): Tensor => {
  const norm = Math.max(0, ...vs.flatMap((v) => Array.from(Tensor.toFlat(v), Math.abs)))
  const y = f(xs)
  if (norm === 0) return Tensor.fill(Tensor.shape(y), 0)
  const h = defaultStep(xs.flatMap((x) => Array.from(Tensor.toFlat(x))))
  const plus = Tensor.toFlat(f(step(xs, h, vs, norm)))
  const minus = Tensor.toFlat(f(step(xs, -h, vs, norm)))
  return Tensor.fromArray(
    plus.map((p, k) => ((p - minus[k]!) / (2 * h)) * norm),
    Tensor.shape(y),
  )
}

const fail = (law: string, name: string, details: Record<string, unknown>) =>
  new Error(
    `${law} fails for ${name} at ${Object.entries(details)
      .map(([k, v]) => `${k} = ${showValue(v)}`)
      .join(', ')}`,
  )

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
  const unit = fc.array(fc.double({ min: -1, max: 1, noNaN: true }), {
    minLength: 1,
    maxLength: 64,
  })
  const primal = f(tensor)
  assertProperty(
    fc.property(options.shapes, stream, unit, unit, (shapes, xsStream, vStream, uStream) => {
      const xs = filled(shapes, xsStream)
      const vs = filled(shapes, vStream)
      const [y, jv] = jvp(f)(tensor)(xs, vs)
      const [, pullback] = vjp(f)(tensor)(xs)
      const [u] = filled([Tensor.shape(y)], uStream)
      const fd = finiteDifference(primal, xs, vs)
      const shown = { xs: xs.map(Tensor.toArray), vs: vs.map(Tensor.toArray) }
      const a = Tensor.toFlat(jv)
      const b = Tensor.toFlat(fd)
      if (!a.every((ak, k) => close(ak, b[k]!, t))) {
        throw fail('forward ≈ finite differences', name, {
          ...shown,
          'forward J·v': Tensor.toArray(jv),
          'finite difference': Tensor.toArray(fd),
        })
      }
      const jtu = pullback(u!)
      const left = inner([u!], [jv])
      const right = inner(jtu, vs)
      const tol = {
        ...exact,
        abs: (exact.abs ?? 0) + (exact.rel ?? 0) * (left.scale + right.scale),
      }
      if (!close(left.value, right.value, tol)) {
        throw fail('adjointness', name, {
          ...shown,
          u: Tensor.toArray(u!),
          '⟨u, Jv⟩': left.value,
          '⟨Jᵀu, v⟩': right.value,
        })
      }
      const viaFd = inner([u!], [fd])
      const tolFd = { ...t, abs: (t.abs ?? 0) + (t.rel ?? 0) * viaFd.scale }
      if (!close(right.value, viaFd.value, tolFd)) {
        throw fail('reverse ≈ finite differences', name, {
          ...shown,
          u: Tensor.toArray(u!),
          '⟨Jᵀu, v⟩': right.value,
          '⟨u, FD(v)⟩': viaFd.value,
        })
      }
    }),
    options,
  )
}
