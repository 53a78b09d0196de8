/**
 * Products that read a transposed operand in place. Reverse mode writes the cotangents of
 * a matrix product as dA = dY·Bᵀ and dB = Aᵀ·dY, so a traced gradient holds
 * `matrixTranspose` nodes whose only reader is a product; the eager kernels read an
 * operand transposed in place (`transposeA`, `transposeB`), with the numbers of the
 * product of the copy bit for bit. So the program runs those products on the transposes'
 * operands; `neededSteps` (plan.ts) then leaves out the transposes no product reads.
 *
 * @since 0.5.0
 */
import { isRef, operandsOf, type Node, type Ref } from './graph.js'
import { rowProduct, rowWeightedSum } from './plan.js'

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
