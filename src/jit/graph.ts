/**
 * The graph a trace records: one node per primitive applied, in the order applied (a
 * topological order), each with the shape of its value. Elementwise primitives keep
 * their op-table row, so a compiled kernel calls the same primal on numbers as the eager
 * backend; every other op keeps the name of the `tensor` method that replays it.
 *
 * @since 0.4.0
 */
import type { BinaryOp, UnaryOp } from '../Floating.js'
import type { StructuralName } from '../ops/structuralOps.js'
import type { Tensor } from '../tensor/Tensor.js'

/** The `tensor` methods a trace records as whole operations (replayed, not fused). */
export type CallName = StructuralName | 'apply'

/** A reference to another node, inside a call's arguments. */
export interface Ref {
  readonly ref: number
}

/** A node of the graph; `id` is its index. */
export type Node =
  | {
      readonly kind: 'input'
      readonly id: number
      readonly shape: ReadonlyArray<number>
      readonly index: number
    }
  | {
      readonly kind: 'const'
      readonly id: number
      readonly shape: ReadonlyArray<number>
      readonly tensor: Tensor
    }
  | {
      readonly kind: 'unary'
      readonly id: number
      readonly shape: ReadonlyArray<number>
      readonly op: UnaryOp
      readonly x: number
    }
  | {
      readonly kind: 'binary'
      readonly id: number
      readonly shape: ReadonlyArray<number>
      readonly op: BinaryOp
      readonly x: number
      readonly y: number
    }
  | {
      readonly kind: 'call'
      readonly id: number
      readonly shape: ReadonlyArray<number>
      readonly method: CallName
      /** The method's arguments, nodes as `Ref`s (arrays of nodes for concat). */
      readonly args: ReadonlyArray<unknown>
    }

/** Whether an argument is a reference to a node. */
export const isRef = (a: unknown): a is Ref =>
  typeof a === 'object' &&
  a !== null &&
  !Array.isArray(a) &&
  typeof (a as Ref).ref === 'number' &&
  Object.keys(a).length === 1

/** The nodes a node reads, in argument order. */
export const operandsOf = (n: Node): number[] => {
  if (n.kind === 'unary') return [n.x]
  if (n.kind === 'binary') return [n.x, n.y]
  if (n.kind !== 'call') return []
  const out: number[] = []
  for (const a of n.args) {
    if (isRef(a)) out.push(a.ref)
    else if (Array.isArray(a)) for (const b of a as unknown[]) if (isRef(b)) out.push(b.ref)
  }
  return out
}

/**
 * A traced value: a node of the graph being recorded, its shape, and (only while
 * tracing) the value the eager backend gives it. A class, so that trees treat it as a leaf.
 *
 * @category model
 * @since 0.4.0
 */
export class Traced {
  constructor(
    /** The node's index in its graph. */
    readonly id: number,
    /** The value's shape. */
    readonly shape: ReadonlyArray<number>,
    /** The eager value at trace time (the first call's answer). */
    readonly value: Tensor,
    /** The op that made it, for error messages. */
    readonly op: string,
  ) {}
}
