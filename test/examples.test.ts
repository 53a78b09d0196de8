import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { docExamples, markdownExamples, toModule, type Example } from './helpers/examples.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const generated = join(root, 'test', '.generated')
const checkModule = fileURLToPath(new URL('./helpers/check.ts', import.meta.url))

const sourceFiles = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)))

const readme = markdownExamples('README.md', readFileSync(join(root, 'README.md'), 'utf8'))
const docs = [...sourceFiles('src'), ...sourceFiles('laws')].flatMap((file) =>
  docExamples(file, readFileSync(join(root, file), 'utf8')),
)

rmSync(generated, { recursive: true, force: true })
mkdirSync(generated, { recursive: true })

const run = async (example: Example, index: number): Promise<void> => {
  const path = join(generated, `example-${index}.ts`)
  writeFileSync(path, toModule(example, checkModule))
  await import(path)
}

describe('README examples', () => {
  test('there are examples to run', () => expect(readme.length).toBeGreaterThan(5))
  test.each(readme.map((e, i) => [e.where, e, i] as const))(
    '%s runs and its results hold',
    async (_, e, i) => {
      await run(e, i)
    },
  )
})

describe('doc comment examples', () => {
  test('there are examples to run', () => expect(docs.length).toBeGreaterThan(10))
  test.each(docs.map((e, i) => [e.where, e, 1000 + i] as const))(
    '%s runs and its results hold',
    async (_, e, i) => {
      await run(e, i)
    },
  )
})
