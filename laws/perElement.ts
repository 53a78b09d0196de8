/**
 * `perElement(F)`: a `Tensorial` whose tensors are arrays of values of any `Floating`
 * instance, each element computed by `F`'s own ops. A tensor program run on
 * `perElement(scalar)` is the scalar backend's answer, element by element; run on
 * `perElement(F)` for a mode's instance `F`, it differentiates the program one scalar at
 * a time. Reductions and products add in the order the tensor kernels do (from 0, one
 * element after another), so the two backends round alike.
 *
 * @since 0.2.0
 */
import { referenceOf } from './linalgReference.js'
import { Tensor, type Floating, type Tensorial, type ReduceOptions } from '../src/index.js'
import {
  binaryOps,
  broadcastShapes,
  ruleOps,
  tangentOps,
  unaryOps,
  type BinaryName,
  type UnaryName,
  keptShape,
  reducedAxes,
  slice as tensorSlice,
  pad as tensorPad,
  take as tensorTake,
  concat as tensorConcat,
  broadcastTo as tensorBroadcastTo,
  matrixTranspose as tensorMatrixTranspose,
  reducedShape,
  withComposites,
} from '../src/internal.js'
import { sizeOf } from './judge.js'

/**
 * A tensor of values of a `Floating` instance: a shape and its elements, row-major.
 *
 * @category model
 * @since 0.2.0
 */
export interface Boxed<A> {
  /** The shape. */
  readonly shape: ReadonlyArray<number>
  /** The elements in row-major order. */
  readonly data: ReadonlyArray<A>
}

const showShape = Tensor.showShape

/** Flat indices into a tensor of `shape` for each element of the broadcast `target`. */
const indicesIn = (shape: ReadonlyArray<number>, target: ReadonlyArray<number>): number[] => {
  const out: number[] = []
  const n = sizeOf(target)
  const offset = target.length - shape.length
  for (let k = 0; k < n; k++) {
    let rest = k
    let index = 0
    let stride = 1
    for (let d = target.length - 1; d >= 0; d--) {
      const i = rest % target[d]!
      rest = Math.floor(rest / target[d]!)
      const s = d - offset
      if (s >= 0) {
        if (shape[s] !== 1) index += i * stride
        stride *= shape[s]!
      }
    }
    out.push(index)
  }
  return out
}

/**
 * The per-element `Tensorial` over `F`.
 *
 * @example
 * import { scalar } from 'ad-ts'
 * import { perElement } from 'ad-ts/laws'
 * const T = perElement(scalar)
 * T.toNumber(T.sum(T.mul(T.fromNumber(2), { shape: [2], data: [1, 2] }))) // => 6
 *
 * @category instances
 * @since 0.2.0
 */
export const perElement = <A>(F: Floating<A>): Tensorial<Boxed<A>> => {
  const box = (shape: ReadonlyArray<number>, data: ReadonlyArray<A>): Boxed<A> => ({ shape, data })
  const scalarOf = (a: A): Boxed<A> => box([], [a])
  const map = (x: Boxed<A>, f: (a: A) => A): Boxed<A> => box(x.shape, x.data.map(f))
  const zip = (op: string, x: Boxed<A>, y: Boxed<A>, f: (a: A, b: A) => A): Boxed<A> => {
    const shape = broadcastShapes(op, x.shape, y.shape)
    const ix = indicesIn(x.shape, shape)
    const iy = indicesIn(y.shape, shape)
    return box(
      shape,
      ix.map((i, k) => f(x.data[i]!, y.data[iy[k]!]!)),
    )
  }
  // Sums from zero, one element after another, as the tensor kernels do.
  const total = (xs: ReadonlyArray<A>, add: (a: A, b: A) => A): A =>
    xs.reduce((s, a) => add(s, a), F.zero)
  // Groups the elements of x by their place in the reduced shape, in row-major order.
  const groups = (x: Boxed<A>, options?: ReduceOptions) => {
    const axes = reducedAxes('sum', x.shape, options)
    const keep = keptShape(x.shape, axes)
    const parts: A[][] = Array.from({ length: sizeOf(keep) }, () => [])
    indicesIn(keep, x.shape).forEach((io, k) => parts[io]!.push(x.data[k]!))
    return { parts, shape: reducedShape(x.shape, axes, options?.keepDims === true) }
  }
  const sum = (x: Boxed<A>, options?: ReduceOptions): Boxed<A> => {
    const { parts, shape } = groups(x, options)
    return box(
      shape,
      parts.map((p) => total(p, F.add)),
    )
  }
  // The extreme value of each group, as a constant of F.
  const extremum = (x: Boxed<A>, which: 'max' | 'min', options?: ReduceOptions): Boxed<A> => {
    const { parts, shape } = groups(x, options)
    const pick = which === 'max' ? Math.max : Math.min
    return box(
      shape,
      parts.map((p) =>
        F.fromNumber(
          p.reduce((m, a) => pick(m, F.toNumber(a)), which === 'max' ? -Infinity : Infinity),
        ),
      ),
    )
  }
  // Indexing ops move elements: run the tensor kernel on the elements' positions (1, 2,
  // …; 0 marks a new zero) and move the values of F the same way.
  const positions = (shape: ReadonlyArray<number>, from = 1) =>
    Tensor.fromArray(
      Array.from({ length: sizeOf(shape) }, (_, i) => i + from),
      shape,
    )
  const moved = (result: Tensor, data: ReadonlyArray<A>): Boxed<A> =>
    box(
      Tensor.shape(result),
      Array.from(Tensor.toFlat(result), (i) => (i === 0 ? F.zero : data[i - 1]!)),
    )
  const scatterAdd = (
    x: Boxed<A>,
    indices: ReadonlyArray<number>,
    axis: number,
    length: number,
  ): Boxed<A> => {
    const shape = x.shape.map((d, i) =>
      i === (axis < 0 ? axis + x.shape.length : axis) ? length : d,
    )
    // Where each element of x goes: take of the output's positions.
    const to = Tensor.toFlat(tensorTake(positions(shape, 0), indices, axis))
    const out: A[] = Array.from({ length: sizeOf(shape) }, () => F.zero)
    to.forEach((j, k) => (out[j] = F.binary(tangentOps.tangentAdd, out[j]!, x.data[k]!)))
    return box(shape, out)
  }
  const broadcastTo = (x: Boxed<A>, shape: ReadonlyArray<number>): Boxed<A> =>
    box(
      shape,
      indicesIn(broadcastShapes('broadcastTo', x.shape, shape) && x.shape, shape).map(
        (i) => x.data[i]!,
      ),
    )
  const at = (x: Boxed<A>, i: number, j: number): A => x.data[i * x.shape[1]! + j]!
  const matrix = (x: Boxed<A>, asRow: boolean): Boxed<A> =>
    x.shape.length === 2 ? x : box(asRow ? [1, x.shape[0]!] : [x.shape[0]!, 1], x.data)
  const matmul = (a: Boxed<A>, b: Boxed<A>): Boxed<A> => {
    const fail = () =>
      new Error(`matmul: cannot multiply ${showShape(a.shape)} by ${showShape(b.shape)}`)
    if (a.shape.length < 1 || b.shape.length < 1 || a.shape.length + b.shape.length < 3)
      throw fail()
    const am = matrix(a, true)
    const bm = matrix(b, false)
    const [m, k] = am.shape as [number, number]
    const [k2, n] = bm.shape as [number, number]
    if (k !== k2) throw fail()
    const data: A[] = []
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = F.zero
        for (let p = 0; p < k; p++) s = F.add(s, F.mul(at(am, i, p), at(bm, p, j)))
        data.push(s)
      }
    const shape =
      a.shape.length === 2 && b.shape.length === 2 ? [m, n] : a.shape.length === 2 ? [m] : [n]
    return box(shape, data)
  }
  // As matmul, with strongMul products and tangentAdd sums.
  const tangentMatmul = (a: Boxed<A>, b: Boxed<A>): Boxed<A> => {
    const am = matrix(a, true)
    const bm = matrix(b, false)
    const [m, k] = am.shape as [number, number]
    const n = bm.shape[1]!
    const product = (p: A, q: A) => F.binary(tangentOps.strongMul, p, q)
    const data: A[] = []
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = F.zero
        for (let p = 0; p < k; p++)
          s = F.binary(tangentOps.tangentAdd, s, product(at(am, i, p), at(bm, p, j)))
        data.push(s)
      }
    return box(matmul(a, b).shape, data)
  }
  // A product per matrix over broadcast batch axes: each pair of matrices is found by
  // running the tensor kernel on the matrices' numbers (1, 2, …) and multiplied by F.
  const batchedWith =
    (product: (a: Boxed<A>, b: Boxed<A>) => Boxed<A>) =>
    (a: Boxed<A>, b: Boxed<A>): Boxed<A> => {
      if (a.shape.length < 3 && b.shape.length < 3) return product(a, b)
      const [m, k] = a.shape.slice(-2) as [number, number]
      const [, n] = b.shape.slice(-2) as [number, number]
      const batchA = a.shape.slice(0, -2)
      const batchB = b.shape.slice(0, -2)
      const batch = broadcastShapes('matmul', batchA, batchB)
      // Which matrix of each operand serves each place of the batch.
      const pick = (own: ReadonlyArray<number>) =>
        Array.from(Tensor.toFlat(tensorBroadcastTo(positions(own, 0), batch)))
      const ia = pick(batchA)
      const ib = pick(batchB)
      const data: A[] = []
      ia.forEach((qa, q) => {
        const x = box([m, k], a.data.slice(qa * m * k, (qa + 1) * m * k))
        const y = box([k, n], b.data.slice(ib[q]! * k * n, (ib[q]! + 1) * k * n))
        data.push(...product(x, y).data)
      })
      return box([...batch, m, n], data)
    }
  const transpose = (x: Boxed<A>): Boxed<A> => {
    if (x.shape.length < 2) return x
    const [m, n] = x.shape as [number, number]
    const data: A[] = []
    for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) data.push(at(x, i, j))
    return box([n, m], data)
  }
  const unbroadcast = (g: Boxed<A>, like: Boxed<A>): Boxed<A> => {
    const target = like.shape
    const joint = broadcastShapes('unbroadcast', g.shape, target)
    if (joint.length === target.length && joint.every((d, i) => d === target[i])) {
      return box(
        target,
        indicesIn(g.shape, target).map((i) => g.data[i]!),
      )
    }
    const into = indicesIn(target, g.shape)
    const parts: A[][] = Array.from({ length: sizeOf(target) }, () => [])
    into.forEach((io, k) => parts[io]!.push(g.data[k]!))
    const add = (a: A, b: A) => F.binary(tangentOps.tangentAdd, a, b)
    return box(
      target,
      parts.map((p) => total(p, add)),
    )
  }
  // Every named elementwise op of the table, through F's own method for it.
  const unaryNames = Object.keys(unaryOps) as UnaryName[]
  const binaryNames = Object.keys(binaryOps) as BinaryName[]
  const elementwise = Object.fromEntries([
    ...unaryNames.map((name) => [name, (x: Boxed<A>) => map(x, (a) => F.unary(unaryOps[name], a))]),
    ...binaryNames.map((name) => [name, (x: Boxed<A>, y: Boxed<A>) => zip(name, x, y, F[name])]),
  ]) as { readonly [K in UnaryName]: (x: Boxed<A>) => Boxed<A> } & {
    readonly [K in BinaryName]: (x: Boxed<A>, y: Boxed<A>) => Boxed<A>
  }
  const instance: Tensorial<Boxed<A>> = withComposites<Boxed<A>>({
    zero: scalarOf(F.zero),
    one: scalarOf(F.one),
    fromNumber: (n) => scalarOf(F.fromNumber(n)),
    toNumber: (x) => {
      if (x.shape.length !== 0) {
        throw new Error(`toNumber: expected a tensor of shape [], got ${showShape(x.shape)}`)
      }
      return F.toNumber(x.data[0]!)
    },
    ...elementwise,
    where: (c, x, y) =>
      elementwise.add(
        zip('where', c, x, (a, b) => F.binary(ruleOps.selectIf, a, b)),
        zip('where', c, y, (a, b) => F.binary(ruleOps.selectUnless, a, b)),
      ),
    clamp: (x, lo, hi) => map(x, (a) => F.clamp(a, lo, hi)),
    unary: (op, x) => map(x, (a) => F.unary(op, a)),
    binary: (op, x, y) => zip(op.name, x, y, (a, b) => F.binary(op, a, b)),
    sum,
    extremum,
    broadcastTo,
    slice: (x, begin, end) => moved(tensorSlice(positions(x.shape), begin, end), x.data),
    pad: (x, shape, start) => moved(tensorPad(positions(x.shape), shape, start), x.data),
    take: (x, indices, axis) => moved(tensorTake(positions(x.shape), indices, axis), x.data),
    scatterAdd,
    concat: (xs, axis) => {
      let from = 1
      const parts = xs.map((x) => {
        const p = positions(x.shape, from)
        from += x.data.length
        return p
      })
      return moved(
        tensorConcat(parts, axis),
        xs.flatMap((x) => x.data),
      )
    },
    dot: (x, y) => {
      if (x.shape.length !== 1 || y.shape.length !== 1 || x.shape[0] !== y.shape[0]) {
        throw new Error(
          `dot: expected two vectors of one length, got ${showShape(x.shape)} and ${showShape(y.shape)}`,
        )
      }
      return scalarOf(x.data.reduce((s, a, i) => F.add(s, F.mul(a, y.data[i]!)), F.zero))
    },
    matmul: batchedWith(matmul),
    tangentMatmul: batchedWith(tangentMatmul),
    transpose,
    matrixTranspose: (x) =>
      x.shape.length <= 2 ? transpose(x) : moved(tensorMatrixTranspose(positions(x.shape)), x.data),
    reshape: (x, shape) => {
      if (sizeOf(shape) !== sizeOf(x.shape)) {
        throw new Error(`reshape: cannot reshape ${showShape(x.shape)} to ${showShape(shape)}`)
      }
      return box(shape, x.data)
    },
    constant: (t) => box(Tensor.shape(t), Array.from(Tensor.toFlat(t), F.fromNumber)),
    shape: (x) => x.shape,
    unbroadcast,
    // Rows without a kernel (customJvp, checkpoint) run their primal per element; a
    // kernel row of linear algebra runs its reference loops (./linalgReference.ts) on
    // single matrices.
    apply: (row, x) => {
      if (row.kernel === undefined) return row.primal(instance)(x)
      const xs = x as ReadonlyArray<Boxed<A>>
      const out = xs.every((b) => b.shape.length === 2)
        ? referenceOf(
            F,
            row,
            xs.map((b) => ({ rows: b.shape[0]!, cols: b.shape[1]!, data: b.data })),
          )
        : undefined
      if (out === undefined) {
        throw new Error(
          `${row.name}: the per-element instance has reference loops for single matrices only, got ${xs.map((b) => showShape(b.shape)).join(' and ')}`,
        )
      }
      return box(out.scalar === true ? [] : [out.rows, out.cols], out.data)
    },
  })
  return instance
}
