/**
 * `npm run bench:peers`: ad-ts beside TensorFlow.js (core with the cpu and wasm
 * backends, gradients registered) and jax-js (wasm device) on the jobs of ad-ts's own
 * benchmarks, all in one run, with the hand-written baselines. Prints one table:
 * median milliseconds and the ratio to the job's hand-written baseline.
 *
 * Bundled with esbuild first (see package.json): the ES builds of TensorFlow.js use
 * extensionless imports that Node's loader refuses.
 */
import * as jax from '@jax-js/jax'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-core/dist/register_all_gradients'
import '@tensorflow/tfjs-backend-cpu'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import { grad, jit, lr, scalar, tensor, Tensor, valueAndGrad } from '../../../src/index.js'
import { rosenbrock } from '../../helpers/functions.js'
import { flatTapeGrad } from '../baselines.js'
import { fusedLossAndGrad, meanNll } from '../logistic.js'
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

/** Each library runs interleaved with the job's baseline, round by round. */
const versus = (baseline: () => unknown, rounds: number) => (make: () => () => unknown) => {
  try {
    const c = compare(baseline, { lib: make() }, rounds, 3)
    return { ms: c.ms['lib']!, baselineMs: c.ms['baseline']!, ratio: c.ratio['lib']! }
  } catch (e) {
    return `fails: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 60)}`
  }
}

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

const jaxLogistic = (x: Float64Array, y: Float64Array, n: number) => {
  const np = jax.numpy
  const X = np.array(Float32Array.from(x)).reshape([n, 3])
  const Y = np.array(Float32Array.from(y))
  const f = (w: jax.Array) => {
    const z = np.matmul(X.ref, w)
    return np.mean(jax.nn.softplus(z.ref).sub(Y.ref.mul(z)))
  }
  const vg = jax.valueAndGrad(f)
  return () => {
    const [v, g] = vg(np.array([0.5, -1, 2]))
    return [v.js(), g.js()]
  }
}

const jaxRosenbrock = (xs: ReadonlyArray<number>) => {
  const np = jax.numpy
  const n = xs.length
  const f = (v: jax.Array) => {
    const head = v.ref.slice([0, n - 1])
    const tail = v.slice([1, n])
    const a = tail.sub(head.ref.mul(head.ref))
    const b = np.array(1).sub(head)
    return a.ref.mul(a).mul(100).add(b.ref.mul(b)).sum()
  }
  const g = jax.grad(f)
  return () => g(np.array(Float32Array.from(xs))).js()
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

  for (const n of [100_000, 1_000_000]) {
    const data = lr.gen2dData({ n, seed: 12345 })
    const x = Tensor.toFlat(data.x)
    const y = Tensor.toFlat(data.y)
    const job = `LR loss + gradient, N = ${n.toLocaleString('en')}`
    const run = versus(() => fusedLossAndGrad(x, y, [0.5, -1, 2]), n >= 1_000_000 ? 7 : 15)
    const add = (library: string, precision: string, result: Row['result']) =>
      rows.push({ job, library, precision, result })
    const ours = valueAndGrad(meanNll(data.x, data.y))(tensor)
    const w = Tensor.fromArray([0.5, -1, 2])
    add(
      'ad-ts (tensor backend)',
      'float64',
      run(() => () => ours(w)),
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
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend)
      await tf.ready()
      add(
        `TensorFlow.js (${backend})`,
        'float32',
        run(() => tfLogistic(x, y, n)),
      )
    }
    add(
      'jax-js (wasm)',
      'float32',
      run(() => jaxLogistic(x, y, n)),
    )
  }

  const xs = Array.from({ length: 10_000 }, (_, i) => 0.5 + 0.001 * (i % 100))
  const job = 'Rosenbrock gradient, n = 10,000'
  const run = versus(() => flatTapeGrad(xs), 21)
  const add = (library: string, precision: string, result: Row['result']) =>
    rows.push({ job, library, precision, result })
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
  for (const backend of ['cpu', 'wasm']) {
    await tf.setBackend(backend)
    await tf.ready()
    add(
      `TensorFlow.js (${backend}, vectorised)`,
      'float32',
      run(() => tfRosenbrock(xs)),
    )
  }
  add(
    'jax-js (wasm, vectorised)',
    'float32',
    run(() => jaxRosenbrock(xs)),
  )

  console.log(
    'Baselines: the hand-fused float64 loop (LR) and the flat typed-array tape (Rosenbrock),',
  )
  console.log('each run interleaved with every library, round by round.\n')
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
