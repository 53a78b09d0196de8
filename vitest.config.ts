import { existsSync, readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import type { Reporter, TestModule } from 'vitest/node'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

/** Where the render and browser tests look for Chromium (test/helpers/chromium.ts). */
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync)

/**
 * Says, after the summary, which tests were skipped and why: the note of `ctx.skip(note)`,
 * or for a test that skips without Chromium, that Chromium is missing and how to get it.
 * A run filtered by name (-t) skips the rest on purpose and gets no list.
 */
const skippedReporter = (): Reporter => {
  let filtered = false
  return {
    onInit: (vitest) => {
      filtered = vitest.config.testNamePattern !== undefined
    },
    onTestRunEnd: (modules: ReadonlyArray<TestModule>) => {
      if (filtered) return
      const lines: string[] = []
      for (const m of modules) {
        const source = existsSync(m.moduleId) ? readFileSync(m.moduleId, 'utf8') : ''
        for (const t of m.children.allTests()) {
          const r = t.result()
          if (r.state !== 'skipped' || t.options.mode === 'todo') continue
          const why =
            r.note ??
            (chromium === undefined && source.includes('chromiumPath')
              ? 'Chromium is not installed (apt-get install chromium, as .ci/run does)'
              : 'skipped by its own condition')
          lines.push(`  ${relative(here('.'), m.moduleId)} > ${t.fullName}: ${why}`)
        }
      }
      if (lines.length === 0) return
      process.stdout.write(
        `\n${lines.length} test${lines.length === 1 ? '' : 's'} skipped:\n${lines.join('\n')}\n\n`,
      )
    },
  }
}

export default defineConfig({
  resolve: {
    // Examples in the README and in doc comments import the package by its name.
    alias: [
      { find: /^ad-ts\/laws$/, replacement: here('./laws/index.ts') },
      { find: /^ad-ts\/internal$/, replacement: here('./src/internal.ts') },
      { find: /^ad-ts$/, replacement: here('./src/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/helpers/matchers.ts'],
    testTimeout: 120_000,
    reporters: ['default', skippedReporter()],
  },
})
