/**
 * The API reference: TypeDoc generates it without a warning (every exported name has
 * a doc comment), and every exported value, function and class, and every static
 * method, has a one-line summary and an example (the examples run in examples.test.ts).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'

interface Comment {
  readonly summary: ReadonlyArray<{ readonly text: string }>
  readonly blockTags?: ReadonlyArray<{ readonly tag: string }>
}
interface Reflection {
  readonly name: string
  readonly kind: number
  readonly flags?: { readonly isStatic?: boolean }
  readonly comment?: Comment
  readonly signatures?: ReadonlyArray<{ readonly comment?: Comment }>
  readonly children?: ReadonlyArray<Reflection>
}

const kind = {
  module: 2,
  namespace: 4,
  variable: 32,
  function: 64,
  class: 128,
  method: 2048,
} as const
const repo = fileURLToPath(new URL('..', import.meta.url))

describe('the API reference', () => {
  test('generates without a warning, and every exported value has a summary and an example', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ad-ts-docs-'))
    try {
      const json = join(dir, 'api.json')
      const typedoc = join(repo, 'node_modules', 'typedoc', 'bin', 'typedoc')
      execFileSync('node', [typedoc, '--json', json, '--out', join(dir, 'html')], {
        cwd: repo,
        stdio: 'pipe',
      })
      const missing: string[] = []
      // An explicit stack: the reflection tree is walked without recursion.
      const stack: Array<readonly [Reflection, string]> = [
        [JSON.parse(readFileSync(json, 'utf8')) as Reflection, ''],
      ]
      while (stack.length > 0) {
        const [node, path] = stack.pop()!
        for (const child of node.children ?? []) {
          const name = path === '' ? child.name : `${path}.${child.name}`
          if (
            child.kind === kind.module ||
            child.kind === kind.namespace ||
            child.kind === kind.class
          ) {
            stack.push([child, name])
          }
          const checked =
            child.kind === kind.variable ||
            child.kind === kind.function ||
            child.kind === kind.class ||
            (child.kind === kind.method && child.flags?.isStatic === true)
          if (!checked) continue
          const comment = child.comment ?? child.signatures?.[0]?.comment
          const summary =
            comment?.summary
              .map((s) => s.text)
              .join('')
              .trim() ?? ''
          const example = comment?.blockTags?.some((t) => t.tag === '@example') ?? false
          if (summary === '' || !example)
            missing.push(
              `${name}${summary === '' ? ' (no summary)' : ''}${example ? '' : ' (no example)'}`,
            )
        }
      }
      expect(missing).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
