/**
 * Program laws: one program, one answer. Each generated program (see `programs.ts`)
 * runs in forward mode, reverse mode, forward-over-reverse, reverse-over-forward and
 * reverse-over-reverse, on the scalar backend (per element, through `perElement`) and
 * on the tensor backend, and over `scalar` and `generic(scalar)` (the number
 * specialisations against the generic paths). Laws:
 *
 * - every mode gives the same value, gradient and Hessian-vector product, to rounding,
 *   with NaN and ±Infinity in the same places;
 * - the tensor backend gives what the scalar backend gives per element;
 * - the number specialisations give bit for bit what the generic paths give;
 * - where the program is finite, the gradient and the Hessian-vector product agree
 *   with finite differences (the judge of `differenceEstimates`);
 * - at points drawn from the op table's special values (0, ±Infinity, NaN, …), the
 *   value and the gradient are finite in the same places in every mode and on both
 *   backends (unless a value reaches the edge of the double range, where rounding
 *   decides whether a product overflows) (second-order nestings agree there only where the products of
 *   infinities they sum agree, so they are held to it at ordinary points only), and
 *   the number specialisations still equal the generic paths bit for bit;
 * - `jit(valueAndGrad(f))` on tensors, once traced, gives the eager value and gradient
 *   (to rounding at ordinary points; NaN and ±Infinity in the same places at special ones).
 *
 * @since 0.2.0
 */
import { sizeOf } from './judge.js'
import fc from 'fast-check'
import {
  forward,
  grad,
  jit,
  jvp,
  scalar,
  Tensor,
  tensor,
  valueAndGrad,
  vmap,
  type Floating,
  type Tensorial,
} from '../src/index.js'
import { differenceEstimates, generic, showValue } from '../src/internal.js'
import { close, jumpsNear, type Tolerance } from './close.js'
import { spreadIn } from './derivativeLaws.js'
import { perElement, type Boxed } from './perElement.js'
import {
  programArbitrary,
  programValues,
  runProgram,
  showProgram,
  type Program,
  type ProgramOptions,
} from './programs.js'
import { assertProperty, type RunOptions } from './run.js'

/**
 * Options of `programLaws`; every field has a default.
 *
 * @category model
 * @since 0.2.0
 */
export interface ProgramLawOptions extends RunOptions, ProgramOptions {
  /** Between modes and backends; default `{ rel: 1e-12, abs: 1e-12 }`, scaled by the terms' size. */
  readonly tolerance?: Tolerance
  /** Against finite differences; default `{ rel: 1e-5, abs: 1e-5 }`. */
  readonly fdTolerance?: Tolerance
  /** Runs at the special points as well; default true. */
  readonly specialPoints?: boolean
}

/** What one (backend, instance) computes for a program at a point along a direction. */
interface Answers {
  readonly value: number
  /** The gradient by each first-order mode, inputs flattened and concatenated. */
  readonly gradient: Readonly<Record<'forward' | 'reverse', ReadonlyArray<number>>>
  /** H·v by each second-order mode. */
  readonly hvp: Readonly<
    Record<
      'forwardOverReverse' | 'reverseOverForward' | 'reverseOverReverse',
      ReadonlyArray<number>
    >
  >
}

/** Splits a flat list into the program's inputs. */
const split = <A>(p: Program, flat: ReadonlyArray<A>): ReadonlyArray<ReadonlyArray<A>> => {
  let at = 0
  return p.inputs.map((s) => {
    const part = flat.slice(at, at + sizeOf(s))
    at += sizeOf(s)
    return part
  })
}

/** The program on the scalar backend: a function of all input elements, one by one. */
const onScalars =
  (p: Program) =>
  <A>(F: Floating<A>) =>
  (flat: ReadonlyArray<A>): A => {
    const T = perElement(F)
    const xs: Boxed<A>[] = split(p, flat).map((data, i) => ({ shape: p.inputs[i]!, data }))
    return runProgram(p)(T)(xs).data[0]!
  }

const scalarAnswers = (
  p: Program,
  F: Floating<number>,
  x: ReadonlyArray<number>,
  v: ReadonlyArray<number>,
): Answers => {
  const f = onScalars(p)
  const dot = <A>(G: Floating<A>, g: ReadonlyArray<A>): A =>
    g.reduce((s, gi, i) => G.add(s, G.mul(gi, G.fromNumber(v[i]!))), G.zero)
  return {
    value: f(F)(x),
    gradient: { forward: forward.grad(f)(F)(x), reverse: grad(f)(F)(x) },
    hvp: {
      forwardOverReverse: jvp(grad(f))(F)(x, v)[1],
      reverseOverForward: grad(
        <A>(G: Floating<A>) =>
          (xs: ReadonlyArray<A>) =>
            jvp(f)(G)(xs, v.map(G.fromNumber))[1],
      )(F)(x),
      reverseOverReverse: grad(
        <A>(G: Floating<A>) =>
          (xs: ReadonlyArray<A>) =>
            dot(G, grad(f)(G)(xs)),
      )(F)(x),
    },
  }
}

const tensorAnswers = (p: Program, x: ReadonlyArray<number>, v: ReadonlyArray<number>): Answers => {
  const f = runProgram(p)
  const toTensors = (flat: ReadonlyArray<number>) =>
    split(p, flat).map((part, i) => Tensor.fromArray(part, p.inputs[i]!))
  const flatten = (ts: ReadonlyArray<Tensor>) => ts.flatMap((t) => Array.from(Tensor.toFlat(t)))
  const xs = toTensors(x)
  const vs = toTensors(v)
  const n = x.length
  const forwardGradient = Array.from({ length: n }, (_, k) => {
    const unit = toTensors(Array.from({ length: n }, (_, j) => (j === k ? 1 : 0)))
    return Tensor.toArray(jvp(f)(tensor)(xs, unit)[1]) as number
  })
  const dot = <A>(T: Tensorial<A>, g: ReadonlyArray<A>): A =>
    g.reduce((s, gi, i) => T.add(s, T.sum(T.mul(gi, T.constant(vs[i]!)))), T.zero)
  return {
    value: Tensor.toArray(f(tensor)(xs)) as number,
    gradient: { forward: forwardGradient, reverse: flatten(grad(f)(tensor)(xs)) },
    hvp: {
      forwardOverReverse: flatten(jvp(grad(f))(tensor)(xs, vs)[1]),
      reverseOverForward: flatten(
        grad(
          <A>(T: Tensorial<A>) =>
            (ys: ReadonlyArray<A>) =>
              jvp(f)(T)(ys, vs.map(T.constant))[1],
        )(tensor)(xs),
      ),
      reverseOverReverse: flatten(
        grad(
          <A>(T: Tensorial<A>) =>
            (ys: ReadonlyArray<A>) =>
              dot(T, grad(f)(T)(ys)),
        )(tensor)(xs),
      ),
    },
  }
}

/** Every number an answer holds, labelled, in a fixed order. */
const entries = (a: Answers): ReadonlyArray<readonly [string, number]> => [
  ['value', a.value],
  ...Object.entries(a.gradient).flatMap(([mode, g]) =>
    g.map((x, i) => [`${mode} gradient[${i}]`, x] as const),
  ),
  ...Object.entries(a.hvp).flatMap(([mode, h]) =>
    h.map((x, i) => [`${mode} H·v[${i}]`, x] as const),
  ),
]

/**
 * Finite or not. NaN and ±Infinity are one class here: where infinities of both signs
 * meet, one grouping of the paths gives ∞·a + ∞·b = NaN and the other ∞·(a + b) = ±∞,
 * and no mode can know the other's grouping. Zeros made by cancellation are told apart
 * (see tangentArithmetic.ts), so what is finite in one mode is finite in every mode.
 */
const kind = (x: number): string => (Number.isFinite(x) ? 'finite' : 'not finite')

class LawError extends Error {}

const failure = (law: string, p: Program, at: Record<string, unknown>, detail: string): LawError =>
  new LawError(
    `Program law "${law}" fails at ${Object.entries(at)
      .map(([k, x]) => `${k} = ${showValue(x)}`)
      .join(', ')}: ${detail}\n${showProgram(p)}`,
  )

/** The first-order and second-order answers of each mode must agree with each other. */
const modesAgree = (
  name: string,
  a: Answers,
  same: (x: number, y: number) => boolean,
  p: Program,
  at: Record<string, unknown>,
  orders: 1 | 2,
): void => {
  const groups: ReadonlyArray<ReadonlyArray<readonly [string, ReadonlyArray<number>]>> = [
    Object.entries(a.gradient),
    ...(orders === 2 ? [Object.entries(a.hvp)] : []),
  ]
  for (const group of groups) {
    const [firstName, first] = group[0]!
    for (const [other, values] of group.slice(1)) {
      values.forEach((x, i) => {
        if (!same(first[i]!, x)) {
          throw failure(
            'every mode gives one answer',
            p,
            at,
            `on ${name}, ${firstName}[${i}] = ${showValue(first[i])} but ${other}[${i}] = ${showValue(x)}`,
          )
        }
      })
    }
  }
}

/** Two answers (backends, or instances) agree entry by entry. */
const answersAgree = (
  law: string,
  left: Answers,
  right: Answers,
  same: (a: number, b: number) => boolean,
  p: Program,
  at: Record<string, unknown>,
  orders: 1 | 2 = 2,
): void => {
  const r = entries(right)
  const count = orders === 2 ? r.length : 1 + left.gradient.forward.length * 2
  entries(left)
    .slice(0, count)
    .forEach(([label, x], i) => {
      const y = r[i]![1]
      if (!same(x, y))
        throw failure(law, p, at, `${label} is ${showValue(x)} against ${showValue(y)}`)
    })
}

/**
 * A tolerance for sums of many rounded terms: relative to the largest magnitude seen,
 * and looser at points with a component below 1e-2 in magnitude. There a term of a
 * derivative can be as large as 1/|x| (1/|x|² at second order) while the terms cancel
 * to an ordinary answer, so rounding of the terms, not the mode, decides the last
 * digits: atan2(x, x) has derivative x/2x² − x/2x² = 0, and at x = −1.46e-6 forward and
 * reverse mode gave 6.999994176890602 and 6.999994176905602 for a program around it.
 */
const scaled = (
  t: Tolerance,
  answers: ReadonlyArray<Answers>,
  x: ReadonlyArray<number>,
): Tolerance => {
  const scale = answers.reduce(
    (m, a) =>
      entries(a).reduce((mm, [, y]) => (Number.isFinite(y) ? Math.max(mm, Math.abs(y)) : mm), m),
    1,
  )
  const smallest = x.reduce((m, xi) => (xi === 0 ? m : Math.min(m, Math.abs(xi))), 1e-2)
  const terms = (1e-2 / smallest) ** 2
  return { ...t, abs: (t.abs ?? 1e-12) + (t.rel ?? 1e-12) * scale * terms }
}

/**
 * jit(valueAndGrad(f)) on tensors, traced at the point and then run compiled at it,
 * against the eager tensor answers: the value and the reverse-mode gradient.
 */
const jitAgrees = (
  p: Program,
  x: ReadonlyArray<number>,
  eager: Answers,
  same: (a: number, b: number) => boolean,
  at: Record<string, unknown>,
): void => {
  const xs = split(p, x).map((part, i) => Tensor.fromArray(part, p.inputs[i]!))
  const compiled = jit(valueAndGrad(runProgram(p)))(tensor)
  compiled(xs)
  const [value, gradient] = compiled(xs)
  const got = [
    Tensor.toArray(value) as number,
    ...gradient.flatMap((g) => Array.from(Tensor.toFlat(g))),
  ]
  const want = [eager.value, ...eager.gradient.reverse]
  got.forEach((g, i) => {
    if (!same(g, want[i]!)) {
      const label = i === 0 ? 'value' : `gradient[${i - 1}]`
      throw failure(
        'jit(f) = f on tensors',
        p,
        at,
        `${label} is ${showValue(g)} jitted against ${showValue(want[i])}`,
      )
    }
  })
}

/**
 * vmap(f) = f per example, stacked: the program's value and gradient mapped over two
 * examples (the point, and the point scaled and shifted), each input mapped along axis
 * 0 or −1 or not at all (every example sees it whole), the results stacked along axis 0
 * or −1; the axes are drawn from the program's size, so a shrunk program keeps them.
 */
const vmapAgrees = (
  p: Program,
  x: ReadonlyArray<number>,
  same: (a: number, b: number) => boolean,
  at: Record<string, unknown>,
): void => {
  const f = runProgram(p)
  const choices = [0, -1, null] as const
  const inAxes: Array<number | null> = p.inputs.map((_, i) => choices[(i + p.nodes.length) % 3]!)
  if (!inAxes.some((a) => a !== null)) inAxes[0] = 0
  const outAxes = p.nodes.length % 2 === 0 ? 0 : -1
  const examples = [x, x.map((v) => 0.5 * v + 0.25)].map((flat) =>
    split(p, flat).map((part, i) => Tensor.fromArray(part, p.inputs[i]!)),
  )
  const mappedArgs = p.inputs.map((_, i) =>
    inAxes[i] === null
      ? examples[0]![i]!
      : tensor.stack(
          examples.map((e) => e[i]!),
          inAxes[i]!,
        ),
  )
  // Every example sees an unmapped input whole: example k's inputs.
  const inputsOf = (k: number) =>
    p.inputs.map((_, i) => (inAxes[i] === null ? examples[0]![i]! : examples[k]![i]!))
  const valueAndGradient =
    <A>(T: Tensorial<A>) =>
    (...xs: ReadonlyArray<A>) =>
      valueAndGrad(f)(T)(xs)
  const [value, gradient] = vmap(valueAndGradient, { inAxes, outAxes })(tensor)(...mappedArgs)
  const per = [0, 1].map((k) => valueAndGrad(f)(tensor)(inputsOf(k)))
  const stacked = [
    tensor.stack(
      per.map(([v]) => v),
      outAxes,
    ),
    ...p.inputs.map((_, i) =>
      tensor.stack(
        per.map(([, g]) => g[i]!),
        outAxes,
      ),
    ),
  ]
  const got = [value, ...gradient]
  got.forEach((t, j) => {
    const g = Array.from(Tensor.toFlat(t))
    const w = Array.from(Tensor.toFlat(stacked[j]!))
    const bad = g.findIndex((gi, i) => !same(gi, w[i]!))
    if (g.length !== w.length || bad >= 0) {
      throw failure(
        'vmap(f) = f per example, stacked',
        p,
        { ...at, inAxes, outAxes },
        `${j === 0 ? 'value' : `gradient of input ${j - 1}`}[${bad}] is ${showValue(g[bad])} mapped against ${showValue(w[bad])} per example`,
      )
    }
  })
}

const finite = (a: Answers) => entries(a).every(([, x]) => Number.isFinite(x))

/**
 * Whether the central differences at h and h/2 (recovered from the estimates D(h) and
 * 2·D(h/2) − D(h)) agree: a smooth function's do, to O(h²).
 */
const smooth = (estimates: ReadonlyArray<number>, t: Tolerance): boolean => {
  const dh = estimates[0]!
  const dHalf = (estimates[2]! + dh) / 2
  return close(dh, dHalf, t)
}

/**
 * Whether an op with a kink at 0 (abs, sign, or any row whose domain avoids 0) meets an
 * argument near 0: there the derivative is a convention (abs′(0) = 0), which finite
 * differences cannot confirm even when the kink cancels out (|x·x| is smooth, its
 * computed second derivative at 0 is 0).
 */
const nearKink = (p: Program, x: ReadonlyArray<number>): boolean => {
  const T = perElement(scalar)
  const xs: Boxed<number>[] = split(p, x).map((data, i) => ({ shape: p.inputs[i]!, data }))
  const values = programValues(p)(T)(xs)
  return p.nodes.some((node) => {
    if (node.kind === 'binary') {
      const row = node.op as { readonly kink?: (x: number, y: number) => number }
      // A value against itself (maximum(v, v)) has no kink: it is smooth along v.
      if (row.kink === undefined || node.args[0] === node.args[1]) return false
      const [a, b] = [values[node.args[0]!]!, values[node.args[1]!]!]
      const n = Math.max(a.data.length, b.data.length)
      // Broadcast pairs: one side of length 1 pairs with every element of the other.
      return Array.from({ length: n }, (_, i) =>
        row.kink!(a.data[a.data.length === 1 ? 0 : i]!, b.data[b.data.length === 1 ? 0 : i]!),
      ).some((d) => d < 1e-3)
    }
    // max and min switch entries where two are tied; norm has a cone at 0.
    if (node.kind === 'reduce' && (node.reduction === 'max' || node.reduction === 'min')) {
      const d = [...values[node.args[0]!]!.data].sort((p: number, q: number) => p - q)
      return d.some((a: number, i) => i > 0 && Math.abs(a - d[i - 1]!) < 1e-3)
    }
    if (node.kind === 'reduce' && node.reduction === 'norm') {
      return values[node.args[0]!]!.data.some((a: number) => Math.abs(a) < 1e-3)
    }
    // where switches operands where its condition crosses 0.
    if (node.kind === 'where')
      return values[node.args[0]!]!.data.some((c: number) => Math.abs(c) < 1e-3)
    if (node.kind !== 'unary') return false
    const op = node.op as {
      readonly name: string
      readonly domain?: { readonly avoid?: number }
      readonly order?: number
    }
    const kink = op.name === 'sign' || op.domain?.avoid !== undefined
    return kink && values[node.args[0]!]!.data.some((a: number) => Math.abs(a) < 1e-3)
  })
}

/** Whether a value the program computes is subnormal or finite beyond 1e300. */
const atRangeEdge = (p: Program, x: ReadonlyArray<number>): boolean => {
  const xs: Boxed<number>[] = split(p, x).map((data, i) => ({ shape: p.inputs[i]!, data }))
  return programValues(p)(perElement(scalar))(xs).some((v) =>
    v.data.some(
      (a) =>
        Number.isFinite(a) &&
        a !== 0 &&
        (Math.abs(a) < 2.2250738585072014e-308 || Math.abs(a) > 1e300),
    ),
  )
}

/** Whether the program uses an op whose derivative is a definition, not a slope (stopGradient). */
const definedByConvention = (p: Program): boolean =>
  p.nodes.some((node) => (node.op as { readonly order?: number } | undefined)?.order === 0)

/** The gradient and H·v against finite differences, where the program is finite. */
const matchesDifferences = (
  p: Program,
  a: Answers,
  x: ReadonlyArray<number>,
  v: ReadonlyArray<number>,
  t: Tolerance,
): void => {
  const f = onScalars(p)
  const at = { x, v }
  const gv = a.gradient.reverse.reduce((s, g, i) => s + g * v[i]!, 0)
  const first = differenceEstimates((xs) => [f(scalar)(xs)], x, v).map((e) => e[0]!)
  if (first.some((e) => !Number.isFinite(e))) return
  const scale = a.gradient.reverse.reduce((s, g, i) => s + Math.abs(g * v[i]!), 0)
  const tol = { ...t, abs: (t.abs ?? 1e-5) + (t.rel ?? 1e-5) * scale }
  // Differences at h and h/2 that disagree mean a kink within the step (abs or sign at
  // 0): finite differences cannot judge there, so the law holds vacuously.
  const slope = (xs: ReadonlyArray<number>) => [
    grad(f)(scalar)(xs).reduce((s, g, i) => s + g * v[i]!, 0),
  ]
  if (!smooth(first, tol) || jumpsNear(slope, x, v)) return
  if (!first.some((e) => close(gv, e, tol))) {
    throw failure(
      'gradient ≈ finite differences',
      p,
      at,
      `⟨∇f, v⟩ = ${showValue(gv)}, finite differences (h, Richardson, kink) = ${showValue(first)}`,
    )
  }
  const second = differenceEstimates(grad(f)(scalar), x, v)
  if (second.some((e) => e.some((d) => !Number.isFinite(d)))) return
  const hv = a.hvp.forwardOverReverse
  const hscale = hv.reduce((m, h) => Math.max(m, Math.abs(h)), 1)
  const htol = { ...t, abs: (t.abs ?? 1e-5) * hscale * 10 }
  if (
    !hv.every((_, i) =>
      smooth(
        second.map((e) => e[i]!),
        htol,
      ),
    )
  )
    return
  if (jumpsNear((xs) => jvp(grad(f))(scalar)(xs, v)[1], x, v)) return
  if (!second.some((e) => e.every((d, i) => close(hv[i]!, d, htol)))) {
    throw failure(
      'H·v ≈ finite differences of the gradient',
      p,
      at,
      `H·v = ${showValue(hv)}, finite differences = ${showValue(second)}`,
    )
  }
}

/** Points for a program: values for every input element, and a direction. */
const pointsFor = (p: Program, values: fc.Arbitrary<number>) => {
  const n = p.inputs.reduce((s, shape) => s + sizeOf(shape), 0)
  return fc.tuple(
    fc.constant(p),
    fc.array(values, { minLength: n, maxLength: n }),
    // Directions of max-norm 1: the finite-difference tolerance is absolute, so a tiny
    // direction would hide a wrong derivative.
    fc
      .array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n, maxLength: n })
      .map((v) => {
        const m = v.reduce((a, x) => Math.max(a, Math.abs(x)), 0)
        // Components below 1e-6 of the largest are dropped: a step of 1e-4 times a
        // subnormal moves a condition off exactly 0, a jump no slope can judge.
        return m === 0 ? v : v.map((x) => (Math.abs(x) < 1e-6 * m ? 0 : x / m))
      }),
  )
}

/** The special values of the op table's rows, and a few ordinary numbers among them. */
const specialValues: ReadonlyArray<number> = [
  0,
  -0,
  1,
  -1,
  0.5,
  2,
  Infinity,
  -Infinity,
  NaN,
  710,
  -800,
  1e-300,
]

/**
 * Runs the program laws on generated programs; throws on the first violation with the
 * shrunk program (one line per node), the point, the direction and both answers.
 * Users pass their own ops (`unary`, `binary`) to run them inside random programs.
 *
 * @example
 * import { programLaws } from 'ad-ts/laws'
 * programLaws({ numRuns: 5 }) // passes
 *
 * @category laws
 * @since 0.2.0
 */
export const programLaws = (options: ProgramLawOptions = {}): void => {
  const t = options.tolerance ?? { rel: 1e-12, abs: 1e-12 }
  const fdTolerance = options.fdTolerance ?? { rel: 1e-5, abs: 1e-5 }
  // Ordinary points: 0 or a magnitude of at least 1e-6. Tinier ones make derivatives
  // such as 1/x so large that rounding of sums of huge terms, not the modes, decides the
  // answer (special points include the smallest doubles).
  const ordinary = spreadIn(-2, 2).map((x) => (Math.abs(x) < 1e-6 ? 0 : x))
  const run = (x: ReadonlyArray<number>, v: ReadonlyArray<number>, p: Program, exact: boolean) => {
    const at = { x, v }
    const onNumbers = scalarAnswers(p, scalar, x, v)
    const onGeneric = scalarAnswers(p, generic(scalar), x, v)
    const onTensors = tensorAnswers(p, x, v)
    const tol = scaled(t, [onNumbers, onTensors], x)
    answersAgree(
      'number specialisations equal the generic paths bit for bit',
      onNumbers,
      onGeneric,
      Object.is,
      p,
      at,
    )
    // At ordinary points the answers agree to rounding; at special points, in where
    // they are NaN or infinite.
    const same = exact
      ? (a: number, b: number) => close(a, b, tol)
      : (a: number, b: number) => kind(a) === kind(b)
    // Second-order nestings sum different products of infinities at special points and
    // at kinks (the cone of hypot at the origin, a tie of maximum), so there only
    // first-order answers are held to one pattern (see the README).
    const orders = exact && !nearKink(p, x) ? 2 : 1
    // At special points, a value at the edge of the range (subnormal, or beyond 1e300)
    // lets rounding decide whether a product overflows, so the grouping of the paths,
    // not the mode, decides finiteness there: such points are held to bit-for-bit
    // equality of the specialisations only.
    if (!exact && atRangeEdge(p, x)) return onNumbers
    modesAgree('the scalar backend', onNumbers, same, p, at, orders)
    modesAgree('the tensor backend', onTensors, same, p, at, orders)
    jitAgrees(p, x, onTensors, same, at)
    vmapAgrees(p, x, same, at)
    answersAgree('tensor = scalar per element', onTensors, onNumbers, same, p, at, orders)
    return onNumbers
  }
  assertProperty(
    fc.property(
      programArbitrary(options).chain((p) => pointsFor(p, ordinary)),
      ([p, x, v]) => {
        const answers = run(x, v, p, true)
        if (finite(answers) && !definedByConvention(p) && !nearKink(p, x)) {
          matchesDifferences(p, answers, x, v, fdTolerance)
        }
      },
    ),
    options,
  )
  if (options.specialPoints === false) return
  assertProperty(
    fc.property(
      programArbitrary({ ...options, safeDomains: false }).chain((p) =>
        pointsFor(p, fc.constantFrom(...specialValues)),
      ),
      ([p, x, v]) => {
        run(x, v, p, false)
      },
    ),
    options,
  )
}
