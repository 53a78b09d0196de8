/**
 * What a compiled group is from outside, whichever code runs it: the operands it reads
 * from other steps, the members it writes out, the reductions it gives back, and a run
 * over new data. `groupInterface` works these out once for every kind of kernel.
 *
 * @since 0.4.0
 */
import { sizeOf } from '../tensor/Tensor.js'
import { operandsOf, type Node } from './graph.js'
import { isReshape, patternOf, type Group, type Pattern } from './plan.js'

/**
 * A compiled group: `run(data, strides, n)` takes the data of every operand from
 * outside the group (in `externals` order; all elements for those in `dense`) and gives
 * the buffers of `written` and the values of `sums`, in order.
 */
export interface Kernel {
  /** Which code runs the loop. */
  readonly tier: 'javascript' | 'simd'
  /** Operands read from outside the group, in argument order. */
  readonly externals: ReadonlyArray<number>
  /** Externals read whole (matrices and vectors of products): never one stored value. */
  readonly dense: ReadonlySet<number>
  /** Members whose values leave the loop as buffers. */
  readonly written: ReadonlyArray<number>
  /** Reductions, leaving as buffers of their own size. */
  readonly sums: ReadonlyArray<number>
  /**
   * Compiles the code for a pattern of strides (`likelyStrides`) now, at the trace,
   * rather than at the first run.
   */
  readonly prepare: (strides: ReadonlyArray<number>) => void
  /**
   * Lets go of what the kernel keeps between runs (a SIMD kernel's memory, with its
   * copies of the inputs); the next run makes it again.
   */
  readonly release: () => void
  /**
   * Runs the loop; a stride of 0 reads one element for every i. Undefined where this run
   * cannot use the kernel (a SIMD kernel refused memory or compilation, with no
   * JavaScript kernel to fall back on): the group then runs op by op.
   */
  readonly run: (
    data: ReadonlyArray<Float64Array>,
    strides: ReadonlyArray<number>,
    n: number,
  ) => { readonly buffers: Float64Array[]; readonly totals: Float64Array[] } | undefined
}

/** A group's operands and results, as every kernel reads and writes them. */
export interface GroupInterface {
  readonly inside: ReadonlySet<number>
  readonly externals: ReadonlyArray<number>
  readonly dense: ReadonlySet<number>
  /** How each outside operand of an elementwise member is read. */
  readonly patterns: ReadonlyMap<number, Pattern>
  readonly written: ReadonlyArray<number>
  readonly sums: ReadonlyArray<number>
  /** The reductions of each member, by index in `sums` (a member may have several). */
  readonly sumsOf: ReadonlyMap<number, ReadonlyArray<number>>
}

/**
 * The strides a run will read a kernel's externals with, judged at the trace: 0 for an
 * operand read as one stored number (one element, or a value that stored one number for
 * many elements at the trace), 1 for every element.
 */
export const likelyStrides = (
  nodes: ReadonlyArray<Node>,
  kernel: Pick<GroupInterface, 'externals' | 'dense'>,
  uniform: ReadonlySet<number>,
): number[] =>
  kernel.externals.map((e) =>
    !kernel.dense.has(e) && (sizeOf(nodes[e]!.shape) === 1 || uniform.has(e)) ? 0 : 1,
  )

/** The operands, outputs and reductions of a group; `leaves` says which members are read outside it. */
export const groupInterface = (
  nodes: ReadonlyArray<Node>,
  group: Group,
  leaves: ReadonlySet<number>,
): GroupInterface => {
  const inside = new Set(group.members)
  const externals: number[] = []
  const dense = new Set<number>()
  const note = (o: number, whole: boolean) => {
    if (!inside.has(o) && !externals.includes(o)) externals.push(o)
    if (whole) dense.add(o)
  }
  const patterns = new Map<number, Pattern>()
  for (const m of group.members) {
    const n = nodes[m]!
    for (const o of operandsOf(n)) {
      const p =
        n.kind === 'call' || inside.has(o) ? undefined : patternOf(nodes[o]!.shape, group.shape)
      note(o, (n.kind === 'call' && !isReshape(n)) || p?.kind === 'outer' || p?.kind === 'inner')
      if (p !== undefined) patterns.set(o, p)
    }
  }
  for (const s of group.sums) {
    const n = nodes[s]!
    if (n.kind === 'call' && n.method === 'tangentMatmul') note(operandsOf(n)[1]!, true)
  }
  const sumsOf = new Map<number, number[]>()
  group.sums.forEach((s, k) => {
    const o = operandsOf(nodes[s]!)[0]!
    sumsOf.set(o, [...(sumsOf.get(o) ?? []), k])
  })
  const written = group.members.filter((m) => leaves.has(m))
  return { inside, externals, dense, patterns, written, sums: group.sums, sumsOf }
}
