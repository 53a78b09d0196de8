/**
 * The public entry: `src/index.ts` exports exactly the names that the README's "What is
 * public" lists, values and types alike (read with the TypeScript checker), so the
 * contract cannot grow or shrink without the README saying so.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, test } from 'vitest'

const repo = fileURLToPath(new URL('..', import.meta.url))

/** The backquoted names in the bullet list of the README's "What is public" section. */
const listedInReadme = (): string[] => {
  const readme = readFileSync(`${repo}README.md`, 'utf8')
  const section = readme.split('\n### What is public\n')[1]?.split(/\n#{2,3} /)[0] ?? ''
  const lines = section.split('\n')
  const first = lines.findIndex((l) => l.startsWith('- '))
  const list: string[] = []
  // The list runs from its first bullet to the first line that is neither a bullet nor
  // the indented continuation of one.
  for (let i = first; i >= 0 && i < lines.length; i++) {
    const line = lines[i]!
    if (!line.startsWith('- ') && !line.startsWith('  ')) break
    list.push(line)
  }
  return [...list.join('\n').matchAll(/`([A-Za-z_$][\w$]*)`/g)].map((m) => m[1]!)
}

/** Every name `src/index.ts` exports, as the TypeScript checker sees the module. */
const exportedByIndex = (): string[] => {
  const entry = `${repo}src/index.ts`
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  })
  const checker = program.getTypeChecker()
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!
  return checker.getExportsOfModule(module).map((s) => s.name)
}

describe('src/index.ts', () => {
  test('exports exactly the names the README lists as public', () => {
    const listed = listedInReadme()
    const exported = exportedByIndex()
    expect(listed.length).toBeGreaterThan(40)
    expect(
      listed.filter((n, i) => listed.indexOf(n) !== i),
      'listed twice',
    ).toEqual([])
    expect(
      exported.filter((n) => !listed.includes(n)),
      'exported but not in the README',
    ).toEqual([])
    expect(
      listed.filter((n) => !exported.includes(n)),
      'in the README but not exported',
    ).toEqual([])
  })
})
