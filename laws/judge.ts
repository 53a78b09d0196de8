/**
 * Helpers the derivative suites share (not part of `ad-ts/laws`): sums of products and
 * their tolerance, directions of max-norm 1, the words of a failure message, and the
 * tree and tensor plumbing of the tensor suites. The finite differences themselves are
 * the library's (`differenceEstimates`, src/util/finiteDifference.ts): one judge.
 *
 * @since 0.5.0
 */
import fc from 'fast-check'
import {
  jvp,
  leavesOf,
  tensor,
  Tensor,
  vjp,
  withLeaves,
  type Tensorial,
  type Tree,
} from '../src/index.js'
import { defaultStep, differenceEstimates } from '../src/internal.js'
import { close, jumpsNear, type Tolerance } from './close.js'
import { LawViolation, showDiffering, showNumbers, type NamedLaw } from './run.js'

/** The number of elements of a tensor of `shape`. */
export const sizeOf = (shape: ReadonlyArray<number>): number => shape.reduce((a, b) => a * b, 1)

/** Σ aᵢ·bᵢ. */
export const dot = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): number =>
  a.reduce((s, ai, i) => s + ai * b[i]!, 0)

/** Tolerance for a sum of products: rounding scales with Σ|aᵢ·bᵢ|, not with the sum. */
export const dotTolerance = (
  a: ReadonlyArray<number>,
  b: ReadonlyArray<number>,
  t: Tolerance,
): Tolerance => ({
  ...t,
  abs: (t.abs ?? 1e-12) + (t.rel ?? 1e-10) * a.reduce((s, ai, i) => s + Math.abs(ai * b[i]!), 0),
})

/** Whether two arrays agree elementwise. */
export const allClose = (a: ReadonlyArray<number>, b: ReadonlyArray<number>, t: Tolerance) =>
  a.length === b.length && a.every((ai, i) => close(ai, b[i]!, t))

/** A direction scaled to max-norm 1 (the zero direction stays zero). */
export const unitMaxNorm = (v: ReadonlyArray<number>): ReadonlyArray<number> => {
  const m = v.reduce((a, x) => Math.max(a, Math.abs(x)), 0)
  return m === 0 || !Number.isFinite(m) ? v : v.map((x) => x / m)
}

/** A tolerance in words. */
export const showTolerance = (t: Tolerance): string =>
  `tolerance rel ${t.rel ?? 1e-9}, abs ${t.abs ?? 1e-12}`

/**
 * How the expected value of a finite-difference law is found, in words. The judge
 * accepts any of three estimates (see `differenceEstimates`); the message quotes the
 * Richardson one, the most accurate where the function is smooth.
 */
export const estimatedBy = (xs: ReadonlyArray<number>, t: Tolerance): string =>
  `central differences with step h = ${showNumbers(defaultStep(xs))}, Richardson-extrapolated; ${showTolerance(t)}`

/** The estimate a message quotes: the Richardson extrapolation. */
export const quoted = (estimates: ReadonlyArray<ReadonlyArray<number>>): ReadonlyArray<number> =>
  estimates[1]!

/** D(h/2), from D(h) and the kink estimate 2·D(h/2) − D(h). */
const halfStep = (estimates: ReadonlyArray<ReadonlyArray<number>>): ReadonlyArray<number> =>
  estimates[2]!.map((k, i) => (k + estimates[0]![i]!) / 2)

/**
 * A note for the message when the finite differences at h and h/2 disagree with each
 * other: the function may not be smooth (or not accurate) there.
 */
export const smoothnessNote = (
  estimates: ReadonlyArray<ReadonlyArray<number>>,
  t: Tolerance,
): string | undefined =>
  allClose(estimates[0]!, estimates[1]!, t)
    ? undefined
    : `note: the finite differences at steps h and h/2 disagree (${showDiffering(estimates[0]!, halfStep(estimates)).join(' and ')}): the function may not be smooth, or its primal not accurate, near this point; \`domain\` can exclude it, \`tolerance\` can loosen the judge`

/**
 * The got and expected parts of a message about `J·v`: for one input and one output
 * (v = ±1) the derivative itself, otherwise the vectors.
 */
export const derivativeParts = (
  what: string,
  got: ReadonlyArray<number>,
  expected: ReadonlyArray<number>,
  vs: ReadonlyArray<number>,
): { readonly got: string; readonly expected: string } => {
  if (vs.length === 1 && got.length === 1 && Math.abs(vs[0]!) === 1) {
    const [g, e] = showDiffering(got[0]! * vs[0]!, expected[0]! * vs[0]!)
    return { got: `${what}derivative ${g}`, expected: e }
  }
  const [g, e] = showDiffering(got, expected)
  return { got: `${what}J·v = ${g}`, expected: e }
}

/** The numbers of a tree of tensors, leaf after leaf, each row-major. */
export const flatten = (tree: Tree<Tensor>): number[] =>
  leavesOf(tree).flatMap((t) => Array.from(Tensor.toFlat(t)))

/** A tree of tensors shaped as `like`, filled from `xs` in `flatten`'s order. */
export const unflatten = (like: Tree<Tensor>, xs: ReadonlyArray<number>): Tree<Tensor> => {
  let k = 0
  return withLeaves(
    like,
    leavesOf(like).map((t) => {
      const n = Tensor.size(t)
      const part = xs.slice(k, k + n)
      k += n
      return Tensor.fromArray(part, Tensor.shape(t))
    }),
  )
}

/** A tree of tensors for a message: nested arrays, numbers to 6 digits, and its shapes. */
export const showTree = (tree: Tree<Tensor>): string => {
  const leaves = leavesOf(tree)
  const rounded = withLeaves(
    tree,
    leaves.map((t) => {
      const xs = Array.from(Tensor.toFlat(t), (x) =>
        Number.isFinite(x) ? Number(x.toPrecision(6)) : x,
      )
      return Tensor.toArray(Tensor.fromArray(xs, Tensor.shape(t)))
    }),
  )
  const shapes = leaves.map((t) => Tensor.showShape(Tensor.shape(t))).join(', ')
  const text = JSON.stringify(rounded, (_, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
  )
  const brief = text.length > 160 ? `${text.slice(0, 157)}…` : text
  return `${brief.replace(/,/g, ', ')} (shape${leaves.length === 1 ? '' : 's'} ${shapes})`
}

/** A name as it would be written in code: itself when it is an identifier, else `fallback`. */
export const identifier = (name: string, fallback: string): string =>
  /^[A-Za-z_$][\w$]*$/.test(name) ? name : fallback

/** A law of a suite from its name and a property of any arguments. */
export const named = <Ts extends [unknown, ...unknown[]]>(
  name: string,
  property: fc.IProperty<Ts>,
): NamedLaw => ({ name, property: property as unknown as NamedLaw['property'] })

/** A function of a tree of tensors giving a tree of tensors, on any instance. */
export type TreeFunction = <A>(T: Tensorial<A>) => (x: Tree<A>) => Tree<A>

/** One case of the tensor laws: a point, a direction of max-norm 1 and a cotangent. */
export interface TreeCase {
  readonly x: Tree<Tensor>
  readonly v: Tree<Tensor>
  readonly u: Tree<Tensor>
}

/** The tensor laws' judgement of one case, by name; each throws a `LawViolation`. */
export const treeLaws = (f: TreeFunction, name: string, t: Tolerance, exact: Tolerance) => {
  const primal = (x: Tree<Tensor>) => f(tensor)(x) as Tree<Tensor>
  const numeric = (like: Tree<Tensor>) => (xs: ReadonlyArray<number>) =>
    flatten(primal(unflatten(like, xs)))
  const forwardJv = (x: Tree<Tensor>, v: Tree<Tensor>) =>
    flatten((jvp(f as never)(tensor) as Jvp)(x, v)[1])
  const pullback = (x: Tree<Tensor>) => (vjp(f as never)(tensor) as Vjp)(x)[1]
  const at = (c: TreeCase, withU: boolean) =>
    `x = ${showTree(c.x)}, along v = ${showTree(c.v)}${withU ? `, cotangent u = ${showTree(c.u)}` : ''}`
  const parts = (c: TreeCase) => {
    const xs = flatten(c.x)
    const vs = flatten(c.v)
    return { xs, vs, estimates: differenceEstimates(numeric(c.x), xs, vs) }
  }
  return {
    forward: (c: TreeCase): void => {
      const { xs, vs, estimates } = parts(c)
      const ad = forwardJv(c.x, c.v)
      if (
        estimates.some((fd) => allClose(ad, fd, t)) ||
        jumpsNear((ys) => forwardJv(unflatten(c.x, ys), c.v), xs, vs)
      )
        return
      throw new LawViolation({
        subject: name,
        law: 'forward mode disagrees with finite differences',
        at: vs.length === 1 && ad.length === 1 ? `x = ${showTree(c.x)}` : at(c, false),
        ...derivativeParts('', ad, quoted(estimates), vs),
        how: estimatedBy(xs, t),
        note: smoothnessNote(estimates, t),
      })
    },
    reverse: (c: TreeCase): void => {
      const { xs, vs, estimates } = parts(c)
      const us = flatten(c.u)
      const back = pullback(c.x)
      const ad = dot(flatten(back(c.u)), vs)
      const judged = (x: Tree<Tensor>) => dot(flatten(pullback(x)(c.u)), vs)
      if (
        estimates.some((fd) => close(ad, dot(us, fd), dotTolerance(us, fd, t))) ||
        jumpsNear((ys) => [judged(unflatten(c.x, ys))], xs, vs)
      )
        return
      const scalarCase = xs.length === 1 && us.length === 1
      const one = withLeaves(c.u, [Tensor.fill(Tensor.shape(leavesOf(c.u)[0]!), 1)])
      const [g, e] = scalarCase
        ? showDiffering(flatten(back(one))[0]!, quoted(estimates)[0]! * vs[0]!)
        : showDiffering(ad, dot(us, quoted(estimates)))
      throw new LawViolation({
        subject: name,
        law: 'reverse mode disagrees with finite differences',
        at: scalarCase ? `x = ${showTree(c.x)}` : at(c, true),
        got: scalarCase ? `derivative by reverse mode ${g}` : `⟨Jᵀu, v⟩ by reverse mode = ${g}`,
        expected: scalarCase ? e : `⟨u, J·v⟩ = ${e}`,
        how: estimatedBy(xs, t),
        note: smoothnessNote(estimates, t),
      })
    },
    forwardEqualsReverse: (c: TreeCase): void => {
      const xs = flatten(c.x)
      const y = primal(c.x)
      const m = flatten(y).length
      // The whole Jacobian, a column per input by forward mode and a row per output by
      // reverse mode: for small cases only (adjointness covers the rest).
      if (xs.length * m > 256) return
      const basis = (k: number, n: number) => Array.from({ length: n }, (_, i) => (i === k ? 1 : 0))
      const columns = xs.map((_, j) => forwardJv(c.x, unflatten(c.x, basis(j, xs.length))))
      const back = pullback(c.x)
      const rows = Array.from({ length: m }, (_, i) => flatten(back(unflatten(y, basis(i, m)))))
      const fwd = rows.flatMap((_, i) => columns.map((col) => col[i]!))
      const rev = rows.flat()
      if (allClose(rev, fwd, exact)) return
      const [g, e] = showDiffering(rev, fwd)
      throw new LawViolation({
        subject: name,
        law: 'forward and reverse mode give different Jacobians',
        at: `x = ${showTree(c.x)}`,
        got: `reverse mode ${g}`,
        expected: `forward mode's ${e}`,
        how: `Jacobians row by row; ${showTolerance(exact)}`,
      })
    },
    adjointness: (c: TreeCase): void => {
      const us = flatten(c.u)
      const vs = flatten(c.v)
      const jv = forwardJv(c.x, c.v)
      const jtu = flatten(pullback(c.x)(c.u))
      const left = dot(us, jv)
      const right = dot(jtu, vs)
      const tol = dotTolerance(us, jv, dotTolerance(jtu, vs, exact))
      if (close(left, right, tol)) return
      const [g, e] = showDiffering(right, left)
      throw new LawViolation({
        subject: name,
        law: 'adjointness ⟨u, J·v⟩ = ⟨Jᵀu, v⟩ fails',
        at: at(c, true),
        got: `⟨Jᵀu, v⟩ by reverse mode = ${g}`,
        expected: `⟨u, J·v⟩ by forward mode = ${e}`,
        how: showTolerance(tol),
      })
    },
  }
}

type Jvp = (x: Tree<Tensor>, v: Tree<Tensor>) => readonly [Tree<Tensor>, Tree<Tensor>]
type Vjp = (x: Tree<Tensor>) => readonly [Tree<Tensor>, (u: Tree<Tensor>) => Tree<Tensor>]

/**
 * An arbitrary of cases for a tree function: points from `points`, directions of the
 * point's shapes scaled to max-norm 1, cotangents of the output's shapes (found by
 * running the function once on the point).
 */
export const treeCases = (
  f: TreeFunction,
  points: fc.Arbitrary<Tree<Tensor>>,
): fc.Arbitrary<TreeCase> => {
  const unit = fc.double({ min: -1, max: 1, noNaN: true })
  return points.chain((x) => {
    const y = f(tensor)(x) as Tree<Tensor>
    const n = flatten(x).length
    const m = flatten(y).length
    return fc
      .tuple(
        fc.array(unit, { minLength: n, maxLength: n }).map(unitMaxNorm),
        fc.array(unit, { minLength: m, maxLength: m }),
      )
      .map(([v, u]) => ({ x, v: unflatten(x, v), u: unflatten(y, u) }))
  })
}
