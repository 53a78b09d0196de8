/**
 * Timing helpers for the benchmarks. Candidates and their baseline run interleaved,
 * round after round, and each figure is the median over rounds of the per-round
 * ratio: load from other processes shifts both sides of a round alike.
 */

/** Median of a list of numbers. */
export const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

const once = (f: () => unknown): number => {
  const start = performance.now()
  const r = f()
  const elapsed = performance.now() - start
  if (r === sentinel) console.log(r) // keeps the result observable, so it is computed
  return elapsed
}
const sentinel = Symbol('never returned')

export interface Comparison {
  /** Median time of each candidate, in milliseconds. */
  readonly ms: Readonly<Record<string, number>>
  /** Median over rounds of candidate time / baseline time. */
  readonly ratio: Readonly<Record<string, number>>
}

/** Warm-up rounds go on until this much time has passed (or `maxWarmup` rounds). */
const warmupMs = 1500
const maxWarmup = 60

/**
 * Runs `baseline` and every candidate once per round, after at least `warmup` rounds of
 * warm-up, continued while under 1.5 s (at most 60 rounds), so that both sides reach
 * their optimised code before anything is timed (five calls leave a library's small
 * functions still collecting type feedback while a baseline's one hot loop is already
 * compiled); returns median times and median per-round ratios to the baseline.
 */
export const compare = (
  baseline: () => unknown,
  candidates: Readonly<Record<string, () => unknown>>,
  rounds = 21,
  warmup = 5,
): Comparison => {
  const names = Object.keys(candidates)
  const times: Record<string, number[]> = { baseline: [] }
  const ratios: Record<string, number[]> = {}
  for (const n of names) {
    times[n] = []
    ratios[n] = []
  }
  const started = performance.now()
  let warm = 0
  while (warm < warmup || (warm < maxWarmup && performance.now() - started < warmupMs)) {
    baseline()
    for (const n of names) candidates[n]!()
    warm++
  }
  for (let r = 0; r < rounds; r++) {
    const tb = once(baseline)
    for (const n of names) {
      const t = once(candidates[n]!)
      times[n]!.push(t)
      ratios[n]!.push(t / tb)
    }
    times['baseline']!.push(tb)
  }
  const ms: Record<string, number> = {}
  const ratio: Record<string, number> = {}
  for (const [k, v] of Object.entries(times)) ms[k] = median(v)
  for (const [k, v] of Object.entries(ratios)) ratio[k] = median(v)
  return { ms, ratio }
}

/** Forces a full collection when node runs with --expose-gc. */
export const collect = (): void => {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc !== undefined) {
    gc()
    gc()
  }
}

/** Heap plus array-buffer bytes in use (typed arrays live outside the JS heap). */
export const bytesInUse = (): number => {
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

export const fmt = (x: number, digits = 2): string => x.toFixed(digits)

/**
 * Median times of two functions measured in separate blocks, with a full collection
 * between blocks: for a candidate whose garbage would otherwise slow the other side.
 */
export const compareBlocks = (
  a: () => unknown,
  b: () => unknown,
  rounds = 9,
  warmup = 8,
): { readonly a: number; readonly b: number } => {
  const block = (f: () => unknown) => {
    collect()
    for (let i = 0; i < warmup; i++) once(f)
    return median(Array.from({ length: rounds }, () => once(f)))
  }
  return { a: block(a), b: block(b) }
}
