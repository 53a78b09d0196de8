#!/usr/bin/env node
/**
 * The `ad-ts` executable: binds the commands to the real process (files, terminal,
 * exit status).
 *
 * @since 0.1.0
 */
import { runLr } from './lr.js'
import { nodeIo as io } from './nodeIo.js'

const help = `Usage: ad-ts <command> [flags]

Commands:
  lr    train logistic regression on generated data or a data file (see ad-ts lr --help)
`

// A reader that stops early (`ad-ts lr | head`) closes the pipe: that ends the output, not in a crash.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0)
  throw e
})

const [command, ...rest] = process.argv.slice(2)
if (command === 'lr') {
  runLr(rest, io).then(
    (status) => {
      process.exitCode = status
    },
    (e: unknown) => {
      process.stderr.write(`ad-ts lr: ${e instanceof Error ? e.message : String(e)}\n`)
      process.exitCode = 1
    },
  )
} else if (command === '--help' || command === '-h' || command === 'help') {
  process.stdout.write(help)
  process.exitCode = 0
} else {
  process.stderr.write(
    command === undefined
      ? 'ad-ts: missing command; usage: ad-ts lr [flags] (see ad-ts --help)\n'
      : `ad-ts: unknown command ${JSON.stringify(command)}; usage: ad-ts lr [flags] (see ad-ts --help)\n`,
  )
  process.exitCode = 2
}
