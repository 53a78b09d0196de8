/**
 * `npm run -s gradbench`: ad-ts as a GradBench tool. It reads the protocol's messages,
 * one JSON value a line, on stdin and answers each on stdout, in order.
 */
import { createInterface } from 'node:readline'
import { modules } from './modules.js'
import { respondLine } from './protocol.js'

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })
lines.on('line', (line) => {
  if (line.trim() === '') return
  process.stdout.write(respondLine(modules, line) + '\n')
})
