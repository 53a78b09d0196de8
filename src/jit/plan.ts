/**
 * Fusion: the steps that run a graph. Chains of elementwise primitives over one shape,
 * the matrix-vector products that feed them (one dot product per element), and the
 * reductions that consume them (full sums, and the vector-matrix products of reverse
 * mode) become one group, run as one loop whose intermediates live in local variables;
 * every other node is a step of its own, replayed by the eager backend. A node joins a
 * group only if none of its operands from outside depends on the group (so groups never
 * wait on each other in a cycle), and only where its operands are of the group's shape
 * or hold one element.
 *
 * @since 0.4.0
 */
import { sameShape } from '../tensor/broadcast.js'
import { reducedAxes, type ReduceOptions } from '../tensor/axes.js'
import { sizeOf } from '../tensor/Tensor.js'
import { operandsOf, type Node } from './graph.js'

/** A fused group: its shape, members in order, and which of them leave the loop. */
export interface Group {
  readonly kind: 'group'
  readonly shape: ReadonlyArray<number>
  /**
   * With operands spread along the last axes (a [m, 1] or an [n] against [m, n]), or sums
   * over the last axes: the size of those axes, and the loop runs row by row.
   */
  block?: number
  /** Per-element members (elementwise ops, matrix-vector rows), in graph order. */
  readonly members: number[]
  /** Reductions of members: full sums and vector-matrix products, leaving after the loop. */
  readonly sums: number[]
}

/** A step: one fused group, or one node run alone. */
export type Step = Group | { readonly kind: 'node'; readonly id: number }

/**
 * How an operand of shape `of` is read in a loop over `shape`: element by element
 * (`full`), one value (`one`), one value per row of the last axes of size `block`
 * (`outer`: [m, 1] against [m, n]), or the same row for every row (`inner`: [n] against
 * [m, n]); undefined for any other broadcast.
 */
export type Pattern =
  { readonly kind: 'full' | 'one' } | { readonly kind: 'outer' | 'inner'; readonly block: number }

export const patternOf = (
  of: ReadonlyArray<number>,
  shape: ReadonlyArray<number>,
): Pattern | undefined => {
  if (sameShape(of, shape)) return { kind: 'full' }
  if (sizeOf(of) === 1) return { kind: 'one' }
  if (of.length > shape.length) return undefined
  const padded = [...new Array<number>(shape.length - of.length).fill(1), ...of]
  for (let k = 1; k < shape.length; k++) {
    const block = sizeOf(shape.slice(k))
    const head = padded.slice(0, k)
    const tail = padded.slice(k)
    if (head.every((d, i) => d === shape[i]) && tail.every((d) => d === 1))
      return { kind: 'outer', block }
    if (head.every((d) => d === 1) && tail.every((d, i) => d === shape[k + i]))
      return { kind: 'inner', block }
  }
  return undefined
}

/** The row size an operand pattern asks of a loop, if any. */
const blockOf = (p: Pattern): number | undefined =>
  p.kind === 'outer' || p.kind === 'inner' ? p.block : undefined

/**
 * Whether an elementwise node can run in a loop over its shape, and the row size its
 * operands ask (undefined for none); false where an operand broadcasts otherwise, or two
 * operands ask different row sizes.
 */
const elementwise = (nodes: ReadonlyArray<Node>, n: Node): { readonly block?: number } | false => {
  if ((n.kind !== 'unary' && n.kind !== 'binary') || sizeOf(n.shape) <= 1) return false
  let block: number | undefined
  for (const o of operandsOf(n)) {
    const p = patternOf(nodes[o]!.shape, n.shape)
    if (p === undefined) return false
    const b = blockOf(p)
    if (b !== undefined) {
      if (block !== undefined && block !== b) return false
      block = b
    }
  }
  return block === undefined ? {} : { block }
}

/** The axes a recorded sum reduces, sorted (the eager sum accepted them at the trace). */
const summedAxes = (nodes: ReadonlyArray<Node>, n: Node): ReadonlyArray<number> | undefined => {
  if (n.kind !== 'call' || n.method !== 'sum') return undefined
  const shape = nodes[operandsOf(n)[0]!]!.shape
  return [...reducedAxes('sum', shape, n.args[1] as ReduceOptions | undefined)].sort(
    (a, b) => a - b,
  )
}

/** A sum over the last axes of its operand, not all of them: the size of those axes. */
const rowSum = (nodes: ReadonlyArray<Node>, n: Node): number | undefined => {
  const axes = summedAxes(nodes, n)
  if (axes === undefined) return undefined
  const shape = nodes[operandsOf(n)[0]!]!.shape
  const rank = shape.length
  if (
    axes.length === 0 ||
    axes.length === rank ||
    axes.some((a, i) => a !== rank - axes.length + i)
  ) {
    return undefined
  }
  return sizeOf(shape.slice(rank - axes.length))
}

/** Whether a group can take a member or a reduction asking rows of `block`. */
const fitsBlock = (g: Group, block: number | undefined) =>
  block === undefined || g.block === undefined || g.block === block

/**
 * Whether reduction `s` of a group keeps one total per row (a sum over the last axes in a
 * group with rows), rather than one for the whole loop.
 */
export const isRowSum = (nodes: ReadonlyArray<Node>, group: Group, s: number): boolean =>
  group.block !== undefined && sizeOf(nodes[s]!.shape) > 1

/**
 * A matrix [m, k] times a vector [k], or a column [k, 1]: element i is a dot product of
 * row i (the column's k elements lie as the vector's do).
 */
export const rowProduct = (nodes: ReadonlyArray<Node>, n: Node): boolean => {
  if (n.kind !== 'call' || n.method !== 'matmul' || n.args.length > 2) return false
  const [a, b] = operandsOf(n).map((o) => nodes[o]!.shape)
  const column = b!.length === 1 || (b!.length === 2 && b![1] === 1)
  return a!.length === 2 && column && sizeOf(n.shape) === a![0]! && a![0]! > 1
}

/**
 * A reshape: inside a loop over the elements in order (a group without rows), its
 * element i is its operand's element i, so it joins its operand's group as another name
 * for the same value.
 */
export const isReshape = (n: Node): boolean => n.kind === 'call' && n.method === 'reshape'

/** A sum over every axis (the shape of the result is [] or all ones). */
const fullSum = (nodes: ReadonlyArray<Node>, n: Node): boolean => {
  const axes = summedAxes(nodes, n)
  return axes !== undefined && axes.length === nodes[operandsOf(n)[0]!]!.shape.length
}

/** tangentMatmul of a vector [m] (a member) by a matrix [m, n]: Σᵢ uᵢ·rowᵢ, with strong zeros. */
export const rowWeightedSum = (nodes: ReadonlyArray<Node>, n: Node): boolean => {
  if (n.kind !== 'call' || n.method !== 'tangentMatmul') return false
  const [a, b] = operandsOf(n).map((o) => nodes[o]!.shape)
  return a!.length === 1 && b!.length === 2 && a![0] === b![0]
}

/** The groups formed so far, and each node's group (−1 for none). */
interface Fusion {
  readonly nodes: ReadonlyArray<Node>
  readonly groupOf: Int32Array
  readonly groups: Group[]
  /** Whether node `from` depends on any member of group g (through whole groups). */
  readonly reaches: (from: number, g: number) => boolean
}

const fusionOf = (nodes: ReadonlyArray<Node>): Fusion => {
  const groupOf = new Int32Array(nodes.length).fill(-1)
  const groups: Group[] = []
  // Marks of the walks below: a node is seen in walk w when seen[node] === w (one buffer
  // for all walks of this plan, local to it).
  const seen = new Int32Array(nodes.length)
  let walk = 0
  const reaches = (from: number, g: number): boolean => {
    // An input or a constant reads nothing: it depends on no group.
    if (groupOf[from]! < 0 && operandsOf(nodes[from]!).length === 0) return false
    walk++
    const stack = [from]
    // A walk that grows past this many nodes answers "yes", which only keeps the node out
    // of the group: planning stays linear in long programs, at some fusion's cost.
    let budget = 512
    while (stack.length > 0) {
      const v = stack.pop()!
      if (seen[v] === walk) continue
      if (--budget < 0) return true
      seen[v] = walk
      const h = groupOf[v]!
      if (h === g) return true
      const expand = h >= 0 ? [...groups[h]!.members, ...groups[h]!.sums] : [v]
      for (const m of expand) {
        seen[m] = walk
        for (const o of operandsOf(nodes[m]!)) if (seen[o] !== walk) stack.push(o)
      }
    }
    return false
  }
  return { nodes, groupOf, groups, reaches }
}

/** Whether node `o` is a reduction of its group. */
const isSum = (f: Fusion, o: number) =>
  f.groupOf[o]! >= 0 && f.groups[f.groupOf[o]!]!.sums.includes(o)

/** Whether `o` may be read by a new member of group c: inside it (per element) or from outside. */
const readable = (f: Fusion, o: number, c: number, perElement: boolean) =>
  f.groupOf[o] === c ? perElement && !isSum(f, o) : !f.reaches(o, c)

/**
 * An elementwise node, or a row product (`rows`), asking rows of `block`: it joins a
 * group of its shape that it may join (one of its operands' first, else one of the
 * latest groups of its shape: siblings that read the same inputs share a loop), or starts
 * one. A row product reads whole rows and the whole vector: both from outside.
 */
const addMember = (f: Fusion, n: Node, rows: boolean, block: number | undefined): void => {
  const { groupOf, groups } = f
  const ops = operandsOf(n)
  const own = [...new Set(ops.map((o) => groupOf[o]!))].filter((g) => g >= 0)
  const recent: number[] = []
  for (let g = groups.length - 1; g >= 0 && recent.length < 8; g--) recent.push(g)
  const candidates = [
    ...own.sort((a, b) => b - a),
    ...recent.filter((g) => !own.includes(g)),
  ].filter((g) => sameShape(groups[g]!.shape, n.shape) && fitsBlock(groups[g]!, block))
  const g = candidates.find((c) => ops.every((o) => readable(f, o, c, !rows)))
  if (g !== undefined) {
    groups[g]!.members.push(n.id)
    if (block !== undefined) groups[g]!.block ??= block
    groupOf[n.id] = g
  } else {
    groupOf[n.id] = groups.length
    groups.push({
      kind: 'group',
      shape: n.shape,
      members: [n.id],
      sums: [],
      ...(block === undefined ? {} : { block }),
    })
  }
}

/** A reshape of a member joins its group, if the group runs element by element. */
const addView = (f: Fusion, n: Node): boolean => {
  if (!isReshape(n)) return false
  const o = operandsOf(n)[0]!
  const g = f.groupOf[o]!
  if (g < 0 || isSum(f, o) || f.groups[g]!.block !== undefined) return false
  f.groups[g]!.members.push(n.id)
  f.groupOf[n.id] = g
  return true
}

/**
 * A reduction joins the group of the member it sums, if that group may take it: a sum
 * over the last axes (rows of `rowBlock`), a full sum, or a vector-matrix product whose
 * matrix comes from outside the group.
 */
const addSum = (f: Fusion, n: Node): void => {
  const { nodes, groupOf, groups } = f
  const ops = operandsOf(n)
  const rowBlock = rowSum(nodes, n)
  if (rowBlock !== undefined) {
    const summed = ops[0]!
    const g = groupOf[summed]!
    if (g >= 0 && !isSum(f, summed) && fitsBlock(groups[g]!, rowBlock)) {
      groups[g]!.sums.push(n.id)
      groups[g]!.block ??= rowBlock
      groupOf[n.id] = g
    }
    return
  }
  if (fullSum(nodes, n) || rowWeightedSum(nodes, n)) {
    const [summed, matrix] = ops
    const g = groupOf[summed!]!
    const matrixOutside = matrix === undefined || (groupOf[matrix] !== g && !f.reaches(matrix, g))
    if (g >= 0 && !isSum(f, summed!) && matrixOutside) {
      groups[g]!.sums.push(n.id)
      groupOf[n.id] = g
    }
  }
}

/**
 * The steps in an order that runs them: a step runs once everything it reads has run
 * (Kahn's algorithm over steps), in graph order as they become ready, so the schedule
 * stays close to the trace's.
 */
const schedule = (f: Fusion): Step[] => {
  const { nodes, groupOf, groups } = f
  const stepOf = (id: number) => (groupOf[id]! >= 0 ? `g${groupOf[id]}` : `n${id}`)
  const steps = new Map<string, Step>()
  for (const n of nodes) {
    const key = stepOf(n.id)
    if (!steps.has(key))
      steps.set(key, groupOf[n.id]! >= 0 ? groups[groupOf[n.id]!]! : { kind: 'node', id: n.id })
  }
  const needs = new Map<string, Set<string>>()
  for (const n of nodes) {
    const key = stepOf(n.id)
    const set = needs.get(key) ?? new Set<string>()
    for (const o of operandsOf(n)) if (stepOf(o) !== key) set.add(stepOf(o))
    needs.set(key, set)
  }
  const order: Step[] = []
  const waiting = new Map<string, number>()
  const readers = new Map<string, string[]>()
  for (const [k, deps] of needs) {
    waiting.set(k, deps.size)
    for (const d of deps) readers.set(d, [...(readers.get(d) ?? []), k])
  }
  const ready = [...steps.keys()].filter((k) => waiting.get(k) === 0)
  while (ready.length > 0) {
    const k = ready.shift()!
    order.push(steps.get(k)!)
    for (const r of readers.get(k) ?? []) {
      const left = waiting.get(r)! - 1
      waiting.set(r, left)
      if (left === 0) ready.push(r)
    }
  }
  if (order.length !== steps.size) {
    throw new Error('jit: internal error: the fused steps depend on each other in a cycle')
  }
  return order
}

/**
 * The steps of a graph in an order that runs it: groups where fusion applies, single
 * nodes elsewhere.
 */
export const planOf = (nodes: ReadonlyArray<Node>): Step[] => {
  const f = fusionOf(nodes)
  for (const n of nodes) {
    const rows = rowProduct(nodes, n)
    const fused = elementwise(nodes, n)
    if (fused !== false || rows) addMember(f, n, rows, fused === false ? undefined : fused.block)
    else if (!addView(f, n)) addSum(f, n)
  }
  return schedule(f)
}

/**
 * The steps that some output needs, in order: a node or a fused loop no output reads is
 * left out (a transpose no product reads any more, values the function computed and did
 * not use), and a loop that runs, runs whole, so whatever any of its members reads is
 * needed with it.
 */
export const neededSteps = (
  nodes: ReadonlyArray<Node>,
  steps: ReadonlyArray<Step>,
  outputs: ReadonlyArray<number>,
): Step[] => {
  const groupOf = new Map<number, Group>()
  for (const s of steps)
    if (s.kind === 'group') for (const m of [...s.members, ...s.sums]) groupOf.set(m, s)
  const needed = new Set<number>()
  const stack = [...outputs]
  while (stack.length > 0) {
    const v = stack.pop()!
    if (needed.has(v)) continue
    const g = groupOf.get(v)
    for (const u of g === undefined ? [v] : [...g.members, ...g.sums]) {
      needed.add(u)
      stack.push(...operandsOf(nodes[u]!))
    }
  }
  return steps.filter((s) => needed.has(s.kind === 'group' ? s.members[0]! : s.id))
}
