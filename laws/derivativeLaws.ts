/**
 * Derivative laws: properties that any op or differentiable function must satisfy,
 * checked with fast-check on generated points, directions and cotangents.
 *
 * - forward ≈ finite differences: `J·v` by dual numbers agrees with central differences;
 * - reverse ≈ finite differences: `⟨Jᵀ·u, v⟩` by the tape agrees with `⟨u, FD(v)⟩`;
 * - forward = reverse: the two Jacobians agree to rounding (about 1e-12);
 * - adjointness: `⟨u, J·v⟩ = ⟨Jᵀ·u, v⟩` to rounding;
 * - linearity of the JVP in its tangent: `J·(a·v + b·w) = a·J·v + b·J·w`;
 * - higher orders (functions of one value): the k-th derivative by nested forward mode
 *   agrees with central differences of the (k−1)-th, and reverse-over-forward agrees
 *   with forward-over-forward.
 *
 * Each law is a pure predicate; `derivativeLaws` binds them to arbitraries and runs
 * `runLaws`, which throws with the law in words, the point, the value got and the value
 * expected (and how it was estimated), and a line that replays the failure.
 *
 * @since 0.1.0
 */
import fc from 'fast-check'
import {
  diff,
  forward,
  grad,
  jvp,
  reverse,
  scalar,
  vjp,
  type ScalarFunction,
  type VectorFunction,
} from '../src/index.js'
import { differenceEstimates } from '../src/internal.js'
import { close, jumpsNear, type Tolerance } from './close.js'
import {
  allClose,
  derivativeParts,
  dot,
  dotTolerance,
  estimatedBy,
  identifier,
  named,
  quoted,
  showTolerance,
  smoothnessNote,
  unitMaxNorm,
} from './judge.js'
import {
  LawViolation,
  runLaws,
  showDiffering,
  showNumbers,
  type NamedLaw,
  type RunOptions,
} from './run.js'
import { normalise, type Subject } from './subject.js'

/**
 * Options of `derivativeLaws`; every field has a default.
 *
 * @category model
 * @since 0.1.0
 */
export interface DerivativeLawOptions extends RunOptions {
  /** Number of inputs of an array function; omit for an op or a function of one value. */
  readonly arity?: number
  /**
   * Where points are drawn from: one arbitrary for every input, or one per input;
   * default doubles in [−8, 8], half of them spread evenly over the interval (fast-check's
   * doubles alone crowd near 0).
   */
  readonly domain?: fc.Arbitrary<number> | ReadonlyArray<fc.Arbitrary<number>>
  /**
   * Which points to keep (a point is the array of inputs): exclude where the subject is
   * not smooth, such as ties of `maximum` (`([x, y]) => Math.abs(x − y) > 0.01`),
   * which finite differences cannot judge. Default: every point of the domain.
   */
  readonly where?: (xs: ReadonlyArray<number>) => boolean
  /** Against finite differences; default `{ rel: 1e-5, abs: 1e-5 }`. */
  readonly tolerance?: Tolerance
  /** Between modes (forward = reverse, adjointness, linearity); default `{ rel: 1e-10, abs: 1e-12 }`. */
  readonly exactTolerance?: Tolerance
  /** Highest derivative order to check (functions of one value only); default 1. */
  readonly order?: number
}

/**
 * Doubles in [min, max]: half fast-check's (which favour 0, the ends and small
 * magnitudes), half on an even grid of 10⁴ points, so the interior is sampled too.
 *
 * @example
 * import fc from 'fast-check'
 * import { spreadIn } from 'ad-ts/laws'
 * fc.sample(spreadIn(-8, 8), 100).every((x) => x >= -8 && x <= 8) // => true
 *
 * @category utils
 * @since 0.2.0
 */
export const spreadIn = (min: number, max: number): fc.Arbitrary<number> =>
  fc.oneof(
    fc.double({ min, max, noNaN: true }),
    fc.integer({ min: 0, max: 10_000 }).map((k) => min + ((max - min) * k) / 10_000),
  )

/** The point (and the directions that matter) in words. */
const where = (
  xs: ReadonlyArray<number>,
  vs?: ReadonlyArray<number>,
  us?: ReadonlyArray<number>,
): string => {
  const x = xs.length === 1 ? `x = ${showNumbers(xs[0]!)}` : `x = ${showNumbers(xs)}`
  const v =
    vs === undefined || (vs.length === 1 && Math.abs(vs[0]!) === 1)
      ? ''
      : `, along v = ${showNumbers(vs)}`
  const u =
    us === undefined || (us.length === 1 && us[0] === 1) ? '' : `, cotangent u = ${showNumbers(us)}`
  return `${x}${v}${u}`
}

/**
 * A law about a function at a point `xs`, along a direction `vs` of the inputs and a
 * cotangent `us` of the outputs; it throws with both values when it fails.
 *
 * @category model
 * @since 0.1.0
 */
export type DirectionLaw = (
  f: VectorFunction,
  name: string,
  xs: ReadonlyArray<number>,
  vs: ReadonlyArray<number>,
  us: ReadonlyArray<number>,
  t: Tolerance,
) => void

/**
 * Law: forward mode agrees with central finite differences along `vs`.
 *
 * @example
 * import { type Floating } from 'ad-ts'
 * import { forwardMatchesFiniteDifferences } from 'ad-ts/laws'
 * const h = <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => [F.exp(xs[0]!)]
 * forwardMatchesFiniteDifferences(h, 'exp', [1], [1], { rel: 1e-6 }) // => undefined
 *
 * @category laws
 * @since 0.1.0
 */
export const forwardMatchesFiniteDifferences = (
  f: VectorFunction,
  name: string,
  xs: ReadonlyArray<number>,
  vs: ReadonlyArray<number>,
  t: Tolerance,
): void => {
  const ad = jvp(f)(scalar)(xs, vs)[1]
  const estimates = differenceEstimates(f(scalar), xs, vs)
  if (
    !estimates.some((fd) => allClose(ad, fd, t)) &&
    !jumpsNear((ys) => jvp(f)(scalar)(ys, vs)[1], xs, vs)
  ) {
    throw new LawViolation({
      subject: name,
      law: 'forward mode disagrees with finite differences',
      at: where(xs, vs),
      ...derivativeParts('', ad, quoted(estimates), vs),
      how: estimatedBy(xs, t),
      note: smoothnessNote(estimates, t),
    })
  }
}

/**
 * Law: reverse mode agrees with central finite differences: `⟨Jᵀ·u, v⟩ ≈ ⟨u, FD(v)⟩`.
 *
 * @example
 * import { type Floating } from 'ad-ts'
 * import { reverseMatchesFiniteDifferences } from 'ad-ts/laws'
 * const h = <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => [F.log(xs[0]!)]
 * reverseMatchesFiniteDifferences(h, 'log', [2], [1], [1], { rel: 1e-6 }) // => undefined
 *
 * @category laws
 * @since 0.1.0
 */
export const reverseMatchesFiniteDifferences: DirectionLaw = (f, name, xs, vs, us, t) => {
  const [ys, pullback] = vjp(f)(scalar)(xs)
  const u = us.slice(0, ys.length)
  const ad = dot(pullback(u), vs)
  const estimates = differenceEstimates(f(scalar), xs, vs)
  if (
    !estimates.some((fdv) => close(ad, dot(u, fdv), dotTolerance(u, fdv, t))) &&
    !jumpsNear((ys) => [dot(vjp(f)(scalar)(ys)[1](u), vs)], xs, vs)
  ) {
    const scalarCase = xs.length === 1 && ys.length === 1
    // One input and one output: the derivative itself (the pullback of 1).
    const [g, e] = scalarCase
      ? showDiffering(pullback([1])[0]!, quoted(estimates)[0]! * vs[0]!)
      : showDiffering(ad, dot(u, quoted(estimates)))
    throw new LawViolation({
      subject: name,
      law: 'reverse mode disagrees with finite differences',
      at: scalarCase ? where(xs) : where(xs, vs, u),
      got: scalarCase ? `derivative by reverse mode ${g}` : `⟨Jᵀu, v⟩ by reverse mode = ${g}`,
      expected: scalarCase ? e : `⟨u, J·v⟩ = ${e}`,
      how: estimatedBy(xs, t),
      note: smoothnessNote(estimates, t),
    })
  }
}

/**
 * Law: the forward and reverse Jacobians agree to rounding.
 *
 * @example
 * import { type Floating } from 'ad-ts'
 * import { forwardEqualsReverse } from 'ad-ts/laws'
 * const h = <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => [F.sin(xs[0]!), F.exp(xs[1]!)]
 * forwardEqualsReverse(h, 'h', [0.5, 1], { rel: 1e-12 }) // => undefined
 *
 * @category laws
 * @since 0.1.0
 */
export const forwardEqualsReverse = (
  f: VectorFunction,
  name: string,
  xs: ReadonlyArray<number>,
  t: Tolerance,
): void => {
  const jf = forward.jacobian(f)(scalar)(xs)
  const jr = reverse.jacobian(f)(scalar)(xs)
  const ok = jf.length === jr.length && jf.every((row, i) => allClose(row, jr[i]!, t))
  if (!ok) {
    const [g, e] = showDiffering(jr.flat(), jf.flat())
    throw new LawViolation({
      subject: name,
      law: 'forward and reverse mode give different Jacobians',
      at: where(xs),
      got: `reverse mode ${g}`,
      expected: `forward mode's ${e}`,
      how: `Jacobians row by row; ${showTolerance(t)}`,
    })
  }
}

/**
 * Law: adjointness, `⟨u, J·v⟩ = ⟨Jᵀ·u, v⟩`.
 *
 * @example
 * import { scalar, type Floating } from 'ad-ts'
 * import { adjointness } from 'ad-ts/laws'
 * const h = <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => [F.mul(xs[0]!, xs[1]!)]
 * adjointness(h, 'product', [2, 3], [1, 0], [1], { rel: 1e-12 }) // => undefined
 *
 * @category laws
 * @since 0.1.0
 */
export const adjointness: DirectionLaw = (f, name, xs, vs, us, t) => {
  const jv = jvp(f)(scalar)(xs, vs)[1]
  const u = us.slice(0, jv.length)
  const jtu = vjp(f)(scalar)(xs)[1](u)
  const left = dot(u, jv)
  const right = dot(jtu, vs)
  const tol = dotTolerance(u, jv, dotTolerance(jtu, vs, t))
  if (!close(left, right, tol)) {
    const [g, e] = showDiffering(right, left)
    throw new LawViolation({
      subject: name,
      law: 'adjointness ⟨u, J·v⟩ = ⟨Jᵀu, v⟩ fails',
      at: where(xs, vs, u),
      got: `⟨Jᵀu, v⟩ by reverse mode = ${g}`,
      expected: `⟨u, J·v⟩ by forward mode = ${e}`,
      how: showTolerance(tol),
    })
  }
}

/**
 * Law: the JVP is linear in its tangent.
 *
 * @example
 * import { type Floating } from 'ad-ts'
 * import { jvpLinearity } from 'ad-ts/laws'
 * const h = <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => [F.mul(xs[0]!, xs[1]!)]
 * jvpLinearity(h, 'product', [2, 3], [1, 0], [0, 1], 2, -1, { rel: 1e-12 }) // => undefined
 *
 * @category laws
 * @since 0.1.0
 */
export const jvpLinearity = (
  f: VectorFunction,
  name: string,
  xs: ReadonlyArray<number>,
  vs: ReadonlyArray<number>,
  ws: ReadonlyArray<number>,
  a: number,
  b: number,
  t: Tolerance,
): void => {
  const J = (d: ReadonlyArray<number>) => jvp(f)(scalar)(xs, d)[1]
  const left = J(vs.map((v, i) => a * v + b * ws[i]!))
  const jv = J(vs)
  const jw = J(ws)
  const right = jv.map((p, i) => a * p + b * jw[i]!)
  const scale = jv.map((p, i) => Math.abs(a * p) + Math.abs(b * jw[i]!))
  const ok = left.every((l, i) =>
    close(l, right[i]!, { ...t, abs: (t.abs ?? 1e-12) + 10 * (t.rel ?? 1e-10) * scale[i]! }),
  )
  if (!ok) {
    const [g, e] = showDiffering(left, right)
    throw new LawViolation({
      subject: name,
      law: 'the JVP is not linear in its tangent',
      at: `${where(xs)}, v = ${showNumbers(vs)}, w = ${showNumbers(ws)}, a = ${showNumbers(a)}, b = ${showNumbers(b)}`,
      got: `J·(a·v + b·w) = ${g}`,
      expected: `a·J·v + b·J·w = ${e}`,
      how: showTolerance(t),
    })
  }
}

/**
 * Law: the k-th derivative by nested forward mode agrees with central differences of
 * the (k−1)-th, and reverse-over-forward agrees with it to rounding.
 *
 * @example
 * import { type Floating } from 'ad-ts'
 * import { higherOrder } from 'ad-ts/laws'
 * const f = <A>(F: Floating<A>) => (x: A): A => F.sin(x)
 * higherOrder(f, 'sin', 3, 0.5, { rel: 1e-6 }, { rel: 1e-12 }) // => undefined
 *
 * @category laws
 * @since 0.1.0
 */
export const higherOrder = (
  f: ScalarFunction,
  name: string,
  k: number,
  x: number,
  t: Tolerance,
  exact: Tolerance,
): void => {
  let lower: ScalarFunction = f
  for (let i = 1; i < k; i++) lower = diff(lower)
  const ad = diff(lower)(scalar)(x)
  const base = lower(scalar)
  const g1 = (xs: ReadonlyArray<number>) => [base(xs[0]!)]
  const estimates = differenceEstimates(g1, [x], [1])
  if (
    !estimates.some((fd) => close(ad, fd[0]!, t)) &&
    !jumpsNear((ys) => [diff(lower)(scalar)(ys[0]!)], [x], [1])
  ) {
    const [g, e] = showDiffering(ad, quoted(estimates)[0]!)
    throw new LawViolation({
      subject: name,
      law: `the derivative of order ${k} by nested forward mode disagrees with finite differences of order ${k - 1}`,
      at: where([x]),
      got: `derivative of order ${k} ${g}`,
      expected: e,
      how: estimatedBy([x], t),
      note: smoothnessNote(estimates, t),
    })
  }
  const rev = grad(lower)(scalar)(x)
  if (!close(ad, rev, exact)) {
    const [g, e] = showDiffering(rev, ad)
    throw new LawViolation({
      subject: name,
      law: `reverse-over-forward and nested forward mode give different derivatives of order ${k}`,
      at: where([x]),
      got: `reverse over forward ${g}`,
      expected: `nested forward mode's ${e}`,
      how: showTolerance(exact),
    })
  }
}

/**
 * Runs every derivative law on an op or function with fast-check; throws on the
 * first violation with the shrunk counterexample, both values, the seed and the path.
 *
 * @example
 * import { defineOp } from 'ad-ts'
 * import { derivativeLaws } from 'ad-ts/laws'
 * const softplus = defineOp({
 *   name: 'softplus',
 *   primal: (x) => Math.log1p(Math.exp(x)),
 *   derivative: (F) => (x) => F.sigmoid(x),
 * })
 * derivativeLaws(softplus, { order: 2 }) // passes; a wrong derivative throws
 *
 * @category laws
 * @since 0.1.0
 */
export const derivativeLaws = (subject: Subject, options: DerivativeLawOptions = {}): void => {
  const { arity, order = 1 } = options
  const t = options.tolerance ?? { rel: 1e-5, abs: 1e-5 }
  const exact = options.exactTolerance ?? { rel: 1e-10, abs: 1e-12 }
  const n = arity ?? 1
  const domains = Array.isArray(options.domain)
    ? (options.domain as ReadonlyArray<fc.Arbitrary<number>>)
    : new Array<fc.Arbitrary<number>>(n).fill(
        (options.domain as fc.Arbitrary<number> | undefined) ?? spreadIn(-8, 8),
      )
  if (domains.length !== n) {
    throw new Error(
      `derivativeLaws: expected one domain per input (${n}), got ${domains.length} domains`,
    )
  }
  const domain = domains[0]!
  const { name, f } = normalise(subject, arity)
  const keep = options.where
  const point = fc.tuple(...domains)
  // A point `where` rejects is skipped with fc.pre, not filtered out of the arbitrary:
  // fast-check counts the skips and gives up (with the message of runLaws) where a
  // filter that rejects nearly everything would draw forever.
  const kept = (xs: ReadonlyArray<number>): void => {
    if (keep !== undefined) fc.pre(keep(xs))
  }
  // Directions of max-norm 1: the laws' tolerances are absolute, so a tiny direction
  // would shrink a wrong derivative's error below them (and shrinking would find it).
  const direction = fc
    .array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n, maxLength: n })
    .map(unitMaxNorm)
  const m = f(scalar)(new Array<number>(n).fill(0.5)).length
  const cotangent = fc.array(fc.double({ min: -1, max: 1, noNaN: true }), {
    minLength: m,
    maxLength: m,
  })
  const coefficient = fc.double({ min: -2, max: 2, noNaN: true })

  const laws: NamedLaw[] = [
    named(
      'forward ≈ finite differences',
      fc.property(point, direction, (xs, vs) => {
        kept(xs)
        return forwardMatchesFiniteDifferences(f, name, xs, vs, t)
      }),
    ),
    named(
      'reverse ≈ finite differences',
      fc.property(point, direction, cotangent, (xs, vs, us) => {
        kept(xs)
        return reverseMatchesFiniteDifferences(f, name, xs, vs, us, t)
      }),
    ),
    named(
      'forward = reverse',
      fc.property(point, (xs) => {
        kept(xs)
        return forwardEqualsReverse(f, name, xs, exact)
      }),
    ),
    named(
      'adjointness',
      fc.property(point, direction, cotangent, (xs, vs, us) => {
        kept(xs)
        return adjointness(f, name, xs, vs, us, exact)
      }),
    ),
    named(
      'linearity of the JVP',
      fc.property(point, direction, direction, coefficient, coefficient, (xs, vs, ws, a, b) => {
        kept(xs)
        return jvpLinearity(f, name, xs, vs, ws, a, b, exact)
      }),
    ),
  ]
  if (arity === undefined) {
    const g: ScalarFunction = (F) => (x) => f(F)([x])[0]!
    for (let k = 2; k <= order; k++) {
      laws.push(
        named(
          `derivative of order ${k}`,
          fc.property(domain, (x) => {
            kept([x])
            return higherOrder(g, name, k, x, t, exact)
          }),
        ),
      )
    }
  }
  runLaws(
    { subject: name, call: (o) => `laws.derivativeLaws(${identifier(name, 'f')}, ${o})` },
    laws,
    options,
  )
}
