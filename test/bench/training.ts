/**
 * Batch training at N = 100,000: time per epoch of `lr.step` (valueAndGrad on the
 * tensor backend, then the loss and accuracy of the epoch) against a hand-fused loop
 * doing the same update and the same loss and accuracy; and the heap after epoch 100
 * against after epoch 10 (the fold keeps no per-epoch garbage alive).
 */
import * as E from 'fp-ts/lib/Either.js'
import { lr } from '../../src/index.js'
import { fusedLossAndGrad } from './logistic.js'
import { Tensor } from '../../src/index.js'
import { bytesInUse, collect, compare, fmt } from './measure.js'

/** One fused epoch: gradient step, then the new loss and accuracy. */
const fusedEpoch = (x: Float64Array, y: Float64Array, w: number[], rate: number) => {
  const [, g] = fusedLossAndGrad(x, y, w)
  const next = w.map((wj, j) => wj - rate * g[j]!)
  const [loss] = fusedLossAndGrad(x, y, next)
  let right = 0
  for (let i = 0; i < y.length; i++) {
    const z = x[3 * i]! * next[0]! + x[3 * i + 1]! * next[1]! + x[3 * i + 2]! * next[2]!
    if ((z >= 0 ? 1 : 0) === y[i]) right++
  }
  return { weights: next, loss, accuracy: right / y.length }
}

export const trainingBench = (n = 100_000): string[] => {
  const data = lr.gen2dData({ n, seed: 1 })
  const x = Tensor.toFlat(data.x)
  const y = Tensor.toFlat(data.y)
  const config = { epochs: 1, learningRate: 0.5, method: 'batch' as const }
  const step = lr.step(config, data)
  const w = [1, 1, 1]
  const ours = step({ epoch: 0, weights: w })
  const fused = fusedEpoch(x, y, w, 0.5)
  const err = Math.max(
    ...(ours.weights as ReadonlyArray<number>).map((v, j) => Math.abs(v - fused.weights[j]!)),
    Math.abs(ours.loss - fused.loss),
  )
  if (err > 1e-9) throw new Error(`training bench: step and the fused epoch disagree by ${err}`)
  const c = compare(
    () => fusedEpoch(x, y, w, 0.5),
    { step: () => step({ epoch: 0, weights: w }) },
    15,
    3,
  )

  // Heap growth: read the lazy states, sampling the heap at epochs 10 and 100.
  const run = lr.states({ epochs: 100, learningRate: 0.5, method: 'batch' })(data)
  if (E.isLeft(run)) throw run.left
  let at10 = 0
  let at100 = 0
  for (const s of run.right) {
    if (s.epoch === 10 || s.epoch === 100) {
      collect()
      if (s.epoch === 10) at10 = bytesInUse()
      else at100 = bytesInUse()
    }
  }
  return [
    `Batch training, N = ${n} (time per epoch; medians over interleaved rounds)`,
    `  lr.step vs hand-fused epoch: ${fmt(c.ratio['step']!)}x (${fmt(c.ms['step']!)} ms vs ${fmt(c.ms['baseline']!)} ms; goal <= 1.3x)`,
    `  heap after epoch 100 vs after epoch 10: ${fmt((at100 - at10) / 1024, 0)} KiB difference (${fmt(at10 / 2 ** 20, 1)} MiB vs ${fmt(at100 / 2 ** 20, 1)} MiB)`,
  ]
}
