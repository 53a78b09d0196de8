/**
 * Runnable examples: the TypeScript code blocks of the README and the `@example`
 * blocks of doc comments, turned into modules whose checked lines assert.
 *
 * A line `expr // => value` asserts deep equality; `expr // ≈ value` closeness (relative
 * tolerance 1e-9, or `// ≈ value ± tol`). Other lines run as written.
 */

export interface Example {
  /** Where the block starts, for test names and messages: `README.md:42`. */
  readonly where: string
  readonly code: string
}

/** The ```ts blocks of a Markdown text. */
export const markdownExamples = (file: string, text: string): Example[] => {
  const lines = text.split('\n')
  const out: Example[] = []
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```ts') continue
    const start = i + 1
    let j = start
    while (j < lines.length && lines[j]!.trim() !== '```') j++
    out.push({ where: `${file}:${start + 1}`, code: lines.slice(start, j).join('\n') })
    i = j
  }
  return out
}

/** The `@example` blocks of the doc comments of a source file. */
export const docExamples = (file: string, text: string): Example[] => {
  const lines = text.split('\n')
  const out: Example[] = []
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\* @example\s*$/.test(lines[i]!)) continue
    const body: string[] = []
    let j = i + 1
    while (j < lines.length && !/^\s*\* @|^\s*\*\//.test(lines[j]!)) {
      body.push(lines[j]!.replace(/^\s*\* ?/, ''))
      j++
    }
    out.push({ where: `${file}:${i + 2}`, code: body.join('\n').trimEnd() })
    i = j
  }
  return out
}

const checked = /^(\s*)(.+?)\s*\/\/ (=>|≈) (.+?)(?: ± (\S+))?\s*$/

/** The example as a module: checked lines become calls of `check` from `checkModule`. */
export const toModule = (example: Example, checkModule: string): string => {
  const body = example.code
    .split('\n')
    .map((line, k) => {
      const m = checked.exec(line)
      if (m === null) return line
      const [, indent, expr, op, expected, tol] = m
      const at = JSON.stringify(`${example.where} +${k}`)
      return `${indent}check(${expr}, ${expected}, '${op}', ${tol ?? 'undefined'}, ${at})`
    })
    .join('\n')
  return `import { check } from ${JSON.stringify(checkModule)}\n${body}\n`
}
