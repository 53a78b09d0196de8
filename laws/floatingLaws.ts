/**
 * Floating laws: the ring laws, the field law and the elementary identities that any
 * `Floating` instance must satisfy (every method is in at least one), to a tolerance (floating point rounds, so
 * associativity and distributivity hold only approximately; NaN is excluded from the
 * generated values because it satisfies no law).
 *
 * @since 0.1.0
 */
import fc from 'fast-check'
import { Tensor, type Floating } from '../src/index.js'
import { showValue } from '../src/internal.js'
import { close, type Tolerance } from './close.js'
import { named, showTolerance } from './judge.js'
import { LawViolation, runLaws, type RunOptions } from './run.js'

/**
 * Options of `floatingLaws`.
 *
 * @category model
 * @since 0.1.0
 */
export interface FloatingLawOptions<A> extends RunOptions {
  /** Values of the instance in [min, max]; default: doubles through `F.fromNumber`. */
  readonly values?: (min: number, max: number) => fc.Arbitrary<A>
  /**
   * Equality of two values; default: `sameNumbers` with `tolerance` (every number the
   * values hold, so the tangent of a dual number counts, not only its primal).
   */
  readonly equals?: (x: A, y: A) => boolean
  /** Tolerance of the default equality; default `{ rel: 1e-9, abs: 1e-9 }`. */
  readonly tolerance?: Tolerance
}

/**
 * A law of `Floating`: its name, how many values it takes, their range, and the two
 * sides that must be equal.
 *
 * @category model
 * @since 0.1.0
 */
export interface FloatingLaw {
  /** The law, in words. */
  readonly name: string
  /** The interval the law's values are drawn from. */
  readonly range: readonly [number, number]
  /** The two expressions that must be equal. */
  readonly sides: <A>(F: Floating<A>, x: A, y: A, z: A) => readonly [A, A]
  /**
   * Where the law holds to every order of derivative (default: everywhere): a value of x
   * is drawn only if its number passes (`toNumber`; for a value with a shape, every
   * number it holds).
   */
  readonly smoothAt?: (x: number) => boolean
}

/**
 * The laws, as data: each is a pure pair of expressions.
 *
 * @example
 * import { floatingLawTable } from 'ad-ts/laws'
 * floatingLawTable.some((law) => law.name === 'add is commutative') // => true
 *
 * @category laws
 * @since 0.1.0
 */
export const floatingLawTable: ReadonlyArray<FloatingLaw> = [
  {
    name: 'add is associative',
    range: [-1e3, 1e3],
    sides: (F, x, y, z) => [F.add(F.add(x, y), z), F.add(x, F.add(y, z))],
  },
  {
    name: 'add is commutative',
    range: [-1e3, 1e3],
    sides: (F, x, y) => [F.add(x, y), F.add(y, x)],
  },
  {
    name: 'zero is the identity of add',
    range: [-1e3, 1e3],
    sides: (F, x) => [F.add(x, F.zero), x],
  },
  {
    name: 'mul is associative',
    range: [-1e2, 1e2],
    sides: (F, x, y, z) => [F.mul(F.mul(x, y), z), F.mul(x, F.mul(y, z))],
  },
  {
    name: 'mul is commutative',
    range: [-1e3, 1e3],
    sides: (F, x, y) => [F.mul(x, y), F.mul(y, x)],
  },
  { name: 'one is the identity of mul', range: [-1e3, 1e3], sides: (F, x) => [F.mul(x, F.one), x] },
  {
    name: 'mul distributes over add',
    range: [-1e2, 1e2],
    sides: (F, x, y, z) => [F.mul(x, F.add(y, z)), F.add(F.mul(x, y), F.mul(x, z))],
  },
  {
    name: 'sub is add of neg',
    range: [-1e3, 1e3],
    sides: (F, x, y) => [F.sub(x, y), F.add(x, F.neg(y))],
  },
  {
    name: 'x · (1 / x) = 1 for x away from 0',
    range: [0.5, 1e3],
    sides: (F, x) => [F.mul(x, F.div(F.one, x)), F.one],
  },
  { name: 'exp(log x) = x for x > 0', range: [1e-3, 1e3], sides: (F, x) => [F.exp(F.log(x)), x] },
  {
    name: 'log1p(x) = log(1 + x)',
    range: [0, 1e3],
    sides: (F, x) => [F.log1p(x), F.log(F.add(F.one, x))],
  },
  {
    name: 'sin² + cos² = 1',
    range: [-10, 10],
    sides: (F, x) => [F.add(F.mul(F.sin(x), F.sin(x)), F.mul(F.cos(x), F.cos(x))), F.one],
  },
  {
    name: 'sqrt(x)² = x for x > 0 (at 0 a dual tangent is ∞ · 0 = NaN)',
    range: [1e-6, 1e3],
    sides: (F, x) => [F.mul(F.sqrt(x), F.sqrt(x)), x],
  },
  {
    name: 'sigmoid(x) = 1 / (1 + exp(−x))',
    range: [-30, 30],
    sides: (F, x) => [F.sigmoid(x), F.div(F.one, F.add(F.one, F.exp(F.neg(x))))],
  },
  {
    name: 'tanh(x) = 2·sigmoid(2x) − 1',
    range: [-10, 10],
    sides: (F, x) => [
      F.tanh(x),
      F.sub(F.mul(F.fromNumber(2), F.sigmoid(F.mul(F.fromNumber(2), x))), F.one),
    ],
  },
  {
    name: 'pow(x, y) = exp(y · log x) for x > 0',
    range: [0.1, 4],
    sides: (F, x, y) => [F.pow(x, y), F.exp(F.mul(y, F.log(x)))],
  },
  {
    name: 'abs(x)² = x² for x ≠ 0 (at 0 abs has derivative 0 by convention and no second derivative, so a second derivative of the left side is 0 there, of the right 2)',
    range: [-1e3, 1e3],
    sides: (F, x) => [F.mul(F.abs(x), F.abs(x)), F.mul(x, x)],
    smoothAt: (x) => x !== 0,
  },
  { name: 'neg is an involution', range: [-1e3, 1e3], sides: (F, x) => [F.neg(F.neg(x)), x] },
  {
    name: 'expm1(x) = exp(x) − 1',
    range: [-10, 10],
    sides: (F, x) => [F.expm1(x), F.sub(F.exp(x), F.one)],
  },
  {
    name: 'softplus(x) = log(1 + exp(x))',
    range: [-20, 20],
    sides: (F, x) => [F.softplus(x), F.log(F.add(F.one, F.exp(x)))],
  },
  {
    name: 'relu(x) = (x + abs(x)) / 2 for x ≠ 0 (at 0 both have derivative 0 by convention, the right side ½)',
    range: [-1e3, 1e3],
    sides: (F, x) => [F.relu(x), F.div(F.add(x, F.abs(x)), F.fromNumber(2))],
    smoothAt: (x) => x !== 0,
  },
  {
    name: 'maximum(x, y) = (x + y + abs(x − y)) / 2 (a tie shares the derivative ½ each on both sides)',
    range: [-1e3, 1e3],
    sides: (F, x, y) => [
      F.maximum(x, y),
      F.div(F.add(F.add(x, y), F.abs(F.sub(x, y))), F.fromNumber(2)),
    ],
  },
  {
    name: 'minimum(x, y) = (x + y − abs(x − y)) / 2',
    range: [-1e3, 1e3],
    sides: (F, x, y) => [
      F.minimum(x, y),
      F.div(F.sub(F.add(x, y), F.abs(F.sub(x, y))), F.fromNumber(2)),
    ],
  },
  {
    name: 'hypot(x, y) = sqrt(x² + y²) away from 0',
    range: [0.5, 1e3],
    sides: (F, x, y) => [F.hypot(x, y), F.sqrt(F.add(F.mul(x, x), F.mul(y, y)))],
  },
  {
    name: 'atan2(y, x) is the angle of (x, y): hypot(x, y)·sin(atan2(y, x)) = y',
    range: [0.5, 1e3],
    sides: (F, x, y) => [F.mul(F.hypot(x, y), F.sin(F.atan2(y, x))), y],
  },
  {
    name: 'atan2(y, x) is the angle of (x, y): hypot(x, y)·cos(atan2(y, x)) = x',
    range: [0.5, 1e3],
    sides: (F, x, y) => [F.mul(F.hypot(x, y), F.cos(F.atan2(y, x))), x],
  },
  {
    name: 'where(1, x, y) = x and where(0, x, y) = y',
    range: [-1e3, 1e3],
    sides: (F, x, y) => [
      F.add(F.where(F.one, x, y), F.mul(F.fromNumber(3), F.where(F.zero, x, y))),
      F.add(x, F.mul(F.fromNumber(3), y)),
    ],
  },
  {
    name: 'the comparisons hold where they should: lt(x, x + 1), le(x, x), gt(x + 1, x), ge(x, x), eq(x, x) are 1',
    range: [-1e3, 1e3],
    sides: (F, x) => {
      const up = F.add(x, F.one)
      const holds = [F.lt(x, up), F.le(x, x), F.gt(up, x), F.ge(x, x), F.eq(x, x)]
      return [holds.reduce((a, b) => F.add(F.mul(a, F.fromNumber(2)), b)), F.fromNumber(31)]
    },
  },
  {
    name: 'and fail where they should: lt(x, x), gt(x, x), lt(x + 1, x), le(x + 1, x), gt(x, x + 1), ge(x, x + 1), eq(x, x + 1) are 0',
    range: [-1e3, 1e3],
    sides: (F, x) => {
      const up = F.add(x, F.one)
      const fails = [
        F.lt(x, x),
        F.gt(x, x),
        F.lt(up, x),
        F.le(up, x),
        F.gt(x, up),
        F.ge(x, up),
        F.eq(x, up),
      ]
      return [fails.reduce((a, b) => F.add(a, b)), F.zero]
    },
  },
  {
    name: 'clamp(x, −1, 1) = maximum(−1, minimum(x, 1)) away from the bounds',
    range: [-3, 3],
    sides: (F, x) => [F.clamp(x, -1, 1), F.maximum(F.fromNumber(-1), F.minimum(x, F.one))],
    smoothAt: (x) => x !== 1 && x !== -1,
  },
  {
    name: 'stopGradient(x) has the value of x: eq(stopGradient(x), x) = 1',
    range: [-1e3, 1e3],
    sides: (F, x) => [F.eq(F.stopGradient(x), x), F.one],
  },
  { name: 'fromNumber(1) is one', range: [0, 1], sides: (F) => [F.fromNumber(1), F.one] },
]

/** A value's number, or every number it holds where it has no one number (a shape). */
const primalNumbers = <A>(F: Floating<A>, x: A): ReadonlyArray<number> => {
  try {
    return [F.toNumber(x)]
  } catch {
    return [...numbersOf(x).values()]
  }
}

/** Every number a value holds, by path (fields, array indices, tensor elements). */
const numbersOf = (value: unknown): Map<string, number> => {
  const out = new Map<string, number>()
  // An explicit stack, not recursion: values may nest deeply.
  const stack: Array<readonly [string, unknown]> = [['', value]]
  while (stack.length > 0) {
    const [path, v] = stack.pop()!
    if (typeof v === 'number') out.set(path, v)
    else if (Tensor.isTensor(v)) Tensor.toFlat(v).forEach((x, i) => out.set(`${path}[${i}]`, x))
    else if (typeof v === 'object' && v !== null)
      for (const [k, x] of Object.entries(v)) stack.push([`${path}.${k}`, x])
  }
  return out
}

/**
 * Whether two values hold the same numbers at the same places, each pair `close`; a
 * number one side lacks counts as 0 (a constant dual number has no tangent field).
 *
 * @example
 * import { Dual } from 'ad-ts'
 * import { sameNumbers } from 'ad-ts/laws'
 * sameNumbers(Dual.make(1, 2), Dual.make(1, 2)) // => true
 * sameNumbers(Dual.make(1, 2), Dual.make(1, 3)) // => false
 * sameNumbers(Dual.make(1, 0), Dual.lift(1)) // => true
 *
 * @category utils
 * @since 0.2.0
 */
export const sameNumbers = (x: unknown, y: unknown, tolerance: Tolerance = {}): boolean => {
  const a = numbersOf(x)
  const b = numbersOf(y)
  const paths = new Set([...a.keys(), ...b.keys()])
  for (const path of paths) if (!close(a.get(path) ?? 0, b.get(path) ?? 0, tolerance)) return false
  return true
}

/**
 * Runs every law of `floatingLawTable` on an instance; throws on a violation with the
 * counterexample and both sides.
 *
 * @example
 * import { scalar } from 'ad-ts'
 * import { floatingLaws } from 'ad-ts/laws'
 * floatingLaws(scalar) // throws on a violation; passes here
 *
 * @category laws
 * @since 0.1.0
 */
export const floatingLaws = <A>(F: Floating<A>, options: FloatingLawOptions<A> = {}): void => {
  const tolerance = options.tolerance ?? { rel: 1e-9, abs: 1e-9 }
  const values =
    options.values ??
    ((min: number, max: number) => fc.double({ min, max, noNaN: true }).map(F.fromNumber))
  const equals = options.equals ?? ((x: A, y: A) => sameNumbers(x, y, tolerance))
  const laws = floatingLawTable.map((law) => {
    const v = values(...law.range)
    return named(
      law.name,
      fc.property(v, v, v, (x, y, z) => {
        const smooth = law.smoothAt
        if (smooth !== undefined) fc.pre(primalNumbers(F, x).every(smooth))
        const [left, right] = law.sides(F, x, y, z)
        if (equals(left, right)) return
        throw new LawViolation({
          subject: 'the Floating instance',
          law: `"${law.name}" fails`,
          at: `x = ${showValue(x)}, y = ${showValue(y)}, z = ${showValue(z)}`,
          got: `left side ${showValue(left)}`,
          expected: `the right side ${showValue(right)}`,
          how:
            options.equals === undefined
              ? `every number they hold; ${showTolerance(tolerance)}`
              : 'by the given equality',
        })
      }),
    )
  })
  runLaws(
    { subject: 'the Floating instance', call: (o) => `laws.floatingLaws(F, ${o})` },
    laws,
    options,
  )
}
