import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { XMLValidator } from 'fast-xml-parser'
import { afterAll, describe, expect, test } from 'vitest'
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
    expect(Object.keys(result).sort()).toEqual(['accuracy', 'config', 'history', 'weights'])
    expect(result['config']).toMatchObject({
      epochs: 12,
      learningRate: 0.5,
      method: 'batch',
      n: 80,
      seed: 3,
    })
    expect(result['accuracy']).toEqual({ before: expect.any(Number), after: expect.any(Number) })
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
    const { status, stdout } = await runCli([
      'lr',
      '--data',
      csv,
      '--json',
      '--epochs',
      '50',
      '--lr',
      '0.5',
    ])
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
    ['unknown method', () => ['--method', 'adam'], /--method: expected sgd or batch, got "adam"/],
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
      'a label other than 0 or 1',
      () => ['--data', file('label.csv', 'x1,x2,y\n' + '0.1,0.2,0\n'.repeat(15) + '0.5,0.5,2\n')],
      /label\.csv row 17, column y: expected 0 or 1, got "2"/,
    ],
    [
      'JSON of the wrong shape',
      () => ['--data', file('shape.json', '{"points": []}')],
      /shape\.json: expected \[\{ "x1", "x2", "y" \}, …\] or/,
    ],
    [
      'JSON numbers as strings',
      () => ['--data', file('strings.json', '[{"x1": "0.1", "x2": 0.2, "y": 0}]')],
      /strings\.json row 1, column x1: expected a finite number, got "0\.1"/,
    ],
    [
      'JSON with a bad label',
      () => ['--data', file('cols-bad.json', '{"x": [[0.1, 0.2]], "y": [3]}')],
      /cols-bad\.json row 1, column y: expected 0 or 1, got 3/,
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
    const { status, stderr } = await runCli([
      'lr',
      '--epochs',
      '2',
      '--plot',
      join(dir, 'no-such-dir', 'p.svg'),
    ])
    expect(status).toBe(2)
    expect(stderr).toMatch(/^ad-ts lr: --plot: cannot write .*p\.svg: no such file\n$/)
  })

  test('an unknown command is refused', async () => {
    const { status, stderr } = await runCli(['fit'])
    expect(status).toBe(2)
    expect(stderr).toContain('ad-ts: unknown command "fit"')
  })
})
