/**
 * Logistic-regression loss and gradient on the tensor backend (mean negative
 * log-likelihood, 3 features) through `valueAndGrad`, against a hand-fused
 * Float64Array loop computing the same loss and gradient in one pass.
 */
import { jit, lr, softplus, tensor, Tensor, valueAndGrad, type Tensorial } from '../../src/index.js'
import { collect, compare, fmt } from './measure.js'

/** The demo's data at size n, with flat copies for the fused loop. */
export const dataset = (n: number) => {
  const { x: X, y: Y } = lr.gen2dData({ n, seed: 12345 })
  return { x: Tensor.toFlat(X), y: Tensor.toFlat(Y), X, Y }
}

/** Mean negative log-likelihood: mean(softplus(X·w) − y·(X·w)). */
export const meanNll =
  (X: Tensor, Y: Tensor) =>
  <A>(T: Tensorial<A>) =>
  (w: A): A => {
    const z = T.matmul(T.constant(X), w)
    return T.mean(T.sub(softplus(T)(z), T.mul(T.constant(Y), z)))
  }

/**
 * The same loss and gradient in one fused pass, as a careful person writes it: one
 * exponential a row, e = e^−|z|, shared by softplus(z) = max(z, 0) + log1p(e) and the
 * sigmoid (1/(1 + e) for z ≥ 0, e/(1 + e) below), both stable at every z.
 */
export const fusedLossAndGrad = (x: Float64Array, y: Float64Array, w: ArrayLike<number>) => {
  const n = y.length
  const [w0, w1, w2] = [w[0]!, w[1]!, w[2]!]
  let loss = 0
  let g0 = 0
  let g1 = 0
  let g2 = 0
  for (let i = 0; i < n; i++) {
    const a = x[3 * i]!
    const b = x[3 * i + 1]!
    const c = x[3 * i + 2]!
    const z = a * w0 + b * w1 + c * w2
    const e = Math.exp(-Math.abs(z))
    const l = Math.log1p(e)
    const yi = y[i]!
    loss += (z > 0 ? z + l : l) - yi * z
    const q = 1 / (1 + e)
    const r = (z >= 0 ? q : e * q) - yi
    g0 += r * a
    g1 += r * b
    g2 += r * c
  }
  return [loss / n, [g0 / n, g1 / n, g2 / n]] as const
}

export const logisticBench = (sizes: ReadonlyArray<number> = [100_000, 1_000_000]): string[] =>
  sizes.flatMap((n) => {
    const { x, y, X, Y } = dataset(n)
    const w = [0.5, -1, 2]
    const W = Tensor.fromArray(w)
    const ours = valueAndGrad(meanNll(X, Y))(tensor)
    const [l1, g1] = ours(W)
    const [l2, g2] = fusedLossAndGrad(x, y, w)
    const err = Math.max(
      Math.abs((Tensor.toArray(l1) as number) - l2),
      ...Tensor.toFlat(g1).map((g, i) => Math.abs(g - g2[i]!)),
    )
    if (err > 1e-9) throw new Error(`logistic bench: ours and the fused loop disagree by ${err}`)
    const rounds = n >= 1_000_000 ? 7 : 15
    // jit: the first call traces (evaluating eagerly) and compiles; later calls run the
    // program, on WebAssembly SIMD kernels (the default) or JavaScript ones.
    const jitted = jit(valueAndGrad(meanNll(X, Y)))(tensor)
    const jittedJs = jit(valueAndGrad(meanNll(X, Y)), { simd: false })(tensor)
    const timed = (f: () => unknown) => {
      const t0 = performance.now()
      f()
      return performance.now() - t0
    }
    const first = timed(() => jitted(W))
    // The first run of the program copies the inputs into the kernel's memory.
    const second = timed(() => jitted(W))
    timed(() => jittedJs(W))
    for (const f of [jitted, jittedJs]) {
      const [lj, gj] = f(W)
      const jitErr = Math.max(
        Math.abs((Tensor.toArray(lj) as number) - l2),
        ...Tensor.toFlat(gj).map((g, i) => Math.abs(g - g2[i]!)),
      )
      if (jitErr > 1e-9)
        throw new Error(`logistic bench: jit and the fused loop disagree by ${jitErr}`)
    }
    // The same model written with a column of weights [3, 1] and labels [N, 1], as many
    // users write it: the same numbers, and the goal is the same speed.
    const Wc = Tensor.fromArray(w, [3, 1])
    const Yc = Tensor.fromArray(Tensor.toFlat(Y), [n, 1])
    const column = valueAndGrad(meanNll(X, Yc))(tensor)
    const jittedColumn = jit(valueAndGrad(meanNll(X, Yc)))(tensor)
    jittedColumn(Wc)
    for (const f of [column, jittedColumn]) {
      const [lc, gc] = f(Wc)
      if (
        !Tensor.toFlat(gc).every((g, i) => Object.is(g, Tensor.toFlat(g1)[i])) ||
        Tensor.toArray(lc) !== Tensor.toArray(l1)
      )
        throw new Error('logistic bench: the column form and the vector form disagree')
    }
    const c = compare(
      () => fusedLossAndGrad(x, y, w),
      {
        ours: () => ours(W),
        js: () => jittedJs(W),
        simd: () => jitted(W),
        column: () => column(Wc),
        simdColumn: () => jittedColumn(Wc),
      },
      rounds,
      2,
    )
    // Memory: array buffers allocated by one jitted call (after a full collection, none
    // freed in between): the goal is no buffer of N elements beyond inputs and outputs.
    const allocatedBy = (f: () => unknown) => {
      collect()
      const before = process.memoryUsage().arrayBuffers
      f()
      return process.memoryUsage().arrayBuffers - before
    }
    const allocated = allocatedBy(() => jitted(W))
    const allocatedJs = allocatedBy(() => jittedJs(W))
    const eagerAllocated = allocatedBy(() => ours(W))
    return [
      `  N = ${n}: array buffers allocated per call: jit(valueAndGrad) SIMD ${allocated} bytes, JavaScript kernels ${allocatedJs} bytes, eager ${eagerAllocated} bytes (one buffer of N elements: ${8 * n}); the SIMD kernel holds a copy of X and y (${8 * 4 * n} bytes) in its WebAssembly memory`,
      `  N = ${n}: valueAndGrad ${fmt(c.ms['ours']!)} ms, fused loop ${fmt(c.ms['baseline']!)} ms: ${fmt(c.ratio['ours']!)}x (goal <= 1.3x)`,
      `  N = ${n}: jit(valueAndGrad), JavaScript kernels ${fmt(c.ms['js']!)} ms: ${fmt(c.ratio['js']!)}x the fused loop (goal <= 1.1x)`,
      `  N = ${n}: jit(valueAndGrad), WebAssembly SIMD ${fmt(c.ms['simd']!)} ms: ${fmt(c.ratio['simd']!)}x the fused loop (goal <= 0.6x); first call (trace and compile) ${fmt(first)} ms, second (inputs copied in) ${fmt(second)} ms`,
      `  N = ${n}: weights a column [3, 1], labels [N, 1]: valueAndGrad ${fmt(c.ms['column']!)} ms (${fmt(c.ratio['column']! / c.ratio['ours']!)}x the vector form), jit(valueAndGrad) SIMD ${fmt(c.ms['simdColumn']!)} ms (${fmt(c.ratio['simdColumn']! / c.ratio['simd']!)}x the vector form; goal <= 1.1x)`,
    ]
  })
