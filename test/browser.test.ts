/**
 * The core runs in a browser: the built modules are served on localhost with an
 * import map (fp-ts and io-ts from their ES module builds), and headless Chromium runs
 * `grad`, `hessian` and a short training fold, then draws `lr.plotSvg` into the page.
 * The numbers must equal Node's, and the screenshot must not be blank.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import { chromium, type Browser } from 'playwright-core'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { grad, hessian, lr, scalar } from '../src/index.js'
import { chromiumFlags, chromiumPath, inkedPixels } from './helpers/chromium.js'
import { rosenbrock } from './helpers/functions.js'

const repo = fileURLToPath(new URL('..', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'ad-ts-browser-'))
const built = join(work, 'dist')

/** The built modules and the ES builds of the dependencies, for the pages' imports. */
const importMap = `<script type="importmap">
{ "imports": {
  "ad-ts": "/dist/src/index.js",
  "fp-ts/lib/": "/node_modules/fp-ts/es6/",
  "fp-ts/es6/": "/node_modules/fp-ts/es6/",
  "io-ts": "/node_modules/io-ts/es6/index.js"
} }
</script>`

const page = `<!doctype html>
<html><head><meta charset="utf-8"><title>ad-ts in a browser</title>
${importMap}</head>
<body style="margin:0;background:#fff">
<script type="module">
import { grad, hessian, lr, scalar } from 'ad-ts'
const rosenbrock = (F) => (xs) => {
  let s = F.zero
  for (let i = 0; i + 1 < xs.length; i++) {
    const a = F.sub(xs[i + 1], F.mul(xs[i], xs[i]))
    const b = F.sub(F.one, xs[i])
    s = F.add(s, F.add(F.mul(F.fromNumber(100), F.mul(a, a)), F.mul(b, b)))
  }
  return s
}
const data = lr.gen2dData({ n: 100, seed: 1 })
const trained = lr.train({ epochs: 20, learningRate: 0.05 })(data)
document.body.innerHTML = lr.plotSvg(data, trained.right)
window.results = {
  grad: grad(rosenbrock)(scalar)([0.5, 1.5, -0.25]),
  hessian: hessian(rosenbrock)(scalar)([0.5, 1.5]),
  weights: trained.right.weights,
  history: trained.right.history,
}
</script></body></html>`

/** jit in the page: LR loss and gradient, traced then compiled, against the eager ones. */
const jitPage = `<!doctype html>
<html><head><meta charset="utf-8"><title>ad-ts jit in a browser</title>
${importMap}</head>
<body>
<script type="module">
import { jit, lr, tensor, Tensor, valueAndGrad } from 'ad-ts'
// Counts the WebAssembly modules compiled (at once or in the background): SIMD kernels.
let modules = 0
const Module = WebAssembly.Module
WebAssembly.Module = function (bytes) {
  const m = new Module(bytes)
  modules++
  return m
}
const compile = WebAssembly.compile
WebAssembly.compile = (bytes) => compile(bytes).then((m) => (modules++, m))
let generates = true
try { new Function('return 1')() } catch { generates = false }
const data = lr.gen2dData({ n: 5000, seed: 2 })
const f = jit(valueAndGrad(lr.meanLoss(data)), { simd: true })(tensor)
const w = Tensor.fromArray([0.5, -1, 2])
const show = ([v, g]) => [Tensor.toArray(v), Tensor.toArray(g)]
const traced = show(f(w))
const compiled = show(f(Tensor.fromArray([0.5, -1, 2])))
// A main thread compiles large WebAssembly modules only in the background: later calls
// run the SIMD kernels once that is done.
await new Promise((resolve) => setTimeout(resolve, 500))
const later = show(f(Tensor.fromArray([0.5, -1, 2])))
window.results = { modules, generates, traced, compiled, later, eager: show(valueAndGrad(lr.meanLoss(data))(tensor)(w)) }
</script></body></html>`

const types: Record<string, string> = {
  '.js': 'text/javascript',
  '.html': 'text/html',
  '.map': 'application/json',
}

/** Serves the page, the built modules and the ES builds of the dependencies. */
const serve = (): Server =>
  createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname)
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' })
      return res.end(page)
    }
    if (path === '/jit' || path === '/jit-csp' || path === '/jit-wasm') {
      // The strict page allows its own scripts but no code generation; the other allows
      // WebAssembly ('wasm-unsafe-eval') but not eval ('unsafe-eval').
      const csp =
        path === '/jit-csp'
          ? { 'content-security-policy': "script-src 'self' 'unsafe-inline'" }
          : path === '/jit-wasm'
            ? { 'content-security-policy': "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'" }
            : {}
      res.writeHead(200, { 'content-type': 'text/html', ...csp })
      return res.end(jitPage)
    }
    const root = path.startsWith('/dist/')
      ? work
      : path.startsWith('/node_modules/')
        ? repo
        : undefined
    const file = root === undefined ? undefined : normalize(join(root, path))
    // The ES builds import siblings without an extension ('./function'): add '.js'.
    const found = [file, `${file}.js`].find(
      (f) => f !== undefined && f.startsWith(root!) && existsSync(f) && statSync(f).isFile(),
    )
    if (found === undefined) {
      res.writeHead(404)
      return res.end()
    }
    res.writeHead(200, { 'content-type': types[extname(found)] ?? 'application/octet-stream' })
    res.end(readFileSync(found))
  })

let server: Server
let browser: Browser | undefined
let origin = ''

beforeAll(async () => {
  const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc')
  execFileSync('node', [tsc, '-p', join(repo, 'tsconfig.build.json'), '--outDir', built], {
    cwd: repo,
  })
  server = serve()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  if (chromiumPath !== undefined) {
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [...chromiumFlags],
    })
  }
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => server.close(resolve))
  rmSync(work, { recursive: true, force: true })
})

describe('in headless Chromium', () => {
  test.skipIf(chromiumPath === undefined)(
    'grad, hessian and a training fold give exactly Node’s numbers, and the plot is drawn',
    async () => {
      const tab = await browser!.newPage({ viewport: { width: 950, height: 480 } })
      const errors: string[] = []
      tab.on('pageerror', (e) => errors.push(e.message))
      await tab.goto(origin)
      await tab.waitForFunction(() => 'results' in globalThis, undefined, { timeout: 30_000 })
      expect(errors).toEqual([])
      const results = (await tab.evaluate(
        () => (globalThis as unknown as { results: unknown }).results,
      )) as {
        grad: number[]
        hessian: number[][]
        weights: number[]
        history: unknown[]
      }
      const data = lr.gen2dData({ n: 100, seed: 1 })
      const trained = lr.train({ epochs: 20, learningRate: 0.05 })(data)
      if (E.isLeft(trained)) throw trained.left
      expect(results.grad).toEqual(grad(rosenbrock)(scalar)([0.5, 1.5, -0.25]))
      expect(results.hessian).toEqual(hessian(rosenbrock)(scalar)([0.5, 1.5]))
      expect(results.weights).toEqual(trained.right.weights)
      // Chromium's V8 and Node's may round log1p differently in the last bit: the losses
      // agree to rounding, the weights (the arithmetic of the fold itself) exactly.
      expect(results.history).toHaveLength(trained.right.history.length)
      results.history.forEach((h, i) => {
        const node = trained.right.history[i]!
        expect(h).toMatchObject({ epoch: node.epoch, accuracy: node.accuracy })
        expect((h as { loss: number }).loss).toBeClose(node.loss, { rel: 1e-14 })
      })
      const png = PNG.sync.read(await tab.screenshot())
      expect(inkedPixels(png)).toBeGreaterThan(0.02 * png.width * png.height)
      await tab.close()
    },
  )

  test.skipIf(chromiumPath === undefined).each([
    ['/jit', true, true],
    ['/jit-csp', false, false],
    ['/jit-wasm', false, true],
  ])(
    'jit at %s (JavaScript generated: %s, WebAssembly compiled: %s) gives the eager numbers, traced and compiled',
    async (path, generates, compiles) => {
      const tab = await browser!.newPage()
      const errors: string[] = []
      tab.on('pageerror', (e) => errors.push(e.message))
      await tab.goto(origin + path)
      await tab.waitForFunction(() => 'results' in globalThis, undefined, { timeout: 30_000 })
      expect(errors).toEqual([])
      const results = (await tab.evaluate(
        () => (globalThis as unknown as { results: unknown }).results,
      )) as {
        modules: number
        generates: boolean
        traced: unknown
        compiled: unknown
        later: unknown
        eager: unknown
      }
      expect(results.generates).toBe(generates)
      // The page's fused group is compiled to SIMD kernels where WebAssembly is allowed.
      expect(results.modules > 0).toBe(compiles)
      expect(results.traced).toEqual(results.eager)
      const [ve, ge] = results.eager as [number, number[]]
      for (const run of [results.compiled, results.later]) {
        const [v, g] = run as [number, number[]]
        expect(v).toBeClose(ve, { rel: 1e-12 })
        expect(g).toBeClose(ge, { rel: 1e-12 })
      }
      await tab.close()
    },
  )
})
