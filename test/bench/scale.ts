/**
 * Scale: a 10,000,000-row tensor through one batch training step, a 1,000,000-op
 * scalar tape in forward-over-reverse, a 2,000-level diamond; wall time and the peak
 * resident set of the process (from the operating system), as a ceiling to keep.
 */
import { diff, grad, lr, reverse, scalar } from '../../src/index.js'
import { fmt } from './measure.js'
import { chain, diamond } from '../helpers/functions.js'

const timed = (f: () => unknown): number => {
  const t0 = performance.now()
  f()
  return performance.now() - t0
}

export const scaleBench = (): string[] => {
  const tDiamond = timed(() => reverse.grad(diamond(2000))(scalar)(3))
  const tChain = timed(() => grad(chain(500_000))(scalar)(1))
  const tFor = timed(() => diff(grad(chain(500_000)))(scalar)(1))
  const data = lr.gen2dData({ n: 10_000_000, seed: 1 })
  const tStep = timed(() =>
    lr.step(
      { epochs: 1, learningRate: 0.5, method: 'batch' },
      data,
    )({ epoch: 0, weights: [1, 1, 1] }),
  )
  const peak = process.resourceUsage().maxRSS / 1024
  return [
    'Scale (one run each)',
    `  2,000-level diamond, reverse mode: ${fmt(tDiamond)} ms`,
    `  1,000,000-op chain, reverse mode: ${fmt(tChain)} ms; forward-over-reverse: ${fmt(tFor)} ms`,
    `  10,000,000-row batch step (valueAndGrad, then loss and accuracy): ${fmt(tStep)} ms`,
    `  peak resident set of the whole run: ${fmt(peak, 0)} MiB`,
  ]
}
