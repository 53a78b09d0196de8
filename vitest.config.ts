import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig({
  resolve: {
    // Examples in the README and in doc comments import the package by its name.
    alias: [
      { find: /^ad-ts\/laws$/, replacement: here('./laws/index.ts') },
      { find: /^ad-ts$/, replacement: here('./src/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/helpers/matchers.ts'],
    testTimeout: 120_000,
  },
})
