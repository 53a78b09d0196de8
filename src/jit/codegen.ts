/**
 * JavaScript kernels for fused groups, generated with `new Function`: one loop over the
 * group's elements, each member a local variable, the members needed outside written
 * to fresh buffers and the full sums kept in accumulators. The common primitives are
 * written inline as the eager kernels write them; every other one is a call to its
 * op-table primal, so the numbers are those of the eager backend. Where code generation
 * is not allowed (a Content-Security-Policy without 'unsafe-eval'), `canGenerate` is
 * false and groups run op by op instead.
 *
 * @since 0.4.0
 */
import type { BinaryOp, UnaryOp } from '../Floating.js'
import { binaryOps, unaryOps } from '../opTable.js'
import type { Node } from './graph.js'
import type { Group } from './plan.js'

/**
 * Whether this environment lets code be generated at run time (a page whose
 * Content-Security-Policy forbids 'unsafe-eval' does not).
 */
export const canGenerate: boolean = (() => {
  try {
    return (new Function('return 1') as () => number)() === 1
  } catch {
    return false
  }
})()

const inlineUnary = new Map<UnaryOp, (x: string) => string>([
  [unaryOps.neg, (x) => `-${x}`],
  [unaryOps.exp, (x) => `Math.exp(${x})`],
  [unaryOps.log, (x) => `Math.log(${x})`],
  [unaryOps.log1p, (x) => `Math.log1p(${x})`],
  [unaryOps.sqrt, (x) => `Math.sqrt(${x})`],
])

const inlineBinary = new Map<BinaryOp, (x: string, y: string) => string>([
  [binaryOps.add, (x, y) => `${x} + ${y}`],
  [binaryOps.sub, (x, y) => `${x} - ${y}`],
  [binaryOps.mul, (x, y) => `${x} * ${y}`],
  [binaryOps.div, (x, y) => `${x} / ${y}`],
])

/**
 * A compiled group: `run(externals, n)` takes the data of every operand from outside the
 * group (in `externals` order) and gives the buffers of `written` and the values of
 * `sums`, in order.
 */
export interface Kernel {
  /** Operands read from outside the group, in argument order. */
  readonly externals: ReadonlyArray<number>
  /** Members whose values leave the loop as buffers. */
  readonly written: ReadonlyArray<number>
  /** Full-sum members, leaving as numbers. */
  readonly sums: ReadonlyArray<number>
  /** Runs the loop; a stride of 0 reads one element for every i. */
  readonly run: (
    data: ReadonlyArray<Float64Array>,
    strides: ReadonlyArray<number>,
    n: number,
  ) => { readonly buffers: Float64Array[]; readonly totals: number[] }
}

type Body = (
  data: ReadonlyArray<Float64Array>,
  fns: ReadonlyArray<(...xs: number[]) => number>,
  outs: ReadonlyArray<Float64Array>,
  n: number,
) => number[]

/** Compiles a group; `leaves` says which members are read outside it. */
export const compileGroup = (
  nodes: ReadonlyArray<Node>,
  group: Group,
  leaves: ReadonlySet<number>,
): Kernel => {
  const inside = new Set(group.members)
  const externals: number[] = []
  for (const m of group.members) {
    const n = nodes[m]!
    const ops = n.kind === 'unary' ? [n.x] : n.kind === 'binary' ? [n.x, n.y] : []
    for (const o of ops) if (!inside.has(o) && !externals.includes(o)) externals.push(o)
  }
  const written = group.members.filter((m) => leaves.has(m))
  const sums = group.sums
  // The accumulators of each member (a member may be summed by several nodes).
  const sumsOf = new Map<number, number[]>()
  sums.forEach((s, k) => {
    const o = operandOfSum(nodes, s)
    sumsOf.set(o, [...(sumsOf.get(o) ?? []), k])
  })
  const fns: Array<(...xs: number[]) => number> = []
  // Kernels per pattern of strides (which externals hold one element), made on first use.
  const bodies = new Map<string, Body>()
  const bodyFor = (strides: ReadonlyArray<number>): Body => {
    const key = strides.join('')
    let body = bodies.get(key)
    if (body !== undefined) return body
    const lines: string[] = ['"use strict";']
    externals.forEach((_, k) =>
      lines.push(strides[k] === 0 ? `const e${k} = data[${k}][0];` : `const d${k} = data[${k}];`),
    )
    written.forEach((_, k) => lines.push(`const o${k} = outs[${k}];`))
    const fnIndex = new Map<unknown, number>()
    const callee = (f: (...xs: number[]) => number) => {
      if (!fnIndex.has(f)) {
        fnIndex.set(f, fns.length)
        fns.push(f)
        lines.splice(1, 0, `const f${fns.length - 1} = fns[${fns.length - 1}];`)
      }
      return `f${fnIndex.get(f)}`
    }
    const read = (o: number) => {
      if (inside.has(o)) return `v${o}`
      const k = externals.indexOf(o)
      return strides[k] === 0 ? `e${k}` : `d${k}[i]`
    }
    sums.forEach((_, k) => lines.push(`let a${k} = 0;`))
    const loop: string[] = []
    // Members that read only one-element operands are the same for every i: computed
    // once before the loop (the same primal on the same numbers, so the same value).
    const invariant = new Set<number>()
    const hoisted: string[] = []
    for (const m of group.members) {
      const n = nodes[m]!
      let expr: string
      if (n.kind === 'unary') {
        const inline = inlineUnary.get(n.op)
        expr = inline !== undefined ? inline(read(n.x)) : `${callee(n.op.primal)}(${read(n.x)})`
      } else if (n.kind === 'binary') {
        const inline = inlineBinary.get(n.op)
        expr =
          inline !== undefined
            ? inline(read(n.x), read(n.y))
            : `${callee(n.op.primal)}(${read(n.x)}, ${read(n.y)})`
      } else continue
      const ops = n.kind === 'unary' ? [n.x] : [n.x, n.y]
      const once = ops.every((o) =>
        inside.has(o) ? invariant.has(o) : strides[externals.indexOf(o)] === 0,
      )
      if (once) {
        invariant.add(m)
        hoisted.push(`const v${m} = ${expr};`)
      } else loop.push(`const v${m} = ${expr};`)
      const w = written.indexOf(m)
      if (w >= 0) loop.push(`o${w}[i] = v${m};`)
      for (const k of sumsOf.get(m) ?? []) loop.push(`a${k} += v${m};`)
    }
    lines.push(...hoisted, 'for (let i = 0; i < n; i++) {', ...loop.map((l) => `  ${l}`), '}')
    lines.push(`return [${sums.map((_, k) => `a${k}`).join(', ')}];`)
    body = new Function('data', 'fns', 'outs', 'n', lines.join('\n')) as Body
    bodies.set(key, body)
    return body
  }
  return {
    externals,
    written,
    sums,
    run: (data, strides, n) => {
      const body = bodyFor(strides)
      // Fresh buffers, filled by the loop and handed to new tensors by the caller.
      const buffers = written.map(() => new Float64Array(n))
      const totals = body(data, fns, buffers, n)
      return { buffers, totals }
    },
  }
}

/** The member a full-sum member sums. */
const operandOfSum = (nodes: ReadonlyArray<Node>, s: number): number => {
  const n = nodes[s]!
  if (n.kind !== 'call') throw new Error('jit: internal error: a group sum that is not a sum')
  return (n.args[0] as { readonly ref: number }).ref
}
