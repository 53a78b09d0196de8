/**
 * The shape-only instance of `jit`'s closure check: it runs a function as the tracer
 * does, computing only shapes, and writes the same signature the tracer wrote at the
 * trace (every op, every constant, every argument that is not a value). Equal
 * signatures mean the traced program is the function at these arguments; the check
 * costs O(ops), never a pass over the data.
 *
 * @since 0.5.0
 */
import { withComposites, type TensorialCore } from '../backend/composites.js'
import { floatingFrom } from '../ops/lifting.js'
import type { Primitive } from '../ops/primitive.js'
import { structuralMethods } from '../ops/structuralOps.js'
import { broadcastShapes } from '../tensor/broadcast.js'
import { internal, sizeOf, type Tensor } from '../tensor/Tensor.js'
import type { Tensorial } from '../Tensorial.js'
import { leavesOf, mapLeaves, type Tree } from '../tree.js'

/** A value of the shape-only instance. */
export class Shaped {
  constructor(readonly shape: ReadonlyArray<number>) {}
}

const of = (s: ReadonlyArray<number>): Shaped => new Shaped(s)

/** Constant tensors up to this size are compared by their elements, larger ones by identity. */
const comparedBySize = 1024

/** Whether two signatures are the same: entries by identity, small tensors by content. */
export const sameSignature = (a: ReadonlyArray<unknown>, b: ReadonlyArray<unknown>): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    const x = a[i]
    const y = b[i]
    if (x === y) continue
    if (typeof x === 'number' && typeof y === 'number' && Object.is(x, y)) continue
    if (!(isTensorLike(x) && isTensorLike(y) && sameTensor(x, y))) return false
  }
  return true
}

const isTensorLike = (x: unknown): x is Tensor =>
  typeof x === 'object' && x !== null && 'shape' in x && !(x instanceof Shaped)

const sameTensor = (x: Tensor, y: Tensor): boolean => {
  if (x.shape.length !== y.shape.length || x.shape.some((d, i) => d !== y.shape[i])) return false
  if (sizeOf(x.shape) > comparedBySize) return false
  const dx = internal.data(x)
  const dy = internal.data(y)
  for (let i = 0; i < dx.length; i++) if (!Object.is(dx[i], dy[i])) return false
  return true
}

/** What the signature holds for a call: its name and every argument that is not a value. */
export const callEntry = (
  method: string,
  args: ReadonlyArray<unknown>,
  isValue: (a: unknown) => boolean,
): string =>
  `${method}(${args.map((a) => (isValue(a) || (Array.isArray(a) && a.some(isValue)) ? '·' : (JSON.stringify(a) ?? String(a)))).join(',')})`

/**
 * The shape-only instance writing into `sink.signature` (made once per jitted function;
 * the caller gives the sink a fresh array before each run).
 */
export const shapes = (sink: { signature: unknown[] }): Tensorial<Shaped> => {
  const signature = { push: (e: unknown) => sink.signature.push(e) }
  const isValue = (a: unknown) => a instanceof Shaped
  const constant = (t: Tensor): Shaped => {
    signature.push(t)
    return of(t.shape)
  }
  const number = (k: number): Shaped => {
    signature.push(k)
    return of([])
  }
  const apply = (row: Primitive, x: Tree<Shaped>): Tree<Shaped> => {
    signature.push(row)
    const kernel = row.kernel
    if (kernel === undefined) return row.primal(self)(x)
    return of(kernel.shape(leavesOf(x).map((v) => v.shape)))
  }
  // Each structural op by its row's shape rule.
  const structural = structuralMethods<Shaped, Shaped>({
    unary:
      (row) =>
      (x, ...p) => {
        signature.push(callEntry(row.name, [x, ...p], isValue))
        return of(row.shape(x.shape, ...p))
      },
    bilinear: (row) => (x, y) => {
      signature.push(callEntry(row.name, [x, y], isValue))
      return of(row.shape(x.shape, y.shape))
    },
    concat: (row) => (xs, axis) => {
      signature.push(callEntry(row.name, axis === undefined ? [xs] : [xs, axis], isValue))
      return of(
        row.shape(
          xs.map((x) => x.shape),
          axis,
        ),
      )
    },
    param: (v) => v,
    shape: (v) => v.shape,
  })
  const core: TensorialCore<Shaped> = {
    ...floatingFrom<Shaped>({
      // Made once, with the instance: not part of any run's signature.
      zero: of([]),
      one: of([]),
      fromNumber: number,
      toNumber: () => {
        throw new Error('jit: toNumber of a traced value')
      },
      unaryFor: (op) => (x) => {
        signature.push(op)
        return x
      },
      binaryFor: (op) => (x, y) => {
        signature.push(op)
        return of(broadcastShapes(op.name, x.shape, y.shape))
      },
    }),
    ...structural,
    constant,
    shape: (x) => x.shape,
    apply,
  }
  const self = withComposites<Shaped>(core)
  return self
}

/** The arguments with every Tensor leaf as its shape. */
export const shapedArgs = (args: ReadonlyArray<unknown>): ReadonlyArray<unknown> =>
  mapLeaves(args as Tree<unknown>, (l) =>
    isTensorLike(l) ? of(l.shape) : l,
  ) as ReadonlyArray<unknown>
