import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { modules } from './modules.js'
import { respond, respondLine, timeRuns } from './protocol.js'

describe('the GradBench protocol', () => {
  test('start and analysis are acknowledged with their id', () => {
    expect(respond(modules, { id: 0, kind: 'start', eval: 'hello' })).toEqual({
      id: 0,
      tool: 'ad-ts',
    })
    expect(respond(modules, { id: 3, kind: 'analysis', of: 2, valid: true })).toEqual({ id: 3 })
  })

  test('define succeeds for each of the twelve evals and fails for another module', () => {
    const names = ['hello', 'llsq', 'lse', 'gmm', 'det', 'kmeans', 'ode', 'lstm', 'ba', 'ht']
    for (const module of [...names, 'particle', 'saddle']) {
      expect(respond(modules, { id: 1, kind: 'define', module })).toEqual({ id: 1, success: true })
    }
    const unknown = respond(modules, { id: 1, kind: 'define', module: 'toString' })
    expect(unknown.success).toBe(false)
  })

  test('evaluate runs at least min_runs times and times each run in nanoseconds', () => {
    const response = respond(modules, {
      id: 2,
      kind: 'evaluate',
      module: 'lse',
      function: 'primal',
      input: { x: [0, 0], min_runs: 3, min_seconds: 0 },
    })
    expect(response.output).toBeCloseTo(Math.log(2), 12)
    expect(response.timings).toHaveLength(3)
    expect(response.timings!.every((t) => t.name === 'evaluate' && t.nanoseconds > 0)).toBe(true)
  })

  test('timeRuns keeps running until min_seconds have passed', () => {
    const { timings } = timeRuns(() => Array.from({ length: 1000 }, Math.sqrt), 1, 0.02)
    expect(timings.reduce((s, t) => s + t.nanoseconds, 0)).toBeGreaterThanOrEqual(2e7)
  })

  test('a bad message, a bad input or an unknown function gets an error response, not a throw', () => {
    expect(JSON.parse(respondLine(modules, '{not json'))).toMatchObject({
      id: null,
      success: false,
    })
    expect(respond(modules, { id: 4, kind: 'dance' })).toMatchObject({ id: 4, success: false })
    const badInput = respond(modules, {
      id: 5,
      kind: 'evaluate',
      module: 'lse',
      function: 'primal',
      input: { x: 'three', min_runs: 1, min_seconds: 0 },
    })
    expect(badInput).toMatchObject({ id: 5, success: false })
    expect(badInput.error).toContain('input.x')
    const badFunction = respond(modules, {
      id: 6,
      kind: 'evaluate',
      module: 'hello',
      function: 'cube',
      input: 2,
    })
    expect(badFunction).toMatchObject({ id: 6, success: false })
    const throwing = respond(modules, {
      id: 7,
      kind: 'evaluate',
      module: 'det',
      function: 'primal',
      input: { A: [1, 2, 3], ell: 2, min_runs: 1, min_seconds: 0 },
    })
    expect(throwing).toMatchObject({ id: 7, success: false })
  })

  test('npm run -s gradbench answers each line of stdin on stdout, in order', () => {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url))
    const messages = [
      { id: 0, kind: 'start' },
      { id: 1, kind: 'define', module: 'hello' },
      { id: 2, kind: 'evaluate', module: 'hello', function: 'double', input: 3 },
    ]
    const run = spawnSync(process.execPath, ['--import', 'tsx', main], {
      input: messages.map((m) => JSON.stringify(m)).join('\n') + '\nnot json\n',
      encoding: 'utf8',
    })
    const responses = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: unknown; output?: unknown })
    expect(responses.map((r) => r.id)).toEqual([0, 1, 2, null])
    expect(responses[2]!.output).toBe(6)
    expect(run.status).toBe(0)
  })
})
