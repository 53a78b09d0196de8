import fc from 'fast-check'
import type { Monad2 } from 'fp-ts/lib/Monad.js'
import { describe, expect, test } from 'vitest'
import {
  customJvp,
  customVjp,
  defineOp,
  Dual,
  scalar,
  Tape,
  type Floating,
  type Tensorial,
} from '../src/index.js'
import type { URI } from '../src/reverse/Tape.js'
import {
  close,
  customRuleLaws,
  derivativeLaws,
  floatingLaws,
  programLaws,
  tapeLaws,
  tensorDerivativeLaws,
} from '../laws/index.js'

describe('close', () => {
  test('compares with relative and absolute tolerance and explicit NaN and infinity rules', () => {
    expect(close(1, 1 + 1e-10)).toBe(true)
    expect(close(1, 1.001)).toBe(false)
    expect(close(0, 1e-13)).toBe(true)
    expect(close(NaN, NaN)).toBe(true)
    expect(close(NaN, NaN, { nanEqual: false })).toBe(false)
    expect(close(NaN, 0)).toBe(false)
    expect(close(Infinity, Infinity)).toBe(true)
    expect(close(Infinity, -Infinity)).toBe(false)
    expect(close(Infinity, Number.MAX_VALUE)).toBe(false)
  })
})

describe('each law suite can fail, and says where', () => {
  test('derivativeLaws on a function with a wrong custom op reports the seed, the path and both values', () => {
    const f =
      <A>(F: Floating<A>) =>
      (x: A): A =>
        F.mul(x, x)
    const cube = {
      name: 'cube',
      primal: (t: number) => t * t * t,
      derivative:
        <B>(G: Floating<B>) =>
        (t: B): B =>
          G.mul(t, t),
    }
    const bogus =
      <A>(F: Floating<A>) =>
      (x: A): A =>
        F.unary(cube, x)
    expect(() => derivativeLaws(f)).not.toThrow()
    // x² against the true 3x² differs by 2x²: points near 0 (which fast-check favours)
    // cannot tell them apart within the tolerance, so the points stay in [1, 4].
    const away = { domain: fc.double({ min: 1, max: 4, noNaN: true }) }
    expect(() => derivativeLaws(bogus, away)).toThrow(
      /^bogus: forward mode disagrees with finite differences\n {2}at x = [\d.]+\n {2}derivative [\d.]+, expected [\d.]+ \(central differences[^\n]*\)\n {2}replay: laws\.derivativeLaws\(bogus, \{ \.\.\.options, seed: -?\d+, path: "\d+" \}\)$/,
    )
  })

  test('derivativeLaws catches a wrong second derivative only when asked for order 2', () => {
    const odd = {
      name: 'odd',
      primal: Math.sin,
      derivative:
        <A>(F: Floating<A>) =>
        (x: A): A =>
          F.unary({ name: 'cosBad', primal: Math.cos, derivative: (G) => (t) => G.sin(t) }, x),
    }
    const f =
      <A>(F: Floating<A>) =>
      (x: A): A =>
        F.unary(odd, x)
    expect(() => derivativeLaws(f)).not.toThrow()
    expect(() => derivativeLaws(f, { order: 2 })).toThrow(
      /^f: the derivative of order 2 by nested forward mode disagrees with finite differences of order 1\n/,
    )
  })

  test('floatingLaws rejects an instance whose add is not commutative', () => {
    const broken: Floating<number> = { ...scalar, add: (x, y) => x + 2 * y }
    expect(() => floatingLaws(broken)).toThrow(
      /^the Floating instance: "add is (associative|commutative)" fails\n {2}at x = .*, y = .*, z = .*\n {2}left side .*, expected the right side .*\n {2}replay: laws\.floatingLaws\(F, \{ seed: -?\d+, path: "\d+" \}\)$/,
    )
  })

  test.each([
    ['abs as the identity', { abs: (x: number) => x }],
    ['maximum as minimum', { maximum: Math.min }],
    ['relu as abs', { relu: Math.abs }],
    ['softplus as the identity', { softplus: (x: number) => x }],
    ['expm1 as exp', { expm1: Math.exp }],
    ['atan2 with its arguments swapped', { atan2: (y: number, x: number) => Math.atan2(x, y) }],
    ['hypot as a sum', { hypot: (x: number, y: number) => x + y }],
    ['where always choosing y', { where: (_c: number, _x: number, y: number) => y }],
    ['lt as gt', { lt: scalar.gt }],
    ['clamp as the identity', { clamp: (x: number) => x }],
    ['stopGradient as 0', { stopGradient: () => 0 }],
  ] as const)(
    'floatingLaws rejects an instance with %s (each passed the laws before)',
    (_, wrong) => {
      const broken = { ...scalar, ...wrong } as Floating<number>
      expect(() => floatingLaws(broken, { seed: 7 })).toThrow(/^the Floating instance: /)
    },
  )

  test('tapeLaws rejects a monad whose chain runs its first action twice', () => {
    const twice: Monad2<URI> = {
      ...Tape.Monad,
      chain: (ma, f) => (s) => {
        const [, s1] = ma(s)
        const [a, s2] = ma(s1)
        return f(a)(s2)
      },
    }
    expect(() => tapeLaws({ monad: twice, numRuns: 50 })).toThrow(
      /^the Tape monad: "(left|right) identity" fails: its two sides run differently\n {2}at f = \[.*\n {2}left side value .*, expected the right side's value .*\n {2}replay: laws\.tapeLaws\(\{ \.\.\.options, seed: -?\d+, path: "\d+" \}\)$/,
    )
  })

  test('tapeLaws rejects a monad whose ap records its argument before its function (it passed)', () => {
    const backwards: Monad2<URI> = {
      ...Tape.Monad,
      ap: (fab, fa) => (s) => {
        const [a, s1] = fa(s)
        const [ab, s2] = fab(s1)
        return [ab(a), s2]
      },
    }
    expect(() => tapeLaws({ monad: backwards, numRuns: 50 })).toThrow(
      /^the Tape monad: "ap runs the function side first, as chain does" fails: its two sides run differently\n/,
    )
  })
})

describe('a `where` that rejects nearly every point', () => {
  test('derivativeLaws gives up with its message instead of drawing forever (it hung)', () => {
    const square =
      <A>(F: Floating<A>) =>
      (x: A): A =>
        F.mul(x, x)
    expect(() => derivativeLaws(square, { where: () => false, numRuns: 10, seed: 1 })).toThrow(
      /^square: forward ≈ finite differences could not be checked: fast-check gave up after \d+ skipped cases/,
    )
    // A window that keeps a share of the points is checked on them.
    expect(() =>
      derivativeLaws(square, { where: ([x]) => x! > 1 && x! < 3, numRuns: 20, seed: 1 }),
    ).not.toThrow()
  })
})

describe('the finite-difference judge at a kink', () => {
  const softsign = (scale: number) =>
    defineOp({
      name: 'softsign',
      primal: (x) => x / (1 + Math.abs(x)),
      derivative: (F) => (x) => {
        const d = F.add(F.one, F.abs(x))
        return F.div(F.fromNumber(scale), F.mul(d, d))
      },
    })

  test('derivativeLaws accepts softsign, whose second derivative jumps at 0 (it used to shrink to x = 0 and blame the rule)', () => {
    expect(() => derivativeLaws(softsign(1), { numRuns: 300 })).not.toThrow()
  })

  test('derivativeLaws still rejects a softsign derivative that is off by 0.1%', () => {
    expect(() => derivativeLaws(softsign(1.001), { numRuns: 300 })).toThrow(
      /^softsign: (forward|reverse) mode disagrees with finite differences\n/,
    )
  })
})

describe('floatingLaws compares every number a value holds', () => {
  const duals = (min: number, max: number) =>
    fc
      .tuple(fc.double({ min, max, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true }))
      .map(([v, t]) => Dual.make(v, t))

  test('it rejects a dual instance whose mul has a constant tangent (it compared primals only)', () => {
    const D = Dual.dual(scalar)
    const broken: Floating<Dual<number>> = {
      ...D,
      mul: (x, y) => Dual.make(x.primal * y.primal, 1),
    }
    expect(() => floatingLaws(broken, { values: duals })).toThrow(
      /^the Floating instance: ".*" fails\n/,
    )
    expect(() =>
      floatingLaws(D, { values: duals, tolerance: { rel: 1e-7, abs: 1e-7 } }),
    ).not.toThrow()
  })
})

describe('programLaws judges the ops users add', () => {
  const op = (
    primal: (x: number) => number,
    derivative: <A>(F: Floating<A>) => (x: A) => A,
    name = 'custom',
  ) => defineOp({ name, primal, derivative })
  const softsignPrimal = (x: number) => x / (1 + Math.abs(x))

  // Each of these once passed programLaws at 50 programs: the op rarely appeared, its
  // inputs crowded near 0 and tiny directions hid the error under the tolerance.
  test.each([
    ['doubled', op(Math.sin, (F) => (x) => F.mul(F.fromNumber(2), F.cos(x)))],
    ['identically zero', op(Math.sin, (F) => () => F.zero)],
    ['of the wrong sign', op(Math.sin, (F) => (x) => F.neg(F.cos(x)))],
    ['off by 0.01%', op(Math.sin, (F) => (x) => F.mul(F.fromNumber(1.0001), F.cos(x)))],
    [
      'softsign with 1 + x for 1 + |x|',
      op(softsignPrimal, (F) => (x) => {
        const d = F.add(F.one, x)
        return F.div(F.one, F.mul(d, d))
      }),
    ],
  ])('rejects a derivative that is %s, within 100 programs', (_, wrong) => {
    // 100, not 50: softsign's wrong rule is right for x > 0, and one run in many drew
    // 50 programs that never gave it a negative argument where it counted.
    expect(() => programLaws({ unary: [wrong.spec], numRuns: 100, specialPoints: false })).toThrow(
      /Program law/,
    )
  })

  test('accepts a correct log declared positive (it blamed log at 0)', () => {
    const log = op(Math.log, (F) => (x) => F.div(F.one, x), 'log')
    expect(() =>
      programLaws({ unary: [log.spec], positive: [log.spec], numRuns: 100 }),
    ).not.toThrow()
  })

  test('derivativeLaws accepts softsign to order 2 beside its kink (it failed at x = −5e-324)', () => {
    const softsign = op(softsignPrimal, (F) => (x) => {
      const d = F.add(F.one, F.abs(x))
      return F.div(F.one, F.mul(d, d))
    })
    expect(() => derivativeLaws(softsign, { order: 2, numRuns: 300 })).not.toThrow()
  })
})

/** erf to about 1e-15: its Taylor series below 3, its continued fraction above. */
const erfPrimal = (x: number): number => {
  const a = Math.abs(x)
  if (a < 3) {
    let term = x
    let sum = x
    for (let n = 1; n < 80; n++) {
      term *= (-x * x) / n
      sum += term / (2 * n + 1)
    }
    return (2 / Math.sqrt(Math.PI)) * sum
  }
  let t = a
  for (let k = 60; k >= 1; k--) t = a + k / 2 / t
  return Math.sign(x) * (1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / t)
}

const thrown = (run: () => void): string => {
  try {
    run()
  } catch (e) {
    return (e as Error).message
  }
  throw new Error('expected the laws to fail')
}

/** The seed and path of a message's replay line. */
const replayOf = (message: string): { seed: number; path: string } => {
  const m = /replay: .*\{ (?:\.\.\.options, )?seed: (-?\d+), path: "([\d:]+)" \}\)$/.exec(message)
  if (m === null) throw new Error(`no replay line in: ${message}`)
  return { seed: Number(m[1]), path: m[2]! }
}

describe('a law failure reads top down: subject, law, point, got and expected, replay', () => {
  // The derivative of erf is 2/√π·e^(−x²) ≈ 1.128·e^(−x²); this one says −0.64·e^(−x²).
  const erf = defineOp({
    name: 'erf',
    primal: erfPrimal,
    derivative: (F) => (x) => F.mul(F.fromNumber(-0.64), F.exp(F.neg(F.mul(x, x)))),
  })
  const trueErf = defineOp({
    name: 'erf',
    primal: erfPrimal,
    derivative: (F) => (x) =>
      F.mul(F.fromNumber(2 / Math.sqrt(Math.PI)), F.exp(F.neg(F.mul(x, x)))),
  })

  test('the true erf passes (the judge is not the problem)', () => {
    expect(() => derivativeLaws(trueErf, { order: 2 })).not.toThrow()
  })

  test('derivativeLaws on a wrong erf names the op and the point, and gives both numbers and a replay line', () => {
    const message = thrown(() => derivativeLaws(erf))
    const m =
      /^erf: forward mode disagrees with finite differences\n {2}at x = (\S+)\n {2}derivative (\S+), expected (\S+) \(central differences with step h = [\d.]+, Richardson-extrapolated; tolerance rel 0\.00001, abs 0\.00001\)\n {2}replay: laws\.derivativeLaws\(erf, \{ seed: -?\d+, path: "\d+" \}\)$/.exec(
        message,
      )
    expect(m, message).not.toBeNull()
    const x = Number(m![1])
    // The numbers carry just enough digits to tell them apart (two or more significant
    // digits): each is its value rounded to the digits it shows.
    const shown = (text: string, value: number) => {
      const digits = text.replace(/^-?0?\.?0*/, '').replace('.', '').length
      expect(Math.abs(Number(text) - value)).toBeLessThanOrEqual(
        Math.abs(value) * 10 ** (1 - digits) + 1e-15,
      )
    }
    shown(m![2]!, -0.64 * Math.exp(-x * x))
    shown(m![3]!, (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x))
    // Nothing of fast-check's report, and never the op's source.
    expect(message).not.toMatch(/Counterexample|Shrunk|fast-check|at \w+ \(|fromNumber|=>/)
  })

  test('at x = 0 it reads: derivative -0.64, expected 1.128', () => {
    const message = thrown(() => derivativeLaws(erf, { domain: fc.constant(0) }))
    expect(message.split('\n').slice(0, 3)).toEqual([
      'erf: forward mode disagrees with finite differences',
      '  at x = 0',
      '  derivative -0.64, expected 1.128 (central differences with step h = 0.0001, Richardson-extrapolated; tolerance rel 0.00001, abs 0.00001)',
    ])
  })

  test('the replay line reproduces the failure, message for message', () => {
    const message = thrown(() => derivativeLaws(erf, { numRuns: 300 }))
    expect(thrown(() => derivativeLaws(erf, replayOf(message)))).toBe(message)
  })

  test('the replay line of another suite reproduces its failure too (tapeLaws: one seed, many laws)', () => {
    const message = thrown(() => tapeLaws({ monad: twiceChain }))
    expect(thrown(() => tapeLaws({ monad: twiceChain, ...replayOf(message) }))).toBe(message)
  })

  test('tensorDerivativeLaws on the wrong erf, elementwise', () => {
    const f =
      <A>(T: Tensorial<A>) =>
      (xs: ReadonlyArray<A>): A =>
        erf(T)(xs[0]!)
    const shapes = fc.constant([[3]])
    const message = thrown(() => tensorDerivativeLaws('erf', f, { shapes }))
    expect(message).toMatch(
      /^erf: forward mode disagrees with finite differences\n {2}at x = \[\[.*\]\] \(shape \[3\]\), along v = \[\[.*\]\] \(shape \[3\]\)\n {2}J·v = \[.*\], expected \[.*\] \(central differences with step h = [\d.]+, Richardson-extrapolated; tolerance rel 0\.00001, abs 0\.00001\)\n {2}replay: laws\.tensorDerivativeLaws\("erf", f, \{ \.\.\.options, seed: -?\d+, path: "\d+" \}\)$/,
    )
    expect(thrown(() => tensorDerivativeLaws('erf', f, { shapes, ...replayOf(message) }))).toBe(
      message,
    )
  })
})

const twiceChain: Monad2<URI> = {
  ...Tape.Monad,
  chain: (ma, f) => (s) => {
    const [, s1] = ma(s)
    const [a, s2] = ma(s1)
    return f(a)(s2)
  },
}

describe('customRuleLaws checks the rule of a custom function against finite differences', () => {
  const softplusWith = (rule: <A>(T: Tensorial<A>) => (x: A) => A) =>
    customJvp({
      name: 'softplus',
      primal:
        <A>(T: Tensorial<A>) =>
        (x: A): A =>
          T.softplus(x),
      jvp:
        <A>(T: Tensorial<A>) =>
        (x: A, _y: A, v: A): A =>
          T.mul(rule(T)(x), v),
    })
  const scaledGradient = (scale: number) =>
    customVjp({
      name: 'tanhScaled',
      primal:
        <A>(T: Tensorial<A>) =>
        (x: A): A =>
          T.tanh(x),
      vjp:
        <A>(T: Tensorial<A>) =>
        (_x: A, y: A, u: A): A =>
          T.mul(T.mul(T.fromNumber(scale), T.sub(T.one, T.mul(y, y))), u),
    })

  test('the true rules pass, forward and reverse', () => {
    expect(() => customRuleLaws(softplusWith((T) => (x) => T.sigmoid(x)))).not.toThrow()
    expect(() => customRuleLaws(scaledGradient(1))).not.toThrow()
  })

  test('a wrong customJvp rule fails with its name, the point, both derivatives and a replay line', () => {
    const wrong = softplusWith((T) => (x) => T.sigmoid(T.neg(x)))
    const message = thrown(() => customRuleLaws(wrong, { shape: fc.constant([]) }))
    const m =
      /^softplus: forward mode disagrees with finite differences\n {2}at x = (\S+) \(shape \[\]\)\n {2}derivative (\S+), expected (\S+) \(central differences[^\n]*\)\n {2}replay: laws\.customRuleLaws\(softplus, \{ \.\.\.options, seed: -?\d+, path: "\d+" \}\)$/.exec(
        message,
      )
    expect(m, message).not.toBeNull()
    const x = Number(m![1])
    const sigmoid = (t: number) => 1 / (1 + Math.exp(-t))
    expect(Number(m![2])).toBeCloseTo(sigmoid(-x), 3)
    expect(Number(m![3])).toBeCloseTo(sigmoid(x), 3)
    expect(
      thrown(() => customRuleLaws(wrong, { shape: fc.constant([]), ...replayOf(message) })),
    ).toBe(message)
  })

  test('a wrong customVjp rule fails in reverse mode (forward mode is not asked of it)', () => {
    const message = thrown(() => customRuleLaws(scaledGradient(1.01)))
    expect(message).toMatch(
      /^tanhScaled: reverse mode disagrees with finite differences\n {2}at x = .*\n {2}(derivative by reverse mode \S+, expected \S+|⟨Jᵀu, v⟩ by reverse mode = \S+, expected ⟨u, J·v⟩ = \S+) \(central differences[^\n]*\)\n {2}replay: laws\.customRuleLaws\(tanhScaled, \{ seed: -?\d+, path: "\d+" \}\)$/,
    )
  })

  test('a function of an array of tensors, on shapes given in the options', () => {
    const wrongProduct = customJvp({
      name: 'product',
      primal:
        <A>(T: Tensorial<A>) =>
        (xs: ReadonlyArray<A>): A =>
          T.mul(xs[0]!, xs[1]!),
      // d(ab) = a·db + b·da; this rule forgets a·db.
      jvp:
        <A>(T: Tensorial<A>) =>
        (xs: ReadonlyArray<A>, _y: A, vs: ReadonlyArray<A>): A =>
          T.mul(xs[1]!, vs[0]!),
    })
    const shapes = fc.integer({ min: 1, max: 3 }).map((n) => [[n], [n]])
    expect(() => customRuleLaws(wrongProduct, { shapes })).toThrow(
      /^product: forward mode disagrees with finite differences\n {2}at x = \[\[.*\], \[.*\]\] \(shapes \[\d\], \[\d\]\), along v = /,
    )
    // Fixed shapes, as the README writes them, not only arbitraries.
    expect(() => customRuleLaws(wrongProduct, { shapes: [[2], [2]] })).toThrow(
      /^product: forward mode disagrees with finite differences\n {2}at x = \[\[.*\], \[.*\]\] \(shapes \[2\], \[2\]\)/,
    )
  })

  test('one fixed shape: the law runs on tensors of that shape', () => {
    const wrong = softplusWith((T) => (x) => T.sigmoid(T.neg(x)))
    expect(() => customRuleLaws(wrong, { shape: [3] })).toThrow(/\(shape \[3\]\)/)
    expect(() =>
      customRuleLaws(
        softplusWith((T) => (x) => T.sigmoid(x)),
        { shape: [2, 2] },
      ),
    ).not.toThrow()
  })
})
