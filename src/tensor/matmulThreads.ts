/**
 * The SIMD matrix product split over worker threads (Node's `worker_threads`): each
 * thread takes whole tiles of rows, and an output element is the sum of its k products
 * computed by one thread in the order p = 0, 1, …, exactly as on one thread. So the
 * numbers are the same bit for bit for every thread count; only the time differs.
 *
 * The count comes from the environment variable `AD_TS_THREADS` (default: the cores
 * Node reports; 1 starts no worker). Workers start in the background at the first product that asks for
 * them; until they are ready, the calling thread takes their rows too. Where workers or
 * shared WebAssembly memory are unavailable (a browser page, an old engine), every
 * product runs on the calling thread.
 *
 * The calling thread waits for the workers with `Atomics.wait`, so a product stays a
 * synchronous call.
 *
 * @since 0.5.0
 */
import { compile, instantiate, type WasmMemory } from '../util/wasmModule.js'
import type { Kernel, Panel, Scan, runRows as RunRows } from './simdMatmul.js'

/** Workers at most (slots in the control block). */
const workersUpTo = 7

/**
 * Threads a product may use: `AD_TS_THREADS`, a positive integer, else the cores Node
 * reports (`os.availableParallelism()`), at most 8; 1 where neither is known.
 */
export const defaultThreads: number = (() => {
  const process = (
    globalThis as {
      process?: {
        env?: Record<string, string | undefined>
        getBuiltinModule?: (name: string) => unknown
      }
    }
  ).process
  const env = process?.env?.['AD_TS_THREADS']
  const os = process?.getBuiltinModule?.('node:os') as
    { availableParallelism?: () => number } | undefined
  const n = env === undefined ? (os?.availableParallelism?.() ?? 1) : Number(env)
  return Number.isSafeInteger(n) && n >= 1 ? Math.min(n, workersUpTo + 1) : 1
})()

/** Pages of the shared memory (32 MiB): a larger product runs on the calling thread. */
const pagesUpTo = 512

// The control block, Int32 words: the job counter, the count of workers done, one
// ready flag a worker, then a slot of 16 words a worker (job, a, b, c, k, np, lda, ldp,
// r0, r1, then unused).
const GEN = 0
const DONE = 1
const READY = 2
const SLOT = 16
const SLOT_WORDS = 16

interface WorkerApi {
  readonly Worker: new (
    source: string,
    options: { eval: true; workerData: unknown },
  ) => { unref(): void }
}

/** The worker's program: instantiate the panels on the shared memory, then run jobs. */
const workerSource = (driver: string): string => `
const { workerData } = require('node:worker_threads')
const { module, memory, control, index } = workerData
const e = new WebAssembly.Instance(module, { env: { memory } }).exports
const panels = [e.panel1, e.panel2, e.panel3, e.panel4]
const runRows = (${driver})
const slot = ${SLOT} + ${SLOT_WORDS} * index
let seen = Atomics.load(control, ${GEN})
Atomics.store(control, ${READY} + index, 1)
for (;;) {
  Atomics.wait(control, ${GEN}, seen)
  seen = Atomics.load(control, ${GEN})
  if (Atomics.load(control, slot) !== seen) continue
  const w = (q) => Atomics.load(control, slot + q)
  try {
    runRows(panels, w(1), w(2), w(3), w(4), w(5), w(6), w(7), w(8), w(9))
  } finally {
    Atomics.add(control, ${DONE}, 1)
    Atomics.notify(control, ${DONE})
  }
}
`

interface Pool {
  readonly memory: WasmMemory
  readonly panels: ReadonlyArray<Panel>
  readonly scan: Scan
  readonly module: object
  readonly control: Int32Array
  workers: number
  readonly source: string
  readonly api: WorkerApi
}

// The pool: shared memory, its panels and the workers started so far. A cache of
// resources, invisible from outside: every product writes what it reads first, and
// its numbers do not depend on how many workers take part. null: unavailable here.
let pool: Pool | null | undefined

const startPool = (bytes: (sharedPages: number) => Uint8Array, driver: typeof RunRows) => {
  try {
    const process = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } })
      .process
    const api = process?.getBuiltinModule?.('node:worker_threads') as WorkerApi | undefined
    const wasm = (globalThis as { WebAssembly?: { Memory: new (d: object) => WasmMemory } })
      .WebAssembly
    if (api === undefined || wasm === undefined || typeof SharedArrayBuffer === 'undefined')
      return null
    const memory = new wasm.Memory({ initial: 1, maximum: pagesUpTo, shared: true })
    const module = compile(bytes(pagesUpTo))
    const e = instantiate(module, memory)
    return {
      memory,
      module,
      panels: [1, 2, 3, 4].map((r) => e[`panel${r}`] as Panel),
      scan: e['scan'] as Scan,
      control: new Int32Array(new SharedArrayBuffer(4 * (SLOT + SLOT_WORDS * workersUpTo))),
      workers: 0,
      source: workerSource(driver.toString()),
      api,
    }
  } catch {
    return null
  }
}

/** Where a product lies in memory and how A is read: a, b, c, k, np, lda, ldp (see `runRows`). */
type Layout = readonly [number, number, number, number, number, number, number]

/** A kernel on the pool's shared memory whose `run` splits the rows of a product. */
export interface Pooled extends Kernel {
  /** Rows 0 … m − 1 of the product laid out as `runRows` reads it: a, b, c, k, np, lda, ldp. */
  run(layout: Layout, m: number): void
}

/**
 * The pooled kernel for a product of `size` bytes on up to `threads` threads, starting
 * workers as needed; undefined where the pool is unavailable or the product too large.
 */
export const pooledKernel = (
  threads: number,
  size: number,
  bytes: (sharedPages: number) => Uint8Array,
  driver: typeof RunRows,
): Pooled | undefined => {
  if (pool === undefined) pool = startPool(bytes, driver)
  if (pool === null || size > pagesUpTo * 65536) return undefined
  const p = pool
  const wanted = Math.min(threads - 1, workersUpTo)
  for (; p.workers < wanted; p.workers++) {
    const workerData = { module: p.module, memory: p.memory, control: p.control, index: p.workers }
    new p.api.Worker(p.source, { eval: true, workerData }).unref()
  }
  try {
    const short = size - p.memory.buffer.byteLength
    if (short > 0) p.memory.grow(Math.ceil(short / 65536))
  } catch {
    return undefined
  }
  return {
    memory: p.memory,
    panels: p.panels,
    scan: p.scan,
    run: (layout, m) => splitRows(p, wanted, driver, layout, m),
  }
}

/** Runs rows in parts of whole 4-row tiles: the calling thread the first, ready workers the rest. */
const splitRows = (
  p: Pool,
  wanted: number,
  driver: typeof RunRows,
  layout: Layout,
  m: number,
): void => {
  const { control } = p
  const ready: number[] = []
  for (let w = 0; w < wanted; w++) if (Atomics.load(control, READY + w) === 1) ready.push(w)
  const per = 4 * Math.ceil(Math.ceil(m / 4) / (ready.length + 1))
  const gen = (Atomics.load(control, GEN) + 1) | 0
  Atomics.store(control, DONE, 0)
  let used = 0
  ready.forEach((w, q) => {
    const [r0, r1] = [(q + 1) * per, Math.min(m, (q + 2) * per)]
    if (r0 >= r1) return
    const slot = SLOT + SLOT_WORDS * w
    ;[...layout, r0, r1].forEach((v, i) => Atomics.store(control, slot + 1 + i, v))
    Atomics.store(control, slot, gen)
    used++
  })
  Atomics.store(control, GEN, gen)
  if (used > 0) Atomics.notify(control, GEN)
  driver(p.panels, ...layout, 0, Math.min(m, per))
  for (;;) {
    const done = Atomics.load(control, DONE)
    if (done >= used) return
    Atomics.wait(control, DONE, done)
  }
}

/**
 * Resolves once `threads − 1` workers are ready (or at once where there are none to
 * wait for); for tests that compare thread counts.
 */
export const workersReady = async (threads: number): Promise<boolean> => {
  if (pool === undefined || pool === null) return false
  const wanted = Math.min(threads - 1, pool.workers)
  for (let tries = 0; tries < 500; tries++) {
    let ready = 0
    for (let w = 0; w < wanted; w++) ready += Atomics.load(pool.control, READY + w)
    if (ready >= wanted) return wanted === threads - 1
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return false
}
