/**
 * WebAssembly SIMD kernels for fused groups: a group whose every op has a two-lane form
 * (`laneOps.ts`) is compiled to the loop of `simdLoop.ts`, whose results are the eager
 * ones bit for bit. A group with another op, a product wider than `widthUpTo`, or rows of
 * a blocked loop gets the JavaScript kernel.
 *
 * The kernel's inputs are copied into its WebAssembly memory; an input that is the same
 * buffer as on the last run is not copied again (tensor buffers are never written after
 * creation). The outputs are copied out into fresh buffers.
 *
 * @since 0.4.0
 */
import { sizeOf } from '../tensor/Tensor.js'
import type { Node } from './graph.js'
import { groupInterface, type Kernel } from './kernel.js'
import { Lanes } from './lanes.js'
import type { Group } from './plan.js'
import { loopCode, supported, widthOf } from './simdLoop.js'
import {
  FunctionCode,
  instantiate,
  instantiateLater,
  moduleBytes,
  newMemory,
  type WasmMemory,
} from './wasmModule.js'

/** Whether this environment compiles WebAssembly with SIMD (not under a strict Content-Security-Policy). */
export const canCompileSimd: boolean = (() => {
  try {
    const code = new FunctionCode([])
    const L = new Lanes(code)
    L.add(L.f(1), L.f(2))
    const memory = newMemory(1)
    return memory !== undefined && instantiate(moduleBytes([code], []), memory) !== undefined
  } catch {
    return false
  }
})()

type Run = (start: number, end: number, ...pointers: number[]) => void

/**
 * Elements a call of the kernel takes: the engine compiles a hot function again with its
 * optimising tier for the next call, so that the first long run is not all on the baseline
 * tier. A multiple of 8.
 */
const chunk = 65536

/**
 * Compiles a group to WebAssembly, or undefined where it has an op without a two-lane
 * form; `fallback` makes the JavaScript kernel, used when a run needs more memory than
 * WebAssembly gives or compilation is refused.
 */
export const compileSimdGroup = (
  nodes: ReadonlyArray<Node>,
  group: Group,
  leaves: ReadonlySet<number>,
  fallback: () => Kernel,
): Kernel | undefined => {
  if (!supported(nodes, group)) return undefined
  const io = groupInterface(nodes, group, leaves)
  const { externals, dense, written, sums } = io
  const widths = [...group.members, ...group.sums]
    .map((m) => widthOf(nodes, nodes[m]!))
    .filter((w): w is number => w !== undefined)
  // Elements past each region's end that a lane may read and whose result is dropped.
  const pad = Math.max(2, ...widths)
  const runs = new Map<string, Run | undefined>()
  const runFor = (strides: ReadonlyArray<number>, memory: WasmMemory): Run | undefined => {
    const key = strides.join('')
    if (!runs.has(key)) {
      const bytes = moduleBytes([loopCode(nodes, group, io, strides)], [['run', 0]])
      try {
        runs.set(key, instantiate(bytes, memory)['run'] as Run)
      } catch {
        // Refused now (a browser's main thread compiles only small modules at once): the
        // JavaScript kernel runs until a compilation in the background is done, if it
        // is allowed at all. The numbers are the same either way.
        runs.set(key, undefined)
        void instantiateLater(bytes, memory).then((exports) => {
          if (exports !== undefined) runs.set(key, exports['run'] as Run)
        })
      }
    }
    return runs.get(key)
  }
  // One memory per kernel, grown as needed, and what each input region holds: a memo
  // of copies, invisible from outside.
  let memory: WasmMemory | undefined
  let layoutKey = ''
  let copied: Array<WeakRef<Float64Array> | undefined> = []
  let js: Kernel | undefined
  const usual = () => externals.map((e) => (!dense.has(e) && sizeOf(nodes[e]!.shape) === 1 ? 0 : 1))
  const ensureMemory = (bytes: number): WasmMemory | undefined => {
    try {
      memory ??= newMemory(Math.max(1, Math.ceil(bytes / 65536)))
      if (memory === undefined) return undefined
      const short = bytes - memory.buffer.byteLength
      if (short > 0) memory.grow(Math.ceil(short / 65536))
      return memory
    } catch {
      return undefined
    }
  }
  return {
    tier: 'simd',
    externals,
    dense,
    written,
    sums,
    prepare: () => {
      const m = ensureMemory(65536)
      if (m !== undefined) runFor(usual(), m)
    },
    run: (data, strides, n) => {
      const sizes = [
        ...data.map((d) => d.length),
        ...written.map(() => n),
        ...sums.map((s) => {
          // A vector-matrix product keeps a mask beside its sums.
          const w = widthOf(nodes, nodes[s]!)
          return w === undefined ? sizeOf(nodes[s]!.shape) : 4 * Math.ceil(w / 2)
        }),
      ]
      const offsets: number[] = []
      let bytes = 0
      for (const size of sizes) {
        offsets.push(bytes)
        bytes += Math.ceil((size + pad) / 2) * 16
      }
      // Addresses stay below 2^31: the loop compares them as signed integers.
      const m = bytes < 2 ** 31 ? ensureMemory(bytes) : undefined
      const run = m === undefined ? undefined : runFor(strides, m)
      if (m === undefined || run === undefined) return (js ??= fallback()).run(data, strides, n)
      const key = sizes.join(',')
      if (key !== layoutKey) {
        layoutKey = key
        copied = []
      }
      data.forEach((d, k) => {
        if (copied[k]?.deref() === d) return
        new Float64Array(m.buffer, offsets[k], d.length).set(d)
        copied[k] = new WeakRef(d)
      })
      // The reductions start from +0 and carry over from one call to the next.
      sums.forEach((_, t) => {
        const k = data.length + written.length + t
        new Float64Array(
          m.buffer,
          offsets[k],
          (offsets[k + 1] ?? bytes) / 8 - offsets[k]! / 8,
        ).fill(0)
      })
      for (let start = 0; start < n; start += chunk)
        run(start, Math.min(n, start + chunk), ...offsets)
      const out = (k: number, size: number) => new Float64Array(m.buffer, offsets[k], size).slice()
      return {
        buffers: written.map((_, w) => out(data.length + w, n)),
        totals: sums.map((s, t) => out(data.length + written.length + t, sizeOf(nodes[s]!.shape))),
      }
    },
  }
}
