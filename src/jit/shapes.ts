/**
 * The shape-only instance of `jit`'s closure check: it runs a function as the tracer
 * does, computing only shapes, and writes the same signature the tracer wrote at the
 * trace (every op, every constant, every argument that is not a value). Equal
 * signatures mean the traced program is the function at these arguments; the check
 * costs O(ops), never a pass over the data.
 *
 * @since 0.5.0
 */
import { withReductions, type TensorialCore } from '../backend/reductions.js'
import { floatingFrom } from '../ops/lifting.js'
import type { Primitive } from '../ops/primitive.js'
import { normaliseAxis, reducedAxes, reducedShape } from '../tensor/axes.js'
import { broadcastShapes } from '../tensor/broadcast.js'
import { sliceBounds } from '../tensor/indexing.js'
import { internal, showShape, sizeOf, type Tensor } from '../tensor/Tensor.js'
import type { Tensorial } from '../Tensorial.js'
import { leavesOf, withLeaves, type Tree } from '../tree.js'

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

const productShape = (
  a: ReadonlyArray<number>,
  b: ReadonlyArray<number>,
): ReadonlyArray<number> => {
  const fail = () => new Error(`matmul: cannot multiply ${showShape(a)} by ${showShape(b)}`)
  if (a.length === 0 || b.length === 0 || (a.length === 1 && b.length === 1)) throw fail()
  if (a.length <= 2 && b.length <= 2) {
    const k = a[a.length - 1]!
    if (k !== b[0]) throw fail()
    return [...a.slice(0, -1), ...b.slice(1)]
  }
  if (a.length < 2 || b.length < 2 || a[a.length - 1] !== b[b.length - 2]) throw fail()
  return [
    ...broadcastShapes('matmul', a.slice(0, -2), b.slice(0, -2)),
    a[a.length - 2]!,
    b[b.length - 1]!,
  ]
}

/**
 * The shape-only instance writing into `sink.signature` (made once per jitted function;
 * the caller gives the sink a fresh array before each run).
 */
export const shapes = (sink: { signature: unknown[] }): Tensorial<Shaped> => {
  const signature = { push: (e: unknown) => sink.signature.push(e) }
  const isValue = (a: unknown) => a instanceof Shaped
  const call =
    <Args extends unknown[]>(method: string, rule: (...args: Args) => ReadonlyArray<number>) =>
    (...args: Args): Shaped => {
      signature.push(callEntry(method, args, isValue))
      return of(rule(...args))
    }
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
    sum: call('sum', (x: Shaped, o?) =>
      reducedShape(x.shape, reducedAxes('sum', x.shape, o), o?.keepDims === true),
    ),
    extremum: call('extremum', (x: Shaped, which: 'max' | 'min', o?) =>
      reducedShape(x.shape, reducedAxes(which, x.shape, o), o?.keepDims === true),
    ),
    broadcastTo: call('broadcastTo', (_x: Shaped, s: ReadonlyArray<number>) => s),
    slice: call(
      'slice',
      (x: Shaped, b: ReadonlyArray<number>, e: ReadonlyArray<number>) =>
        sliceBounds(x.shape, b, e).size,
    ),
    pad: call('pad', (_x: Shaped, s: ReadonlyArray<number>) => s),
    take: call('take', (x: Shaped, indices: ReadonlyArray<number>, axis = 0) => {
      const a = normaliseAxis('take', axis, x.shape.length)
      return x.shape.map((d, i) => (i === a ? indices.length : d))
    }),
    scatterAdd: call(
      'scatterAdd',
      (x: Shaped, _i: ReadonlyArray<number>, axis: number, length: number) => {
        const a = normaliseAxis('scatterAdd', axis, x.shape.length)
        return x.shape.map((d, i) => (i === a ? length : d))
      },
    ),
    concat: call('concat', (xs: ReadonlyArray<Shaped>, axis = 0) => {
      const s = xs[0]!.shape
      const a = normaliseAxis('concat', axis, s.length)
      return s.map((d, i) => (i === a ? xs.reduce((n, x) => n + x.shape[a]!, 0) : d))
    }),
    dot: call('dot', () => []),
    matmul: call('matmul', (a: Shaped, b: Shaped) => productShape(a.shape, b.shape)),
    tangentMatmul: call('tangentMatmul', (a: Shaped, b: Shaped) => productShape(a.shape, b.shape)),
    transpose: call('transpose', (x: Shaped) =>
      x.shape.length < 2 ? x.shape : [...x.shape].reverse(),
    ),
    matrixTranspose: call('matrixTranspose', (x: Shaped) =>
      x.shape.length < 2
        ? x.shape
        : [...x.shape.slice(0, -2), x.shape[x.shape.length - 1]!, x.shape[x.shape.length - 2]!],
    ),
    reshape: call('reshape', (_x: Shaped, s: ReadonlyArray<number>) => s),
    unbroadcast: call('unbroadcast', (_g: Shaped, like: Shaped) => like.shape),
    constant,
    shape: (x) => x.shape,
    apply,
  }
  const self = withReductions<Shaped>(core)
  return self
}

/** The arguments with every Tensor leaf as its shape. */
export const shapedArgs = (args: ReadonlyArray<unknown>): ReadonlyArray<unknown> =>
  withLeaves(
    args as Tree<unknown>,
    leavesOf(args as Tree<unknown>).map((l) => (isTensorLike(l) ? of(l.shape) : l)),
  ) as ReadonlyArray<unknown>
