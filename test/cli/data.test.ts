/**
 * `ad-ts lr --data` on the data people have: scikit-learn's defaults checked against an
 * independent fit, Parquet against CSV, streamed files against the rows held whole, and
 * column selection.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parquetWriteBuffer } from 'hyparquet-writer'
import { afterAll, describe, expect, test } from 'vitest'
import { runCli } from '../helpers/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'ad-ts-data-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const path = (name: string): string => join(dir, name)

const irisPath = new URL('../../docs/iris.csv', import.meta.url).pathname
const irisLines = readFileSync(irisPath, 'utf8').trim().split(/\r?\n/)
const irisNames = irisLines[0]!.split(',')
const irisRows = irisLines.slice(1).map((l) => l.split(','))
const irisX = irisRows.map((r) => r.slice(0, 4).map(Number))
const irisSpecies = irisRows.map((r) => r[4]!)

interface Result {
  readonly weights: number[] | number[][]
  readonly features: string[]
  readonly classes: Array<string | number>
  readonly config: Record<string, unknown>
}

const json = async (args: ReadonlyArray<string>): Promise<Result> => {
  const { status, stdout, stderr } = await runCli(['lr', ...args, '--json'])
  expect(stderr).toBe('')
  expect(status).toBe(0)
  return JSON.parse(stdout) as Result
}

/** Solves a·x = b by Gaussian elimination with partial pivoting (a square, small). */
const solve = (a: number[][], b: number[]): number[] => {
  const n = b.length
  const m = a.map((row, i) => [...row, b[i]!])
  for (let c = 0; c < n; c++) {
    let p = c
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r
    ;[m[c], m[p]] = [m[p]!, m[c]!]
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / m[c]![c]!
      for (let j = c; j <= n; j++) m[r]![j]! -= f * m[c]![j]!
    }
  }
  const x = new Array<number>(n).fill(0)
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!
    for (let j = r + 1; j < n; j++) s -= m[r]![j]! * x[j]!
    x[r] = s / m[r]![r]!
  }
  return x
}

/**
 * scikit-learn's multinomial LogisticRegression(C = 1) after StandardScaler, fitted by
 * Newton's method written here from the formulas: z-scores with the population standard
 * deviation; the objective (1/n)·Σ −log softmax(x·W)_y + (λ/2)·‖W without the bias row‖²,
 * λ = 1/n; gradient (1/n)·Xᵀ(P − Y) + λ·W; Hessian (1/n)·Σ x xᵀ ⊗ (diag p − p pᵀ) + λ. The
 * biases are determined up to a common constant; the step keeps their sum at 0 (the
 * solution gradient methods started at 0 reach), by adding the projector on that
 * direction to the Hessian.
 */
const referenceFit = (xs: number[][], labels: number[], k: number): number[][] => {
  const n = xs.length
  const d = xs[0]!.length
  const mean = Array.from({ length: d }, (_, j) => xs.reduce((s, r) => s + r[j]!, 0) / n)
  const sd = mean.map((m, j) => Math.sqrt(xs.reduce((s, r) => s + (r[j]! - m) ** 2, 0) / n))
  const x = xs.map((r) => [1, ...r.map((v, j) => (v - mean[j]!) / sd[j]!)])
  const lambda = 1 / n
  const p = (d + 1) * k
  const at = (j: number, c: number) => j * k + c
  let w = new Array<number>(p).fill(0)
  for (let it = 0; it < 50; it++) {
    const g = new Array<number>(p).fill(0)
    const h = Array.from({ length: p }, () => new Array<number>(p).fill(0))
    for (let i = 0; i < n; i++) {
      const z = Array.from({ length: k }, (_, c) =>
        x[i]!.reduce((s, v, j) => s + v * w[at(j, c)]!, 0),
      )
      const top = Math.max(...z)
      const e = z.map((v) => Math.exp(v - top))
      const total = e.reduce((s, v) => s + v, 0)
      const prob = e.map((v) => v / total)
      for (let j = 0; j <= d; j++)
        for (let c = 0; c < k; c++) {
          g[at(j, c)]! += (x[i]![j]! * (prob[c]! - (labels[i] === c ? 1 : 0))) / n
          for (let l = 0; l <= d; l++)
            for (let c2 = 0; c2 < k; c2++)
              h[at(j, c)]![at(l, c2)]! +=
                (x[i]![j]! * x[i]![l]! * ((c === c2 ? prob[c]! : 0) - prob[c]! * prob[c2]!)) / n
        }
    }
    for (let j = 1; j <= d; j++)
      for (let c = 0; c < k; c++) {
        g[at(j, c)]! += lambda * w[at(j, c)]!
        h[at(j, c)]![at(j, c)]! += lambda
      }
    for (let c = 0; c < k; c++) for (let c2 = 0; c2 < k; c2++) h[at(0, c)]![at(0, c2)]! += 1 / k
    const step = solve(h, g)
    w = w.map((v, i) => v - step[i]!)
    if (Math.hypot(...g) < 1e-13) break
  }
  return Array.from({ length: d + 1 }, (_, j) => w.slice(j * k, (j + 1) * k))
}

/** The iris data as Parquet, written by hyparquet-writer (rows in groups of `groupRows`). */
const irisParquet = (name: string, groupRows = 1000): string => {
  const file = path(name)
  const columnData = [
    ...irisNames.slice(0, 4).map((n, j) => ({
      name: n,
      data: irisX.map((r) => r[j]!),
      type: 'DOUBLE' as const,
    })),
    { name: irisNames[4]!, data: irisSpecies, type: 'STRING' as const },
  ]
  writeFileSync(file, new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize: groupRows })))
  return file
}

describe('ad-ts lr --data with no other flag: scikit-learn LogisticRegression() after StandardScaler', () => {
  test('the weights on docs/iris.csv equal a Newton fit of the same standardised, penalised objective to 1e-6', async () => {
    const result = await json(['--data', irisPath])
    expect(result.config).toMatchObject({ method: 'lbfgs', l2: 1 / 150, standardize: true })
    const classes = [...new Set(irisSpecies)].sort()
    expect(result.classes).toEqual(classes)
    const reference = referenceFit(
      irisX,
      irisSpecies.map((s) => classes.indexOf(s)),
      classes.length,
    )
    const weights = result.weights as number[][]
    expect(weights).toHaveLength(5)
    for (let j = 0; j < 5; j++)
      for (let c = 0; c < 3; c++)
        expect(Math.abs(weights[j]![c]! - reference[j]![c]!)).toBeLessThan(1e-6)
  })

  test('--no-standardize trains on the raw features (other weights, the same classes)', async () => {
    const raw = await json(['--data', irisPath, '--no-standardize'])
    const standard = await json(['--data', irisPath])
    expect(raw.config['standardize']).toBeUndefined()
    expect(raw.weights).not.toEqual(standard.weights)
  })
})

describe('Parquet input', () => {
  test('a Parquet file and the same data as CSV give the same weights, bit for bit', async () => {
    const parquet = irisParquet('iris.parquet')
    const fromParquet = await json(['--data', parquet])
    const fromCsv = await json(['--data', irisPath])
    expect(fromParquet.features).toEqual(irisNames.slice(0, 4))
    expect(fromParquet.weights).toEqual(fromCsv.weights)
  })

  const refused = async (file: string, args: ReadonlyArray<string> = []) => {
    const plot = path(`${file.replace(/\W/g, '')}.svg`)
    const { status, stdout, stderr } = await runCli(['lr', '--data', file, ...args, '--plot', plot])
    expect(status).toBe(2)
    expect(stdout).toBe('')
    expect(stderr.split('\n')).toEqual([expect.stringMatching(/^ad-ts lr: /), ''])
    expect(existsSync(plot)).toBe(false)
    return stderr
  }

  test('a truncated Parquet file is one line on stderr, exit 2, nothing written', async () => {
    const whole = readFileSync(irisParquet('whole.parquet'))
    const cut = path('cut.parquet')
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)))
    expect(await refused(cut)).toMatch(/cut\.parquet: not a readable Parquet file/)
    const stream = await refused(cut, ['--method', 'adam', '--batch-size', '8'])
    expect(stream).toMatch(/cut\.parquet: not a readable Parquet file/)
  })

  test('a column of strings that is not the label names its row and column and --drop', async () => {
    const file = path('strings.parquet')
    const columnData = [
      { name: 'a', data: [1, 2, 3, 4], type: 'DOUBLE' as const },
      { name: 'colour', data: ['red', 'blue', 'red', 'green'], type: 'STRING' as const },
      { name: 'y', data: [0, 1, 0, 1], type: 'INT32' as const },
    ]
    writeFileSync(file, new Uint8Array(parquetWriteBuffer({ columnData })))
    expect(await refused(file)).toMatch(
      /strings\.parquet row 1, column colour: expected a finite number, got "red"; .*--drop colour/,
    )
    // and with it left out, the file trains
    const ok = await json(['--data', file, '--drop', 'colour'])
    expect(ok.features).toEqual(['a'])
  })

  test('a missing label column is refused with the columns the file has', async () => {
    expect(await refused(irisParquet('nolabel.parquet'), ['--label', 'class'])).toMatch(
      /--label: .*nolabel\.parquet has no column named "class" \(its columns: sepal_length, sepal_width, petal_length, petal_width, species\)/,
    )
  })
})

describe('--features and --drop', () => {
  test('--features picks the feature columns, in the order given', async () => {
    const result = await json(['--data', irisPath, '--features', 'petal_width,petal_length'])
    expect(result.features).toEqual(['petal_width', 'petal_length'])
    expect(result.weights).toHaveLength(3)
  })

  test('--drop leaves columns out; the others stay features, in file order', async () => {
    const result = await json(['--data', irisPath, '--drop', 'sepal_width'])
    expect(result.features).toEqual(['sepal_length', 'petal_length', 'petal_width'])
  })

  test('a text column is refused with the way to leave it out, and --drop lets the file train', async () => {
    const csv = path('named.csv')
    writeFileSync(csv, 'id,a,b,y\nr1,0.1,0.2,0\nr2,0.9,0.8,1\nr3,0.2,0.1,0\nr4,0.7,0.9,1\n')
    const { status, stderr } = await runCli(['lr', '--data', csv])
    expect(status).toBe(2)
    expect(stderr).toMatch(
      /named\.csv row 2, column id: expected a finite number, got "r1"; every column but the label is a feature unless --features or --drop says otherwise: leave this one out with --drop id/,
    )
    expect((await json(['--data', csv, '--drop', 'id'])).features).toEqual(['a', 'b'])
  })

  test.each([
    [['--features', 'petal'], /--features: .*iris\.csv has no column named "petal"/],
    [['--drop', 'species'], /--drop: species is the label column/],
    [['--features', 'a', '--drop', 'b'], /--features and --drop: give one/],
  ])('%j is refused', async (args, message) => {
    const { status, stderr } = await runCli(['lr', '--data', irisPath, ...args])
    expect(status).toBe(2)
    expect(stderr).toMatch(message)
  })
})

describe('streaming with --batch-size', () => {
  /** A CSV larger than one block of the reader (4 MiB), so that blocks meet inside it. */
  const big = (() => {
    const file = path('big.csv')
    let seed = 7
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      return seed / 2 ** 32
    }
    const lines = ['u,v,w,label']
    for (let i = 0; i < 150_000; i++) {
      const [u, v, w] = [next(), next(), next()]
      lines.push(
        `${u.toFixed(6)},${v.toFixed(6)},${w.toFixed(6)},${u + 2 * v - w > 0.9 ? 'yes' : 'no'}`,
      )
    }
    writeFileSync(file, lines.join('\n') + '\n')
    return { file, rows: lines.slice(1) }
  })()

  test('a streamed CSV gives the weights of the same rows held whole (JSON), on the same batch order', async () => {
    const asJson = path('big.json')
    writeFileSync(
      asJson,
      JSON.stringify(
        big.rows.map((l) => {
          const [u, v, w, label] = l.split(',')
          return { u: Number(u), v: Number(v), w: Number(w), label }
        }),
      ),
    )
    const args = [
      '--method',
      'adam',
      '--batch-size',
      '1000',
      '--epochs',
      '2',
      '--shuffle-window',
      '5000',
    ]
    const streamed = await json(['--data', big.file, ...args])
    const whole = await json(['--data', asJson, ...args])
    expect(streamed.weights).toEqual(whole.weights)
    expect(streamed.config).toMatchObject({ n: 150_000, batchSize: 1000, shuffleWindow: 5000 })
  })

  test('a Parquet file streamed row group by row group gives the weights of the CSV streamed', async () => {
    const parquet = irisParquet('groups.parquet', 40)
    const args = ['--method', 'sgd', '--lr', '0.1', '--batch-size', '16', '--epochs', '3']
    expect((await json(['--data', parquet, ...args])).weights).toEqual(
      (await json(['--data', irisPath, ...args])).weights,
    )
  })

  test('a bad cell deep in a streamed file names its line and column, as when the file is read whole', async () => {
    const lines = ['u,v,w,label', ...big.rows]
    const [u, , w, label] = lines[120_000]!.split(',')
    lines[120_000] = `${u},abc,${w},${label}`
    const bad = path('bad-deep.csv')
    writeFileSync(bad, lines.join('\n') + '\n')
    const { status, stderr } = await runCli([
      'lr',
      '--data',
      bad,
      '--method',
      'adam',
      '--batch-size',
      '512',
    ])
    expect(status).toBe(2)
    expect(stderr).toMatch(
      /bad-deep\.csv row 120001, column v: expected a finite number, got "abc"; .*--drop v/,
    )
  })

  test('quoted cells deep in a streamed file are read as the same numbers', async () => {
    const lines = ['u,v,w,label', ...big.rows]
    for (const at of [100_000, 140_000])
      lines[at] = lines[at]!.split(',')
        .map((c) => `"${c}"`)
        .join(',')
    const quoted = path('quoted.csv')
    writeFileSync(quoted, lines.join('\r\n') + '\r\n')
    const args = ['--method', 'sgd', '--lr', '0.1', '--batch-size', '4096', '--epochs', '1']
    expect((await json(['--data', quoted, ...args])).weights).toEqual(
      (await json(['--data', big.file, ...args])).weights,
    )
  })

  test('newton and lbfgs refuse a file too large to hold, naming --batch-size', async () => {
    const { status, stderr } = await new Promise<{ status: number; stderr: string }>((resolve) => {
      process.env['AD_TS_MAX_IN_MEMORY_BYTES'] = '1000000'
      void runCli(['lr', '--data', big.file]).then((r) => {
        delete process.env['AD_TS_MAX_IN_MEMORY_BYTES']
        resolve(r)
      })
    })
    expect(status).toBe(2)
    expect(stderr).toMatch(
      /big\.csv is \d+ MB, more than the 1 MB read whole; --method lbfgs needs the whole data: train with --method adam --batch-size 1024/,
    )
  })
})
