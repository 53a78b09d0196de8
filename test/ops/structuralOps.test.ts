/**
 * Every row of the structural table against its own kernel: the shape rule gives the
 * kernel's shape, the forward rule of a linear op is the op itself, the reverse rule is
 * its adjoint (⟨u, J·t⟩ = ⟨Jᵀ·u, t⟩), and the batching rule (through `vmap`) is the
 * kernel stacked over examples. The cases are a record keyed by the rows' names, so a
 * row added without a case does not typecheck.
 */
import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { Tensor, tensor, vmap, type Tensorial } from '../../src/index.js'
import {
  bilinearOps,
  concatOp,
  structuralNames,
  unaryStructuralOps,
  type BilinearName,
  type UnaryParams,
  type UnaryStructuralName,
} from '../../src/internal.js'
import '../helpers/matchers.js'

type Shape = ReadonlyArray<number>

const size = (s: Shape) => s.reduce((a, b) => a * b, 1)
const zeros = (s: Shape) => Tensor.fromArray(new Array<number>(size(s)).fill(0), s)
const data = (s: Shape) =>
  fc
    .array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: size(s), maxLength: size(s) })
    .map((xs) => Tensor.fromArray(xs, s))
const flat = (t: Tensor): number[] => {
  const a = Tensor.toArray(t)
  return typeof a === 'number' ? [a] : ((a as unknown[]).flat(Infinity as 1) as number[])
}
const inner = (a: Tensor, b: Tensor) => {
  const x = flat(a)
  const y = flat(b)
  expect(x.length).toBe(y.length)
  return x.reduce((s, v, i) => s + v * y[i]!, 0)
}

/** One case of a row of one operand: the operand's shape and the parameters. */
interface Case<K extends UnaryStructuralName> {
  readonly x: Shape
  readonly params: UnaryParams<Tensor>[K]
}

const cases: { readonly [K in UnaryStructuralName]: ReadonlyArray<Case<K>> } = {
  sum: [
    { x: [2, 3, 4], params: [] },
    { x: [2, 3, 4], params: [{ axis: 1 }] },
    { x: [2, 3, 4], params: [{ axis: [0, -1], keepDims: true }] },
  ],
  extremum: [
    { x: [3, 4], params: ['max', { axis: 0 }] },
    { x: [3, 4], params: ['min'] },
  ],
  broadcastTo: [
    { x: [3, 1], params: [[2, 3, 4]] },
    { x: [], params: [[2, 2]] },
  ],
  unbroadcast: [
    { x: [2, 3, 4], params: [Tensor.fromArray([1, 2, 3], [3, 1])] },
    { x: [2, 3], params: [Tensor.fromArray(1)] },
  ],
  reshape: [{ x: [2, 3, 4], params: [[6, 4]] }],
  transpose: [
    { x: [3, 4], params: [] },
    { x: [4], params: [] },
  ],
  matrixTranspose: [{ x: [2, 3, 4], params: [] }],
  slice: [
    { x: [4, 3], params: [[1], [-1]] },
    {
      x: [4, 3],
      params: [
        [0, 1],
        [2, 3],
      ],
    },
  ],
  pad: [
    {
      x: [2, 3],
      params: [
        [4, 5],
        [1, 2],
      ],
    },
  ],
  take: [
    { x: [4, 3], params: [[0, 2, 2, 3]] },
    { x: [4, 3], params: [[2, 0, 2], -1] },
  ],
  scatterAdd: [{ x: [4, 3], params: [[1, 1, 0, 2], 0, 3] }],
}

// A case's parameters as the shape rule reads them (a tensor parameter by its shape).
const shapeParams = (p: ReadonlyArray<unknown>) =>
  p.map((v) => (v instanceof Object && 'shape' in v ? { shape: (v as Tensor).shape } : v))

describe('the structural rows of one operand', () => {
  test('every structural op has a row, and the table names each once', () => {
    expect(new Set(structuralNames).size).toBe(structuralNames.length)
    expect([...structuralNames].sort()).toEqual(
      [...Object.keys(cases), ...Object.keys(bilinearOps), 'concat'].sort(),
    )
  })

  for (const name of Object.keys(cases) as UnaryStructuralName[]) {
    const row = unaryStructuralOps[name]
    for (const c of cases[name] as ReadonlyArray<Case<typeof name>>) {
      const run = (x: Tensor) =>
        (row.kernel as (x: Tensor, ...p: unknown[]) => Tensor)(x, ...c.params)
      const label = `${name}(${JSON.stringify(c.x)}, ${JSON.stringify(shapeParams(c.params))})`
      const y0 = run(zeros(c.x))
      fcTest.prop([data(c.x), data(c.x), data(y0.shape)])(
        `${label}: the shape rule, the method, the forward rule and the adjoint agree with the kernel`,
        (x, t, u) => {
          const y = run(x)
          const shape = (row.shape as (x: Shape, ...p: unknown[]) => Shape)(
            c.x,
            ...shapeParams(c.params),
          )
          expect(shape).toEqual(y.shape)
          const method = row.method(tensor) as (x: Tensor, ...p: unknown[]) => Tensor
          expect(flat(method(x, ...c.params))).toEqual(flat(y))
          if (row.jvp === undefined || row.vjp === undefined) {
            // A row without rules is a constant of the modes (extremum: max and min
            // build its derivative around it).
            expect(row.adjoint).toBeNull()
            return
          }
          const jvp = row.jvp(tensor) as (
            t: Tensor,
            x: Tensor,
            y: Tensor,
            ...p: unknown[]
          ) => Tensor
          const vjp = row.vjp(tensor) as (u: Tensor, x: Tensor, ...p: unknown[]) => Tensor
          const jt = jvp(t, x, y, ...c.params)
          // A linear op's tangent map is the op itself.
          expect(flat(jt)).toBeClose(flat(run(t)))
          const ju = vjp(u, x, ...c.params)
          expect(ju.shape).toEqual(x.shape)
          expect(inner(u, jt)).toBeClose(inner(ju, t), { rel: 1e-12, abs: 1e-12 })
        },
      )
      fcTest.prop([data([3, ...c.x])])(
        `${label}: the batching rule is the kernel stacked over examples`,
        (xs) => {
          const f =
            <A>(T: Tensorial<A>) =>
            (x: A): A => {
              const p = c.params.map((v: unknown) =>
                v instanceof Object && 'shape' in v ? T.constant(v as Tensor) : v,
              )
              return (row.method(T) as (x: A, ...p: unknown[]) => A)(x, ...p)
            }
          const got = vmap(f)(tensor)(xs)
          const examples = [0, 1, 2].map((i) =>
            run(Tensor.fromArray(flat(xs).slice(i * size(c.x), (i + 1) * size(c.x)), c.x)),
          )
          expect(flat(got)).toBeClose(examples.flatMap(flat))
          expect(got.shape).toEqual([3, ...examples[0]!.shape])
        },
      )
    }
  }
})

/** Cases of the bilinear rows: both operands' shapes. */
const products: { readonly [K in BilinearName]: ReadonlyArray<readonly [Shape, Shape]> } = {
  dot: [[[4], [4]]],
  matmul: [
    [
      [2, 3],
      [3, 4],
    ],
    [[3], [3, 4]],
    [[2, 3], [3]],
    [
      [2, 2, 3],
      [3, 4],
    ],
  ],
  tangentMatmul: [
    [
      [2, 3],
      [3, 4],
    ],
    [[3], [3, 4]],
  ],
}

describe('the bilinear rows', () => {
  for (const name of Object.keys(products) as BilinearName[]) {
    const row = bilinearOps[name]
    for (const [sa, sb] of products[name]) {
      const sz = row.kernel(zeros(sa), zeros(sb)).shape
      fcTest.prop([data(sa), data(sb), data(sa), data(sb), data(sz)])(
        `${name}(${JSON.stringify(sa)}, ${JSON.stringify(sb)}): shape rule, product rule and adjoints`,
        (a, b, ta, tb, u) => {
          const z = row.kernel(a, b)
          expect(row.shape(sa, sb)).toEqual(z.shape)
          expect(flat(row.method(tensor)(a, b))).toEqual(flat(z))
          // Bilinear: the tangent along a is the product with ta, along b with tb.
          const ja = row.jvpX(tensor)(a, b, z, ta)
          const jb = row.jvpY(tensor)(a, b, z, tb)
          expect(flat(ja)).toBeClose(flat(row.kernel(ta, b)))
          expect(flat(jb)).toBeClose(flat(row.kernel(a, tb)))
          expect(inner(u, ja)).toBeClose(inner(row.vjpX(tensor)(a, b, u), ta), { rel: 1e-12 })
          expect(inner(u, jb)).toBeClose(inner(row.vjpY(tensor)(a, b, u), tb), { rel: 1e-12 })
        },
      )
      fcTest.prop([data([3, ...sa]), data(sb)])(
        `${name}(${JSON.stringify(sa)}, ${JSON.stringify(sb)}): the batching rule is the kernel stacked`,
        (as, b) => {
          const got = vmap(
            <A>(T: Tensorial<A>) =>
              (x: A, y: A) =>
                row.method(T)(x, y),
            { inAxes: [0, null] },
          )(tensor)(as, b)
          const examples = [0, 1, 2].map((i) =>
            row.kernel(Tensor.fromArray(flat(as).slice(i * size(sa), (i + 1) * size(sa)), sa), b),
          )
          expect(flat(got)).toBeClose(examples.flatMap(flat))
        },
      )
    }
  }
})

describe('the concat row', () => {
  fcTest.prop([
    data([2, 3]),
    data([1, 3]),
    data([3, 3]),
    data([2, 3]),
    data([1, 3]),
    data([3, 3]),
    data([6, 3]),
  ])(
    'its shape rule, its forward rule (a constant operand has no tangent) and its blocks as the adjoint',
    (x0, x1, x2, t0, t1, t2, u) => {
      const xs = [x0, x1, x2]
      const z = concatOp.kernel(xs)
      expect(concatOp.shape(xs.map((x) => x.shape))).toEqual(z.shape)
      const jt = concatOp.jvp(tensor)([t0, undefined, t2], xs)
      expect(flat(jt)).toEqual(flat(concatOp.kernel([t0, zeros([1, 3]), t2])))
      const full = concatOp.kernel([t0, t1, t2])
      const blocks = xs.map((_, i) => concatOp.vjp(tensor)(u, xs, i))
      expect(inner(u, full)).toBeClose(
        blocks.reduce((s, b, i) => s + inner(b, [t0, t1, t2][i]!), 0),
        { rel: 1e-12 },
      )
    },
  )
  fcTest.prop([data([4, 2, 3]), data([4, 1, 3])])(
    'along axis 1, batched: the kernel stacked',
    (a, b) => {
      const got = vmap(
        <A>(T: Tensorial<A>) =>
          (x: A, y: A) =>
            T.concat([x, y], -2),
      )(tensor)(a, b)
      const examples = [0, 1, 2, 3].map((i) =>
        concatOp.kernel(
          [
            Tensor.fromArray(flat(a).slice(i * 6, i * 6 + 6), [2, 3]),
            Tensor.fromArray(flat(b).slice(i * 3, i * 3 + 3), [1, 3]),
          ],
          0,
        ),
      )
      expect(flat(got)).toEqual(examples.flatMap(flat))
    },
  )
})
