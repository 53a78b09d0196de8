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
 * A point: one value or an array of values.
 *
 * @category model
 * @since 0.1.0
 */
export type Point<A> = A | ReadonlyArray<A>

/**
 * The untyped form every shape above erases to at run time.
 *
 * @category model
 * @since 0.1.0
 */
export type AnyFunction = <B>(F: Floating<B>, lift: (c: never) => B) => (x: Point<B>) => Point<B>
