/**
 * The shapes of differentiable functions: written once against `Floating`, so they
 * run with any instance. The `…Over<C>` shapes also receive `lift`, which embeds a
 * value `c: C` of an enclosing computation as a constant; nested derivatives use it to
 * close over an outer variable (forgetting it is a type error: `C` is not `B`).
 *
 * @since 0.1.0
 */
import type { Floating } from './Floating.js'
import type { Tensorial } from './Tensorial.js'
import type { Slot, Tree } from './tree.js'

/** `f: A → A`. @category model @since 0.1.0 */
export type ScalarFunction = <A>(F: Floating<A>) => (x: A) => A

/** `f: Aⁿ → A`. @category model @since 0.1.0 */
export type ArrayFunction = <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => A

/** `f: Aⁿ → Aᵐ`. @category model @since 0.1.0 */
export type VectorFunction = <A>(F: Floating<A>) => (xs: ReadonlyArray<A>) => ReadonlyArray<A>

/** `f: A → A` over tensors. @category model @since 0.1.0 */
export type TensorialScalarFunction = <A>(T: Tensorial<A>) => (x: A) => A

/** `f: Aⁿ → A` over tensors. @category model @since 0.1.0 */
export type TensorialArrayFunction = <A>(T: Tensorial<A>) => (xs: ReadonlyArray<A>) => A

/** `f: Aⁿ → Aᵐ` over tensors. @category model @since 0.1.0 */
export type TensorialVectorFunction = <A>(
  T: Tensorial<A>,
) => (xs: ReadonlyArray<A>) => ReadonlyArray<A>

/** `f: A → A` closing over values of type `C`. @category model @since 0.1.0 */
export type ScalarFunctionOver<C> = <B>(F: Floating<B>, lift: (c: C) => B) => (x: B) => B

/** `f: Aⁿ → A` closing over values of type `C`. @category model @since 0.1.0 */
export type ArrayFunctionOver<C> = <B>(
  F: Floating<B>,
  lift: (c: C) => B,
) => (xs: ReadonlyArray<B>) => B

/** `f: Aⁿ → Aᵐ` closing over values of type `C`. @category model @since 0.1.0 */
export type VectorFunctionOver<C> = <B>(
  F: Floating<B>,
  lift: (c: C) => B,
) => (xs: ReadonlyArray<B>) => ReadonlyArray<B>

/**
 * `f` of a tree of parameters `P` (read at the placeholder type `Slot`) to one value:
 * `<A>(F: Floating<A>) => (p: { w: A; b: A }) => A` is a `TreeFunction<{ w: Slot; b: Slot }>`.
 *
 * @category model
 * @since 0.2.0
 */
export type TreeFunction<P> = (F: Floating<Slot>) => (p: P) => Slot

/** `f` of a tree of parameters to one value, over tensors. @category model @since 0.2.0 */
export type TensorialTreeFunction<P> = (T: Tensorial<Slot>) => (p: P) => Slot

/** `f` of a tree of parameters to a tree of values. @category model @since 0.2.0 */
export type TreeMap<P, Q> = (F: Floating<Slot>) => (p: P) => Q

/** `f` of a tree of parameters to a tree of values, over tensors. @category model @since 0.2.0 */
export type TensorialTreeMap<P, Q> = (T: Tensorial<Slot>) => (p: P) => Q

/**
 * The untyped form every shape above erases to at run time.
 *
 * @category model
 * @since 0.1.0
 */
export type AnyFunction = <B>(F: Floating<B>, lift: (c: never) => B) => (x: Tree<B>) => Tree<B>
