/**
 * `npm run bench:peers`: ad-ts beside TensorFlow.js (core with the cpu and wasm
 * backends, gradients registered) and jax-js (wasm device, eagerly and under its
 * `jit`) on the jobs of ad-ts's own benchmarks, all in one run, each interleaved round
 * by round with the job's hand-written float64 baseline:
 *
 * - logistic regression, loss + gradient in the 3 weights (N = 100,000 and 1,000,000;
 *   baseline the hand-fused loop), ad-ts also with the weights a column [3, 1] and the
 *   labels [N, 1];
 * - the Rosenbrock gradient, n = 10,000 (baseline the flat typed-array tape);
 * - the 2-layer MLP 64-128-10, batch 1024: mean softmax cross-entropy and its gradient
 *   in W1, b1, W2, b2 (baseline the plain float64 loop);
 * - the matrix product [256, 256]·[256, 256] (baseline the naive i-p-j loop).
 *
 * Prints one table: median milliseconds and the median per-round ratio to the
 * baseline. On the MLP and matmul jobs each library's result is checked against the
 * baseline's before timing (float32 peers to a relative 1e-4, ad-ts to 1e-9), as are
 * ad-ts's column-form LR rows; a library that cannot run a job, or disagrees, gets a
 * "fails: ..." row. With `PEERS_QUICK=1` in the environment the jobs run small (LR
 * N = 10,000 only, MLP batch 128, matmul 64) for 3 rounds: a check that everything
 * runs, not a measurement.
 *
 * Bundled with esbuild first (see package.json): the ES builds of TensorFlow.js use
 * extensionless imports that Node's loader refuses.
 */
import * as jax from '@jax-js/jax'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-core/dist/register_all_gradients.js'
import '@tensorflow/tfjs-backend-cpu'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import { grad, jit, lr, scalar, tensor, Tensor, valueAndGrad } from '../../../src/index.js'
import { rosenbrock } from '../../helpers/functions.js'
import { flatTapeGrad } from '../baselines.js'
import { fusedLossAndGrad, meanNll } from '../logistic.js'
import { naiveMatmul } from '../matmul.js'
import { mlpLoss, plainMlp } from '../mlp.js'
import { rosenbrockVectorised } from '../ops.js'
import { compare, fmt } from '../measure.js'

interface Row {
  readonly job: string
  readonly library: string
  readonly precision: string
  /** Median ms and the median per-round ratio to the baseline, or why it could not run. */
  readonly result:
    { readonly ms: number; readonly baselineMs: number; readonly ratio: number } | string
}

const quickFlag = process.env['PEERS_QUICK']
/** Small sizes and few rounds, for a check that every row runs. */
const quick = quickFlag !== undefined && quickFlag !== '' && quickFlag !== '0'

const sizes = {
  lr: quick ? [10_000] : [100_000, 1_000_000],
  lrRounds: (n: number) => (quick ? 3 : n >= 1_000_000 ? 7 : 15),
  rosenbrock: 10_000,
  rosenbrockRounds: quick ? 3 : 21,
  mlpBatch: quick ? 128 : 1024,
  mlpRounds: quick ? 3 : 15,
  matmul: quick ? 64 : 256,
  matmulRounds: quick ? 3 : 21,
}

/** Each library runs interleaved with the job's baseline, round by round. */
const versus = (baseline: () => unknown, rounds: number) => (make: () => () => unknown) => {
  try {
    const c = compare(baseline, { lib: make() }, rounds, 3)
    return { ms: c.ms['lib']!, baselineMs: c.ms['baseline']!, ratio: c.ratio['lib']! }
  } catch (e) {
    return `fails: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 60)}`
  }
}

/**
 * Throws (so that `versus` prints a "fails" row) unless max |got − want| over max |want|
 * is at most `tol`: a relative error for a whole array, NaN failing.
 */
const check = (
  what: string,
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  tol: number,
): void => {
  let err = got.length === want.length ? 0 : Infinity
  let scale = 0
  for (let q = 0; q < want.length; q++) {
    err = Math.max(err, Math.abs(got[q]! - want[q]!))
    scale = Math.max(scale, Math.abs(want[q]!))
  }
  const rel = err / scale
  if (!(rel <= tol)) throw new Error(`${what} off by ${rel.toExponential(1)} (tolerance ${tol})`)
}

/** Float32 results against the float64 baseline; ad-ts's float64 ones. */
const float32Tol = 1e-4
const float64Tol = 1e-9

// Logistic regression.

const tfLogistic = (x: Float64Array, y: Float64Array, n: number) => {
  const X = tf.tensor2d(Float32Array.from(x), [n, 3])
  const Y = tf.tensor1d(Float32Array.from(y))
  const f = (w: tf.Tensor) => {
    const z = tf.reshape(tf.matMul(X, tf.reshape(w, [3, 1])), [n])
    return tf.mean(tf.sub(tf.softplus(z), tf.mul(Y, z))) as tf.Scalar
  }
  const vg = tf.valueAndGrad(f)
  return () =>
    tf.tidy(() => {
      const { value, grad: g } = vg(tf.tensor1d([0.5, -1, 2]))
      return [value.dataSync()[0], g.dataSync()]
    })
}

/** jax-js's arrays are moved into each operation: X and Y are passed on by `.ref`. */
const jaxLogistic = (x: Float64Array, y: Float64Array, n: number, compiled: boolean) => {
  const np = jax.numpy
  const X = np.array(Float32Array.from(x)).reshape([n, 3])
  const Y = np.array(Float32Array.from(y))
  const f = (w: jax.Array) => {
    const z = np.matmul(X.ref, w)
    return np.mean(jax.nn.softplus(z.ref).sub(Y.ref.mul(z)))
  }
  const vg = compiled ? jax.jit(jax.valueAndGrad(f)) : jax.valueAndGrad(f)
  const run = () => {
    const [v, g] = vg(np.array([0.5, -1, 2]))
    return [v.js(), g.js()]
  }
  // Under jit the first call traces and compiles.
  if (compiled) run()
  return run
}

// Rosenbrock.

const tfRosenbrock = (xs: ReadonlyArray<number>) => {
  const n = xs.length
  const f = (v: tf.Tensor) => {
    const head = tf.slice(v, [0], [n - 1])
    const tail = tf.slice(v, [1], [n - 1])
    const a = tf.sub(tail, tf.mul(head, head))
    const b = tf.sub(tf.scalar(1), head)
    return tf.sum(tf.add(tf.mul(tf.scalar(100), tf.mul(a, a)), tf.mul(b, b))) as tf.Scalar
  }
  const g = tf.grad(f)
  return () => tf.tidy(() => g(tf.tensor1d(Float32Array.from(xs))).dataSync())
}

const jaxRosenbrock = (xs: ReadonlyArray<number>, compiled: boolean) => {
  const np = jax.numpy
  const n = xs.length
  const f = (v: jax.Array) => {
    const head = v.ref.slice([0, n - 1])
    const tail = v.slice([1, n])
    const a = tail.sub(head.ref.mul(head.ref))
    const b = np.array(1).sub(head)
    return a.ref.mul(a).mul(100).add(b.ref.mul(b)).sum()
  }
  const g = compiled ? jax.jit(jax.grad(f)) : jax.grad(f)
  const run = () => g(np.array(Float32Array.from(xs))).js()
  if (compiled) run()
  return run
}

// The 2-layer MLP.

interface Params<A> {
  readonly w1: A
  readonly b1: A
  readonly w2: A
  readonly b2: A
}
const paramNames = ['w1', 'b1', 'w2', 'b2'] as const

/** The same uniform draws as the MLP benchmark (a linear congruential generator). */
const random = (count: number, seed: number, scale: number): Float64Array => {
  let s = seed
  return Float64Array.from({ length: count }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return (s / 2 ** 32 - 0.5) * scale
  })
}

/** The MLP benchmark's data and parameters at batch n, and the plain loop's answer. */
const mlpData = (n: number) => {
  const shape = [n, 64, 128, 10] as const
  const [, d, h, c] = shape
  const x = random(n * d, 1, 2)
  const y = new Float64Array(n * c)
  for (let i = 0; i < n; i++) y[i * c + ((i * 7) % c)] = 1
  const p: Params<Float64Array> = {
    w1: random(d * h, 2, 0.3),
    b1: random(h, 3, 0.1),
    w2: random(h * c, 4, 0.3),
    b2: random(c, 5, 0.1),
  }
  const dims: Params<number[]> = { w1: [d, h], b1: [h], w2: [h, c], b2: [c] }
  const [loss, grads] = plainMlp(x, y, p, shape)
  return { shape, x, y, p, dims, loss, grads }
}
type MlpData = ReturnType<typeof mlpData>

/** A library's loss and gradient against the plain loop's, to `tol` each. */
const checkMlp = (
  m: MlpData,
  tol: number,
  loss: number,
  grads: Params<ArrayLike<number>>,
): void => {
  check('loss', [loss], [m.loss], tol)
  for (const k of paramNames) check(`gradient in ${k}`, grads[k], m.grads[k], tol)
}

const oursMlp = (m: MlpData, compiled: boolean) => {
  const [n, d, , c] = m.shape
  const X = Tensor.fromArray(m.x, [n, d])
  const Y = Tensor.fromArray(m.y, [n, c])
  const P: Params<Tensor> = {
    w1: Tensor.fromArray(m.p.w1, m.dims.w1),
    b1: Tensor.fromArray(m.p.b1, m.dims.b1),
    w2: Tensor.fromArray(m.p.w2, m.dims.w2),
    b2: Tensor.fromArray(m.p.b2, m.dims.b2),
  }
  // jit: the first call traces and compiles; the check then reads the program's result.
  const f = compiled
    ? jit(valueAndGrad(mlpLoss(X, Y)))(tensor)
    : valueAndGrad(mlpLoss(X, Y))(tensor)
  f(P)
  const [v, g] = f(P)
  checkMlp(m, float64Tol, Tensor.toArray(v) as number, {
    w1: Tensor.toFlat(g.w1),
    b1: Tensor.toFlat(g.b1),
    w2: Tensor.toFlat(g.w2),
    b2: Tensor.toFlat(g.b2),
  })
  return () => f(P)
}

const tfMlp = (m: MlpData) => {
  const [n, d, , c] = m.shape
  const X = tf.tensor2d(Float32Array.from(m.x), [n, d])
  const Y = tf.tensor2d(Float32Array.from(m.y), [n, c])
  const P = paramNames.map((k) => tf.tensor(Float32Array.from(m.p[k]), m.dims[k]))
  const f = (w1: tf.Tensor, b1: tf.Tensor, w2: tf.Tensor, b2: tf.Tensor) => {
    const h = tf.relu(tf.add(tf.matMul(X, w1), b1))
    const logits = tf.add(tf.matMul(h, w2), b2)
    const picked = tf.sum(tf.mul(Y, logits), 1)
    return tf.mean(tf.sub(tf.logSumExp(logits, 1), picked)) as tf.Scalar
  }
  const vg = tf.valueAndGrads(f as (...args: tf.Tensor[]) => tf.Scalar)
  const run = () =>
    tf.tidy(() => {
      const { value, grads } = vg(P)
      return [value.dataSync()[0]!, grads.map((g) => g.dataSync())] as const
    })
  const [v, [w1, b1, w2, b2]] = run()
  checkMlp(m, float32Tol, v, { w1: w1!, b1: b1!, w2: w2!, b2: b2! })
  return run
}

/** The parameters are held once and passed on by reference (`jax.tree.ref`) each call. */
const jaxMlp = (m: MlpData, compiled: boolean) => {
  const np = jax.numpy
  const [n, d, , c] = m.shape
  const X = np.array(Float32Array.from(m.x)).reshape([n, d])
  const Y = np.array(Float32Array.from(m.y)).reshape([n, c])
  const P: Params<jax.Array> = {
    w1: np.array(Float32Array.from(m.p.w1)).reshape(m.dims.w1),
    b1: np.array(Float32Array.from(m.p.b1)),
    w2: np.array(Float32Array.from(m.p.w2)).reshape(m.dims.w2),
    b2: np.array(Float32Array.from(m.p.b2)),
  }
  const f = (p: Params<jax.Array>) => {
    const h = jax.nn.relu(np.matmul(X.ref, p.w1).add(p.b1))
    const logits = np.matmul(h, p.w2).add(p.b2)
    const picked = np.sum(Y.ref.mul(logits.ref), 1)
    return np.mean(jax.nn.logsumexp(logits, 1).sub(picked))
  }
  const vg = compiled ? jax.jit(jax.valueAndGrad(f)) : jax.valueAndGrad(f)
  const run = () => {
    const [v, g] = vg(jax.tree.ref(P))
    return [
      v.dataSync()[0]!,
      { w1: g.w1.dataSync(), b1: g.b1.dataSync(), w2: g.w2.dataSync(), b2: g.b2.dataSync() },
    ] as const
  }
  if (compiled) run()
  const [v, g] = run()
  checkMlp(m, float32Tol, v, g)
  return run
}

// The matrix product.

const matmulData = (s: number) => {
  const x = random(s * s, 11, 1)
  const y = random(s * s, 12, 1)
  return { s, x, y, want: naiveMatmul(x, y, s, s, s) }
}
type MatmulData = ReturnType<typeof matmulData>

const oursMatmul = (m: MatmulData) => {
  const A = Tensor.fromArray(m.x, [m.s, m.s])
  const B = Tensor.fromArray(m.y, [m.s, m.s])
  const run = () => tensor.matmul(A, B)
  check('product', Tensor.toFlat(run()), m.want, float64Tol)
  return run
}

const tfMatmul = (m: MatmulData) => {
  const A = tf.tensor2d(Float32Array.from(m.x), [m.s, m.s])
  const B = tf.tensor2d(Float32Array.from(m.y), [m.s, m.s])
  const run = () => tf.tidy(() => tf.matMul(A, B).dataSync())
  check('product', run(), m.want, float32Tol)
  return run
}

const jaxMatmul = (m: MatmulData, compiled: boolean) => {
  const np = jax.numpy
  const A = np.array(Float32Array.from(m.x)).reshape([m.s, m.s])
  const B = np.array(Float32Array.from(m.y)).reshape([m.s, m.s])
  const product = (a: jax.Array, b: jax.Array) => np.matmul(a, b)
  const mm = compiled ? jax.jit(product) : product
  const run = () => mm(A.ref, B.ref).dataSync()
  if (compiled) run()
  check('product', run(), m.want, float32Tol)
  return run
}

const main = async (): Promise<void> => {
  ;(globalThis as { navigator?: unknown }).navigator ??= {
    hardwareConcurrency: 2,
    userAgent: 'node',
  }
  const wasmDir = new URL(
    './node_modules/@tensorflow/tfjs-backend-wasm/dist/',
    `file://${process.cwd()}/`,
  )
  setWasmPaths(wasmDir.pathname)
  await jax.init()
  jax.defaultDevice('wasm')
  const rows: Row[] = []
  const adder = (job: string) => (library: string, precision: string, result: Row['result']) =>
    rows.push({ job, library, precision, result })
  const tfBackends = async function* () {
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend)
      await tf.ready()
      yield backend
    }
  }
  /** A job's peer rows: TensorFlow.js on each backend, then jax-js eagerly and under its jit. */
  const addPeers = async (
    add: ReturnType<typeof adder>,
    run: ReturnType<typeof versus>,
    tfJob: () => () => unknown,
    jaxJob: (compiled: boolean) => () => unknown,
    note = '',
  ) => {
    for await (const backend of tfBackends())
      add(`TensorFlow.js (${backend}${note})`, 'float32', run(tfJob))
    add(
      `jax-js (wasm${note})`,
      'float32',
      run(() => jaxJob(false)),
    )
    add(
      `jax-js jit (wasm${note})`,
      'float32',
      run(() => jaxJob(true)),
    )
  }

  for (const n of sizes.lr) {
    const data = lr.gen2dData({ n, seed: 12345 })
    const x = Tensor.toFlat(data.x)
    const y = Tensor.toFlat(data.y)
    const add = adder(`LR loss + gradient, N = ${n.toLocaleString('en')}`)
    const run = versus(() => fusedLossAndGrad(x, y, [0.5, -1, 2]), sizes.lrRounds(n))
    const ours = valueAndGrad(meanNll(data.x, data.y))(tensor)
    const w = Tensor.fromArray([0.5, -1, 2])
    add(
      'ad-ts (tensor backend)',
      'float64',
      run(() => () => ours(w)),
    )
    // The same loss with a column of weights [3, 1] and labels [N, 1], as many users
    // write it; checked against the fused loop.
    const Yc = Tensor.fromArray(y, [n, 1])
    const Wc = Tensor.fromArray([0.5, -1, 2], [3, 1])
    const [wantLoss, wantGrad] = fusedLossAndGrad(x, y, [0.5, -1, 2])
    const column = (f: (w: Tensor) => readonly [Tensor, Tensor]) => {
      f(Wc)
      const [l, g] = f(Wc)
      check('loss', [Tensor.toArray(l) as number], [wantLoss], float64Tol)
      check('gradient', Tensor.toFlat(g), wantGrad, float64Tol)
      return () => f(Wc)
    }
    add(
      'ad-ts (tensor backend), weights a column [3, 1]',
      'float64',
      run(() => column(valueAndGrad(meanNll(data.x, Yc))(tensor))),
    )
    // jit: the trace happens in the first (setup) call, then the program runs.
    for (const [library, simd] of [
      ['ad-ts jit (JavaScript kernels)', false],
      ['ad-ts jit (WebAssembly SIMD)', true],
    ] as const) {
      add(
        library,
        'float64',
        run(() => {
          const compiled = jit(valueAndGrad(meanNll(data.x, data.y)), { simd })(tensor)
          compiled(w)
          return () => compiled(w)
        }),
      )
    }
    add(
      'ad-ts jit (WebAssembly SIMD), weights a column [3, 1]',
      'float64',
      run(() => column(jit(valueAndGrad(meanNll(data.x, Yc)), { simd: true })(tensor))),
    )
    await addPeers(
      add,
      run,
      () => tfLogistic(x, y, n),
      (c) => jaxLogistic(x, y, n, c),
    )
  }

  {
    const xs = Array.from({ length: sizes.rosenbrock }, (_, i) => 0.5 + 0.001 * (i % 100))
    const add = adder(`Rosenbrock gradient, n = ${sizes.rosenbrock.toLocaleString('en')}`)
    const run = versus(() => flatTapeGrad(xs), sizes.rosenbrockRounds)
    const ours = grad(rosenbrock)(scalar)
    add(
      'ad-ts (scalar ops, reverse mode)',
      'float64',
      run(() => () => ours(xs)),
    )
    const vectorised = grad(rosenbrockVectorised)(tensor)
    const X = Tensor.fromArray(xs)
    add(
      'ad-ts (tensor backend, vectorised)',
      'float64',
      run(() => () => vectorised(X)),
    )
    for (const [library, simd] of [
      ['ad-ts jit (vectorised, JavaScript kernels)', false],
      ['ad-ts jit (vectorised, WebAssembly SIMD)', true],
    ] as const) {
      add(
        library,
        'float64',
        run(() => {
          const compiled = jit(grad(rosenbrockVectorised), { simd })(tensor)
          compiled(X)
          return () => compiled(X)
        }),
      )
    }
    await addPeers(
      add,
      run,
      () => tfRosenbrock(xs),
      (c) => jaxRosenbrock(xs, c),
      ', vectorised',
    )
  }

  {
    const m = mlpData(sizes.mlpBatch)
    const [n, d, h, c] = m.shape
    const add = adder(`2-layer MLP ${d}-${h}-${c}, batch ${n}, loss + gradient`)
    const run = versus(() => plainMlp(m.x, m.y, m.p, m.shape), sizes.mlpRounds)
    add(
      'ad-ts (tensor backend)',
      'float64',
      run(() => oursMlp(m, false)),
    )
    add(
      'ad-ts jit',
      'float64',
      run(() => oursMlp(m, true)),
    )
    await addPeers(
      add,
      run,
      () => tfMlp(m),
      (c) => jaxMlp(m, c),
    )
  }

  {
    const m = matmulData(sizes.matmul)
    const add = adder(`matmul [${m.s},${m.s}]·[${m.s},${m.s}]`)
    const run = versus(() => naiveMatmul(m.x, m.y, m.s, m.s, m.s), sizes.matmulRounds)
    add(
      'ad-ts (tensor backend)',
      'float64',
      run(() => oursMatmul(m)),
    )
    await addPeers(
      add,
      run,
      () => tfMatmul(m),
      (c) => jaxMatmul(m, c),
    )
  }

  if (quick) console.log('PEERS_QUICK: small sizes, 3 rounds; a check that every row runs.\n')
  console.log(
    'Baselines: the hand-fused float64 loop (LR), the flat typed-array tape (Rosenbrock),',
  )
  console.log(
    'the plain float64 loop (MLP) and the naive i-p-j loop (matmul), each run interleaved',
  )
  console.log(
    `with every library, round by round. ad-ts's products: AD_TS_THREADS=${process.env['AD_TS_THREADS'] ?? '(unset: the default)'}.\n`,
  )
  console.log('| job | library | precision | median ms | baseline ms | ratio to baseline |')
  console.log('| --- | --- | --- | ---: | ---: | ---: |')
  for (const r of rows) {
    const [ms, base, ratio] =
      typeof r.result === 'string'
        ? [r.result, '–', '–']
        : [fmt(r.result.ms), fmt(r.result.baselineMs), `${fmt(r.result.ratio)}x`]
    console.log(`| ${r.job} | ${r.library} | ${r.precision} | ${ms} | ${base} | ${ratio} |`)
  }
  try {
    jax.numpy.array([1, 2], { dtype: jax.numpy.float64 })
  } catch (e) {
    console.log(`\njax-js float64 on this Node (${process.version}): ${String(e)}`)
  }
}

void main()
