/**
 * The transformations: per-example gradients by vmap against one batch gradient (the
 * 2-layer MLP of the README, batch 128), the cost of jit's closure check against a
 * jitted logistic-regression step, and checkpoint's memory and time on a deep chain.
 */
import {
  checkpoint,
  grad,
  jit,
  tensor,
  Tensor,
  valueAndGrad,
  vmap,
  type Tensorial,
} from '../../src/index.js'
import { shapedArgs, shapes } from '../../src/jit/shapes.js'
import { bytesInUse, collect, compare, fmt } from './measure.js'

const seeded = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => Math.sin(seed * 1000 + i * 12.9898) * 0.5)

type Mlp<A> = { readonly W1: A; readonly b1: A; readonly W2: A; readonly b2: A }
const mlpLoss =
  <A>(T: Tensorial<A>) =>
  (p: Mlp<A>, x: A, y: A): A => {
    const h = T.tanh(T.add(T.matmul(x, p.W1), p.b1))
    const logits = T.add(T.matmul(h, p.W2), p.b2)
    return T.mean(T.sub(T.logsumexp(logits, { axis: -1 }), T.sum(T.mul(logits, y), { axis: -1 })))
  }

const perExampleBench = (): ReadonlyArray<string> => {
  const [d, h, k, b] = [64, 128, 10, 128]
  const p: Mlp<Tensor> = {
    W1: Tensor.fromArray(seeded(d * h, 1), [d, h]),
    b1: Tensor.fromArray(seeded(h, 2)),
    W2: Tensor.fromArray(seeded(h * k, 3), [h, k]),
    b2: Tensor.fromArray(seeded(k, 4)),
  }
  const x = Tensor.fromArray(seeded(b * d, 5), [b, d])
  const y = Tensor.fromArray(
    Array.from({ length: b * k }, (_, i) => (i % k === Math.floor(i / k) % k ? 1 : 0)),
    [b, k],
  )
  const batchGrad = grad(mlpLoss)(tensor)
  const perExample = vmap(grad(mlpLoss), { inAxes: [null, 0, 0] })
  const eager = perExample(tensor)
  const jitted = jit(perExample)(tensor)
  const rows = (i: number, t: Tensor) => tensor.slice(t, [i], [i + 1])
  const loop = () => Array.from({ length: b }, (_, i) => batchGrad(p, rows(i, x), rows(i, y)))
  const c = compare(
    () => batchGrad(p, x, y),
    {
      vmap: () => eager(p, x, y),
      jitVmap: () => jitted(p, x, y),
      loop,
    },
    11,
    3,
  )
  return [
    `Per-example gradients, MLP ${d}-${h}-${k}, batch ${b} (medians over 11 interleaved rounds; baseline one batch gradient, ${fmt(c.ms['baseline']!)} ms)`,
    `  vmap(grad): ${fmt(c.ratio['vmap']!)}x one batch gradient (${fmt(c.ms['vmap']!)} ms; goal <= 3x)`,
    `  jit(vmap(grad)): ${fmt(c.ratio['jitVmap']!)}x (${fmt(c.ms['jitVmap']!)} ms; goal <= 2x)`,
    `  a loop of ${b} grad calls: ${fmt(c.ratio['loop']!)}x (${fmt(c.ms['loop']!)} ms)`,
  ]
}

const closureCheckBench = (): ReadonlyArray<string> => {
  const n = 100_000
  const x = Tensor.fromArray(seeded(n * 3, 6), [n, 3])
  const y = Tensor.fromArray(Array.from({ length: n }, (_, i) => i % 2))
  const w = Tensor.fromArray([0.1, 0.2, 0.3])
  const lr =
    <A>(T: Tensorial<A>) =>
    (w: A, x: A, y: A): A => {
      const z = T.matmul(x, w)
      return T.mean(T.sub(T.softplus(z), T.mul(y, z)))
    }
  const step = jit(valueAndGrad(lr))(tensor)
  const sink = { signature: [] as unknown[] }
  const S = shapes(sink)
  const check = () => {
    sink.signature = []
    return (valueAndGrad(lr) as unknown as (T: unknown) => (...a: unknown[]) => unknown)(S)(
      ...shapedArgs([w, x, y]),
    )
  }
  const c = compare(() => step(w, x, y), { check }, 21, 5)
  return [
    `jit's closure check (f run on the shape-only instance each call), LR step N = ${n}`,
    `  check: ${fmt(c.ratio['check']! * 100, 2)}% of a jitted step (${fmt(c.ms['check']!, 3)} ms of ${fmt(c.ms['baseline']!)} ms; goal <= 5%)`,
  ]
}

const checkpointBench = (): ReadonlyArray<string> => {
  const [n, layers, block] = [1000, 1000, 30]
  const x = Tensor.fromArray(seeded(n, 7))
  const layer =
    <A>(T: Tensorial<A>) =>
    (v: A): A =>
      T.tanh(T.add(T.mul(v, T.fromNumber(0.9)), T.fromNumber(0.01)))
  const span =
    (count: number) =>
    <A>(T: Tensorial<A>) =>
    (v: A): A => {
      let y = v
      for (let i = 0; i < count; i++) y = layer(T)(y)
      return y
    }
  const saved = checkpoint(span(block))
  const chain =
    (useCheckpoint: boolean) =>
    <A>(T: Tensorial<A>) =>
    (v: A): A => {
      let y = v
      let done = 0
      while (done < layers) {
        const count = Math.min(block, layers - done)
        y = useCheckpoint && count === block ? saved(T)(y) : span(count)(T)(y)
        done += count
      }
      return T.sum(y)
    }
  // Peak memory: the tape is alive when the last layer is recorded; sampled there.
  const peak = (useCheckpoint: boolean) => {
    collect()
    const before = bytesInUse()
    let most = 0
    // Collected first: what stays is what the tape holds.
    const probe = checkpoint(<A>(_T: Tensorial<A>) => (v: A): A => {
      collect()
      most = Math.max(most, bytesInUse() - before)
      return v
    })
    const f =
      <A>(T: Tensorial<A>) =>
      (v: A): A => {
        const y = chain(useCheckpoint)(T)(v)
        return T.sum(probe(T)(y))
      }
    grad(f)(tensor)(x)
    return most
  }
  const plain = peak(false)
  const kept = peak(true)
  const c = compare(
    () => grad(chain(false))(tensor)(x),
    { checkpoint: () => grad(chain(true))(tensor)(x) },
    7,
    2,
  )
  return [
    `checkpoint: grad through ${layers} tanh layers on [${n}] in blocks of ${block}`,
    `  memory alive at the end of the forward pass: ${fmt(kept / 1e6, 1)} MB vs ${fmt(plain / 1e6, 1)} MB (${fmt(kept / plain, 3)}; goal <= 0.1)`,
    `  time: ${fmt(c.ratio['checkpoint']!)}x without (${fmt(c.ms['checkpoint']!)} ms vs ${fmt(c.ms['baseline']!)} ms; goal <= 1.5x)`,
  ]
}

export const transformsBench = (): ReadonlyArray<string> => [
  ...perExampleBench(),
  ...closureCheckBench(),
  ...checkpointBench(),
]
