/**
 * Rosenbrock benchmark (n = 10,000, scalar ops): our reverse-mode `grad` against a
 * hand-written flat tape and a micrograd-style graph, one `jvp` direction against bare
 * dual numbers, and the memory per recorded op.
 */
import { grad, jvp, scalar, Tape } from '../../src/index.js'
import { type Var } from '../../src/internal.js'
import { rosenbrock } from '../helpers/functions.js'
import { bareDualJvp, flatTapeGrad, microgradGrad, reusingFlatTapeGrad } from './baselines.js'
import { bytesInUse, collect, compare, compareBlocks, fmt, type Comparison } from './measure.js'

const check = (a: ArrayLike<number>, b: ArrayLike<number>, what: string): void => {
  for (let i = 0; i < a.length; i++) {
    if (Math.abs(a[i]! - b[i]!) > 1e-9 * Math.max(1, Math.abs(b[i]!))) {
      throw new Error(`${what} disagrees with the baseline at ${i}: ${a[i]} vs ${b[i]}`)
    }
  }
}

/** Bytes per recorded op: a long chain recorded, measured while its tape is alive. */
const bytesPerOp = (ops: number): number => {
  collect()
  const before = bytesInUse()
  const [, tape] = Tape.run(scalar)(
    Tape.record<number, Var<number>>((R) => {
      let y = R.lift(1)
      for (let i = 0; i < ops; i++) y = R.mul(y, y)
      return y
    }),
  )
  collect()
  const after = bytesInUse()
  const perOp = (after - before) / Tape.size(tape)
  return perOp
}

export const rosenbrockBench = (n = 10_000): ReadonlyArray<string> => {
  const xs = Array.from({ length: n }, (_, i) => 0.5 + 0.001 * (i % 100))
  const dirs = Array.from({ length: n }, (_, i) => ((i * 7919) % 13) / 13 - 0.5)
  const ours = grad(rosenbrock)(scalar)
  check(ours(xs), flatTapeGrad(xs), 'grad')
  check(microgradGrad(xs), flatTapeGrad(xs), 'micrograd baseline')
  const [, jv] = jvp(rosenbrock)(scalar)(xs, dirs)
  check([jv], [bareDualJvp(xs, dirs)], 'jvp')

  const g = compare(() => flatTapeGrad(xs), { grad: () => ours(xs) })
  const reusing = reusingFlatTapeGrad(n)
  check(reusing(xs), flatTapeGrad(xs), 'reusing flat tape baseline')
  const gr = compare(() => reusing(xs), { grad: () => ours(xs) })
  // micrograd's garbage would slow whatever runs next, so each side runs in its own block.
  const m = compareBlocks(
    () => ours(xs),
    () => microgradGrad(xs),
  )
  const j = compare(() => bareDualJvp(xs, dirs), { jvp: () => jvp(rosenbrock)(scalar)(xs, dirs) })
  const memory = bytesPerOp(2_000_000)
  const r = (c: Comparison, k: string) => fmt(c.ratio[k]!)
  return [
    `Rosenbrock, n = ${n} (scalar ops; medians over 21 interleaved rounds)`,
    `  grad vs flat typed-array tape: ${r(g, 'grad')}x (${fmt(g.ms['grad']!)} ms vs ${fmt(g.ms['baseline']!)} ms; goal <= 1.3x)`,
    `  grad vs the flat tape reusing its arrays, as grad does: ${r(gr, 'grad')}x (${fmt(gr.ms['grad']!)} ms vs ${fmt(gr.ms['baseline']!)} ms)`,
    `  micrograd-style graph vs grad: ${fmt(m.b / m.a, 1)}x slower (${fmt(m.b)} ms vs ${fmt(m.a)} ms, separate blocks; goal >= 50x)`,
    `  jvp (one direction) vs bare dual objects: ${r(j, 'jvp')}x (${fmt(j.ms['jvp']!)} ms vs ${fmt(j.ms['baseline']!)} ms; goal <= 4x, then 1.5x)`,
    `  memory per recorded scalar op: ${fmt(memory, 1)} bytes (goal <= 64)`,
  ]
}
