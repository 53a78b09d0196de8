#!/usr/bin/env node
/**
 * The `ad-ts` executable: binds the commands to the real process (files, terminal,
 * exit status).
 *
 * @since 0.1.0
 */
import {
  accessSync,
  constants,
  createReadStream,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import * as E from 'fp-ts/lib/Either.js'
import { asyncBufferFromFile } from 'hyparquet'
import { runLr, type Io } from './lr.js'

/** Files up to this size are read whole (AD_TS_MAX_IN_MEMORY_BYTES overrides it); larger ones are streamed or refused. */
const maxInMemoryBytes = Number(process.env['AD_TS_MAX_IN_MEMORY_BYTES'] ?? 256 * 2 ** 20)

const reason = (e: unknown): string => {
  const code = (e as { readonly code?: string }).code
  if (code === 'ENOENT') return 'no such file'
  if (code === 'EISDIR') return 'it is a directory'
  if (code === 'EACCES') return 'permission denied'
  return e instanceof Error ? e.message : String(e)
}

const io: Io = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  isTTY: process.stdout.isTTY === true,
  readFile: (path) => {
    try {
      if (statSync(path).isDirectory()) return E.left(`cannot read ${path}: it is a directory`)
      return E.right(readFileSync(path, 'utf8'))
    } catch (e) {
      return E.left(`cannot read ${path}: ${reason(e)}`)
    }
  },
  readBytes: (path) => {
    try {
      if (statSync(path).isDirectory()) return E.left(`cannot read ${path}: it is a directory`)
      const b = readFileSync(path)
      return E.right(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer)
    } catch (e) {
      return E.left(`cannot read ${path}: ${reason(e)}`)
    }
  },
  fileSize: (path) => {
    try {
      const s = statSync(path)
      return s.isDirectory() ? E.left(`cannot read ${path}: it is a directory`) : E.right(s.size)
    } catch (e) {
      return E.left(`cannot read ${path}: ${reason(e)}`)
    }
  },
  readChunks: (path) => createReadStream(path, { highWaterMark: 1 << 20 }),
  openBuffer: (path) => asyncBufferFromFile(path),
  maxInMemoryBytes,
  now: () => performance.now(),
  canWrite: (path) => {
    try {
      if (!statSync(dirname(path)).isDirectory())
        return E.left(`cannot write ${path}: no such folder`)
      accessSync(dirname(path), constants.W_OK)
      if (statSync(path, { throwIfNoEntry: false })?.isDirectory() === true) {
        return E.left(`cannot write ${path}: it is a directory`)
      }
      return E.right(undefined)
    } catch (e) {
      return E.left(`cannot write ${path}: ${reason(e)}`)
    }
  },
  writeFileAtomic: (path, text) => {
    // The whole plot goes to a temporary file beside the target, then replaces it in one
    // rename: a reader never sees half a file, and a failure leaves the old one alone.
    const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
    try {
      writeFileSync(tmp, text)
      renameSync(tmp, path)
      return E.right(undefined)
    } catch (e) {
      rmSync(tmp, { force: true })
      return E.left(`cannot write ${path}: ${reason(e)}`)
    }
  },
}

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
