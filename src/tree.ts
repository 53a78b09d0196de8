/**
 * Trees of values: a value, an array of trees, or a plain object whose fields are
 * trees. `grad`, `valueAndGrad`, `jvp` and `vjp` take a tree of parameters and give
 * gradients, tangents and cotangents in the same structure, so a model's parameters
 * can be `{ W1, b1, W2, b2 }`.
 *
 * A leaf is anything that is not an array or a plain object: a number, a `Tensor`, a
 * tape variable, and a dual number (a plain object with a `tag` of `'Lift'` or
 * `'Forward'`, which is a value, not a node). Values of an instance of your own must
 * not be plain objects; make them instances of a class. Walks use an explicit stack,
 * so a tree's depth is limited only by memory.
 *
 * @since 0.2.0
 */

/**
 * A tree of values of type `A`.
 *
 * @category model
 * @since 0.2.0
 */
export type Tree<A> = A | ReadonlyArray<Tree<A>> | { readonly [key: string]: Tree<A> }

declare const slotBrand: unique symbol

/**
 * A placeholder type: the parameter type of a function written against an instance is
 * read at `Slot` and rewritten at the instance's value type (see `Subst`).
 *
 * @category model
 * @since 0.2.0
 */
export interface Slot {
  /** Type-level only. */
  readonly [slotBrand]: true
}

/**
 * `P` with every `Slot` replaced by `B`: the structure of a function's parameters at
 * the value type of an instance.
 *
 * @category model
 * @since 0.2.0
 */
export type Subst<P, B> = P extends Slot
  ? B
  : P extends ReadonlyArray<unknown>
    ? { readonly [K in keyof P]: Subst<P[K], B> }
    : P extends object
      ? { readonly [K in keyof P]: Subst<P[K], B> }
      : P

/**
 * Each element of a tuple of parameter types at the value type of an instance: the
 * further (data) arguments of a function.
 *
 * @category model
 * @since 0.5.0
 */
export type SubstAll<D extends ReadonlyArray<unknown>, B> = {
  readonly [K in keyof D]: Subst<D[K], B>
}

const isDualValue = (x: object): boolean => {
  const tag = (x as { readonly tag?: unknown }).tag
  return tag === 'Lift' || tag === 'Forward'
}

/**
 * Whether a value is a node of a tree (an array, or a plain object that is not a dual
 * number) rather than a leaf.
 *
 * @example
 * import { isTreeNode, Tensor } from 'ad-ts'
 * isTreeNode({ w: 1 }) // => true
 * isTreeNode([1, 2]) // => true
 * isTreeNode(Tensor.fromArray([1, 2])) // => false
 *
 * @category utils
 * @since 0.2.0
 */
export const isTreeNode = (x: unknown): boolean => {
  if (Array.isArray(x)) return true
  if (typeof x !== 'object' || x === null) return false
  const proto = Object.getPrototypeOf(x) as unknown
  return (proto === Object.prototype || proto === null) && !isDualValue(x)
}

const childrenOf = (node: object): ReadonlyArray<readonly [string | number, unknown]> =>
  Array.isArray(node)
    ? node.map((c: unknown, i) => [i, c] as const)
    : Object.entries(node as Record<string, unknown>)

/**
 * The leaves of a tree, in order (array elements by index, object fields in their
 * insertion order).
 *
 * @example
 * import { leavesOf } from 'ad-ts'
 * leavesOf({ w: [1, 2], b: 3 }) // => [1, 2, 3]
 *
 * @category utils
 * @since 0.2.0
 */
export const leavesOf = <A>(tree: Tree<A>): A[] => {
  const flat = flatLeaves(tree)
  if (flat !== undefined) return flat as A[]
  const out: A[] = []
  const stack: unknown[] = [tree]
  while (stack.length > 0) {
    const t = stack.pop()
    if (!isTreeNode(t)) {
      out.push(t as A)
      continue
    }
    const kids = childrenOf(t as object)
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]![1])
  }
  return out
}

/**
 * The leaves of a value (itself) or of an array whose elements are all leaves (a copy of
 * it); undefined for any other tree. The fast path of the walks: an array of numbers or
 * Tensors costs what reading it costs.
 */
const flatLeaves = (tree: unknown): unknown[] | undefined =>
  !isTreeNode(tree) ? [tree] : isFlatArray(tree) ? (tree as unknown[]).slice() : undefined

/** Whether a tree is an array whose every element is a leaf. */
const isFlatArray = (tree: unknown): boolean => {
  if (!Array.isArray(tree)) return false
  for (let i = 0; i < tree.length; i++) {
    const t: unknown = tree[i]
    if (typeof t !== 'number' && isTreeNode(t)) return false
  }
  return true
}

/**
 * Where each leaf of a tree sits, in the order of `leavesOf`: `''` for a tree that is
 * one value, `'[1]'` for the second element of an array, `'.w[0]'` for the first element
 * of field `w`.
 *
 * @example
 * import { leafPathsOf } from 'ad-ts'
 * leafPathsOf({ w: [1, 2], b: 3 }) // => ['.w[0]', '.w[1]', '.b']
 *
 * @category utils
 * @since 0.2.0
 */
export const leafPathsOf = (tree: unknown): string[] => {
  const out: string[] = []
  const stack: Array<readonly [unknown, string]> = [[tree, '']]
  while (stack.length > 0) {
    const [t, path] = stack.pop()!
    if (!isTreeNode(t)) {
      out.push(path)
      continue
    }
    const kids = childrenOf(t as object)
    for (let i = kids.length - 1; i >= 0; i--) {
      const [key, child] = kids[i]!
      stack.push([child, `${path}${typeof key === 'number' ? `[${key}]` : `.${key}`}`])
    }
  }
  return out
}

/**
 * A tree of the same structure with its leaves replaced, in order, by `leaves`.
 * Throws unless there is one leaf for each.
 *
 * @example
 * import { withLeaves } from 'ad-ts'
 * withLeaves({ w: [1, 2], b: 3 }, [10, 20, 30]) // => { w: [10, 20], b: 30 }
 *
 * @category utils
 * @since 0.2.0
 */
export const withLeaves = <A, B>(tree: Tree<A>, leaves: ReadonlyArray<B>): Tree<B> => {
  // A value, or an array of values (the common cases), without the walk.
  if (!isTreeNode(tree) && leaves.length === 1) return leaves[0] as Tree<B>
  if (Array.isArray(tree) && tree.length === leaves.length && isFlatArray(tree))
    return leaves.slice() as Tree<B>
  let next = 0
  const root: { value?: unknown } = {}
  // Each entry: a subtree and where its copy goes. The copies are fresh containers
  // filled by this call only.
  const stack: Array<readonly [unknown, (v: unknown) => void]> = [[tree, (v) => (root.value = v)]]
  while (stack.length > 0) {
    const [t, put] = stack.pop()!
    if (!isTreeNode(t)) {
      if (next >= leaves.length) throw leafCountError(leavesOf(tree).length, leaves.length)
      put(leaves[next++])
      continue
    }
    const kids = childrenOf(t as object)
    const copy = (Array.isArray(t) ? new Array<unknown>(kids.length) : {}) as Record<
      string | number,
      unknown
    >
    put(copy)
    for (let i = kids.length - 1; i >= 0; i--) {
      const [key, child] = kids[i]!
      stack.push([child, (v) => (copy[key] = v)])
    }
  }
  if (next !== leaves.length) throw leafCountError(next, leaves.length)
  return root.value as Tree<B>
}

/**
 * Whether a tree is an array of numbers: the case where grad and jvp make their
 * variables and duals in loops of their own (through a walk shared by every tree, each
 * number is boxed on its way).
 */
export const isNumberArray = (x: unknown): x is ReadonlyArray<number> => {
  if (!Array.isArray(x)) return false
  for (let i = 0; i < x.length; i++) if (typeof x[i] !== 'number') return false
  return true
}

/**
 * A tree of the same structure with f applied to each leaf, in the order of `leavesOf`
 * (one call a leaf). A value and an array of values, the common cases, take one pass.
 */
export const mapLeaves = <A, B>(tree: Tree<A>, f: (leaf: A) => B): Tree<B> => {
  if (!isTreeNode(tree)) return f(tree as A) as Tree<B>
  if (!isFlatArray(tree))
    return withLeaves(
      tree,
      leavesOf(tree).map((l) => f(l)),
    )
  const t = tree as ReadonlyArray<A>
  const out = new Array<B>(t.length)
  for (let i = 0; i < t.length; i++) out[i] = f(t[i]!)
  return out as Tree<B>
}

const leafCountError = (expected: number, got: number): Error =>
  new Error(`tree: expected ${expected} leaves, one for each leaf of the tree, got ${got}`)

/**
 * Throws unless two trees have the same structure (the same arrays and fields, leaf
 * for leaf); the message names the first place where they differ, and counts `what` one
 * per input or per output (by default per output for cotangents, per input otherwise).
 *
 * @example
 * import { sameStructure } from 'ad-ts'
 * sameStructure('jvp', 'tangents', { w: [1, 2] }, { w: [0, 1] }) // => undefined
 *
 * @category utils
 * @since 0.2.0
 */
export const sameStructure = (
  op: string,
  what: string,
  x: unknown,
  v: unknown,
  per: 'input' | 'output' = what === 'cotangents' ? 'output' : 'input',
): void => {
  // Two arrays of values of one length (the common case) agree without the walk.
  if (
    Array.isArray(x) &&
    Array.isArray(v) &&
    x.length === v.length &&
    isFlatArray(x) &&
    isFlatArray(v)
  )
    return
  const kind = (t: unknown) =>
    Array.isArray(t) ? 'an array' : isTreeNode(t) ? 'an object' : 'a single value'
  const stack: Array<readonly [unknown, unknown, string]> = [[x, v, '']]
  while (stack.length > 0) {
    const [a, b, path] = stack.pop()!
    const at = path === '' ? '' : ` (at ${path})`
    if (kind(a) !== kind(b)) {
      throw new Error(
        `${op}: expected ${what} shaped like the point: the point is ${kind(a)}, the ${what} ${kind(b)}${at}`,
      )
    }
    if (!isTreeNode(a)) continue
    const ka = childrenOf(a as object)
    const kb = new Map(childrenOf(b as object))
    if (ka.length !== kb.size) {
      throw new Error(`${op}: expected ${ka.length} ${what} (one per ${per}), got ${kb.size}${at}`)
    }
    for (const [key, child] of ka) {
      if (!kb.has(key)) throw new Error(`${op}: the ${what} lack the field ${String(key)}${at}`)
      const sub = `${path}${typeof key === 'number' ? `[${key}]` : `.${key}`}`
      stack.push([child, kb.get(key), sub])
    }
  }
}
