/** Headless Chromium for render tests: present when `.ci/run` (or a person) installed it. */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PNG } from 'pngjs'

export const chromiumPath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync)

/** Flags for a headless run on a machine with a closed network. */
export const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const

/** Renders a file to a PNG screenshot and decodes it. */
export const screenshot = (file: string, width: number, height: number): PNG => {
  if (chromiumPath === undefined) throw new Error('chromium is not installed (.ci/run installs it)')
  const dir = mkdtempSync(join(tmpdir(), 'ad-ts-chromium-'))
  try {
    const png = join(dir, 'shot.png')
    execFileSync(
      chromiumPath,
      [
        ...chromiumFlags,
        `--user-data-dir=${join(dir, 'profile')}`,
        '--hide-scrollbars',
        `--window-size=${width},${height}`,
        `--screenshot=${png}`,
        `file://${file}`,
      ],
      { stdio: 'ignore', timeout: 60_000 },
    )
    return PNG.sync.read(readFileSync(png))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** How many pixels differ from the top-left pixel (the background). */
export const inkedPixels = (png: PNG): number => {
  const d = png.data
  let count = 0
  for (let i = 0; i < d.length; i += 4) {
    if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) count++
  }
  return count
}
