/**
 * Tape laws: `Tape` is a lawful monad. Programs are generated as random sequences of
 * recorded ops; two programs are equal when their runs give the same result value,
 * the same tape (every entry's value, in order) and the same gradient.
 *
 * - left identity: `chain(of(a), f) ≡ f(a)`
 * - right identity: `chain(m, of) ≡ m`
 * - associativity: `chain(chain(m, f), g) ≡ chain(m, x ⇒ chain(f(x), g))`
 * - functor identity and composition, and `ap` agreeing with `chain`
 *
 * @since 0.1.0
 */
import fc from 'fast-check'
import { pipe } from 'fp-ts/lib/function.js'
import type { Monad2 } from 'fp-ts/lib/Monad.js'
import { scalar, Tape, type Floating } from '../src/index.js'
import { generic, showValue, type Var } from '../src/internal.js'
import type { URI } from '../src/reverse/Tape.js'
import { named } from './judge.js'
import { LawViolation, runLaws, type RunOptions } from './run.js'

/**
 * Options of `tapeLaws`.
 *
 * @category model
 * @since 0.1.0
 */
export interface TapeLawOptions extends RunOptions {
  /** The monad instance under test; default `Tape.Monad`. */
  readonly monad?: Monad2<URI>
}

type Step = readonly [op: 'add' | 'sub' | 'mul' | 'sin' | 'tanh' | 'exp', arg: number]

/** One generated program step: an op applied to the last value and an earlier one. */
const stepArbitrary: fc.Arbitrary<Step> = fc.tuple(
  fc.constantFrom('add', 'sub', 'mul', 'sin', 'tanh', 'exp'),
  fc.nat(),
)

/** A Kleisli arrow of generated steps: records the steps starting from `x`. */
const program =
  (steps: ReadonlyArray<Step>) =>
  (x: Var<number>): Tape<number, Var<number>> =>
    Tape.record<number, Var<number>>((R) => {
      const pool: Var<number>[] = [x]
      let v = x
      for (const [op, arg] of steps) {
        const w = pool[arg % pool.length]!
        v =
          op === 'add' || op === 'sub' || op === 'mul'
            ? R[op](v, w)
            : R[op](R.mul(R.fromNumber(0.1), v))
        pool.push(v)
      }
      return v
    })

type Arrow = (x: Var<number>) => Tape<number, Var<number>>

/** Runs an arrow from a fresh input variable: its result value, its tape and its gradient. */
const observe = (F: Floating<number>, k: Arrow) => {
  const [[x, y], tape] = Tape.run(F)(
    pipe(
      Tape.variable(0.75),
      Tape.chain((x0) =>
        pipe(
          k(x0),
          Tape.map((y0) => [x0, y0] as const),
        ),
      ),
    ),
  )
  return {
    value: Tape.value(tape, y),
    values: Tape.values(tape),
    gradient: Tape.backprop(tape, [[y, 1]])(x),
  }
}

const same = (
  law: string,
  programs: string,
  a: ReturnType<typeof observe>,
  b: ReturnType<typeof observe>,
): void => {
  const sameValues =
    a.values.length === b.values.length && a.values.every((v, i) => Object.is(v, b.values[i]))
  if (!Object.is(a.value, b.value) || !sameValues || !Object.is(a.gradient, b.gradient)) {
    const run = (r: ReturnType<typeof observe>) =>
      `value ${showValue(r.value)}, tape ${showValue(r.values)}, gradient ${showValue(r.gradient)}`
    throw new LawViolation({
      subject: 'the Tape monad',
      law: `"${law}" fails: its two sides run differently`,
      at: programs,
      got: `left side ${run(a)}`,
      expected: `the right side's ${run(b)}`,
      how: 'the same numbers exactly',
    })
  }
}

/** The laws as pure predicates over arrows: each returns its two sides. */
const laws: ReadonlyArray<{
  readonly name: string
  readonly sides: (M: Monad2<URI>, f: Arrow, g: Arrow, h: Arrow) => readonly [Arrow, Arrow]
}> = [
  { name: 'left identity', sides: (M, f) => [(x) => M.chain(M.of<number, Var<number>>(x), f), f] },
  {
    name: 'right identity',
    sides: (M, f) => [(x) => M.chain(f(x), (y) => M.of<number, Var<number>>(y)), f],
  },
  {
    name: 'associativity',
    sides: (M, f, g, h) => [
      (x) => M.chain(M.chain(f(x), g), h),
      (x) => M.chain(f(x), (y) => M.chain(g(y), h)),
    ],
  },
  { name: 'functor identity', sides: (M, f) => [(x) => M.map(f(x), (y) => y), f] },
  {
    name: 'ap agrees with chain',
    sides: (M, f, g) => [
      (x) =>
        M.chain(
          M.ap(
            M.of<number, (y: Var<number>) => Var<number>>((y) => y),
            f(x),
          ),
          g,
        ),
      (x) => M.chain(f(x), g),
    ],
  },
  {
    // A function side with effects of its own: ap records it first, as chain would.
    name: 'ap runs the function side first, as chain does',
    sides: (M, f, g) => [
      (x) =>
        M.ap(
          M.map(f(x), () => (y: Var<number>) => y),
          g(x),
        ),
      (x) => M.chain(f(x), () => g(x)),
    ],
  },
]

/**
 * Runs the monad laws of `Tape` on generated programs; throws on a violation with the
 * counterexample and both runs.
 *
 * @example
 * import { tapeLaws } from 'ad-ts/laws'
 * tapeLaws({ numRuns: 50 }) // passes
 *
 * @category laws
 * @since 0.1.0
 */
export const tapeLaws = (options: TapeLawOptions = {}): void => {
  const steps = fc.array(stepArbitrary, { maxLength: 6 })
  const M = options.monad ?? Tape.Monad
  // The scalar base records into typed arrays; generic(scalar) records into the generic
  // store: the laws hold for both.
  const show = (s: ReadonlyArray<Step>) =>
    s.length === 0 ? 'x ↦ x' : s.map(([op, arg]) => `${op} ${arg}`).join(', ')
  const all = [scalar, generic(scalar)].flatMap((F) =>
    laws.map((law) =>
      named(
        law.name,
        fc.property(steps, steps, steps, (s0, s1, s2) => {
          const [left, right] = law.sides(M, program(s0), program(s1), program(s2))
          const programs = `f = [${show(s0)}], g = [${show(s1)}], h = [${show(s2)}] (each step: an op on the last value and an earlier one), on ${F === scalar ? 'scalar' : 'generic(scalar)'}`
          same(law.name, programs, observe(F, left), observe(F, right))
        }),
      ),
    ),
  )
  runLaws({ subject: 'the Tape monad', call: (o) => `laws.tapeLaws(${o})` }, all, options)
}
