/**
 * A 2-layer perceptron, 64-128-10, batch 1024: the mean softmax cross-entropy of
 * relu(X·W1 + b1)·W2 + b2 against one-hot labels, and its gradient in W1, b1, W2, b2,
 * by `valueAndGrad` (eager and under `jit`) against the plain float64 loop a careful
 * person writes: row-major i-p-j products with contiguous inner loops, the bias and
 * the relu fused into the first product, one pass per row for the loss and its
 * cotangent, no transposed copies, products by the relu's zeros skipped; and against
 * the same loop with its two large products register-tiled (`blockedMlp`).
 */
import { jit, Tensor, tensor, valueAndGrad, type Tensorial } from '../../src/index.js'
import { compare, fmt } from './measure.js'

interface Params<A> {
  readonly w1: A
  readonly b1: A
  readonly w2: A
  readonly b2: A
}

/** Mean over rows of logsumexp(logits) − ⟨y, logits⟩, logits = relu(X·W1 + b1)·W2 + b2. */
export const mlpLoss =
  (X: Tensor, Y: Tensor) =>
  <A>(T: Tensorial<A>) =>
  (p: Params<A>): A => {
    const h = T.relu(T.add(T.matmul(T.constant(X), p.w1), p.b1))
    const logits = T.add(T.matmul(h, p.w2), p.b2)
    const picked = T.sum(T.mul(T.constant(Y), logits), { axis: 1 })
    return T.mean(T.sub(T.logsumexp(logits, { axis: 1 }), picked))
  }

/** The plain loop: the loss and the gradient, as `loss` and its backward pass. */
export const plainMlp = (
  x: Float64Array,
  y: Float64Array,
  p: Params<Float64Array>,
  sizes: readonly [number, number, number, number],
) => {
  const [n, d, h, c] = sizes
  const z = new Float64Array(n * h)
  const logits = new Float64Array(n * c)
  for (let i = 0; i < n; i++) {
    const zr = i * h
    for (let j = 0; j < h; j++) z[zr + j] = p.b1[j]!
    for (let q = 0; q < d; q++) {
      const a = x[i * d + q]!
      const wr = q * h
      for (let j = 0; j < h; j++) z[zr + j] = z[zr + j]! + a * p.w1[wr + j]!
    }
    for (let j = 0; j < h; j++) if (!(z[zr + j]! > 0)) z[zr + j] = 0
    const lr = i * c
    for (let j = 0; j < c; j++) logits[lr + j] = p.b2[j]!
    for (let q = 0; q < h; q++) {
      const a = z[zr + q]!
      if (a === 0) continue
      const wr = q * c
      for (let j = 0; j < c; j++) logits[lr + j] = logits[lr + j]! + a * p.w2[wr + j]!
    }
  }
  // Loss, and the cotangent of the logits (softmax − y) / n, in place.
  let total = 0
  for (let i = 0; i < n; i++) {
    const r = i * c
    let max = -Infinity
    for (let j = 0; j < c; j++) max = Math.max(max, logits[r + j]!)
    let s = 0
    for (let j = 0; j < c; j++) s += Math.exp(logits[r + j]! - max)
    const lse = max + Math.log(s)
    for (let j = 0; j < c; j++) {
      total += y[r + j]! * (lse - logits[r + j]!)
      logits[r + j] = (Math.exp(logits[r + j]! - lse) - y[r + j]!) / n
    }
  }
  const gw1 = new Float64Array(d * h)
  const gb1 = new Float64Array(h)
  const gw2 = new Float64Array(h * c)
  const gb2 = new Float64Array(c)
  const gz = new Float64Array(h)
  for (let i = 0; i < n; i++) {
    const lr = i * c
    const zr = i * h
    for (let j = 0; j < c; j++) gb2[j] = gb2[j]! + logits[lr + j]!
    for (let q = 0; q < h; q++) {
      const a = z[zr + q]!
      if (a === 0) {
        gz[q] = 0
        continue
      }
      let s = 0
      const wr = q * c
      for (let j = 0; j < c; j++) {
        const u = logits[lr + j]!
        gw2[wr + j] = gw2[wr + j]! + a * u
        s += u * p.w2[wr + j]!
      }
      gz[q] = s
      gb1[q] = gb1[q]! + s
    }
    for (let q = 0; q < d; q++) {
      const a = x[i * d + q]!
      const wr = q * h
      for (let j = 0; j < h; j++) gw1[wr + j] = gw1[wr + j]! + a * gz[j]!
    }
  }
  return [total / n, { w1: gw1, b1: gb1, w2: gw2, b2: gb2 }] as const
}

/**
 * The same with the two large products register-tiled, as a careful person who knows
 * the trick writes them: X·W1 (bias and relu fused) and the gradient of W1, Xᵀ·∂Z, each
 * in 2×4 tiles of sums kept in locals, read in place (no transposed copy). The small
 * products (width 10) stay as in `plainMlp`. Even batch, h a multiple of 4 and d even.
 */
export const blockedMlp = (
  x: Float64Array,
  y: Float64Array,
  p: Params<Float64Array>,
  sizes: readonly [number, number, number, number],
) => {
  const [n, d, h, c] = sizes
  const z = new Float64Array(n * h)
  for (let i = 0; i < n; i += 2)
    for (let j = 0; j < h; j += 4) {
      let [c00, c01, c02, c03] = [p.b1[j]!, p.b1[j + 1]!, p.b1[j + 2]!, p.b1[j + 3]!]
      let [c10, c11, c12, c13] = [c00, c01, c02, c03]
      for (let q = 0; q < d; q++) {
        const a0 = x[i * d + q]!
        const a1 = x[(i + 1) * d + q]!
        const w = q * h + j
        const [b0, b1, b2, b3] = [p.w1[w]!, p.w1[w + 1]!, p.w1[w + 2]!, p.w1[w + 3]!]
        c00 += a0 * b0
        c01 += a0 * b1
        c02 += a0 * b2
        c03 += a0 * b3
        c10 += a1 * b0
        c11 += a1 * b1
        c12 += a1 * b2
        c13 += a1 * b3
      }
      const o = i * h + j
      z[o] = c00 > 0 ? c00 : 0
      z[o + 1] = c01 > 0 ? c01 : 0
      z[o + 2] = c02 > 0 ? c02 : 0
      z[o + 3] = c03 > 0 ? c03 : 0
      z[o + h] = c10 > 0 ? c10 : 0
      z[o + h + 1] = c11 > 0 ? c11 : 0
      z[o + h + 2] = c12 > 0 ? c12 : 0
      z[o + h + 3] = c13 > 0 ? c13 : 0
    }
  const logits = new Float64Array(n * c)
  for (let i = 0; i < n; i++) {
    const lr = i * c
    for (let j = 0; j < c; j++) logits[lr + j] = p.b2[j]!
    for (let q = 0; q < h; q++) {
      const a = z[i * h + q]!
      if (a === 0) continue
      const wr = q * c
      for (let j = 0; j < c; j++) logits[lr + j] = logits[lr + j]! + a * p.w2[wr + j]!
    }
  }
  let total = 0
  for (let i = 0; i < n; i++) {
    const r = i * c
    let max = -Infinity
    for (let j = 0; j < c; j++) max = Math.max(max, logits[r + j]!)
    let s = 0
    for (let j = 0; j < c; j++) s += Math.exp(logits[r + j]! - max)
    const lse = max + Math.log(s)
    for (let j = 0; j < c; j++) {
      total += y[r + j]! * (lse - logits[r + j]!)
      logits[r + j] = (Math.exp(logits[r + j]! - lse) - y[r + j]!) / n
    }
  }
  const gw2 = new Float64Array(h * c)
  const gb2 = new Float64Array(c)
  const gb1 = new Float64Array(h)
  // ∂Z, row by row (0 where the relu is off), kept for the tiled Xᵀ·∂Z.
  const gz = new Float64Array(n * h)
  for (let i = 0; i < n; i++) {
    const lr = i * c
    for (let j = 0; j < c; j++) gb2[j] = gb2[j]! + logits[lr + j]!
    for (let q = 0; q < h; q++) {
      const a = z[i * h + q]!
      if (a === 0) continue
      let s = 0
      const wr = q * c
      for (let j = 0; j < c; j++) {
        const u = logits[lr + j]!
        gw2[wr + j] = gw2[wr + j]! + a * u
        s += u * p.w2[wr + j]!
      }
      gz[i * h + q] = s
      gb1[q] = gb1[q]! + s
    }
  }
  const gw1 = new Float64Array(d * h)
  for (let q = 0; q < d; q += 2)
    for (let j = 0; j < h; j += 4) {
      let [c00, c01, c02, c03, c10, c11, c12, c13] = [0, 0, 0, 0, 0, 0, 0, 0]
      for (let i = 0; i < n; i++) {
        const a0 = x[i * d + q]!
        const a1 = x[i * d + q + 1]!
        const g = i * h + j
        const [b0, b1, b2, b3] = [gz[g]!, gz[g + 1]!, gz[g + 2]!, gz[g + 3]!]
        c00 += a0 * b0
        c01 += a0 * b1
        c02 += a0 * b2
        c03 += a0 * b3
        c10 += a1 * b0
        c11 += a1 * b1
        c12 += a1 * b2
        c13 += a1 * b3
      }
      const o = q * h + j
      gw1.set([c00, c01, c02, c03], o)
      gw1.set([c10, c11, c12, c13], o + h)
    }
  return [total / n, { w1: gw1, b1: gb1, w2: gw2, b2: gb2 }] as const
}

const random = (count: number, seed: number, scale: number): Float64Array => {
  let s = seed
  return Float64Array.from({ length: count }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return (s / 2 ** 32 - 0.5) * scale
  })
}

export const mlpBench = (): string[] => {
  const sizes = [1024, 64, 128, 10] as const
  const [n, d, h, c] = sizes
  const x = random(n * d, 1, 2)
  const y = new Float64Array(n * c)
  for (let i = 0; i < n; i++) y[i * c + ((i * 7) % c)] = 1
  const p = {
    w1: random(d * h, 2, 0.3),
    b1: random(h, 3, 0.1),
    w2: random(h * c, 4, 0.3),
    b2: random(c, 5, 0.1),
  }
  const P = {
    w1: Tensor.fromArray(p.w1, [d, h]),
    b1: Tensor.fromArray(p.b1, [h]),
    w2: Tensor.fromArray(p.w2, [h, c]),
    b2: Tensor.fromArray(p.b2, [c]),
  }
  const X = Tensor.fromArray(x, [n, d])
  const Y = Tensor.fromArray(y, [n, c])
  const eager = valueAndGrad(mlpLoss(X, Y))(tensor)
  const jitted = jit(valueAndGrad(mlpLoss(X, Y)))(tensor)
  const [want, wantGrad] = plainMlp(x, y, p, sizes)
  const blocked = () => {
    const [v, g] = blockedMlp(x, y, p, sizes)
    return [
      Tensor.scalar(v),
      {
        w1: Tensor.fromArray(g.w1, [d, h]),
        b1: Tensor.fromArray(g.b1, [h]),
        w2: Tensor.fromArray(g.w2, [h, c]),
        b2: Tensor.fromArray(g.b2, [c]),
      },
    ] as const
  }
  for (const f of [eager, jitted, jitted, blocked]) {
    const [v, g] = f(P)
    const err = Math.max(
      Math.abs((Tensor.toArray(v) as number) - want) / Math.abs(want),
      ...(['w1', 'b1', 'w2', 'b2'] as const).flatMap((k) =>
        Array.from(Tensor.toFlat(g[k]), (gk, q) => Math.abs(gk - wantGrad[k][q]!)),
      ),
    )
    if (!(err < 1e-9)) throw new Error(`mlp bench: ad-ts and the plain loop disagree by ${err}`)
  }
  const r = compare(() => plainMlp(x, y, p, sizes), {
    blocked: () => blockedMlp(x, y, p, sizes),
    eager: () => eager(P),
    jit: () => jitted(P),
  })
  const rb = compare(() => blockedMlp(x, y, p, sizes), {
    eager: () => eager(P),
    jit: () => jitted(P),
  })
  const flops = 2 * n * (d * h + h * c) * 2 + 2 * n * h * c
  return [
    `2-layer MLP ${d}-${h}-${c}, batch ${n}, softmax cross-entropy, loss + gradient (medians over interleaved rounds)`,
    `  plain float64 loop: ${fmt(r.ms['baseline']!)} ms (${fmt(flops / r.ms['baseline']! / 1e6)} GFLOP/s in its products)`,
    `  valueAndGrad, eager: ${fmt(r.ms['eager']!)} ms: ${fmt(r.ratio['eager']!)}x the plain loop (goal <= 0.6x)`,
    `  jit(valueAndGrad): ${fmt(r.ms['jit']!)} ms: ${fmt(r.ratio['jit']!)}x the plain loop (goal <= 0.3x)`,
    `  the loop with its two large products in 2x4 register tiles: ${fmt(r.ms['blocked']!)} ms (${fmt(r.ratio['blocked']!)}x the plain loop); against it, eager ${fmt(rb.ratio['eager']!)}x and jit ${fmt(rb.ratio['jit']!)}x`,
  ]
}
