/**
 * WebAssembly SIMD kernels for fused groups: a group whose every op has a two-lane form
 * (on its row: `UnaryForms.lanes`, `BinaryForms.lanes`) is compiled to the loop of `simdLoop.ts`, whose results are the eager
 * ones bit for bit; a group with rows runs row by row (`rowRuns`). A group with another op
 * or a product wider than `widthUpTo` gets the JavaScript kernel.
 *
 * The kernel's inputs are copied into its WebAssembly memory; an input that is the same
 * buffer as on the last run is not copied again (tensor buffers are never written after
 * creation). The outputs are copied out into fresh buffers.
 *
 * @since 0.4.0
 */
import { sizeOf } from '../../tensor/Tensor.js'
import type { Node } from '../graph.js'
import { groupInterface, likelyStrides, type GroupInterface, type Kernel } from '../kernel.js'
import { Lanes } from './lanes.js'
import { isRowSum, type Group } from '../plan.js'
import { liveAtOnce, loopCode, supported, widthOf } from './simdLoop.js'
import {
  FunctionCode,
  compile,
  compileLater,
  instantiate,
  moduleBytes,
  newMemory,
  type WasmMemory,
} from '../../util/wasmModule.js'

/** Whether this environment compiles WebAssembly with SIMD (not under a strict Content-Security-Policy). */
export const canCompileSimd: boolean = (() => {
  try {
    const code = new FunctionCode([])
    const L = new Lanes(code)
    L.add(L.f(1), L.f(2))
    const memory = newMemory(1)
    return (
      memory !== undefined && instantiate(compile(moduleBytes([code], [])), memory) !== undefined
    )
  } catch {
    return false
  }
})()

/**
 * Member values alive at once up to which the loop takes four registers an iteration:
 * past it, the values alive at once outgrow the processor's sixteen vector registers and
 * four registers' worth of them spill to memory (LR has 5; a group with 11 ran 1.6x
 * slower on four registers than on one).
 */
const wideUpTo = 8

/**
 * Sizes past which a group keeps its JavaScript kernel: the engine compiles functions
 * that large slowly, and refuses them past its limits (V8: 50,000 locals, 1,000
 * parameters); a long group gains little anyway, its values spilling from registers.
 */
const membersUpTo = 256
const localsUpTo = 25000
const parametersUpTo = 900

type Run = (start: number, end: number, ...pointers: number[]) => void

/**
 * Elements a call of the kernel takes: the engine compiles a hot function again with its
 * optimising tier for the next call, so that the first long run is not all on the baseline
 * tier. A multiple of 8.
 */
const chunk = 65536

/**
 * A group with rows (`Group.block`) runs one call of the loop per row, each call with its
 * pointers moved so that the loop reads as it does over elements: an operand repeated in
 * every row ('inner') moves back a row for each row, so that element i of the call reads
 * its element i − r·block; a value per row ('outer') moves on one element a row and is
 * read once for the whole call; a sum per row moves on one total a row, and starts from
 * +0, as the JavaScript loop's does. The byte step of each pointer (externals, written
 * members, reductions) per row.
 */
const rowRuns = (nodes: ReadonlyArray<Node>, group: Group, io: GroupInterface): number[] => [
  ...io.externals.map((e) => {
    const p = io.patterns.get(e)?.kind
    return p === 'inner' ? -8 * group.block! : p === 'outer' ? 8 : 0
  }),
  ...io.written.map(() => 0),
  ...io.sums.map((s) => (isRowSum(nodes, group, s) ? 8 : 0)),
]

/**
 * Compiles a group to WebAssembly, or undefined where it has an op without a two-lane
 * form or is too large (`membersUpTo`, `localsUpTo`, `parametersUpTo`); `fallback` makes
 * the JavaScript kernel (if code may be generated), used when a run needs more memory
 * than WebAssembly gives or compilation is refused; without it such a run is op by op.
 */
export const compileSimdGroup = (
  nodes: ReadonlyArray<Node>,
  group: Group,
  leaves: ReadonlySet<number>,
  uniform: ReadonlySet<number>,
  fallback: (() => Kernel) | undefined,
): Kernel | undefined => {
  if (group.members.length > membersUpTo || !supported(nodes, group)) return undefined
  const io = groupInterface(nodes, group, leaves)
  const { externals, dense, written, sums } = io
  if (externals.length + written.length + sums.length > parametersUpTo) return undefined
  const registers = liveAtOnce(nodes, group) <= wideUpTo ? 4 : 1
  // The loop for the likely pattern of strides, written now: too large a loop stays in
  // JavaScript.
  const usual = likelyStrides(nodes, io, uniform)
  const usualCode = loopCode(nodes, group, io, usual, registers)
  if (usualCode.locals.length > localsUpTo) return undefined
  const widths = [...group.members, ...group.sums]
    .map((m) => widthOf(nodes, nodes[m]!))
    .filter((w): w is number => w !== undefined)
  // Elements past each region's end that a lane may read and whose result is dropped.
  const pad = Math.max(2, ...widths)
  const { block } = group
  const rowSteps = block === undefined ? [] : rowRuns(nodes, group, io)
  // Compiled modules by pattern of strides (undefined: refused, or not ready yet), and
  // their instances on the current memory.
  const modules = new Map<string, object | undefined>()
  const runs = new Map<string, Run>()
  const moduleFor = (key: string, strides: ReadonlyArray<number>): object | undefined => {
    if (!modules.has(key)) {
      const code =
        key === usual.join('') ? usualCode : loopCode(nodes, group, io, strides, registers)
      const bytes = moduleBytes([code], [['run', 0]])
      try {
        modules.set(key, compile(bytes))
      } catch {
        // Refused now (a browser's main thread compiles only small modules at once): the
        // JavaScript kernel runs until a compilation in the background is done, if it
        // is allowed at all. The numbers are the same either way.
        modules.set(key, undefined)
        void compileLater(bytes).then((m) => {
          if (m !== undefined) modules.set(key, m)
        })
      }
    }
    return modules.get(key)
  }
  const runFor = (strides: ReadonlyArray<number>, memory: WasmMemory): Run | undefined => {
    const key = strides.join('')
    if (!runs.has(key)) {
      const module = moduleFor(key, strides)
      if (module === undefined) return undefined
      runs.set(key, instantiate(module, memory)['run'] as Run)
    }
    return runs.get(key)
  }
  // One memory per kernel, grown as needed, and the buffer each input region holds a
  // copy of: a memo invisible from outside. Held strongly (one buffer an input, until
  // the next run or a release): a WeakRef would keep every buffer it ever saw alive to
  // the end of the current job, which a training loop never reaches.
  let memory: WasmMemory | undefined
  let layoutKey = ''
  let copied: Array<Float64Array | undefined> = []
  let js: Kernel | undefined
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
    release: () => {
      memory = undefined
      runs.clear()
      layoutKey = ''
      copied = []
    },
    prepare: (strides) => {
      const m = ensureMemory(65536)
      if (m !== undefined) runFor(strides, m)
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
      if (m === undefined || run === undefined) {
        if (fallback === undefined) return undefined
        return (js ??= fallback()).run(data, strides, n)
      }
      const key = sizes.join(',')
      if (key !== layoutKey) {
        layoutKey = key
        copied = []
      }
      data.forEach((d, k) => {
        if (copied[k] === d) return
        new Float64Array(m.buffer, offsets[k], d.length).set(d)
        copied[k] = d
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
      if (block === undefined) {
        for (let start = 0; start < n; start += chunk)
          run(start, Math.min(n, start + chunk), ...offsets)
      } else {
        // One array of pointers, moved a row at a time (an array a row would be garbage).
        const at = [...offsets]
        for (let r = 0, rows = n / block; r < rows; r++) {
          for (let k = 0; k < at.length; k++) at[k] = offsets[k]! + r * rowSteps[k]!
          for (let from = 0; from < block; from += chunk)
            run(r * block + from, r * block + Math.min(block, from + chunk), ...at)
        }
      }
      const out = (k: number, size: number) => new Float64Array(m.buffer, offsets[k], size).slice()
      return {
        buffers: written.map((_, w) => out(data.length + w, n)),
        totals: sums.map((s, t) => out(data.length + written.length + t, sizeOf(nodes[s]!.shape))),
      }
    },
  }
}
