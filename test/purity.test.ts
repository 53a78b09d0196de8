/**
 * Purity everywhere: every function of `ad-ts` and `ad-ts/internal` is called with generated inputs that are
 * deep-frozen first (tensors are frozen already; their elements are compared before
 * and after), and must leave every input unchanged and return results that share no
 * array or object with its inputs (tensors are immutable, so sharing one is allowed).
 */
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import * as api from '../src/index.js'
import * as internal from '../src/internal.js'
import {
  forward,
  lr,
  reverse,
  scalar,
  tensor,
  Tensor,
  type Floating,
  type Tensorial,
} from '../src/index.js'

const deepFreeze = <T>(value: T): T => {
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const v = stack.pop()
    if (typeof v === 'object' && v !== null && !ArrayBuffer.isView(v) && !Object.isFrozen(v)) {
      Object.freeze(v)
      stack.push(...Object.values(v))
    }
  }
  return value
}

/** Every array and plain object reachable from a value (tensors and functions are leaves). */
const containers = (value: unknown): Set<unknown> => {
  const seen = new Set<unknown>()
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const v = stack.pop()
    if (typeof v !== 'object' || v === null || seen.has(v) || Tensor.isTensor(v)) continue
    seen.add(v)
    if (!ArrayBuffer.isView(v)) stack.push(...Object.values(v))
  }
  return seen
}

/** A snapshot of every number an input holds, tensors' elements included. */
const snapshot = (value: unknown): string =>
  internal.showValue(
    JSON.parse(
      JSON.stringify(value, (_k, v: unknown) =>
        Tensor.isTensor(v)
          ? { tensor: Array.from(Tensor.toFlat(v)).map(String), shape: v.shape }
          : typeof v === 'number'
            ? String(v)
            : ArrayBuffer.isView(v)
              ? Array.from(v as Float64Array).map(String)
              : v,
      ),
    ),
  )

const check = (inputs: ReadonlyArray<unknown>, call: (...args: never[]) => unknown): void => {
  deepFreeze(inputs)
  const before = snapshot(inputs)
  const result = (call as (...args: ReadonlyArray<unknown>) => unknown)(...inputs)
  expect(snapshot(inputs)).toBe(before)
  const ins = containers(inputs)
  for (const c of containers(result))
    expect(ins.has(c), `the result shares ${internal.showBrief(c)} with an input`).toBe(false)
}

const num = fc.double({ min: -3, max: 3, noNaN: true })
const nums = (n: number) => fc.array(num, { minLength: n, maxLength: n })
const vec = (n: number) => nums(n).map((xs) => Tensor.fromArray(xs))
const f1 =
  <A>(F: Floating<A>) =>
  (x: A): A =>
    F.mul(x, F.sin(x))
const f2 =
  <A>(F: Floating<A>) =>
  (xs: ReadonlyArray<A>): A =>
    F.mul(xs[0]!, F.exp(xs[1]!))
const h2 =
  <A>(F: Floating<A>) =>
  (xs: ReadonlyArray<A>): ReadonlyArray<A> => [F.mul(xs[0]!, xs[1]!), F.sin(xs[0]!)]
const loss =
  <A>(T: Tensorial<A>) =>
  (w: A): A =>
    T.sum(T.mul(w, w))
const firstOf = <T>(it: Iterable<T>): T | undefined => {
  for (const x of it) return x
  return undefined
}
const quadratic =
  <A>(F: Floating<A>) =>
  (xs: ReadonlyArray<A>): A =>
    F.add(F.mul(xs[0]!, xs[0]!), F.mul(F.sub(xs[1]!, F.one), F.sub(xs[1]!, F.one)))
const data = lr.gen2dData({ n: 20, seed: 3 })
const trained = lr.train({ epochs: 2, learningRate: 0.1 })(data)

/** name → an arbitrary of argument lists, and the call. */
const table: Record<
  string,
  readonly [fc.Arbitrary<ReadonlyArray<unknown>>, (...args: never[]) => unknown]
> = {
  diff: [num.map((x) => [x]), (x: number) => api.diff(f1)(scalar)(x)],
  grad: [nums(2).map((xs) => [xs]), (xs: number[]) => api.grad(f2)(scalar)(xs)],
  valueAndGrad: [nums(2).map((xs) => [xs]), (xs: number[]) => api.valueAndGrad(f2)(scalar)(xs)],
  jvp: [fc.tuple(nums(2), nums(2)), (xs: number[], vs: number[]) => api.jvp(h2)(scalar)(xs, vs)],
  vjp: [fc.tuple(nums(2), nums(2)), (xs: number[], us: number[]) => api.vjp(h2)(scalar)(xs)[1](us)],
  jacobian: [nums(2).map((xs) => [xs]), (xs: number[]) => api.jacobian(h2)(scalar)(xs)],
  hessian: [nums(2).map((xs) => [xs]), (xs: number[]) => api.hessian(f2)(scalar)(xs)],
  'forward.grad': [nums(2).map((xs) => [xs]), (xs: number[]) => forward.grad(f2)(scalar)(xs)],
  'forward.jacobian': [
    nums(2).map((xs) => [xs]),
    (xs: number[]) => forward.jacobian(h2)(scalar)(xs),
  ],
  'reverse.jacobian': [
    nums(2).map((xs) => [xs]),
    (xs: number[]) => reverse.jacobian(h2)(scalar)(xs),
  ],
  generic: [
    fc.constant([scalar]),
    (F: typeof scalar) => {
      const G = internal.generic(F)
      expect(G).not.toBe(F)
      return G
    },
  ],
  slice: [
    vec(4).map((t) => [t, [1], [-1]]),
    (t: Tensor, b: number[], e: number[]) => internal.slice(t, b, e),
  ],
  pad: [
    vec(2).map((t) => [t, [4], [1]]),
    (t: Tensor, s: number[], b: number[]) => internal.pad(t, s, b),
  ],
  take: [vec(3).map((t) => [t, [2, 0, 2]]), (t: Tensor, i: number[]) => internal.take(t, i)],
  'vmap checkpoint': [
    nums(6).map((xs) => [Tensor.fromArray(xs, [2, 3])]),
    (t: Tensor) =>
      api.vmap(
        api.grad(
          api.checkpoint(
            <A>(T: Tensorial<A>) =>
              (x: A): A =>
                T.sum(T.mul(x, x)),
          ),
        ),
      )(api.tensor)(t),
  ],
  'customJvp customVjp': [
    vec(3).map((t) => [t]),
    (t: Tensor) => {
      const square =
        <A>(T: Tensorial<A>) =>
        (x: A): A =>
          T.mul(x, x)
      const rule =
        <A>(T: Tensorial<A>) =>
        (x: A, _y: A, v: A): A =>
          T.mul(T.mul(T.fromNumber(2), x), v)
      const a = api.customJvp({ name: 'square', primal: square, jvp: rule })
      const b = api.customVjp({ name: 'square', primal: square, vjp: rule })
      const loss =
        <A>(T: Tensorial<A>) =>
        (x: A): A =>
          T.sum(T.add(a(T)(x), b(T)(x)))
      return api.grad(loss)(api.tensor)(t)
    },
  ],
  scatterAdd: [
    vec(3).map((t) => [t, [2, 0, 2]]),
    (t: Tensor, i: number[]) => internal.scatterAdd(t, i, 0, 3),
  ],
  concat: [fc.tuple(vec(2), vec(3)), (a: Tensor, b: Tensor) => internal.concat([a, b], 0)],
  uniform: [
    fc.constant([[2, 3], { seed: 1 }]),
    (s: number[], o: { seed: number }) => api.uniform(s, o),
  ],
  normal: [fc.constant([[3], { seed: 2 }]), (s: number[], o: { seed: number }) => api.normal(s, o)],
  matrixTranspose: [
    nums(12).map((xs) => [Tensor.fromArray(xs, [2, 2, 3])]),
    (t: Tensor) => internal.matrixTranspose(t),
  ],
  reduceTo: [
    nums(6).map((xs) => [Tensor.fromArray(xs, [2, 3]), [2, 1]]),
    (t: Tensor, s: number[]) => internal.reduceTo(t, s, 'sum'),
  ],
  extremum: [
    nums(6).map((xs) => [Tensor.fromArray(xs, [2, 3])]),
    (t: Tensor) => internal.extremum(t, 'max', { axis: [1] }),
  ],
  leavesOf: [
    fc.constant([{ a: [1, { b: 2 }], c: 3 }]),
    (tree: unknown) => api.leavesOf(tree as never),
  ],
  withLeaves: [
    fc.constant([{ a: [1, { b: 2 }], c: 3 }, [4, 5, 6]]),
    (tree: unknown, leaves: number[]) => api.withLeaves(tree as never, leaves),
  ],
  'grad of a tree': [
    fc.constant([{ w: [1, 2], b: 3 }]),
    (p: { w: number[]; b: number }) =>
      api.grad(
        <A>(F: Floating<A>) =>
          (q: { readonly w: ReadonlyArray<A>; readonly b: A }): A =>
            F.mul(F.add(q.w[0]!, q.w[1]!), q.b),
      )(scalar)(p),
  ],
  'grad on tensors': [vec(3).map((t) => [t]), (t: Tensor) => api.grad(loss)(tensor)(t)],
  broadcastShapes: [
    fc.constant([['add'], [2, 1], [3]]),
    (op: string[], a: number[], b: number[]) => internal.broadcastShapes(op[0]!, a, b),
  ],
  broadcastTo: [
    vec(2).map((t) => [t, [3, 2]]),
    (t: Tensor, s: number[]) => internal.broadcastTo(t, s),
  ],
  unbroadcast: [
    vec(3).map((t) => [t, [1]]),
    (t: Tensor, s: number[]) => internal.unbroadcast(t, s),
  ],
  map: [vec(3).map((t) => [t]), (t: Tensor) => internal.map(t, Math.exp)],
  zipWith: [
    fc.tuple(vec(3), vec(3)),
    (a: Tensor, b: Tensor) => internal.zipWith('mul', a, b, (x, y) => x * y),
  ],
  matmul: [
    nums(6).map((xs) => [Tensor.fromArray(xs, [2, 3]), Tensor.fromArray([1, 2, 3])]),
    (a: Tensor, b: Tensor) => internal.matmul(a, b),
  ],
  productShape: [
    fc.constant([
      [2, 1, 3],
      [1, 3, 5],
    ]),
    (a: number[], b: number[]) => internal.productShape(a, b),
  ],
  dot: [fc.tuple(vec(3), vec(3)), (a: Tensor, b: Tensor) => internal.dot(a, b)],
  tangentMatmul: [
    nums(6).map((xs) => [Tensor.fromArray(xs, [2, 3]), Tensor.fromArray([1, 2, 3])]),
    (a: Tensor, b: Tensor) => internal.tangentMatmul(a, b),
  ],
  sum: [vec(3).map((t) => [t]), (t: Tensor) => internal.sum(t)],
  transpose: [
    nums(6).map((xs) => [Tensor.fromArray(xs, [2, 3])]),
    (t: Tensor) => internal.transpose(t),
  ],
  reshape: [
    nums(6).map((xs) => [Tensor.fromArray(xs), [3, 2]]),
    (t: Tensor, s: number[]) => internal.reshape(t, s),
  ],
  'Tensor.fromArray (nested)': [
    fc.array(nums(2), { minLength: 1, maxLength: 3 }).map((rows) => [rows]),
    (rows: number[][]) => Tensor.fromArray(rows),
  ],
  'Tensor.toArray': [
    nums(4).map((xs) => [Tensor.fromArray(xs, [2, 2])]),
    (t: Tensor) => Tensor.toArray(t),
  ],
  centralDifference: [num.map((x) => [x]), (x: number) => internal.centralDifference(Math.sin, x)],
  directionalDifference: [
    fc.tuple(nums(2), nums(2)),
    (xs: number[], vs: number[]) => internal.directionalDifference((p) => [p[0]! * p[1]!], xs, vs),
  ],
  defaultStep: [nums(3).map((xs) => [xs]), (xs: number[]) => internal.defaultStep(xs)],
  defineOp: [
    fc.constant([
      {
        name: 'twice',
        primal: (x: number) => 2 * x,
        derivative:
          <A>(F: Floating<A>) =>
          () =>
            F.fromNumber(2),
      },
    ]),
    (spec: api.OpSpec) => api.defineOp(spec),
  ],
  defineBinaryOp: [
    fc.constant([
      {
        name: 'product',
        primal: (x: number, y: number) => x * y,
        dx:
          <A>(_F: Floating<A>) =>
          (_x: A, y: A) =>
            y,
        dy:
          <A>(_F: Floating<A>) =>
          (x: A) =>
            x,
      },
    ]),
    (spec: api.BinaryOpSpec) => api.defineBinaryOp(spec),
  ],
  showValue: [
    fc.array(fc.oneof(num, nums(2))).map((v) => [v]),
    (v: unknown) => internal.showValue(v),
  ],
  showBrief: [fc.array(num).map((v) => [v]), (v: unknown) => internal.showBrief(v)],
  renderProblem: [
    fc.constant(['config', { path: ['epochs'], value: 0, expected: 'a positive integer' }]),
    (root: string, p: internal.Problem) => internal.renderProblem(root, p),
  ],
  'lr.gen2dData': [
    fc.integer({ min: 1, max: 50 }).map((n) => [{ n, seed: 1 }]),
    (o: { n: number; seed: number }) => lr.gen2dData(o),
  ],
  'lr.decodeConfig': [
    fc.constant([{ epochs: 2, learningRate: 0.1, init: [1, 1, 1] }]),
    (c: unknown) => lr.decodeConfig(c),
  ],
  'lr.train': [
    fc.constant([{ epochs: 2, learningRate: 0.1, init: [1, 2, 3] }, data]),
    (c: unknown, d: lr.Dataset) => lr.train(c as never)(d),
  ],
  'lr.states': [
    fc.constant([{ epochs: 2, learningRate: 0.1 }, data]),
    (c: unknown, d: lr.Dataset) => [
      ...(lr.states(c as never)(d) as { right: Iterable<unknown> }).right,
    ],
  ],
  'lr.step': [
    fc.constant([
      { epochs: 1, learningRate: 0.1, method: 'batch' },
      data,
      { epoch: 0, weights: [1, 1, 1] },
    ]),
    (c: lr.TrainConfig, d: lr.Dataset, s: lr.EpochState) => lr.step(c, d)(s),
  ],
  'lr.accuracy': [nums(3).map((w) => [w, data]), (w: number[], d: lr.Dataset) => lr.accuracy(w, d)],
  'lr.evaluate': [nums(3).map((w) => [w, data]), (w: number[], d: lr.Dataset) => lr.evaluate(w, d)],
  'lr.lossOf': [nums(3).map((w) => [w, data]), (w: number[], d: lr.Dataset) => lr.lossOf(w, d)],
  'lr.predict': [nums(3).map((w) => [w, data]), (w: number[], d: lr.Dataset) => lr.predict(w, d)],
  'lr.probabilities': [
    nums(3).map((w) => [w, data]),
    (w: number[], d: lr.Dataset) => lr.probabilities(w, d),
  ],
  'lr.clipBoundary': [nums(3).map((w) => [w]), (w: number[]) => lr.clipBoundary(w)],
  'lr.datasetProblem': [fc.constant([data]), (d: lr.Dataset) => lr.datasetProblem(d)],
  'lr.meanLoss': [
    vec(3).map((w) => [data, w]),
    (d: lr.Dataset, w: Tensor) => lr.meanLoss(d)(tensor)(w),
  ],
  'lr.sampleLoss': [
    fc.tuple(nums(3), nums(3)),
    (x: number[], w: number[]) => lr.sampleLoss(x, 1)(scalar)(w),
  ],
  'lr.classCount': [fc.constant([data]), (d: lr.Dataset) => lr.classCount(d)],
  'lr.isMultinomial': [
    fc.constant([
      [
        [1, 2],
        [3, 4],
      ],
    ]),
    (w: number[][]) => lr.isMultinomial(w),
  ],
  'lr.objective': [
    vec(3).map((w) => [data, w]),
    (d: lr.Dataset, w: Tensor) => lr.objective(d, { l2: 0.5 })(tensor)(w),
  ],
  'lr.splitData': [
    fc.constant([data, { testFraction: 0.25, seed: 4 }]),
    (d: lr.Dataset, o: { testFraction: number; seed: number }) => lr.splitData(d, o),
  ],
  'lr.fitScaler': [fc.constant([data]), (d: lr.Dataset) => lr.fitScaler(d)],
  'lr.batchesOf': [
    fc.constant([data, { batchSize: 3, shuffleSeed: 2, shuffleWindow: 7, epoch: 1 }]),
    (d: lr.Dataset, o: lr.BatchOrder) => [...lr.batchesOf(d, o)],
  ],
  'lr.rebatcher': [
    fc.constant([data]),
    (d: lr.Dataset) => {
      const r = lr.rebatcher(3, { batchSize: 4, shuffleSeed: 1, shuffleWindow: 6, epoch: 2 })
      return [...r.push(d), ...r.end()]
    },
  ],
  'lr.batchStep': [
    vec(3).map((w) => [data, w]),
    (d: lr.Dataset, w: Tensor) => {
      const opt = api.optim.adam({ learningRate: 0.1 })
      return lr.batchStep(opt, { l2: 0.1, classes: 2 })(w, opt.init(w), d)
    },
  ],
  'lr.listMethods': [fc.constant([['sgd', 'adam']]), (m: string[]) => lr.listMethods(m)],
  'lr.standardize': [
    fc.constant([data, { mean: [0.5, 0.5], scale: [2, 2] }]),
    (d: lr.Dataset, s: lr.Scaler) => lr.standardize(d, s),
  ],
  jit: [
    vec(3).map((w) => [w]),
    (w: Tensor) => {
      const f = api.jit(api.valueAndGrad(loss))(tensor)
      return [f(w), f(w)]
    },
  ],
  'optim.elementwise': [
    nums(2).map((xs) => [
      'add',
      [
        { a: xs, b: Tensor.fromArray(xs) },
        { b: Tensor.fromArray(xs), a: xs },
      ],
    ]),
    (op: string, trees: [api.optim.Params, api.optim.Params]) =>
      api.optim.elementwise(op, trees, ([x, y]) => x! + y!),
  ],
  'optim.flatten': [
    vec(3).map((w) => [{ w, b: [1, 2] }]),
    (p: api.optim.Params) => api.optim.flatten(p),
  ],
  'optim.sizeOfParams': [
    vec(3).map((w) => [{ w }]),
    (p: api.optim.Params) => api.optim.sizeOfParams(p),
  ],
  'optim.unflatten': [
    nums(3).map((xs) => [{ w: Tensor.fromArray([0, 0]), b: 0 }, xs]),
    (p: api.optim.Params, v: number[]) => api.optim.unflatten(p, v),
  ],
  'optim.sgd update': [
    fc.tuple(nums(2), nums(2)),
    (p: number[], g: number[]) => {
      const o = api.optim.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true })
      return o.update(g, o.init(p), p)
    },
  ],
  'optim.adam update': [
    fc.tuple(vec(2), vec(2)),
    (p: Tensor, g: Tensor) => {
      const o = api.optim.adam({ learningRate: 0.1 })
      return o.update({ p: g }, o.init({ p }), { p })
    },
  ],
  'optim.steps and optim.run': [
    nums(2).map((xs) => [xs]),
    (p: number[]) => [
      api.optim.run(api.optim.adam({ learningRate: 0.1 }), { steps: 2 })(
        api.valueAndGrad(f2)(scalar),
      )(p),
      firstOf(
        api.optim.steps(api.optim.sgd({ learningRate: 0.1 }))(api.valueAndGrad(f2)(scalar))(p),
      ),
    ],
  ],
  'optim.minimize with optim.lbfgs, optim.newton and optim.objective': [
    nums(2).map((xs) => [xs]),
    (p: number[]) => {
      const o = api.optim.objective(quadratic)(scalar)
      return [
        api.optim.minimize(api.optim.lbfgs())(o)(p),
        api.optim.minimize(api.optim.newton())(o)(p),
      ]
    },
  ],
  'optim.iterates': [
    nums(2).map((xs) => [xs]),
    (p: number[]) => [
      ...api.optim.iterates(api.optim.lbfgs())(api.optim.objective(quadratic)(scalar))(p),
    ],
  ],
  'optim.wolfeLineSearch': [
    fc.constant([{ step: 0, value: 9, slope: -6, payload: [0] }]),
    (start: api.optim.LinePoint<number[]>) =>
      api.optim.wolfeLineSearch(
        (a) => ({ step: a, value: (a - 3) ** 2, slope: 2 * (a - 3), payload: [a] }),
        start,
      ),
  ],
  'argmax and argmin': [
    nums(6).map((xs) => [Tensor.fromArray(xs, [2, 3])]),
    (t: Tensor) => [api.argmax(tensor)(t), api.argmin(tensor)(t, 0)],
  ],
  oneHot: [
    fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 4 }).map((ys) => [ys, 3]),
    (ys: number[], k: number) => api.oneHot(ys, k),
  ],
  softmaxCrossEntropy: [
    nums(6).map((xs) => [Tensor.fromArray(xs, [2, 3]), [2, 0]]),
    (t: Tensor, ys: number[]) => [
      api.softmaxCrossEntropy(tensor)(t, ys),
      api.grad(
        <A>(T: Tensorial<A>) =>
          (z: A): A =>
            api.softmaxCrossEntropy(T)(z, ys),
      )(tensor)(t),
    ],
  ],
  shuffle: [
    fc.integer({ min: 0, max: 20 }).map((n) => [7, n]),
    (s: number, n: number) => api.shuffle(s)(n),
  ],
  batches: [
    nums(6).map((xs) => [
      { x: Tensor.fromArray(xs, [3, 2]), y: [Tensor.fromArray([0, 1, 2])] },
      { batchSize: 2, seed: 1 },
    ]),
    (tree: { x: Tensor; y: Tensor[] }, o: api.BatchOptions) => [...api.batches(tree, o)],
  ],
  'Tensor.toArray1 and Tensor.toArray2': [
    nums(4).map((xs) => [Tensor.fromArray(xs, [2, 2])]),
    (t: Tensor) => [Tensor.toArray1(internal.reshape(t, [4])), Tensor.toArray2(t)],
  ],
  'lr.plotSvg': [
    fc.constant([data, trained._tag === 'Right' ? trained.right : { weights: [], history: [] }]),
    (d: lr.Dataset, r: lr.TrainResult) => lr.plotSvg(d, r),
  ],
}

/** Exports that take no data to mutate, with the reason. */
const exempt: Record<string, string> = {
  isTensorial: 'reads a property of an instance',
  Batched: 'a class of values under vmap (covered with vmap)',
  problems: 'reads io-ts errors (checked through lr.decodeConfig)',
  showNumber: 'takes a number',
  sign: 'an op: numbers in, numbers out',
  softplus: 'an op: numbers in, numbers out',
  stableSigmoid: 'takes a number',
  stableSoftplus: 'takes a number',
  Tensor: 'a class: its static functions are covered by name',
  'lr.mulberry32': 'takes a number',
  'lr.niceTicks': 'takes numbers',
  'lr.windowOrder': 'takes numbers, returns a fresh permutation',
  'lr.scalerFit': 'takes a number; its passes read rows as lr.fitScaler (in the table) runs them',
  'lr.setupOf':
    'builds the closures of a run around its data; covered through lr.step and lr.train',
  mulberry32: 'takes a number',
  isStrongZero: 'takes a number',
  isTreeNode: 'reads a value',
  leafPathsOf: 'reads a tree, returns fresh strings',
  keptShape: 'covered by reductions on tensors: a shape in, a fresh array out',
  reducedShape: 'covered by reductions on tensors: a shape in, a fresh array out',
  reducedCount: 'takes a shape, returns a number',
  reducedAxes: 'covered by reductions on tensors: fresh arrays out',
  normaliseAxis: 'takes numbers',
  withComposites: 'builds an instance from one; covered by every instance built with it',
  structuralMethods:
    'builds the methods of an instance from its interpreter; covered by every instance built with it',
  withBatchVectors:
    "wraps an instance's product; covered by matmul of a vector beside a batch on every instance",
  requireArray: 'reads a value and throws or returns nothing',
  showKind: 'reads a value, returns a string',
  isStaticLeaf: 'reads an instance and a value, returns a boolean',
  requireValues: 'reads a tree and throws or returns nothing',
  sameStructure: 'reads two trees and throws or returns nothing',
  differenceEstimates: 'covered with directionalDifference: numbers in, fresh arrays out',
  strongMul: 'takes numbers',
  tangentAdd: 'takes numbers',
  tangentNeg: 'takes a number',
}

describe('purity', () => {
  test('every function of ad-ts and ad-ts/internal is in the purity table or exempt with a reason', () => {
    const names = [
      ...Object.entries({ ...api, ...internal })
        .filter(([, v]) => typeof v === 'function')
        .map(([k]) => k),
      ...Object.entries(lr)
        .filter(([, v]) => typeof v === 'function')
        .map(([k]) => `lr.${k}`),
      ...Object.entries(api.optim)
        .filter(([, v]) => typeof v === 'function')
        .map(([k]) => `optim.${k}`),
    ]
    const covered = (name: string) =>
      name in exempt ||
      Object.keys(table).some(
        (k) =>
          k === name ||
          k.startsWith(`${name} `) ||
          k.includes(` ${name},`) ||
          k.endsWith(` ${name}`) ||
          k.includes(` ${name} `),
      )
    expect(names.filter((n) => !covered(n))).toEqual([])
  })

  test.each(Object.entries(table))(
    '%s leaves its frozen inputs unchanged and returns fresh containers',
    (_, [args, call]) => {
      fc.assert(
        fc.property(args, (inputs) => check([...inputs], call)),
        { numRuns: 25 },
      )
    },
  )
})
