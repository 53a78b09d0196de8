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
  hessian,
  jacobian,
  jvp,
  lr,
  reverse,
  scalar,
  Tape,
  tensor,
  Tensor,
  vjp,
  type Floating,
  type Tensorial,
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
/** One output where a Jacobian wants an array of them. */
const product =
  <A>(F: Floating<A>) =>
  (xs: ReadonlyArray<A>) =>
    F.mul(xs[0]!, xs[1]!)
const identity = ((_F: unknown) => (x: unknown) => x) as unknown as <A>(
  F: Floating<A>,
) => (x: A) => A

/**
 * [where it comes from, the message, a piece of it that shows the offending value, a
 * piece of it that says what was expected (the rule, the bound, the expected shape or
 * field), or `null` with the reason in `unsaid` when the message does not yet say].
 */
const cases: ReadonlyArray<readonly [string, () => string, string, string | null]> = [
  [
    'matmul shapes',
    () => thrown(() => matmul(Tensor.fromArray([[1, 2, 3]]), Tensor.fromArray([1, 2]))),
    '[1,3] by [2]',
    "the first's last axis is 3, the second's length is 2",
  ],
  [
    'broadcasting',
    () => thrown(() => tensor.mul(Tensor.fromArray([1, 2, 3]), Tensor.fromArray([1, 2]))),
    '[3] with [2]',
    'sizes 3 and 2 at axis -1 must be equal, or one of them 1',
  ],
  [
    'dot shapes',
    () => thrown(() => dot(Tensor.fromArray([1]), Tensor.fromArray([1, 2]))),
    '[1] and [2]',
    'expected two vectors of one length',
  ],
  [
    'transpose rank',
    () => thrown(() => transpose(Tensor.fromArray([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]))),
    '[2,2,2]',
    'expected rank 0, 1 or 2',
  ],
  [
    'reshape size',
    () => thrown(() => reshape(Tensor.fromArray([1, 2, 3]), [2])),
    '[3] to [2]',
    'the same number of elements (3, got 2)',
  ],
  [
    'broadcastTo',
    () => thrown(() => broadcastTo(Tensor.fromArray([1, 2]), [3])),
    '[2]',
    'sizes 2 and 3 at axis -1 must be equal, or one of them 1',
  ],
  [
    'broadcastTo a shape it does not broadcast to',
    () => thrown(() => broadcastTo(Tensor.fromArray([1, 2, 3]), [1])),
    '[3] to [1]',
    'expected a shape that [3] broadcasts to, such as [3]',
  ],
  [
    'unbroadcast',
    () => thrown(() => unbroadcast(Tensor.fromArray([[1, 2]]), [3, 1])),
    '[1,2] to [3,1]',
    'expected a shape that [1,2] broadcasts to, or one that broadcasts to [1,2]',
  ],
  [
    'toNumber of a vector',
    () => thrown(() => tensor.toNumber(Tensor.fromArray([1, 2]))),
    'got [2]',
    'expected a tensor of shape []',
  ],
  [
    'fromArray shape',
    () => thrown(() => Tensor.fromArray([1], [-1])),
    '[-1]',
    'must hold non-negative integers',
  ],
  [
    'fromArray ragged',
    () => thrown(() => Tensor.fromArray([[1], [2, 3]])),
    'got length 2',
    'element [1] should be an array of length 1',
  ],
  [
    'fromArray element',
    () => thrown(() => Tensor.fromArray([1, 'x' as unknown as number])),
    '"x"',
    'element [1] must be a number',
  ],
  [
    'fromArray typed without shape',
    () => thrown(() => Tensor.fromArray(new Float64Array(1))),
    'typed array',
    'needs a shape: fromArray(data, shape)',
  ],
  [
    'fromArray size',
    () => thrown(() => Tensor.fromArray([1, 2], [3])),
    'got 2 elements',
    'shape [3] needs 3 elements',
  ],
  [
    'fromArray flat element',
    () => thrown(() => Tensor.fromArray([1, null as unknown as number], [2])),
    'null',
    'element 1 must be a number',
  ],
  [
    'Tensor.get',
    () => thrown(() => Tensor.get(Tensor.fromArray([1]), 5)),
    '[5]',
    'outside shape [1]',
  ],
  [
    'grad of several outputs',
    () => thrown(() => grad(pair as never)(scalar)([1])),
    '2 values',
    'grad needs a single output',
  ],
  [
    'jvp tangents',
    () => thrown(() => jvp(pair)(scalar)([1], [1, 2])),
    'got 2',
    'expected 1 tangents (one per input)',
  ],
  [
    'jvp point and tangent kinds',
    () => thrown(() => jvp(pair)(scalar)([1], 1 as never)),
    'a single value',
    'expected tangents shaped like the point',
  ],
  [
    'vjp cotangents',
    () => thrown(() => vjp(pair)(scalar)([1])[1]([1])),
    'got 1',
    'expected 2 cotangents (one per output)',
  ],
  [
    'forward.grad of a vector',
    () => thrown(() => forward.grad(identity)(tensor)(Tensor.fromArray([1, 2]))),
    '[2]',
    'use jvp with a tangent, or reverse.grad',
  ],
  [
    'backprop seed',
    () => thrown(() => Tape.backprop(Tape.run(scalar)(Tape.of(1))[1], [[7 as Var<number>, 1]])),
    'seed index 7',
    'not on the tape (its length is 0)',
  ],
  [
    'Tape value',
    () => thrown(() => Tape.value(Tape.run(scalar)(Tape.of(1))[1], 3 as Var<number>)),
    'variable 3',
    'not on this tape (its length is 0)',
  ],
  [
    'defineOp name',
    () =>
      thrown(() => defineOp({ name: '', primal: Math.sin, derivative: () => () => 0 } as never)),
    '""',
    'name must be a non-empty string',
  ],
  [
    'defineOp primal',
    () => thrown(() => defineOp({ name: 'f', primal: 3, derivative: () => () => 0 } as never)),
    'got 3',
    'primal must be a function (x: number) => number',
  ],
  [
    'gen2dData n',
    () => thrown(() => lr.gen2dData({ n: -1, seed: 1 })),
    '-1',
    'n must be an integer from 1 to 100000000',
  ],
  [
    'gen2dData seed',
    () => thrown(() => lr.gen2dData({ n: 1, seed: 0.5 })),
    '0.5',
    'seed must be an integer',
  ],
  [
    'config field',
    () => left(lr.train({ epochs: 'ten', learningRate: 0.1 } as never)(data)),
    '"ten"',
    'config.epochs: expected a positive integer',
  ],
  [
    'config unknown field',
    () => left(lr.train({ epochs: 1, learningRate: 0.1, rate: 1 } as never)(data)),
    'config.rate',
    'expected one of epochs, method, init, l2, model, learningRate',
  ],
  [
    'config not an object',
    () => left(lr.train(42 as never)(data)),
    '42',
    'expected an object with epochs and learningRate',
  ],
  [
    'config init length',
    () => left(lr.train({ epochs: 1, learningRate: 0.1, init: [1] })(data)),
    '[1]',
    'expected 3 weights (one per column of x)',
  ],
  [
    'data labels',
    () =>
      left(
        lr.train({ epochs: 1, learningRate: 1 })({ x: data.x, y: Tensor.fromArray([0, 1, 5, 0]) }),
      ),
    'up to 5',
    'expected every class 0..5 to have a row',
  ],
  [
    'data shapes',
    () =>
      left(lr.train({ epochs: 1, learningRate: 1 })({ x: Tensor.fromArray([1, 2]), y: data.y })),
    'got [2]',
    'expected a tensor of shape [n, k] with n, k ≥ 1',
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
    'data.x[0][1]: expected a finite number',
  ],
  [
    'a flag',
    () => left(parseFlags(['--lr', 'fast'])),
    '"fast"',
    '--lr: expected a positive finite number',
  ],
  [
    'an unknown flag',
    () => left(parseFlags(['--rate', '1'])),
    '--rate',
    'unknown flag (see --help)',
  ],
  [
    'a CSV cell',
    () => left(decodeDataFile('d.csv', 'a,b\nfoo,1\n0.2,0\n')),
    '"foo"',
    'column a: expected a finite number',
  ],
  [
    'a JSON row',
    () => left(decodeDataFile('d.json', '[{"x1": 1, "x2": true, "y": 0}]')),
    'true',
    'column x2: expected a finite number',
  ],
  [
    'jacobian of a tensor input',
    () =>
      thrown(() =>
        jacobian(<A>(_F: Floating<A>) => (xs: ReadonlyArray<A>) => [xs[0]!])(tensor)(
          Tensor.fromArray([1, 2]) as unknown as ReadonlyArray<Tensor>,
        ),
      ),
    'a Tensor of shape [2]',
    'expected an array of inputs (one value per variable)',
  ],
  ...(['reverse', 'forward'] as const).map(
    (mode) =>
      [
        `${mode}.jacobian of one output`,
        () => thrown(() => ({ reverse, forward })[mode].jacobian(product as never)(scalar)([1, 2])),
        'got a number',
        'f must return an array of outputs',
      ] as const,
  ),
  [
    'hessian of a tensor input',
    () =>
      thrown(() =>
        hessian(
          <A>(_F: Floating<A>) =>
            (xs: ReadonlyArray<A>) =>
              xs[0]!,
        )(tensor)(Tensor.fromArray([1, 2]) as unknown as ReadonlyArray<Tensor>),
      ),
    'a Tensor of shape [2]',
    'expected an array of inputs',
  ],
  [
    'grad of a tree holding a number beside Tensors',
    () =>
      thrown(() =>
        grad(
          <A>(T: Tensorial<A>) =>
            (p: { readonly w: A; readonly b: A }): A =>
              T.sum(T.add(p.w, p.b)),
        )(tensor)({ w: Tensor.fromArray([1, 2]), b: 0.5 as unknown as Tensor }),
      ),
    'at .b is a number',
    'every leaf of the differentiated argument is a Tensor',
  ],
  [
    'jvp at a number beside Tensors',
    () =>
      thrown(() =>
        jvp(
          <A>(T: Tensorial<A>) =>
            (xs: ReadonlyArray<A>): A =>
              T.sum(xs[0]!),
        )(tensor)(
          [Tensor.fromArray([1]), 2 as unknown as Tensor],
          [Tensor.fromArray([1]), 1 as unknown as Tensor],
        ),
      ),
    'at [1] is a number',
    'every leaf of the differentiated argument is a Tensor',
  ],
  [
    'a Tensor closed over inside grad',
    () =>
      thrown(() =>
        grad(
          <A>(T: Tensorial<A>) =>
            (x: A): A =>
              T.sum(T.mul(x, Tensor.fromArray([1, 2]) as unknown as A)),
        )(tensor)(Tensor.fromArray([3, 4])),
      ),
    'a Tensor of shape [2]',
    'bring a value from outside in with T.constant(t)',
  ],
  [
    'hessian of a function of many outputs',
    () =>
      thrown(() =>
        hessian(
          <A>(_F: Floating<A>) =>
            (xs: ReadonlyArray<A>) =>
              xs as unknown as A,
        )(scalar)([1, 2]),
      ),
    'an array of 2 values',
    'hessian needs a single output',
  ],
  [
    'Tensor.fromArray of nested arrays with a shape',
    () =>
      thrown(() =>
        Tensor.fromArray(
          [
            [1, 2],
            [3, 4],
          ] as unknown as number[],
          [4],
        ),
      ),
    'nested arrays (of shape [2,2])',
    'data is a flat array of 4 numbers for shape [4]',
  ],
  [
    'Tensor.eye of a negative order',
    () => thrown(() => Tensor.eye(-1)),
    'n = -1',
    'must be a non-negative integer',
  ],
  [
    'Tensor.fill with a negative length',
    () => thrown(() => Tensor.fill([2, -1], 0)),
    '[2,-1]',
    'must hold non-negative integers',
  ],
  [
    'derivativeLaws domains',
    () => thrown(() => derivativeLaws(pair as never, { arity: 2, domain: [] })),
    '0 domains',
    'expected one domain per input (2)',
  ],
]

/** Why a case's message does not say what was expected yet. */
const unsaid: Readonly<Record<string, string>> = {}

describe('error messages', () => {
  test.for(cases)('%s: names where it comes from and shows the value', ([, message, shows]) => {
    const text = message()
    expect(text).toMatch(/^[\w.[\]-]+( [\w.[\]-]+)*( row \d+(, column \w+)?)?: /)
    expect(text).toContain(shows)
    expect(text).not.toMatch(/^(error|invalid input|invalid)\b/i)
  })

  test.for(cases)('%s: says what was expected', ([name, message, , expects], ctx) => {
    if (expects === null) return ctx.skip(`the message ${unsaid[name] ?? '(no reason)'}`)
    ctx.expect(message()).toContain(expects)
  })

  test('every case that does not say what was expected has a reason', () => {
    const silent = cases.filter(([, , , e]) => e === null).map(([name]) => name)
    expect(silent).toEqual(Object.keys(unsaid))
  })
})
