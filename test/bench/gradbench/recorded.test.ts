import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import { mismatches } from './compare.js'
import { modules } from './modules.js'
import { respond } from './protocol.js'

interface Recorded {
  readonly module: string
  readonly function: string
  readonly description: string
  readonly input: unknown
  readonly expected: unknown
}

const recorded: ReadonlyArray<Recorded> = gunzipSync(
  readFileSync(new URL('./fixtures/recorded.jsonl.gz', import.meta.url)),
)
  .toString()
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => JSON.parse(line) as Recorded)

const once = (input: unknown): unknown =>
  typeof input === 'object' && input !== null ? { ...input, min_runs: 1, min_seconds: 0 } : input

describe('GradBench evals against the C++ reference tool', () => {
  test.each(
    recorded.map((r, i) => [`${r.module} ${r.function} ${r.description} (#${i})`, r] as const),
  )('%s is a valid output', (_, r) => {
    const response = respond(modules, {
      id: 7,
      kind: 'evaluate',
      module: r.module,
      function: r.function,
      input: once(r.input),
    })
    expect(response.error).toBeUndefined()
    expect(response.success).toBe(true)
    expect(mismatches(r.expected, response.output)).toEqual([])
  })

  test('the recordings cover ba, ht and hello, both functions each', () => {
    const pairs = new Set(recorded.map((r) => `${r.module}.${r.function}`))
    expect([...pairs].sort()).toEqual([
      'ba.jacobian',
      'ba.objective',
      'hello.double',
      'hello.square',
      'ht.jacobian',
      'ht.objective',
    ])
  })
})

describe('mismatches', () => {
  test('accepts floats within 1e-4 relative to max(1, |x| + |y|) and rejects others', () => {
    expect(mismatches([1, 2e5], [1 + 5e-5, 2e5 + 30])).toEqual([])
    expect(mismatches([1], [1.001])).toHaveLength(1)
  })

  test('rejects a different shape: list length, keys, or a number for a list', () => {
    expect(mismatches([1, 2], [1])).toHaveLength(1)
    expect(mismatches({ a: 1 }, { b: 1 })).toHaveLength(1)
    expect(mismatches([[1]], [1])).toHaveLength(1)
  })
})
