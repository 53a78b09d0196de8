/**
 * Products that read a transposed operand in place. Reverse mode writes the cotangents of
 * a matrix product as dA = dY·Bᵀ and dB = Aᵀ·dY, so a traced gradient holds
 * `matrixTranspose` nodes whose only reader is a product; the eager kernels read an
 * operand transposed in place (`transposeA`, `transposeB`), with the numbers of the
 * product of the copy bit for bit. So the program runs those products on the transposes'
 * operands, and leaves out every step that no output needs (`neededSteps`).
 *
 * @since 0.5.0
 */
import { isRef, operandsOf, type Node, type Ref } from './graph.js'
import { rowProduct, rowWeightedSum, type Group, type Step } from './plan.js'

/** The graph with those products rewritten (same ids). */
export const transposesInPlace = (nodes: ReadonlyArray<Node>): Node[] => {
  const transposeOf = (a: unknown): number | undefined => {
    if (!isRef(a)) return undefined
    const n = nodes[a.ref]!
    return n.kind === 'call' && n.method === 'matrixTranspose' && n.shape.length >= 2
      ? operandsOf(n)[0]
      : undefined
  }
  const rewritten = nodes.map((n): Node => {
    if (n.kind !== 'call' || (n.method !== 'matmul' && n.method !== 'tangentMatmul')) return n
    // A product the fused loops take (a row of a matrix-vector product, a vector-matrix
    // sum) reads its operands as they are.
    if (n.args.length !== 2 || rowProduct(nodes, n) || rowWeightedSum(nodes, n)) return n
    const [a, b] = n.args.map(transposeOf)
    if (a === undefined && b === undefined) return n
    const source = (k: 0 | 1, t: number | undefined): Ref =>
      t === undefined ? (n.args[k] as Ref) : { ref: t }
    const options = { transposeA: a !== undefined, transposeB: b !== undefined }
    return { ...n, args: [source(0, a), source(1, b), options] }
  })
  return rewritten
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
