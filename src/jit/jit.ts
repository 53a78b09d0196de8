/**
 * `jit`: trace a function written against `Tensorial` once per input shapes, and run
 * the recorded graph with fused, generated kernels afterwards.
 *
 * @since 0.4.0
 */
import type { Floating } from '../Floating.js'
import { isTensor, showShape, type Tensor } from '../tensor/Tensor.js'
import { isTensorial, type Tensorial } from '../Tensorial.js'
import { leafPathsOf, leavesOf, withLeaves, type Tree } from '../tree.js'
import { canGenerate } from './codegen.js'
import { Traced } from './graph.js'
import { neededSteps, planOf } from './plan.js'
import { transposesInPlace } from './transposesInPlace.js'
import { canCompileSimd } from './simd/simdKernel.js'
import { programOf, releaseProgram, runProgram, type Program } from './run.js'
import { noteUniform, tracing, type Recording } from './tracer.js'
import { sameSignature, shapedArgs, shapes, type Shaped } from './shapes.js'
import { showValue } from '../util/show.js'

/**
 * Options of `jit`.
 *
 * @category model
 * @since 0.4.0
 */
export interface JitOptions {
  /**
   * Generate kernels for the fused groups (default: JavaScript kernels where the
   * environment allows `new Function`, SIMD kernels where it compiles WebAssembly). With
   * false, groups run op by op on the eager backend: the path a page whose
   * Content-Security-Policy forbids code generation takes.
   */
  readonly generate?: boolean
  /**
   * Compile fused groups to WebAssembly with 128-bit SIMD, eight elements an iteration,
   * where every op of the group has a two-lane form: by default for groups of at least
   * 16,384 elements (below that the compilation costs more than it saves), `true` for
   * every group, `false` for none. Other groups keep their JavaScript kernels (or run op
   * by op where JavaScript cannot be generated but WebAssembly can: a
   * Content-Security-Policy with 'wasm-unsafe-eval' and without 'unsafe-eval'), and the
   * results are the same bit for bit. A SIMD kernel keeps a copy of its inputs in its
   * WebAssembly memory.
   */
  readonly simd?: boolean
}

/** Shapes (programs) of one jitted function whose SIMD kernels keep their memories. */
const keptMemories = 2

/** What a trace leaves for later calls: the program and where its outputs go. */
interface Compiled {
  readonly program: Program
  /** The result's structure; leaf k is output k, or a value kept as it was. */
  readonly template: Tree<unknown>
  readonly slots: ReadonlyArray<number | { readonly kept: unknown }>
  /** What the function did at the trace: compared with a shape-only run at each call. */
  readonly signature: ReadonlyArray<unknown>
}

/**
 * The structure of the arguments with each Tensor as its shape and each number as its
 * value (numbers are static arguments: another number, another program).
 */
const keyOf = (args: ReadonlyArray<unknown>, leaves: ReadonlyArray<Tensor | number>): string =>
  JSON.stringify(
    withLeaves(
      args as Tree<unknown>,
      leaves.map((t) => (typeof t === 'number' ? `n${showValue(t)}` : showShape(t.shape))),
    ),
  )

/**
 * The signature of f at these arguments by a shape-only instance (undefined if it
 * throws): the instance is made once, and each run writes a fresh array into its sink.
 */
const signatures = (g: (T: unknown) => (...args: ReadonlyArray<unknown>) => unknown) => {
  const sink: { signature: unknown[] } = { signature: [] }
  let S: Tensorial<Shaped> | undefined
  return (args: ReadonlyArray<unknown>): ReadonlyArray<unknown> | undefined => {
    S ??= shapes(sink)
    sink.signature = []
    try {
      g(S)(...shapedArgs(args))
    } catch {
      return undefined
    }
    return sink.signature
  }
}

/**
 * Compiles a function written against `Tensorial` (or a transformed one:
 * `jit(valueAndGrad(loss))`), called the same way: `jit(f)(tensor)(x)` is `f(tensor)(x)`,
 * equal to 1e-12 relative (the fused sums add in the same order as the eager ones; an
 * elementwise value is computed by the same primal). The first call with arguments of
 * new shapes runs `f` on a tracing instance, which evaluates eagerly while it records
 * every primitive, and returns those eager values; later calls with the same shapes
 * (and the same structure of arguments) run the recorded graph: chains of elementwise
 * primitives over one shape, and the full sums that consume them, run as one generated
 * loop each, and every other op as the eager backend runs it.
 *
 * On any instance other than the tensor backend (forward mode over tensors, numbers), or
 * with arguments that are not Tensors, it calls `f` unchanged. Values that `f` closes
 * over (`T.constant(data)`) are recorded once, at the trace. `F.toNumber` of a traced
 * value throws an Error that names the op: control flow that depends on a value cannot
 * be compiled; `where` chooses per element instead.
 *
 * @typeParam Fn - the function's type, written against `Tensorial`; `jit` gives it back.
 *
 * @example
 * import { jit, tensor, Tensor, valueAndGrad, type Tensorial } from 'ad-ts'
 * const loss = <A>(T: Tensorial<A>) => (w: A): A => T.sum(T.exp(T.mul(w, w)))
 * const fast = jit(valueAndGrad(loss))(tensor)
 * const [v, g] = fast(Tensor.fromArray([0, 1]))
 * Tensor.toArray(v) // ≈ 1 + Math.E
 * Tensor.toArray(g) // ≈ [0, 2 * Math.E]
 * const [v2] = fast(Tensor.fromArray([1, 1])) // the same shapes: no new trace
 * Tensor.toArray(v2) // ≈ 2 * Math.E
 *
 * @category combinators
 * @since 0.4.0
 */
export const jit = <Fn extends (T: never) => (...args: never[]) => unknown>(
  f: Fn,
  options: JitOptions = {},
): Fn => {
  const generate = (options.generate ?? true) && canGenerate
  // The smallest group compiled to SIMD.
  const simdFrom =
    !canCompileSimd || options.simd === false || options.generate === false
      ? Infinity
      : options.simd === true
        ? 0
        : 16384
  // Compiled programs by argument shapes: a memo of pure results, invisible from outside.
  const cache = new Map<string, Compiled>()
  // The cache in order of use, the last used last: programs past the two most recent
  // let go of their kernels' memories (copies of inputs), remade if they run again.
  let last: string | undefined
  const recent = (key: string, entry: Compiled) => {
    if (last === key) return
    last = key
    cache.delete(key)
    cache.set(key, entry)
    let older = cache.size - keptMemories
    for (const c of cache.values()) if (older-- > 0) releaseProgram(c.program)
  }
  const g = f as unknown as (T: unknown) => (...args: ReadonlyArray<unknown>) => unknown
  const signatureOf = signatures(g)
  const compiled = (T: Floating<unknown>) => {
    const eager = g(T)
    return (...args: ReadonlyArray<unknown>): unknown => {
      const leaves = leavesOf(args as Tree<unknown>)
      const inputs = leaves.filter(isTensor)
      if (
        !isTensorial(T) ||
        inputs.length === 0 ||
        !leaves.every((l) => isTensor(l) || typeof l === 'number')
      )
        return eager(...args)
      const key = keyOf(args, leaves as ReadonlyArray<Tensor | number>)
      const hit = cache.get(key)
      // The program is f only if f does what it did at the trace: same ops, same
      // constants (a closure may have changed them), same non-value arguments.
      const signature = hit === undefined ? undefined : signatureOf(args)
      if (hit !== undefined && signature !== undefined && sameSignature(signature, hit.signature)) {
        recent(key, hit)
        const outs = runProgram(hit.program, inputs)
        return withLeaves(
          hit.template,
          hit.slots.map((s) => (typeof s === 'number' ? outs[s] : s.kept)),
        )
      }
      const rec: Recording = { nodes: [], uniform: new Set(), signature: [] }
      const traced = inputs.map((t, index) => {
        rec.nodes.push({ kind: 'input', id: index, shape: t.shape, index })
        noteUniform(rec, index, t)
        return new Traced(index, t.shape, t, 'an input')
      })
      let next = 0
      const result = g(tracing(rec))(
        ...(withLeaves(
          args as Tree<unknown>,
          leaves.map((l) => (isTensor(l) ? traced[next++] : l)),
        ) as ReadonlyArray<unknown>),
      )
      const outLeaves = leavesOf(result as Tree<unknown>)
      const outputs: number[] = []
      const fn = outLeaves.findIndex((l) => typeof l === 'function')
      if (fn >= 0) {
        throw new Error(
          `jit: the result holds a function (at ${leafPathsOf(result)[fn] || 'the top'}): a compiled program gives tensors, and a function made while tracing (a pullback of vjp) cannot run later; jit(valueAndGrad(f)) or jit(grad(f)) compile the gradient`,
        )
      }
      const slots = outLeaves.map((l) => {
        if (!(l instanceof Traced)) return { kept: l }
        outputs.push(l.id)
        return outputs.length - 1
      })
      const nodes = transposesInPlace(rec.nodes)
      const steps = neededSteps(nodes, planOf(nodes), outputs)
      const program = programOf({ ...rec, nodes }, steps, outputs, generate, simdFrom)
      // The template's leaves are placeholders (numbers), replaced by position on each call.
      const template = withLeaves(
        result as Tree<unknown>,
        slots.map((_, k) => k),
      )
      recent(key, { program, template, slots, signature: rec.signature })
      return withLeaves(
        result as Tree<unknown>,
        outLeaves.map((l) => (l instanceof Traced ? l.value : l)),
      )
    }
  }
  return compiled as unknown as Fn
}
