/**
 * `npm run -s bench:streaming [-- MB]`: training on a CSV file larger than one wants in
 * memory. Generates a CSV of about MB megabytes (default 1024: 10 features, labels 0
 * and 1), trains 2 epochs of adam with `--batch-size 1024` by the `ad-ts lr` command,
 * which streams the file, and reports the rows a second and the peak resident memory of
 * that process (GNU time's maximum RSS). Then it trains on the same rows held whole with
 * `lr.train` on the same batch order (same scaler, same shuffle) and says whether the
 * weights are equal, bit for bit. It deletes the file. A benchmark: it asserts nothing
 * about time, and exits 1 only when the weights differ.
 */
import { spawnSync } from 'node:child_process'
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { lr } from '../../src/index.js'
import { internal } from '../../src/tensor/Tensor.js'

const megabytes = Number(process.argv[2] ?? 1024)
const features = 10
const dir = mkdtempSync(join(tmpdir(), 'ad-ts-stream-'))
const file = join(dir, 'big.csv')

/** Writes rows of uniform features until the file holds `bytes`; label 1 where a fixed plane is crossed. */
const generate = async (bytes: number): Promise<number> => {
  const out = createWriteStream(file)
  const names = Array.from({ length: features }, (_, j) => `f${j + 1}`)
  out.write(`${names.join(',')},label\n`)
  const next = lr.mulberry32(42)
  let written = 0
  let rows = 0
  while (written < bytes) {
    let block = ''
    for (let i = 0; i < 10_000; i++) {
      let s = 0
      const cells: string[] = []
      for (let j = 0; j < features; j++) {
        const v = next() * 2 - 1
        s += v * (j % 3 === 0 ? 1 : -0.5)
        cells.push(v.toFixed(6))
      }
      // A little label noise, so that the classes are not separable.
      cells.push(s + 0.3 * (next() - 0.5) > 0 ? '1' : '0')
      block += `${cells.join(',')}\n`
    }
    rows += 10_000
    written += block.length
    if (!out.write(block)) await new Promise<void>((r) => out.once('drain', () => r()))
  }
  await new Promise<void>((r) => out.end(() => r()))
  return rows
}

/** The same rows held whole, as the in-memory trainer takes them. */
const readWhole = async (rows: number): Promise<lr.Dataset> => {
  const x = new Float64Array(rows * (features + 1))
  const y = new Float64Array(rows)
  let i = -1
  for await (const line of createInterface({ input: createReadStream(file) })) {
    if (i >= 0) {
      const cells = line.split(',')
      x[i * (features + 1)] = 1
      for (let j = 0; j < features; j++) x[i * (features + 1) + j + 1] = Number(cells[j])
      y[i] = Number(cells[features])
    }
    i++
  }
  return { x: internal.make(x, [rows, features + 1]), y: internal.make(y, [rows]) }
}

const main = async () => {
  console.log(
    `Streaming: ${megabytes} MB CSV, ${features} features, 2 epochs of adam, batches of 1024`,
  )
  const rows = await generate(megabytes * 1e6)
  const size = statSync(file).size
  console.log(`  generated ${rows.toLocaleString('en')} rows, ${(size / 1e6).toFixed(0)} MB`)
  try {
    const cli = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url))
    const args = [
      'lr',
      '--data',
      file,
      '--method',
      'adam',
      '--batch-size',
      '1024',
      '--epochs',
      '2',
      '--json',
    ]
    const start = performance.now()
    // GNU time reports the child's peak resident memory on stderr.
    const run = spawnSync(
      '/usr/bin/time',
      ['-f', 'maxrss_kb=%M', process.execPath, '--import', 'tsx', cli, ...args],
      { encoding: 'utf8', maxBuffer: 1 << 26 },
    )
    const seconds = (performance.now() - start) / 1000
    if (run.status !== 0) throw new Error(`ad-ts lr failed: ${run.stderr}`)
    const peak = Number(/maxrss_kb=(\d+)/.exec(run.stderr)?.[1]) / 1024
    const result = JSON.parse(run.stdout) as { weights: number[] }
    console.log(`  peak resident memory of the streaming process: ${peak.toFixed(0)} MB`)
    console.log(
      `  ad-ts lr (streamed): ${seconds.toFixed(1)} s for 2 epochs plus the passes that count rows and fit the scaler`,
    )
    console.log(
      `  ${Math.round((2 * rows) / seconds).toLocaleString('en')} rows a second of training, counting every pass's time; ${Math.round((5 * rows) / seconds).toLocaleString('en')} rows a second read (5 passes)`,
    )
    const whole = await readWhole(rows)
    const scaled = lr.standardize(whole, lr.fitScaler(whole))
    const memory = lr.train({
      epochs: 2,
      method: 'adam',
      learningRate: 0.01,
      l2: 1 / rows,
      batchSize: 1024,
      shuffleSeed: 1,
    })(scaled)
    if (memory._tag === 'Left') throw memory.left
    const same = JSON.stringify(memory.right.weights) === JSON.stringify(result.weights)
    console.log(`  weights equal the in-memory run on the same batch order, bit for bit: ${same}`)
    if (!same) {
      console.log(
        `  streamed  ${JSON.stringify(result.weights)}\n  in memory ${JSON.stringify(memory.right.weights)}`,
      )
      process.exitCode = 1
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
