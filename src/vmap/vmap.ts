/**
 * `vmap`: a function mapped over an axis of its arguments by batching rules (one batched
 * op of the base per op of the function), not by a loop over examples.
 *
 * @since 0.5.0
 */
import type { Primitive } from '../ops/primitive.js'
import { normaliseAxis } from '../tensor/axes.js'
import type { Tensorial } from '../Tensorial.js'
import { leafPathsOf, leavesOf, mapLeaves, withLeaves, type Tree } from '../tree.js'
import { Batched, batching } from './batching.js'
import { isStaticLeaf } from '../util/staticLeaves.js'
import { showKind } from '../util/showKind.js'

/**
 * Options of `vmap`.
 *
 * @category model
 * @since 0.5.0
 */
export interface VmapOptions {
  /**
   * The mapped axis of every leaf of every argument (default 0; negative counts from the
   * end), or one entry per argument: a number, or `null` for an argument every example
   * sees whole.
   */
  readonly inAxes?: number | ReadonlyArray<number | null>
  /** Where the mapped axis goes in every output leaf (default 0). */
  readonly outAxes?: number
}

const product = (s: ReadonlyArray<number>): number => s.reduce((a, b) => a * b, 1)

/** x with axis a moved to the front, by reshapes and transposes (differentiable everywhere). */
const toFront = <A>(T: Tensorial<A>, x: A, a: number): A => {
  if (a === 0) return x
  const s = T.shape(x)
  const p = product(s.slice(0, a))
  const d = s[a]!
  const q = product(s.slice(a + 1))
  const t = T.reshape(T.transpose(T.reshape(x, [p, d * q])), [d, q, p])
  return T.reshape(T.matrixTranspose(t), [d, ...s.slice(0, a), ...s.slice(a + 1)])
}

/** x (its first axis mapped) with that axis moved to position k. */
const fromFront = <A>(T: Tensorial<A>, x: A, k: number): A => {
  if (k === 0) return x
  const [d, ...rest] = T.shape(x)
  const p = product(rest.slice(0, k))
  const q = product(rest.slice(k))
  const t = T.reshape(T.matrixTranspose(T.reshape(x, [d!, p, q])), [d! * q, p])
  return T.reshape(T.transpose(t), [...rest.slice(0, k), d!, ...rest.slice(k)])
}

type Mapped = <A>(T: Tensorial<A>) => (...args: ReadonlyArray<Tree<A>>) => Tree<A>

// Batched rows of users' rules, made once per row: the same row gives the same
// batched row, so a trace sees one primitive (a memo of pure values).
const batchedRows = new WeakMap<Primitive, Primitive>()

const batchRow = (row: Primitive): Primitive => {
  let b = batchedRows.get(row)
  if (b === undefined) {
    const over = (g: Mapped) => run(g, {})
    const jvp = row.jvp
    const vjp = row.vjp
    b = {
      name: row.name,
      primal: (T) => (x) => over((U) => (y) => row.primal(U)(y))(T)(x),
      ...(jvp === undefined
        ? {}
        : {
            jvp: (T) => (x, y, v) =>
              over((U) => (a, b, c) => jvp(U)(a!, b!, c!))(T)(x, y, v as never),
          }),
      ...(vjp === undefined
        ? {}
        : { vjp: (T) => (x, y, u) => over((U) => (a, b, c) => vjp(U)(a!, b!, c!))(T)(x, y, u) }),
    }
    batchedRows.set(row, b)
  }
  return b
}

/**
 * Runs the batched body; an error from an op inside it names the batched shapes, with the
 * mapped axis in front, so the message says so (once, however deep the nesting).
 */
const underVmap = <R>(size: number, body: () => R): R => {
  try {
    return body()
  } catch (e) {
    if (!(e instanceof Error)) throw e
    // An inner vmap's note gains this level's axis, the outermost first.
    const inner =
      /\(under vmap: the shapes include the mapped (?:axis|axes), of lengths? ([\d, ]+), in front\)$/
    const m = inner.exec(e.message)
    const message =
      m === null
        ? `${e.message} (under vmap: the shapes include the mapped axis, of length ${size}, in front)`
        : e.message.replace(
            inner,
            `(under vmap: the shapes include the mapped axes, of lengths ${size}, ${m[1]!}, in front)`,
          )
    throw new Error(message, { cause: e })
  }
}

const run =
  (f: Mapped, options: VmapOptions) =>
  <A>(T: Tensorial<A>) =>
  (...args: ReadonlyArray<Tree<A>>): Tree<A> => {
    const { inAxes = 0, outAxes = 0 } = options
    if (typeof inAxes !== 'number' && inAxes.length !== args.length) {
      throw new Error(
        `vmap: inAxes has ${inAxes.length} entries for ${args.length} argument${args.length === 1 ? '' : 's'}; give one per argument (a number, or null)`,
      )
    }
    let n: number | undefined
    let first = ''
    const wrapped = args.map((arg, i) => {
      const axis = typeof inAxes === 'number' ? inAxes : inAxes[i]!
      const paths = leafPathsOf(arg)
      return withLeaves(
        arg,
        leavesOf(arg).map((leaf, j) => {
          const where = `argument ${i}${paths[j] === '' ? '' : ` at ${paths[j]}`}`
          // A leaf that is not a value of T (a number beside tensors) reaches f unchanged.
          if (isStaticLeaf(T, leaf)) {
            if (axis === null) return leaf
            throw new Error(
              `vmap: ${where} is ${showKind(leaf)}, which has no axis to map; give it inAxes null to pass it unchanged, or pass a Tensor`,
            )
          }
          if (axis === null) return new Batched(leaf, false)
          const s = T.shape(leaf)
          const a = normaliseAxis('vmap', axis, s.length)
          if (n === undefined) {
            n = s[a]!
            first = where
          } else if (s[a] !== n) {
            throw new Error(
              `vmap: mapped axes of different lengths: ${n} (${first}) and ${s[a]} (${where}); every mapped leaf must have one length along its mapped axis`,
            )
          }
          return new Batched(toFront(T, leaf, a), true)
        }),
      )
    })
    if (n === undefined) throw new Error('vmap: no argument is mapped (every inAxes entry is null)')
    const size = n
    const V = batching(T, size, batchRow)
    const out = underVmap(size, () => f(V)(...(wrapped as ReadonlyArray<Tree<Batched<A>>>)))
    return mapLeaves(out, (leaf) => {
      if (!(leaf instanceof Batched)) return leaf as unknown as A
      const b = leaf as Batched<A>
      const whole = b.mapped ? b.value : T.broadcastTo(b.value, [size, ...T.shape(b.value)])
      return fromFront(T, whole, normaliseAxis('vmap', outAxes, T.shape(whole).length))
    })
  }

/**
 * `f` mapped over an axis of its arguments: `vmap(f)(T)(x)` equals stacking `f(T)(x[i])`
 * over i (to 1e-12 relative), computed by one batched op per op. `vmap(f)` is again a
 * function written against `Tensorial`, so it composes with `grad`, `jvp`, `vjp`, `jit`
 * and itself: per-example gradients are `vmap(grad(loss), { inAxes: [null, 0] })`.
 * Throws an Error naming both lengths when mapped leaves differ along their mapped
 * axes; `toNumber` of a mapped value throws (control flow on mapped values cannot be
 * batched: use `where`).
 *
 * @example
 * import { vmap, tensor, Tensor, type Tensorial } from 'ad-ts'
 * const norm2 = <A>(T: Tensorial<A>) => (x: A): A => T.sum(T.mul(x, x))
 * Tensor.toArray(vmap(norm2)(tensor)(Tensor.fromArray([[1, 2], [3, 4]]))) // => [5, 25]
 *
 * @typeParam Fn - the function's type, written against `Tensorial`; it is given back.
 *
 * @category combinators
 * @since 0.5.0
 */
export const vmap = <Fn extends (T: never) => (...args: never[]) => unknown>(
  f: Fn,
  options: VmapOptions = {},
): Fn => run(f as unknown as Mapped, options) as unknown as Fn
