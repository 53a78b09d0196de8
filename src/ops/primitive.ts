/**
 * Primitives beyond the elementwise op table: a row holds a whole function's primal,
 * its forward rule (`jvp`), its reverse rule (`vjp`) and how modes treat it. Every
 * instance of `Tensorial` interprets rows through one method, `apply`: the tensor
 * backend runs the kernel (or the primal), a dual instance pushes tangents through the
 * `jvp` rule, a reverse instance records one entry whose pullback is the `vjp` rule (or
 * the transpose of the `jvp` rule, or a recomputation), and `vmap` maps the row over a
 * batch. Linear algebra, `customJvp`, `customVjp` and `checkpoint` are rows.
 *
 * Rules are written against the instance, so they are differentiable again: a second
 * derivative differentiates the rule, never a kernel's loops.
 *
 * @since 0.5.0
 */
import type { Tensor } from '../tensor/Tensor.js'
import type { Tensorial } from '../Tensorial.js'
import type { Tree } from '../tree.js'

/**
 * The forward rule: the output tangent at x (y = primal(x)) along v, linear in v. For a
 * row with a kernel, `v[i]` is `undefined` where input i is a constant (a zero tangent).
 *
 * @category model
 * @since 0.5.0
 */
export type JvpRule = <A>(
  T: Tensorial<A>,
) => (x: Tree<A>, y: Tree<A>, v: Tree<A | undefined>) => Tree<A>

/**
 * The reverse rule: the cotangent of x at x (y = primal(x)) for the output cotangent u.
 *
 * @category model
 * @since 0.5.0
 */
export type VjpRule = <A>(T: Tensorial<A>) => (x: Tree<A>, y: Tree<A>, u: Tree<A>) => Tree<A>

/**
 * The eager kernel of a built-in row: inputs are an array of tensors, the output one
 * tensor, and leading axes are batch axes that broadcast between inputs (`coreRanks`
 * gives each input's own rank, 2 for a matrix).
 *
 * @category model
 * @since 0.5.0
 */
export interface PrimitiveKernel {
  /** The output from the input tensors. */
  readonly run: (xs: ReadonlyArray<Tensor>) => Tensor
  /** The output shape from the input shapes (throws as `run` would for shapes that do not fit). */
  readonly shape: (shapes: ReadonlyArray<ReadonlyArray<number>>) => ReadonlyArray<number>
  /** Each input's own rank (2 for a matrix); axes before those are batch axes. */
  readonly coreRanks: ReadonlyArray<number>
}

/**
 * A primitive row.
 *
 * @category model
 * @since 0.5.0
 */
export interface Primitive {
  /** The name used in messages. */
  readonly name: string
  /** The function on any instance (for a kernel row: `T.apply(row, x)`). */
  readonly primal: <A>(T: Tensorial<A>) => (x: Tree<A>) => Tree<A>
  /** The eager kernel of a built-in row (linear algebra). */
  readonly kernel?: PrimitiveKernel
  /** The forward rule; absent for a reverse-only row (`customVjp`). */
  readonly jvp?: JvpRule
  /** The reverse rule; absent where reverse mode transposes `jvp` or recomputes. */
  readonly vjp?: VjpRule
  /**
   * How modes read the row: `'rules'` (default) by its rules, `'constant'` as a value
   * with derivative 0, `'checkpoint'` by differentiating the primal (forward mode runs
   * it on duals; reverse mode records one entry and re-records the primal in the
   * pullback).
   */
  readonly mode?: 'rules' | 'constant' | 'checkpoint'
  /** The row's fixed options, for an interpreter that needs them (triangularSolve's). */
  readonly params?: Readonly<Record<string, boolean>>
}
