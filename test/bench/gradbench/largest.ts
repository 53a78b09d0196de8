/**
 * Times each eval at the largest size of its default GradBench run (inputs generated
 * here with the eval's shapes; random values, seeded): `node --import tsx
 * test/bench/gradbench/largest.ts [eval]`. One run each, after one warm-up run at a
 * small size; prints milliseconds. Never asserts timings.
 */
import { mulberry32 } from '../../../src/internal.js'
import { modules } from './modules.js'
import { respond } from './protocol.js'

const random = mulberry32(31337)
const vector = (n: number) => Array.from({ length: n }, () => random())
const matrix = (rows: number, cols: number) => Array.from({ length: rows }, () => vector(cols))

const gmmInput = (d: number, k: number, n: number) => ({
  d,
  k,
  n,
  m: 0,
  gamma: 1,
  x: matrix(n, d),
  alpha: vector(k),
  mu: matrix(k, d),
  q: matrix(k, d),
  l: matrix(k, (d * (d - 1)) / 2),
})
const kmeansInput = (k: number, n: number, d: number) => {
  const points = matrix(n, d)
  return { points, centroids: points.slice(-k) }
}
const lstmInput = (l: number, c: number) => ({
  main_params: matrix(2 * l, 28),
  extra_params: matrix(3, 7),
  state: matrix(2 * l, 7),
  sequence: matrix(c, 7).map((row) => row.map((v) => (v > 0.5 ? 1 : 0))),
})
const baInput = (n: number, m: number, p: number) => ({
  n,
  m,
  p,
  cam: [0.1, -0.2, 0.3, 0.5, -0.4, 1.2, 400, 0.1, -0.1, 1e-3, 1e-6],
  x: [0.2, 0.1, -2],
  w: 0.417022,
  feat: [0.5, -0.3],
})

/** [eval, function, description, small input, largest input] */
const cases: ReadonlyArray<readonly [string, string, string, () => unknown, () => unknown]> = [
  [
    'llsq',
    'gradient',
    'n = 16392, m = 128',
    () => ({ x: vector(128), n: 16 }),
    () => ({ x: vector(128), n: 16392 }),
  ],
  [
    'lse',
    'gradient',
    'n = 1,280,000',
    () => ({ x: vector(100) }),
    () => ({ x: vector(1_280_000) }),
  ],
  [
    'gmm',
    'jacobian',
    'd = 64, k = 100, n = 1000',
    () => gmmInput(2, 5, 10),
    () => gmmInput(64, 100, 1000),
  ],
  [
    'det',
    'gradient',
    'ℓ = 9',
    () => ({ A: vector(25), ell: 5 }),
    () => ({ A: vector(81), ell: 9 }),
  ],
  [
    'det',
    'gradient',
    'ℓ = 10',
    () => ({ A: vector(25), ell: 5 }),
    () => ({ A: vector(100), ell: 10 }),
  ],
  [
    'kmeans',
    'dir',
    'k = 1000, n = 10000, d = 16',
    () => kmeansInput(10, 100, 8),
    () => kmeansInput(1000, 10000, 16),
  ],
  [
    'ode',
    'gradient',
    'n = 100000, s = 100',
    () => ({ x: vector(100), s: 2 }),
    () => ({ x: vector(100000), s: 100 }),
  ],
  ['lstm', 'jacobian', 'l = 6, c = 8192', () => lstmInput(2, 16), () => lstmInput(6, 8192)],
  [
    'ba',
    'objective',
    'ba14: p = 1,255,268',
    () => baInput(2, 3, 10),
    () => baInput(356, 226730, 1255268),
  ],
  [
    'ba',
    'jacobian',
    'ba14: p = 1,255,268',
    () => baInput(2, 3, 10),
    () => baInput(356, 226730, 1255268),
  ],
  ['particle', 'rr', 'w = 0', () => ({ w: 0.2 }), () => ({ w: 0 })],
  ['saddle', 'rr', 'start (1, 1)', () => ({ start: [0.01, 0.01] }), () => ({ start: [1, 1] })],
]

const time = (module: string, fn: string, input: unknown): number => {
  const r = respond(modules, {
    id: 0,
    kind: 'evaluate',
    module,
    function: fn,
    input: { ...(input as object), min_runs: 1, min_seconds: 0 },
  })
  if (r.success !== true) throw new Error(r.error)
  return r.timings![0]!.nanoseconds / 1e6
}

const only = process.argv[2]
for (const [module, fn, description, small, large] of cases) {
  if (only !== undefined && only !== module) continue
  time(module, fn, small())
  console.log(`${module} ${fn} ${description}: ${time(module, fn, large()).toFixed(0)} ms`)
}
