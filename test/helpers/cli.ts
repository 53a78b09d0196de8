/** Runs the `ad-ts` command from source as a separate process (tsx compiles it on the fly). */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url))
const tsx = import.meta.resolve('tsx')

export interface Outcome {
  readonly status: number
  readonly stdout: string
  readonly stderr: string
}

export const runCli = (args: ReadonlyArray<string>, cwd?: string): Promise<Outcome> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', tsx, main, ...args],
      { cwd, timeout: 60_000, maxBuffer: 1 << 24 },
      (error, stdout, stderr) => {
        const status = error === null ? 0 : typeof error.code === 'number' ? error.code : 1
        resolve({ status, stdout, stderr })
      },
    )
  })
