/**
 * Parameters as optimisers see them: a tree whose leaves are numbers and Tensors
 * (`{ W1, b1, W2, b2 }`, an array of weights, one Tensor). Optimisers combine several
 * such trees leaf by leaf and element by element (parameters, gradients, moments),
 * and the second-order methods view a tree as one flat vector of all its elements.
 *
 * @since 0.3.0
 */
import { internal, isTensor, showShape, sizeOf, type Tensor } from '../tensor/Tensor.js'
import { isTreeNode, leavesOf, withLeaves, type Tree } from '../tree.js'
import { showKind } from '../util/showKind.js'

/**
 * A leaf of a parameter tree.
 *
 * @category model
 * @since 0.3.0
 */
export type Leaf = number | Tensor

/**
 * A tree of parameters: a number or Tensor, an array of trees, or a plain object whose
 * fields are trees.
 *
 * @category model
 * @since 0.3.0
 */
export type Params = Tree<Leaf>

/** The child of `node` under `key`, or a thrown Error naming the path. */
const childOf = (op: string, node: unknown, key: string | number, path: string): unknown => {
  const has = Array.isArray(node)
    ? typeof key === 'number' && key < node.length
    : Object.prototype.hasOwnProperty.call(node, key)
  if (!has) throw new Error(`${op}: the trees differ at ${path}: one lacks it`)
  return (node as Record<string | number, unknown>)[key]
}

/**
 * The leaves of several trees paired by position in the first one (arrays by index,
 * objects by field name, whatever their key order): one row of leaves per leaf of the
 * first tree, in `leavesOf` order. Throws an `Error` naming `op` and the path where
 * the trees differ (structure, leaf kind or Tensor shape).
 */
const pairedLeaves = (op: string, trees: ReadonlyArray<unknown>): unknown[][] => {
  const rows: unknown[][] = []
  const stack: Array<readonly [ReadonlyArray<unknown>, string]> = [[trees, '']]
  while (stack.length > 0) {
    const [nodes, path] = stack.pop()!
    const first = nodes[0]
    if (!isTreeNode(first)) {
      for (const other of nodes) {
        const same =
          (typeof first === 'number' && typeof other === 'number') ||
          (isTensor(first) && isTensor(other) && showShape(first.shape) === showShape(other.shape))
        if (!same) {
          throw new Error(
            `${op}: the trees differ at ${path === '' ? 'the root' : path}: ${showKind(first)} against ${showKind(other)}`,
          )
        }
      }
      rows.push([...nodes])
      continue
    }
    const keys = Array.isArray(first) ? first.map((_, i) => i) : Object.keys(first as object)
    for (const other of nodes) {
      const size = Array.isArray(other)
        ? other.length
        : isTreeNode(other)
          ? Object.keys(other as object).length
          : -1
      if (size !== keys.length || Array.isArray(other) !== Array.isArray(first)) {
        throw new Error(
          `${op}: the trees differ at ${path === '' ? 'the root' : path}: ${showKind(first)} against ${showKind(other)}`,
        )
      }
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!
      const sub = `${path}${typeof key === 'number' ? `[${key}]` : `.${key}`}`
      stack.push([nodes.map((n) => childOf(op, n, key, sub)), sub])
    }
  }
  return rows
}

/**
 * Applies `f` element by element to trees of the same structure and shapes, giving a
 * tree shaped like the first: `f` receives one number per tree (in a scratch array it
 * must not keep). Number leaves give numbers, Tensor leaves fresh Tensors. Throws an
 * `Error` naming `op` and the path where the trees differ.
 *
 * @example
 * import { optim, Tensor } from 'ad-ts'
 * const sum = optim.elementwise('add', [{ w: 1, b: Tensor.fromArray([1, 2]) }, { w: 2, b: Tensor.fromArray([3, 4]) }], ([x, y]) => x! + y!)
 * Tensor.toArray((sum as { b: Tensor }).b) // => [4, 6]
 *
 * @category combinators
 * @since 0.3.0
 */
export const elementwise = <P extends Params>(
  op: string,
  trees: readonly [P, ...ReadonlyArray<Params>],
  f: (values: ReadonlyArray<number>) => number,
): P => {
  const rows = pairedLeaves(op, trees)
  // One scratch array per call, refilled for each element and read only by f.
  const args = new Array<number>(trees.length).fill(0)
  const leaves = rows.map((row) => {
    const first = row[0]
    if (typeof first === 'number') {
      for (let j = 0; j < row.length; j++) args[j] = row[j] as number
      return f(args)
    }
    const datas = row.map((t) => internal.data(t as Tensor))
    const size = datas[0]!.length
    // A fresh buffer filled here and handed to the new Tensor only.
    const out = new Float64Array(size)
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < datas.length; j++) args[j] = datas[j]![i]!
      out[i] = f(args)
    }
    return internal.make(out, (first as Tensor).shape)
  })
  return withLeaves(trees[0], leaves) as P
}

/**
 * The number of elements of a tree (a number counts one, a Tensor its size).
 *
 * @example
 * import { optim, Tensor } from 'ad-ts'
 * optim.sizeOfParams({ W: Tensor.fill([2, 3], 0), b: 1 }) // => 7
 *
 * @category utils
 * @since 0.3.0
 */
export const sizeOfParams = (params: Params): number =>
  leavesOf(params).reduce<number>((n, l) => n + (typeof l === 'number' ? 1 : sizeOf(l.shape)), 0)

/**
 * All elements of a tree in one fresh vector, leaf after leaf in `leavesOf` order,
 * each Tensor row-major.
 *
 * @example
 * import { optim, Tensor } from 'ad-ts'
 * optim.flatten({ w: Tensor.fromArray([1, 2]), b: 3 }) // => Float64Array.of(1, 2, 3)
 *
 * @category utils
 * @since 0.3.0
 */
export const flatten = (params: Params): Float64Array => {
  const leaves = leavesOf(params)
  // A fresh vector filled here and returned.
  const out = new Float64Array(sizeOfParams(params))
  let at = 0
  for (const l of leaves) {
    if (typeof l === 'number') out[at++] = l
    else {
      const d = internal.data(l)
      out.set(d, at)
      at += d.length
    }
  }
  return out
}

/**
 * The tree shaped like `like` whose elements are read, in order, from `vector` (the
 * inverse of `flatten`). Throws unless the vector has one element per element of the
 * tree.
 *
 * @example
 * import { optim, Tensor } from 'ad-ts'
 * const p = optim.unflatten({ w: Tensor.fromArray([0, 0]), b: 0 }, Float64Array.of(1, 2, 3))
 * p.b // => 3
 *
 * @category utils
 * @since 0.3.0
 */
export const unflatten = <P extends Params>(like: P, vector: ArrayLike<number>): P => {
  const total = sizeOfParams(like)
  if (vector.length !== total) {
    throw new Error(
      `unflatten: expected a vector of ${total} elements (one per parameter), got ${vector.length}`,
    )
  }
  let at = 0
  const leaves = leavesOf(like).map((l) => {
    if (typeof l === 'number') return vector[at++]!
    const size = sizeOf(l.shape)
    // A fresh buffer copied out of the vector, so the new Tensor shares nothing.
    const out = new Float64Array(size)
    for (let i = 0; i < size; i++) out[i] = vector[at + i]!
    at += size
    return internal.make(out, l.shape)
  })
  return withLeaves(like, leaves) as P
}
