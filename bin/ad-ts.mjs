#!/usr/bin/env node
// Runs the TypeScript CLI in place (the source is the package's entry point).
import { register } from 'tsx/esm/api'

register()
await import('../src/cli/main.ts')
