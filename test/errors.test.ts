/**
 * Errors that help: every error the library throws, and every Left it returns, names
 * the operation or field, shows the offending value or shape, and says what was
 * expected. This list holds one case per place that raises one.
 */
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, test } from 'vitest'
import {
  defineOp,
  forward,
  grad,
  jvp,
  lr,
  scalar,
  Tape,
  tensor,
  Tensor,
  vjp,
  type Floating,
} from '../src/index.js'
import {
  broadcastTo,
  dot,
  matmul,
  reshape,
  transpose,
  unbroadcast,
  type Var,
} from '../src/internal.js'
import { decodeDataFile } from '../src/cli/dataFile.js'
import { parseFlags } from '../src/cli/flags.js'
import { derivativeLaws } from '../laws/index.js'

const thrown = (f: () => unknown): string => {
  try {
    f()
  } catch (e) {
    return e instanceof Error ? e.message : String(e)
  }
  throw new Error('expected a throw')
}
const left = <A>(r: E.Either<Error | string, A>): string => {
  if (E.isRight(r)) throw new Error('expected a Left')
  return typeof r.left === 'string' ? r.left : r.left.message
}

const data = lr.gen2dData({ n: 4, seed: 1 })
const pair =
  <A>(F: Floating<A>) =>
  (xs: ReadonlyArray<A>) => [xs[0]!, F.one]
const identity = ((_F: unknown) => (x: unknown) => x) as unknown as <A>(
  F: Floating<A>,
) => (x: A) => A

/** [where it comes from, the message, a piece of it that shows the offending value]. */
const cases: ReadonlyArray<readonly [string, () => string, string]> = [
  [
    'matmul shapes',
    () => thrown(() => matmul(Tensor.fromArray([[1, 2, 3]]), Tensor.fromArray([1, 2]))),
    '[1,3] by [2]',
  ],
  [
    'broadcasting',
    () => thrown(() => tensor.mul(Tensor.fromArray([1, 2, 3]), Tensor.fromArray([1, 2]))),
    '[3] with [2]',
  ],
  [
    'dot shapes',
    () => thrown(() => dot(Tensor.fromArray([1]), Tensor.fromArray([1, 2]))),
    '[1] and [2]',
  ],
  [
    'transpose rank',
    () => thrown(() => transpose(Tensor.fromArray([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]))),
    '[2,2,2]',
  ],
  ['reshape size', () => thrown(() => reshape(Tensor.fromArray([1, 2, 3]), [2])), '[3] to [2]'],
  ['broadcastTo', () => thrown(() => broadcastTo(Tensor.fromArray([1, 2]), [3])), '[2]'],
  [
    'unbroadcast',
    () => thrown(() => unbroadcast(Tensor.fromArray([[1, 2]]), [3, 1])),
    '[1,2] to [3,1]',
  ],
  ['toNumber of a vector', () => thrown(() => tensor.toNumber(Tensor.fromArray([1, 2]))), '[2]'],
  ['fromArray shape', () => thrown(() => Tensor.fromArray([1], [-1])), '[-1]'],
  ['fromArray ragged', () => thrown(() => Tensor.fromArray([[1], [2, 3]])), 'length 2'],
  ['fromArray element', () => thrown(() => Tensor.fromArray([1, 'x' as unknown as number])), '"x"'],
  [
    'fromArray typed without shape',
    () => thrown(() => Tensor.fromArray(new Float64Array(1))),
    'typed array',
  ],
  ['fromArray size', () => thrown(() => Tensor.fromArray([1, 2], [3])), '2 elements'],
  [
    'fromArray flat element',
    () => thrown(() => Tensor.fromArray([1, null as unknown as number], [2])),
    'null',
  ],
  ['Tensor.get', () => thrown(() => Tensor.get(Tensor.fromArray([1]), 5)), '[5]'],
  ['grad of several outputs', () => thrown(() => grad(pair as never)(scalar)([1])), '2 values'],
  ['jvp tangents', () => thrown(() => jvp(pair)(scalar)([1], [1, 2])), 'got 2'],
  [
    'jvp point and tangent kinds',
    () => thrown(() => jvp(pair)(scalar)([1], 1 as never)),
    'a single value',
  ],
  ['vjp cotangents', () => thrown(() => vjp(pair)(scalar)([1])[1]([1])), 'got 1'],
  [
    'forward.grad of a vector',
    () => thrown(() => forward.grad(identity)(tensor)(Tensor.fromArray([1, 2]))),
    '[2]',
  ],
  [
    'backprop seed',
    () => thrown(() => Tape.backprop(Tape.run(scalar)(Tape.of(1))[1], [[7 as Var<number>, 1]])),
    'seed index 7',
  ],
  [
    'Tape value',
    () => thrown(() => Tape.value(Tape.run(scalar)(Tape.of(1))[1], 3 as Var<number>)),
    'variable 3',
  ],
  [
    'defineOp name',
    () =>
      thrown(() => defineOp({ name: '', primal: Math.sin, derivative: () => () => 0 } as never)),
    '""',
  ],
  [
    'defineOp primal',
    () => thrown(() => defineOp({ name: 'f', primal: 3, derivative: () => () => 0 } as never)),
    'got 3',
  ],
  ['gen2dData n', () => thrown(() => lr.gen2dData({ n: -1, seed: 1 })), '-1'],
  ['gen2dData seed', () => thrown(() => lr.gen2dData({ n: 1, seed: 0.5 })), '0.5'],
  [
    'config field',
    () => left(lr.train({ epochs: 'ten', learningRate: 0.1 } as never)(data)),
    '"ten"',
  ],
  [
    'config unknown field',
    () => left(lr.train({ epochs: 1, learningRate: 0.1, rate: 1 } as never)(data)),
    'config.rate',
  ],
  ['config not an object', () => left(lr.train(42 as never)(data)), '42'],
  [
    'config init length',
    () => left(lr.train({ epochs: 1, learningRate: 0.1, init: [1] })(data)),
    '[1]',
  ],
  [
    'data labels',
    () =>
      left(
        lr.train({ epochs: 1, learningRate: 1 })({ x: data.x, y: Tensor.fromArray([0, 1, 5, 0]) }),
      ),
    '5',
  ],
  [
    'data shapes',
    () =>
      left(lr.train({ epochs: 1, learningRate: 1 })({ x: Tensor.fromArray([1, 2]), y: data.y })),
    '[2]',
  ],
  [
    'data x finite',
    () =>
      left(
        lr.train({ epochs: 1, learningRate: 1 })({
          x: Tensor.fromArray([[1, NaN, 0]]),
          y: Tensor.fromArray([0]),
        }),
      ),
    'NaN',
  ],
  ['a flag', () => left(parseFlags(['--lr', 'fast'])), '"fast"'],
  ['an unknown flag', () => left(parseFlags(['--rate', '1'])), '--rate'],
  ['a CSV cell', () => left(decodeDataFile('d.csv', 'a,b\nfoo,1\n0.2,0\n')), '"foo"'],
  ['a JSON row', () => left(decodeDataFile('d.json', '[{"x1": 1, "x2": true, "y": 0}]')), 'true'],
  [
    'derivativeLaws domains',
    () => thrown(() => derivativeLaws(pair as never, { arity: 2, domain: [] })),
    '0 domains',
  ],
]

describe('error messages', () => {
  test.each(cases)(
    '%s: names where, shows the value and says what was expected',
    (_, message, shows) => {
      const text = message()
      expect(text).toMatch(/^[\w.[\]-]+( [\w.[\]-]+)*( row \d+(, column \w+)?)?: /)
      expect(text).toContain(shows)
      expect(text).toMatch(
        /expected|must|cannot|needs|not on|unknown|outside|refuse|use |is given|ragged|not valid/,
      )
      expect(text).not.toMatch(/^(error|invalid input|invalid)\b/i)
    },
  )
})
