/**
 * The tracing instance: a `Tensorial` whose values are `Traced` nodes. Every primitive
 * it applies is computed by the eager `tensor` backend (so shapes are exact and the first
 * call's answer is the eager one) and recorded in the graph. Composite ops (mean,
 * softmax, …) decompose into primitives as on any instance, and so do the modes built
 * over it: `valueAndGrad(f)` traced records the forward and the backward computation.
 *
 * @since 0.4.0
 */
import { tensor } from '../backend/tensor.js'
import { sameShape, unbroadcast } from '../tensor/broadcast.js'
import { floatingFrom } from '../ops/lifting.js'
import { withComposites, type TensorialCore } from '../backend/composites.js'
import {
  internal,
  scalar as scalarTensor,
  showShape,
  sizeOf,
  type Tensor,
} from '../tensor/Tensor.js'
import type { Tensorial } from '../Tensorial.js'
import { Traced, type CallName, type Node } from './graph.js'
import { callEntry } from './shapes.js'
import { structuralNames } from '../ops/structuralOps.js'
import { withBatchVectors } from '../ops/batchVectors.js'
import type { Primitive } from '../ops/primitive.js'
import type { Tree } from '../tree.js'

/** A graph being recorded: its nodes, and the eager values of the trace (dropped after). */
export interface Recording {
  readonly nodes: Node[]
  /**
   * Nodes whose value at the trace stored one number for many elements (a broadcast
   * scalar): kernels are prepared to read such an operand once.
   */
  readonly uniform: Set<number>
  /**
   * Every op, constant and non-value argument in order, as the shape-only instance of
   * the closure check writes them (see ./shapes.ts).
   */
  readonly signature: unknown[]
}

/** Adds node `id` to the recording's uniform nodes if `value` stores one number for many elements. */
export const noteUniform = (rec: Recording, id: number, value: Tensor): void => {
  if (internal.raw(value).length === 1 && sizeOf(value.shape) > 1) rec.uniform.add(id)
}

/** The calls a trace records: every structural op (the rows' names) and `apply`. */
const callNames: ReadonlyArray<CallName> = [
  ...structuralNames.filter((k) => k !== 'unbroadcast'),
  'apply',
]

/** Replaces traced values in an argument by refs (arrays of them too) and by their values. */
const split = (a: unknown): readonly [unknown, unknown] => {
  if (a instanceof Traced) return [{ ref: a.id }, a.value]
  if (Array.isArray(a) && a.some((b) => b instanceof Traced)) {
    const parts = (a as unknown[]).map(split)
    return [parts.map((p) => p[0]), parts.map((p) => p[1])]
  }
  return [a, a]
}

/** Replays a call node on concrete tensors. */
export const replay = (method: CallName, args: ReadonlyArray<unknown>): Tensor => {
  if (method === 'unbroadcast')
    return unbroadcast(args[0] as Tensor, args[1] as ReadonlyArray<number>)
  return (tensor[method] as (...xs: ReadonlyArray<unknown>) => Tensor)(...args)
}

/** The tracing instance recording into `rec`; `inputs` become its first nodes. */
export const tracing = (rec: Recording): Tensorial<Traced> => {
  const add = (make: (id: number) => Node, value: Tensor, op: string): Traced => {
    const id = rec.nodes.length
    rec.nodes.push(make(id))
    noteUniform(rec, id, value)
    return new Traced(id, value.shape, value, op)
  }
  const constNode = (t: Tensor): Traced =>
    add((id) => ({ kind: 'const', id, shape: t.shape, tensor: t }), t, 'constant')
  const constant = (t: Tensor): Traced => {
    rec.signature.push(t)
    return constNode(t)
  }
  const number = (k: number): Traced => {
    rec.signature.push(k)
    return constNode(scalarTensor(k))
  }
  const isValue = (a: unknown) => a instanceof Traced
  const calls = Object.fromEntries(
    callNames.map((method) => [
      method,
      (...args: ReadonlyArray<unknown>) => {
        if (method !== 'apply') rec.signature.push(callEntry(method, args, isValue))
        const parts = args.map(split)
        const value = replay(
          method,
          parts.map((p) => p[1]),
        )
        const recorded = parts.map((p) => p[0])
        return add(
          (id) => ({ kind: 'call', id, shape: value.shape, method, args: recorded }),
          value,
          method,
        )
      },
    ]),
  ) as Pick<TensorialCore<Traced>, CallName>
  // A row with a kernel is one node; any other row (customJvp, checkpoint) is traced
  // through its primal.
  const apply = (row: Primitive, x: Tree<Traced>): Tree<Traced> =>
    row.kernel !== undefined
      ? (calls.apply as (...a: unknown[]) => Traced)(row, x)
      : row.primal(self)(x)
  const core: TensorialCore<Traced> = {
    ...floatingFrom<Traced>({
      // The instance's own zero and one are made once, outside any run: not in the signature.
      zero: constNode(scalarTensor(0)),
      one: constNode(scalarTensor(1)),
      fromNumber: number,
      toNumber: (x) => {
        throw new Error(
          `jit: toNumber of the result of ${x.op} (shape ${showShape(x.shape)}): a traced value has no number yet, so control flow that depends on a value cannot be compiled; choose per element with where(cond, x, y) instead`,
        )
      },
      unaryFor: (op) => (x) => {
        rec.signature.push(op)
        return add(
          (id) => ({ kind: 'unary', id, shape: x.shape, op, x: x.id }),
          tensor.unary(op, x.value),
          op.name,
        )
      },
      binaryFor: (op) => (x, y) => {
        rec.signature.push(op)
        const value = tensor.binary(op, x.value, y.value)
        return add(
          (id) => ({ kind: 'binary', id, shape: value.shape, op, x: x.id, y: y.id }),
          value,
          op.name,
        )
      },
    }),
    ...calls,
    // A vector against a batch as the other instances read it (reshapes around a product
    // of matrices), so that a product node never holds that case.
    matmul: withBatchVectors(calls.matmul, calls.reshape, (x) => x.shape),
    tangentMatmul: withBatchVectors(calls.tangentMatmul, calls.reshape, (x) => x.shape),
    // The cotangent is summed to the shape of `like`; only that shape is recorded, so the
    // node does not keep `like` alive. Of the same shape, it is the cotangent itself
    // (values are immutable), and no node stands between two elementwise ops.
    unbroadcast: (g, like) => {
      rec.signature.push(callEntry('unbroadcast', [g, like], isValue))
      return sameShape(g.shape, like.shape)
        ? g
        : add(
            (id) => ({
              kind: 'call',
              id,
              shape: like.shape,
              method: 'unbroadcast',
              args: [{ ref: g.id }, like.shape],
            }),
            unbroadcast(g.value, like.shape),
            'unbroadcast',
          )
    },
    constant,
    shape: (x) => x.shape,
    apply,
  }
  const self = withComposites<Traced>(core)
  return self
}
