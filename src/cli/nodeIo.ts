/**
 * The command line's `Io` on the real process: files, terminal and clock of Node.js.
 *
 * @since 0.5.0
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
import type { Io } from './lr.js'

/** Files up to this size are read whole (AD_TS_MAX_IN_MEMORY_BYTES overrides it); larger ones are streamed or refused. */
const maxInMemoryBytes = Number(process.env['AD_TS_MAX_IN_MEMORY_BYTES'] ?? 256 * 2 ** 20)

const reason = (e: unknown): string => {
  const code = (e as { readonly code?: string }).code
  if (code === 'ENOENT') return 'no such file'
  if (code === 'EISDIR') return 'it is a directory'
  if (code === 'EACCES') return 'permission denied'
  return e instanceof Error ? e.message : String(e)
}

/** Files, terminal and clock of this process, as `runLr` reads and writes them. */
export const nodeIo: Io = {
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
