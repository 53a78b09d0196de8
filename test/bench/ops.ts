/**
 * The ops of "the ops people reach for": Rosenbrock vectorised with slice on the tensor
 * backend against the hand-written flat tape of its scalar form, and softmax
 * cross-entropy on logits [1000, 10] (valueAndGrad) against a hand-fused loop.
 */
import { grad, jit, Tensor, tensor, valueAndGrad, type Tensorial } from '../../src/index.js'
import { flatTapeGrad } from './baselines.js'
import { compare, fmt } from './measure.js'

export const rosenbrockVectorised =
  <A>(T: Tensorial<A>) =>
  (x: A): A => {
    const head = T.slice(x, [0], [-1])
    const tail = T.slice(x, [1], [T.shape(x)[0]!])
    const a = T.sub(tail, T.mul(head, head))
    const b = T.sub(T.one, head)
    return T.sum(T.add(T.mul(T.fromNumber(100), T.mul(a, a)), T.mul(b, b)))
  }

const crossEntropy =
  (Y: Tensor) =>
  <A>(T: Tensorial<A>) =>
  (z: A): A =>
    T.neg(T.mean(T.sum(T.mul(T.constant(Y), T.logSoftmax(z)), { axis: 1 })))

/** The same loss and its gradient (softmax − y) / n in one pass per row. */
const fusedCrossEntropy = (z: Float64Array, y: Float64Array, n: number, k: number) => {
  const g = new Float64Array(n * k)
  let loss = 0
  for (let i = 0; i < n; i++) {
    let m = -Infinity
    for (let j = 0; j < k; j++) m = Math.max(m, z[i * k + j]!)
    let s = 0
    for (let j = 0; j < k; j++) s += Math.exp(z[i * k + j]! - m)
    const lse = m + Math.log(s)
    for (let j = 0; j < k; j++) {
      const p = Math.exp(z[i * k + j]! - lse)
      loss -= y[i * k + j]! * (z[i * k + j]! - lse)
      g[i * k + j] = (p - y[i * k + j]!) / n
    }
  }
  return [loss / n, g] as const
}

export const opsBench = (): ReadonlyArray<string> => {
  const n = 10_000
  const xs = Array.from({ length: n }, (_, i) => 0.5 + 0.001 * (i % 100))
  const X = Tensor.fromArray(xs)
  const ours = grad(rosenbrockVectorised)(tensor)
  const g = Tensor.toFlat(ours(X))
  const want = flatTapeGrad(xs)
  g.forEach((v, i) => {
    if (Math.abs(v - want[i]!) > 1e-9 * Math.max(1, Math.abs(want[i]!))) {
      throw new Error(`vectorised Rosenbrock disagrees with the flat tape at ${i}`)
    }
  })
  const compiled = jit(grad(rosenbrockVectorised))(tensor)
  compiled(X)
  const r = compare(() => flatTapeGrad(xs), { ours: () => ours(X), jit: () => compiled(X) })

  const [rows, k] = [1000, 10]
  const z = Float64Array.from({ length: rows * k }, (_, i) => Math.sin(i) * 3)
  // One-hot labels: row r has class 7r mod k.
  const y = Float64Array.from({ length: rows * k }, (_, i) =>
    i % k === (Math.floor(i / k) * 7) % k ? 1 : 0,
  )
  const Z = Tensor.fromArray(z, [rows, k])
  const Y = Tensor.fromArray(y, [rows, k])
  const ce = valueAndGrad(crossEntropy(Y))(tensor)
  const [l1, g1] = ce(Z)
  const [l2, g2] = fusedCrossEntropy(z, y, rows, k)
  const gf = Tensor.toFlat(g1)
  const err = Math.max(
    Math.abs((Tensor.toArray(l1) as number) - l2),
    ...Array.from(gf, (v, i) => Math.abs(v - g2[i]!)).slice(0, 100),
  )
  if (err > 1e-9) throw new Error(`softmax cross-entropy disagrees with the fused loop by ${err}`)
  const ceJit = jit(valueAndGrad(crossEntropy(Y)))(tensor)
  ceJit(Z)
  const c = compare(() => fusedCrossEntropy(z, y, rows, k), {
    ours: () => ce(Z),
    jit: () => ceJit(Z),
  })
  return [
    'Ops on the tensor backend (medians over interleaved rounds)',
    `  Rosenbrock n = ${n} vectorised with slice, grad vs flat tape of the scalar form: ${fmt(r.ratio['ours']!)}x (${fmt(r.ms['ours']!)} ms vs ${fmt(r.ms['baseline']!)} ms)`,
    `  the same, jit(grad): ${fmt(r.ratio['jit']!)}x (${fmt(r.ms['jit']!)} ms)`,
    `  softmax cross-entropy [${rows}, ${k}], valueAndGrad vs fused loop: ${fmt(c.ratio['ours']!)}x (${fmt(c.ms['ours']!)} ms vs ${fmt(c.ms['baseline']!)} ms; goal <= 3x)`,
    `  the same, jit(valueAndGrad): ${fmt(c.ratio['jit']!)}x (${fmt(c.ms['jit']!)} ms)`,
  ]
}
