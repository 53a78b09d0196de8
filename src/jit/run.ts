/**
 * Running a planned graph on new inputs of the traced shapes: groups by their compiled
 * kernels (or op by op where code cannot be generated), every other node replayed by
 * the eager backend. Each run owns its buffers; nothing outlives it but the outputs.
 *
 * @since 0.4.0
 */
import { tensor } from '../backend/tensor.js'
import { internal, sizeOf, type Tensor } from '../tensor/Tensor.js'
import { compileGroup } from './codegen.js'
import { likelyStrides, type Kernel } from './kernel.js'
import { compileSimdGroup } from './simd/simdKernel.js'
import { isRef, operandsOf, type Node } from './graph.js'
import type { Step } from './plan.js'
import { replay, type Recording } from './tracer.js'

/** A graph made ready to run: its nodes, steps and compiled kernels. */
export interface Program {
  readonly nodes: ReadonlyArray<Node>
  readonly steps: ReadonlyArray<Step>
  /** The kernel of each group step (same index), or undefined to run it op by op. */
  readonly kernels: ReadonlyArray<Kernel | undefined>
  /** The nodes whose values are the outputs. */
  readonly outputs: ReadonlyArray<number>
}

/**
 * Prepares a graph: compiles its groups to WebAssembly SIMD where a group has at least
 * `simdFrom` elements and every op of it a two-lane form, else to JavaScript when
 * `generate` is true; other groups run op by op.
 */
export const programOf = (
  rec: Recording,
  steps: ReadonlyArray<Step>,
  outputs: ReadonlyArray<number>,
  generate: boolean,
  simdFrom: number,
): Program => {
  const { nodes } = rec
  // Which members are read outside their group (or are outputs): they get buffers.
  const groupOf = new Map<number, number>()
  steps.forEach((s, k) => {
    if (s.kind === 'group') for (const m of [...s.members, ...s.sums]) groupOf.set(m, k)
  })
  const leaves = new Set<number>(outputs)
  // The nodes that run (a step leaves out a node no output needs).
  const running = steps.flatMap((s) => (s.kind === 'group' ? [...s.members, ...s.sums] : [s.id]))
  for (const n of running.map((id) => nodes[id]!)) {
    for (const o of operandsOf(n)) {
      const g = groupOf.get(o)
      if (g !== undefined && groupOf.get(n.id) !== g) leaves.add(o)
    }
  }
  const kernels = steps.map((s) => {
    if (s.kind !== 'group') return undefined
    const js = generate ? () => compileGroup(nodes, s, leaves) : undefined
    const large = sizeOf(s.shape) >= simdFrom
    return (large ? compileSimdGroup(nodes, s, leaves, rec.uniform, js) : undefined) ?? js?.()
  })
  // Code is generated at the trace, so that compile time belongs to the first call.
  for (const k of kernels) k?.prepare(likelyStrides(nodes, k, rec.uniform))
  return { nodes, steps, kernels, outputs }
}

/** Lets go of what the program's kernels keep between runs (see `Kernel.release`). */
export const releaseProgram = (program: Program): void => {
  for (const k of program.kernels) k?.release()
}

const resolve = (values: ReadonlyArray<Tensor | undefined>, a: unknown): unknown => {
  if (isRef(a)) return values[a.ref]
  if (Array.isArray(a)) return (a as unknown[]).map((b) => resolve(values, b))
  return a
}

/** Computes one node from the values of its operands, as the eager backend does. */
const evaluate = (n: Node, values: ReadonlyArray<Tensor | undefined>): Tensor => {
  switch (n.kind) {
    case 'const':
      return n.tensor
    case 'unary':
      return tensor.unary(n.op, values[n.x]!)
    case 'binary':
      return tensor.binary(n.op, values[n.x]!, values[n.y]!)
    case 'call':
      return replay(
        n.method,
        n.args.map((a) => resolve(values, a)),
      )
    case 'input':
      throw new Error('jit: internal error: an input without a value')
  }
}

/** Runs a program on its inputs (in input-node order); the output values. */
export const runProgram = (program: Program, inputs: ReadonlyArray<Tensor>): Tensor[] => {
  const { nodes } = program
  // One slot per node, filled as the steps run and dropped with the run.
  const values: Array<Tensor | undefined> = new Array(nodes.length)
  for (const n of nodes) if (n.kind === 'input') values[n.id] = inputs[n.index]
  program.steps.forEach((step, k) => {
    if (step.kind === 'node') {
      if (nodes[step.id]!.kind !== 'input') values[step.id] = evaluate(nodes[step.id]!, values)
      return
    }
    const kernel = program.kernels[k]
    const data = kernel?.externals.map((e) =>
      kernel.dense.has(e) ? internal.data(values[e]!) : internal.raw(values[e]!),
    )
    const strides = kernel?.externals.map((e, i) =>
      kernel.dense.has(e) || data![i]!.length !== 1 ? 1 : 0,
    )
    const out = kernel?.run(data!, strides!, sizeOf(step.shape))
    if (kernel === undefined || out === undefined) {
      for (const m of [...step.members, ...step.sums].sort((a, b) => a - b))
        values[m] = evaluate(nodes[m]!, values)
      return
    }
    // A member has the group's size; a reshape among them keeps its own shape.
    kernel.written.forEach((m, i) => (values[m] = internal.make(out.buffers[i]!, nodes[m]!.shape)))
    kernel.sums.forEach((s, i) => (values[s] = internal.make(out.totals[i]!, nodes[s]!.shape)))
  })
  return program.outputs.map((o) => values[o]!)
}
