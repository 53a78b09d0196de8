/**
 * Second-order training: newton and lbfgs on a generated data set of the shape of the
 * Wisconsin breast-cancer data (n = 569, d = 30, correlated features), to a gradient
 * norm of 1e-8; and a 100,000-row, 30-feature CSV loaded and trained by lbfgs through
 * the command, with the process's peak memory. Time is also given in units of one
 * hand-fused objective-and-gradient pass measured in the same run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { runLr } from '../../src/cli/lr.js'
import { nodeIo } from '../../src/cli/nodeIo.js'
import { lr, normal, Tensor } from '../../src/index.js'
import { fmt, median } from './measure.js'

/** n rows of d correlated features (each x_j = z_j + 0.8·z_0) and labels of a noisy linear rule. */
const generated = (n: number, d: number, seed: number) => {
  const z = Tensor.toFlat(normal([n, d], { seed }))
  const noise = Tensor.toFlat(normal([n], { seed: seed + 1 }))
  const x = new Float64Array(n * (d + 1))
  const y = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    x[i * (d + 1)] = 1
    let s = noise[i]!
    for (let j = 0; j < d; j++) {
      const v = z[i * d + j]! + 0.8 * z[i * d]!
      x[i * (d + 1) + 1 + j] = v
      s += (j % 3 === 0 ? 1 : -0.5) * v
    }
    y[i] = s > 0 ? 1 : 0
  }
  return { x, y, data: { x: Tensor.fromArray(x, [n, d + 1]), y: Tensor.fromArray(y, [n]) } }
}

/** One objective-and-gradient pass of the L2-penalised mean NLL, fused by hand. */
const fusedPass = (x: Float64Array, y: Float64Array, w: Float64Array, l2: number): number => {
  const k = w.length
  const n = y.length
  const g = new Float64Array(k)
  let loss = 0
  for (let i = 0; i < n; i++) {
    let z = 0
    for (let j = 0; j < k; j++) z += x[i * k + j]! * w[j]!
    loss += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y[i]! * z
    const r = 1 / (1 + Math.exp(-z)) - y[i]!
    for (let j = 0; j < k; j++) g[j] = g[j]! + (r * x[i * k + j]!) / n
  }
  for (let j = 1; j < k; j++) loss += (l2 / 2) * w[j]! ** 2
  return loss / n + g[0]!
}

const time = (f: () => unknown): number => {
  const t0 = performance.now()
  f()
  return performance.now() - t0
}

export const solversBench = async (): Promise<string[]> => {
  const { x, y, data } = generated(569, 30, 7)
  const l2 = 1e-3
  const w = new Float64Array(31).fill(0.01)
  const pass = median(Array.from({ length: 30 }, () => time(() => fusedPass(x, y, w, l2))))
  const lines = [
    `Second-order training, n = 569, d = 30 (generated, correlated), l2 = ${l2}, to a gradient norm of 1e-8 (median of 5 runs)`,
  ]
  for (const method of ['newton', 'lbfgs'] as const) {
    let result: lr.TrainResult | undefined
    const ms = median(
      Array.from({ length: 5 }, () =>
        time(() => {
          const r = lr.train({ epochs: 1000, method, l2 })(data)
          if (E.isLeft(r)) throw r.left
          result = r.right
        }),
      ),
    )
    const stop = result!.stop!
    lines.push(
      `  ${method.padEnd(6)}: ${stop.iterations} iterations, ${fmt(ms, 1)} ms (${fmt(ms / pass, 0)} hand-fused gradient passes of ${fmt(pass, 3)} ms), stopped ${stop.reason} at gradient norm ${stop.gradientNorm.toExponential(1)}`,
    )
  }

  // 100,000 rows through the command: read, decode, train by lbfgs, report.
  const big = generated(100_000, 30, 11)
  const dir = mkdtempSync(join(tmpdir(), 'ad-ts-bench-'))
  const file = join(dir, 'big.csv')
  const header = [...Array.from({ length: 30 }, (_, j) => `f${j + 1}`), 'label'].join(',')
  const rows: string[] = [header]
  for (let i = 0; i < 100_000; i++) {
    const cells = Array.from({ length: 30 }, (_, j) => big.x[i * 31 + 1 + j]!.toPrecision(8))
    rows.push(`${cells.join(',')},${big.y[i] === 1 ? 'M' : 'B'}`)
  }
  writeFileSync(file, rows.join('\n'))
  const heapBefore = process.memoryUsage().heapUsed
  let out = ''
  const start = performance.now()
  const status = await runLr(
    ['--data', file, '--method', 'lbfgs', '--l2', '1e-4', '--standardize', '--json'],
    {
      ...nodeIo,
      stdout: (t) => void (out += t),
      isTTY: false,
      writeFileAtomic: () => E.right(undefined),
    },
  )
  if (status !== 0) throw new Error(`ad-ts lr exited ${status}`)
  const ms = performance.now() - start
  const result = JSON.parse(out) as {
    stop: { iterations: number; reason: string }
    accuracy: { train: number }
  }
  const peak = process.resourceUsage().maxRSS / 1024
  rmSync(dir, { recursive: true, force: true })
  lines.push(
    `  100,000-row, 30-feature CSV (${fmt(rows.join('\n').length / 1e6, 1)} MB) loaded, standardised and trained by lbfgs through ad-ts lr: ${fmt(ms / 1000, 2)} s (goal ≤ 10 s), ${result.stop.iterations} iterations, ${result.stop.reason}, training accuracy ${fmt(result.accuracy.train, 4)}; heap growth ${fmt((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20, 0)} MB, peak resident set of the process ${fmt(peak, 0)} MB`,
  )
  return lines
}
