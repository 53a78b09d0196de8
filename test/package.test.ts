/**
 * The package works outside this repo: `npm pack`, install the tarball into a fresh
 * project (from the tarball, and the npm cache or registry for its dependencies), then import `ad-ts`,
 * `ad-ts/laws` and `ad-ts/internal` from an ES module, type-check a TypeScript file against the shipped
 * declarations, and run the `ad-ts` bin.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

const repo = fileURLToPath(new URL('..', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'ad-ts-package-'))
const project = join(work, 'project')
const npm = (args: ReadonlyArray<string>, cwd: string): string =>
  execFileSync('npm', [...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
  })

beforeAll(() => {
  npm(['pack', '--pack-destination', work, '--silent'], repo)
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!
  execFileSync('mkdir', ['-p', project])
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      private: true,
      type: 'module',
      dependencies: { 'ad-ts': `file:../${tarball}`, 'fast-check': '^4.0.0' },
    }),
  )
  npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], project)
}, 300_000)

afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('the packed package, installed elsewhere', () => {
  test('ships the built JavaScript, declarations and sources, and no tests', () => {
    const files = npm(['pack', '--dry-run', '--json', '--ignore-scripts'], repo)
    const paths = (JSON.parse(files) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map(
      (f) => f.path,
    )
    expect(paths).toContain('dist/src/index.js')
    expect(paths).toContain('dist/src/index.d.ts')
    expect(paths).toContain('dist/laws/index.js')
    expect(paths).toContain('dist/src/internal.js')
    expect(paths).toContain('dist/src/cli/main.js')
    expect(paths.some((p) => p.startsWith('test/'))).toBe(false)
  })

  test('an ES module imports ad-ts, ad-ts/laws and ad-ts/internal and differentiates', () => {
    writeFileSync(
      join(project, 'use.mjs'),
      `import { grad, hessian, scalar, defineOp } from 'ad-ts'
import * as laws from 'ad-ts/laws'
import { showValue } from 'ad-ts/internal'
const f = (F) => (xs) => F.mul(xs[0], F.sin(xs[1]))
const square = defineOp({ name: 'square', primal: (x) => x * x, derivative: (F) => (x) => F.mul(F.fromNumber(2), x) })
laws.derivativeLaws(square, { numRuns: 20 })
console.log(JSON.stringify({ g: grad(f)(scalar)([2, 0]), h: hessian(f)(scalar)([2, 0]), shown: showValue([NaN, -0]) }))
`,
    )
    const out = JSON.parse(
      execFileSync('node', ['use.mjs'], { cwd: project, encoding: 'utf8' }),
    ) as {
      g: number[]
      h: number[][]
      shown: string
    }
    expect(out.g).toEqual([0, 2])
    expect(out.h).toEqual([
      [0, 1],
      [1, 0],
    ])
    expect(out.shown).toBe('[NaN,-0]')
  })

  test('a TypeScript file type-checks against the shipped declarations, and misuse does not', () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: [],
        },
      }),
    )
    writeFileSync(
      join(project, 'use.ts'),
      `import { grad, scalar, tensor, Tensor, type Floating, type Tensorial } from 'ad-ts'
import { derivativeLaws } from 'ad-ts/laws'
const f = <A>(F: Floating<A>) => (x: A): A => F.mul(x, F.exp(x))
const d: number = grad(f)(scalar)(1)
const loss = <A>(T: Tensorial<A>) => (w: A): A => T.sum(T.mul(w, w))
const g: Tensor = grad(loss)(tensor)(Tensor.fromArray([1, 2]))
derivativeLaws(f, { numRuns: 5 })
// @ts-expect-error a Floating function cannot take a string
grad(f)(scalar)('1')
export { d, g }
`,
    )
    const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc')
    expect(() =>
      execFileSync('node', [tsc, '-p', project], { cwd: project, encoding: 'utf8' }),
    ).not.toThrow()
  })

  test('the ad-ts bin trains and prints JSON', () => {
    const out = execFileSync(
      join(project, 'node_modules', '.bin', 'ad-ts'),
      ['lr', '--json', '--epochs', '5'],
      {
        cwd: project,
        encoding: 'utf8',
      },
    )
    const result = JSON.parse(out) as { weights: number[]; history: unknown[] }
    expect(result.weights).toHaveLength(3)
    expect(result.history).toHaveLength(5)
  })
})
