/**
 * The Python tool's own test file, ported: each case on the tensor backend, in both
 * modes, gradients checked to 1e-12. Inputs are length-3 vectors like 2·ones unless a
 * case says otherwise; a vector-valued result is seeded with ones.
 */
import { describe, expect, test } from 'vitest'
import { Tensor, type Tensorial } from '../src/index.js'
import { modes, type TensorFunction } from './helpers/tensorModes.js'

const full = (c: number) => Tensor.fill([3], c)
const tight = { rel: 1e-12, abs: 1e-12 }
const sigma = (z: number) => 1 / (1 + Math.exp(-z))

interface Case {
  readonly name: string
  readonly f: TensorFunction
  readonly at: ReadonlyArray<Tensor>
  /** The expected gradient of each input, as nested arrays. */
  readonly expected: ReadonlyArray<unknown>
}

const c = <A>(T: Tensorial<A>, n: number): A => T.fromNumber(n)

const w = [0.3, -0.7, 0.2]
const h = sigma(2 * w[0]! + 3 * w[1]! + 4 * w[2]!)
const A = Tensor.fromArray([
  [1, 2],
  [3, 4],
  [5, 6],
])
const B = Tensor.fromArray([
  [1, 2, 3],
  [4, 5, 6],
])
const z0 = 2 * 2 + 2 + 3 + 3 // z = x2·x2 + x2 + x3 + 3 at x2 = 2, x3 = 3
const s6 = 6 // sum of 2·ones(3)

const cases: ReadonlyArray<Case> = [
  { name: 'identity', f: () => (xs) => xs[0]!, at: [full(2)], expected: [[1, 1, 1]] },
  { name: '5 + x', f: (T) => (xs) => T.add(c(T, 5), xs[0]!), at: [full(2)], expected: [[1, 1, 1]] },
  {
    name: '3 − x has gradient −1',
    f: (T) => (xs) => T.sub(c(T, 3), xs[0]!),
    at: [full(2)],
    expected: [[-1, -1, -1]],
  },
  {
    name: '−x2 + x1',
    f: (T) => (xs) => T.add(T.neg(xs[1]!), xs[0]!),
    at: [full(2), full(2)],
    expected: [
      [1, 1, 1],
      [-1, -1, -1],
    ],
  },
  { name: '5·x', f: (T) => (xs) => T.mul(c(T, 5), xs[0]!), at: [full(2)], expected: [[5, 5, 5]] },
  {
    name: 'x1 / x2 with 2 and 5',
    f: (T) => (xs) => T.div(xs[0]!, xs[1]!),
    at: [full(2), full(5)],
    expected: [
      [0.2, 0.2, 0.2],
      [-0.08, -0.08, -0.08],
    ],
  },
  {
    name: '5 / x',
    f: (T) => (xs) => T.div(c(T, 5), xs[0]!),
    at: [full(2)],
    expected: [[-1.25, -1.25, -1.25]],
  },
  {
    name: 'x1 + x2',
    f: (T) => (xs) => T.add(xs[0]!, xs[1]!),
    at: [full(2), full(2)],
    expected: [
      [1, 1, 1],
      [1, 1, 1],
    ],
  },
  {
    name: 'x1 · x2',
    f: (T) => (xs) => T.mul(xs[0]!, xs[1]!),
    at: [full(2), full(3)],
    expected: [
      [3, 3, 3],
      [2, 2, 2],
    ],
  },
  {
    name: 'x1 + x2·x3·x1 with 1, 2, 3',
    f: (T) => (xs) => T.add(xs[0]!, T.mul(T.mul(xs[1]!, xs[2]!), xs[0]!)),
    at: [full(1), full(2), full(3)],
    expected: [
      [7, 7, 7],
      [3, 3, 3],
      [2, 2, 2],
    ],
  },
  {
    name: 'x1 + x2·x3·x4 with 1…4',
    f: (T) => (xs) => T.add(xs[0]!, T.mul(T.mul(xs[1]!, xs[2]!), xs[3]!)),
    at: [full(1), full(2), full(3), full(4)],
    expected: [
      [1, 1, 1],
      [12, 12, 12],
      [8, 8, 8],
      [6, 6, 6],
    ],
  },
  {
    name: 'z = x2·x2 + x2 + x3 + 3, y = z·z + x3: gradients 2z(2·x2 + 1) and 2z + 1',
    f: (T) => (xs) => {
      const z = T.add(T.add(T.add(T.mul(xs[0]!, xs[0]!), xs[0]!), xs[1]!), c(T, 3))
      return T.add(T.mul(z, z), xs[1]!)
    },
    at: [full(2), full(3)],
    expected: [new Array(3).fill(2 * z0 * (2 * 2 + 1)), new Array(3).fill(2 * z0 + 1)],
  },
  {
    name: 'a 3×2 by 2×3 matrix product: gradients ones·Bᵀ and Aᵀ·ones',
    f: (T) => (xs) => T.matmul(xs[0]!, xs[1]!),
    at: [A, B],
    expected: [
      [
        [6, 15],
        [6, 15],
        [6, 15],
      ],
      [
        [9, 9, 9],
        [12, 12, 12],
      ],
    ],
  },
  { name: 'log x', f: (T) => (xs) => T.log(xs[0]!), at: [full(2)], expected: [[0.5, 0.5, 0.5]] },
  {
    name: 'log(x1·x2)',
    f: (T) => (xs) => T.log(T.mul(xs[0]!, xs[1]!)),
    at: [full(2), full(4)],
    expected: [
      [0.5, 0.5, 0.5],
      [0.25, 0.25, 0.25],
    ],
  },
  {
    name: 'exp x',
    f: (T) => (xs) => T.exp(xs[0]!),
    at: [full(2)],
    expected: [new Array(3).fill(Math.exp(2))],
  },
  {
    name: 'exp(log(x1·x2) + 1)',
    f: (T) => (xs) => T.exp(T.add(T.log(T.mul(xs[0]!, xs[1]!)), T.one)),
    at: [full(2), full(3)],
    expected: [new Array(3).fill(Math.E * 3), new Array(3).fill(Math.E * 2)],
  },
  { name: 'sum x', f: (T) => (xs) => T.sum(xs[0]!), at: [full(2)], expected: [[1, 1, 1]] },
  {
    name: 'exp(sum x)',
    f: (T) => (xs) => T.exp(T.sum(xs[0]!)),
    at: [full(2)],
    expected: [new Array(3).fill(Math.exp(s6))],
  },
  {
    name: 'log(sum x)',
    f: (T) => (xs) => T.log(T.sum(xs[0]!)),
    at: [full(2)],
    expected: [new Array(3).fill(1 / s6)],
  },
  {
    name: '1 / (1 + exp(−sum x))',
    f: (T) => (xs) => T.div(T.one, T.add(T.one, T.exp(T.neg(T.sum(xs[0]!))))),
    at: [full(2)],
    expected: [new Array(3).fill(sigma(s6) * (1 - sigma(s6)))],
  },
  {
    name: 'sigmoid(sum(w·x)) with w = 0 and x = 3',
    f: (T) => (xs) => T.sigmoid(T.sum(T.mul(xs[0]!, xs[1]!))),
    at: [full(0), full(3)],
    expected: [
      [0.75, 0.75, 0.75],
      [0, 0, 0],
    ],
  },
  {
    name: 'log sigmoid(sum(w·x)) with w = 0 and x = 3',
    f: (T) => (xs) => T.log(T.sigmoid(T.sum(T.mul(xs[0]!, xs[1]!)))),
    at: [full(0), full(3)],
    expected: [
      [1.5, 1.5, 1.5],
      [0, 0, 0],
    ],
  },
  {
    name: 'the logistic log-likelihood y·log h + (1 − y)·log(1 − h) at x = [2, 3, 4], y = 0: gradient (y − h)·x',
    f: (T) => (xs) => {
      const [wt, x, y] = [xs[0]!, xs[1]!, xs[2]!]
      const hh = T.sigmoid(T.sum(T.mul(wt, x)))
      return T.add(T.mul(y, T.log(hh)), T.mul(T.sub(T.one, y), T.log(T.sub(T.one, hh))))
    },
    at: [Tensor.fromArray(w), Tensor.fromArray([2, 3, 4]), Tensor.scalar(0)],
    expected: [
      [-h * 2, -h * 3, -h * 4],
      [-h * w[0]!, -h * w[1]!, -h * w[2]!],
      Math.log(h) - Math.log(1 - h),
    ],
  },
  {
    name: 'mean of [1, 2, 3, 4]',
    f: (T) => (xs) => T.mean(xs[0]!),
    at: [Tensor.fromArray([1, 2, 3, 4])],
    expected: [[0.25, 0.25, 0.25, 0.25]],
  },
]

describe.each(modes)('the Python tool’s tests, $mode mode, tensor backend', ({ gradient }) => {
  test.each(cases)('$name', ({ f, at, expected }) => {
    expect(gradient(f, at).map(Tensor.toArray)).toBeClose(expected, tight)
  })
})
