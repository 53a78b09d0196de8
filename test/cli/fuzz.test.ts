/**
 * Bad input never gets past the boundaries: generated data files and flags are either
 * decoded or refused with one line naming the problem, never a crash. The decoders
 * are checked in-process on many cases; a few generated cases run end to end.
 */
import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect } from 'vitest'
import { decodeDataFile } from '../../src/cli/dataFile.js'
import { parseFlags } from '../../src/cli/flags.js'
import { runCli } from '../helpers/cli.js'

const cell = fc.oneof(
  fc.double().map(String),
  fc.constantFrom(
    '0',
    '1',
    '2',
    '',
    ' ',
    'NaN',
    'Infinity',
    '-0',
    '1e999',
    '0x10',
    'abc',
    '"1"',
    '1,5',
    '١',
  ),
  fc.string({ maxLength: 6 }),
)
const csvText = fc
  .tuple(
    fc.boolean(),
    fc.array(fc.array(cell, { minLength: 0, maxLength: 5 }), { maxLength: 8 }),
    fc.constantFrom('\n', '\r\n', '\r'),
  )
  .map(([header, rows, eol]) =>
    [...(header ? ['x1,x2,y'] : []), ...rows.map((r) => r.join(','))].join(eol),
  )
const jsonText = fc.oneof(
  fc.json(),
  fc
    .array(
      fc.record({ x1: fc.anything(), x2: fc.anything(), y: fc.anything() }, { requiredKeys: [] }),
      { maxLength: 5 },
    )
    .map((v) => JSON.stringify(v)),
  fc
    .record({
      x: fc.array(fc.array(fc.anything(), { maxLength: 3 }), { maxLength: 4 }),
      y: fc.array(fc.anything(), { maxLength: 4 }),
    })
    .map((v) => JSON.stringify(v)),
)
const bytes = fc.uint8Array({ maxLength: 200 }).map((b) => new TextDecoder().decode(b))

/** A refusal names the file, and a row (and column) when one is at fault. */
const wellFormed = (message: string, file: string): boolean =>
  message.startsWith(file) &&
  !message.includes('\n') &&
  message.length < 400 &&
  !/\[object /.test(message)

describe('data files, decoded in-process', () => {
  fcTest.prop(
    [fc.oneof(csvText, jsonText, bytes), fc.constantFrom('data.csv', 'data.json', 'data.txt')],
    { numRuns: 1000 },
  )(
    'any text is decoded into a dataset of finite values and class labels, or refused with one line naming the file',
    (text, file) => {
      const result = decodeDataFile(file, text)
      if (E.isLeft(result)) {
        expect(wellFormed(result.left, file), result.left).toBe(true)
        return
      }
      const { x, y } = result.right.data
      expect(x.shape[1]).toBe(result.right.features.length + 1)
      expect(y.shape[0]).toBe(x.shape[0])
    },
  )

  fcTest.prop([
    fc.array(
      fc.tuple(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(0, 1),
      ),
      { minLength: 1, maxLength: 20 },
    ),
  ])('a well-formed CSV round-trips: every row becomes a row of x with the bias first', (rows) => {
    fc.pre(new Set(rows.map((r) => r[2])).size === 2)
    const text = ['x1,x2,y', ...rows.map(([a, b, c]) => `${a},${b},${c}`)].join('\n')
    const result = decodeDataFile('ok.csv', text)
    expect(E.isRight(result)).toBe(true)
    if (E.isRight(result)) expect(result.right.data.x.shape).toEqual([rows.length, 3])
  })
})

describe('flags, decoded in-process', () => {
  const word = fc.oneof(
    fc.constantFrom(
      '--n',
      '--epochs',
      '--lr',
      '--method',
      '--seed',
      '--data',
      '--plot',
      '--json',
      '--quiet',
      '--help',
      '-h',
      '--',
      '-x',
      '--nope',
    ),
    fc.constantFrom('0', '-1', '1e12', 'NaN', 'sgd', 'adam', '', '3.5', '100'),
    fc.string({ maxLength: 5 }),
  )
  fcTest.prop([fc.array(word, { maxLength: 8 })], { numRuns: 1000 })(
    'any argument list is decoded or refused with one line, never a crash',
    (args) => {
      const result = parseFlags(args)
      if (E.isLeft(result)) {
        expect(result.left.includes('\n') || result.left.length === 0).toBe(false)
        return
      }
      const f = result.right
      expect(Number.isSafeInteger(f.n) && f.n >= 1 && f.n <= 1e8).toBe(true)
      expect(Number.isSafeInteger(f.epochs) && f.epochs >= 1).toBe(true)
      expect(Number.isFinite(f.lr) && f.lr > 0).toBe(true)
    },
  )
})

describe('end to end, on generated bad files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ad-ts-fuzz-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const bad = fc.oneof(csvText, bytes).filter((text) => E.isLeft(decodeDataFile('bad.csv', text)))

  fcTest.prop([bad], { numRuns: 8 })(
    'a refused file exits 2 with one line, writes no plot and leaves an earlier plot untouched',
    async (text) => {
      const data = join(dir, 'bad.csv')
      const plot = join(dir, 'plot.svg')
      const fresh = join(dir, 'fresh.svg')
      writeFileSync(data, text)
      writeFileSync(plot, 'an earlier plot')
      const first = await runCli(['lr', '--data', data, '--epochs', '1', '--plot', plot])
      const second = await runCli(['lr', '--data', data, '--epochs', '1', '--plot', fresh])
      for (const { status, stdout, stderr } of [first, second]) {
        expect(status).toBe(2)
        expect(stdout).toBe('')
        expect(stderr).toMatch(/^ad-ts lr: [^\n]*\n$/)
      }
      expect(readFileSync(plot, 'utf8')).toBe('an earlier plot')
      expect(existsSync(fresh)).toBe(false)
    },
  )
})
