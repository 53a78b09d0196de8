/**
 * JavaScript kernels for fused groups, generated with `new Function`: one loop over the
 * group's elements, each member a local variable, the members needed outside written
 * to fresh buffers and the reductions kept in accumulators. Each piece is computed as
 * the eager backend computes it, in the same order: the common primitives are written
 * inline as the eager kernels write them and every other one calls its op-table primal;
 * a matrix-vector row is the same dot product; a full sum adds in index order; a
 * vector-matrix product of reverse mode keeps its strong zeros. Where code generation is
 * not allowed (a Content-Security-Policy without 'unsafe-eval'), `canGenerate` is false
 * and groups run op by op instead.
 *
 * @since 0.4.0
 */
import type { BinaryOp, UnaryOp } from '../Floating.js'
import {
  binaryOps,
  expNegAbs,
  fromExpNegAbsOf,
  ruleOps,
  unaryOps,
  type KernelArithmetic,
} from '../ops/opTable.js'
import { strongZero } from '../ops/tangentArithmetic.js'
import { sizeOf } from '../tensor/Tensor.js'
import { operandsOf, type Node } from './graph.js'
import { groupInterface, type Kernel } from './kernel.js'
import type { Group } from './plan.js'

/**
 * Whether this environment lets code be generated at run time (a page whose
 * Content-Security-Policy forbids 'unsafe-eval' does not).
 */
export const canGenerate: boolean = (() => {
  try {
    return (new Function('return 1') as () => number)() === 1
  } catch {
    return false
  }
})()

/** The rows' fast forms as JavaScript source: a value is an expression, read without side effects. */
const javascript: KernelArithmetic<string> = {
  constant: (x) => `${x}`,
  neg: (x) => `(-${x})`,
  abs: (x) => `Math.abs(${x})`,
  add: (x, y) => `(${x} + ${y})`,
  div: (x, y) => `(${x} / ${y})`,
  exp: (x) => `Math.exp(${x})`,
  log1p: (x) => `Math.log1p(${x})`,
  gt: (x, y) => `${x} > ${y}`,
  ge: (x, y) => `${x} >= ${y}`,
  select: (c, a, b) => `(${c} ? ${a} : ${b})`,
}

const inlineUnary = new Map<UnaryOp, (x: string) => string>([
  [unaryOps.neg, javascript.neg],
  [unaryOps.exp, javascript.exp],
  [unaryOps.log, (x) => `Math.log(${x})`],
  [unaryOps.log1p, javascript.log1p],
  [unaryOps.sqrt, (x) => `Math.sqrt(${x})`],
])

const inlineBinary = new Map<BinaryOp, (x: string, y: string) => string>([
  [binaryOps.add, javascript.add],
  [binaryOps.sub, (x, y) => `(${x} - ${y})`],
  [binaryOps.mul, (x, y) => `(${x} * ${y})`],
  [binaryOps.div, javascript.div],
  [ruleOps.shiftBy, (x, m) => `(${x} === Infinity && ${m} === Infinity ? 0 : ${x} - ${m})`],
])

type Body = (
  data: ReadonlyArray<Float64Array>,
  fns: ReadonlyArray<(...xs: number[]) => number>,
  outs: ReadonlyArray<Float64Array>,
  totals: ReadonlyArray<Float64Array>,
  n: number,
) => void

/** Products of at most this many terms per row are written out term by term. */
const unrollUpTo = 8

/** Compiles a group; `leaves` says which members are read outside it. */
export const compileGroup = (
  nodes: ReadonlyArray<Node>,
  group: Group,
  leaves: ReadonlySet<number>,
): Kernel => {
  const { inside, externals, dense, patterns, written, sums, sumsOf } = groupInterface(
    nodes,
    group,
    leaves,
  )
  const fns: Array<(...xs: number[]) => number> = []
  // Kernels per pattern of strides (which externals hold one element), made on first use.
  const bodies = new Map<string, Body>()
  const bodyFor = (strides: ReadonlyArray<number>): Body => {
    const key = strides.join('')
    const cached = bodies.get(key)
    if (cached !== undefined) return cached
    const head: string[] = ['"use strict";']
    externals.forEach((_, k) =>
      head.push(strides[k] === 0 ? `const e${k} = data[${k}][0];` : `const d${k} = data[${k}];`),
    )
    written.forEach((_, k) => head.push(`const o${k} = outs[${k}];`))
    sums.forEach((_, k) => head.push(`const t${k} = totals[${k}];`))
    const fnIndex = new Map<unknown, number>()
    const callee = (f: (...xs: number[]) => number) => {
      if (!fnIndex.has(f)) {
        fnIndex.set(f, fns.length)
        fns.push(f)
        head.push(`const f${fns.length - 1} = fns[${fns.length - 1}];`)
      }
      return `f${fnIndex.get(f)}`
    }
    const ext = (o: number) => externals.indexOf(o)
    const read = (o: number) => {
      if (inside.has(o)) return `v${o}`
      const k = ext(o)
      const kind = patterns.get(o)?.kind
      if (kind === 'outer') return `d${k}[r]`
      if (kind === 'inner') return `d${k}[c]`
      if (strides[k] === 0) return `e${k}`
      // One element read whole (it is also a product's vector): its only element.
      return kind === 'one' ? `d${k}[0]` : `d${k}[i]`
    }
    // A sum over the last axes keeps one total per row: reset as a row starts, stored as it ends.
    const perRow = (k: number) =>
      k < sums.length && group.block !== undefined && sizeOf(nodes[sums[k]!]!.shape) > 1
    // Members that read only one-element operands are the same for every i: computed
    // once before the loop (the same primal on the same numbers, so the same value).
    const invariant = new Set<number>()
    const shared = new Set<number>()
    const hoisted: string[] = []
    const loop: string[] = []
    const tail: string[] = []
    const accumulators = sums.map((s, k) => {
      const n = nodes[s]!
      return n.kind === 'call' && n.method === 'tangentMatmul' ? '' : `let a${k} = 0;`
    })
    for (const m of group.members) {
      const n = nodes[m]!
      if (n.kind === 'call') {
        // A row of a matrix-vector product: the dot product the eager matmul computes.
        const [a, b] = operandsOf(n)
        const k = nodes[b!]!.shape[0]!
        const [da, db] = [`d${ext(a!)}`, `d${ext(b!)}`]
        if (k <= unrollUpTo) {
          // Written out, left to right from 0 as the eager loop adds (0 + x·w keeps −0 out).
          head.push(...Array.from({ length: k }, (_, p) => `const w${m}_${p} = ${db}[${p}];`))
          const terms = Array.from({ length: k }, (_, p) => `${da}[r${m} + ${p}] * w${m}_${p}`)
          loop.push(
            `const r${m} = i * ${k};`,
            `const v${m} = ${terms.reduce((acc, t) => `(${acc} + ${t})`, '0')};`,
          )
        } else {
          loop.push(
            `let v${m} = 0;`,
            `for (let p = 0, r = i * ${k}; p < ${k}; p++) v${m} += ${da}[r + p] * ${db}[p];`,
          )
        }
      } else {
        let expr: string
        const fromShared = n.kind === 'unary' ? fromExpNegAbsOf(n.op) : undefined
        if (n.kind === 'unary' && fromShared !== undefined) {
          // softplus and sigmoid of one operand share e^−|x|: their stable forms both take
          // exp(−x) for x > 0 and exp(x) below, which is exp(−|x|) (±0 and NaN included).
          const x = read(n.x)
          const e = `q${n.x}`
          if (!shared.has(n.x)) {
            shared.add(n.x)
            // Before the loop when the operand is the same for every i, like the member.
            const invariantOperand = inside.has(n.x) ? invariant.has(n.x) : strides[ext(n.x)] === 0
            ;(invariantOperand ? hoisted : loop).push(`const ${e} = ${expNegAbs(javascript, x)};`)
          }
          expr = fromShared(javascript, x, e)
        } else if (n.kind === 'unary') {
          const inline = inlineUnary.get(n.op)
          expr = inline !== undefined ? inline(read(n.x)) : `${callee(n.op.primal)}(${read(n.x)})`
        } else if (n.kind === 'binary') {
          const inline = inlineBinary.get(n.op)
          expr =
            inline !== undefined
              ? inline(read(n.x), read(n.y))
              : `${callee(n.op.primal)}(${read(n.x)}, ${read(n.y)})`
        } else continue
        const ops = operandsOf(n)
        const once = ops.every((o) => (inside.has(o) ? invariant.has(o) : strides[ext(o)] === 0))
        if (once) {
          invariant.add(m)
          hoisted.push(`const v${m} = ${expr};`)
        } else loop.push(`const v${m} = ${expr};`)
      }
      const w = written.indexOf(m)
      if (w >= 0) loop.push(`o${w}[i] = v${m};`)
      for (const k of sumsOf.get(m) ?? []) {
        const r = nodes[sums[k]!]!
        if (r.kind === 'call' && r.method === 'tangentMatmul') {
          // Σᵢ uᵢ·rowᵢ as tangentMatmul adds it: strong zeros skipped, a zero sum kept as −0.
          const width = r.shape[0]!
          const d = `d${ext(operandsOf(r)[1]!)}`
          if (width <= unrollUpTo) {
            // One local accumulator per column, written to the buffer after the loop.
            for (let j = 0; j < width; j++) {
              accumulators.push(`let t${k}_${j} = 0;`)
              tail.push(`t${k}[${j}] = t${k}_${j};`)
            }
            loop.push(`if (!${strongZero.js(`v${m}`)}) {`, `  const q = i * ${width};`)
            for (let j = 0; j < width; j++) {
              loop.push(
                `  { const b = ${d}[q + ${j}];`,
                `    if (!${strongZero.js('b')}) { const s = t${k}_${j} + v${m} * b; t${k}_${j} = s === 0 ? -0 : s; } }`,
              )
            }
            loop.push('}')
          } else {
            loop.push(
              `if (!${strongZero.js(`v${m}`)}) for (let j = 0, r = i * ${width}; j < ${width}; j++) {`,
              `  const b = ${d}[r + j];`,
              `  if (${strongZero.js('b')}) continue;`,
              `  const s = t${k}[j] + v${m} * b;`,
              `  t${k}[j] = s === 0 ? -0 : s;`,
              `}`,
            )
          }
        } else loop.push(`a${k} += v${m};`)
      }
    }
    const rowSums = sums.map((_, k) => k).filter(perRow)
    const loops =
      group.block === undefined
        ? ['for (let i = 0; i < n; i++) {', ...loop.map((l) => `  ${l}`), '}']
        : [
            `for (let r = 0, i = 0, rows = n / ${group.block}; r < rows; r++) {`,
            ...rowSums.map((k) => `  let a${k} = 0;`),
            `  for (let c = 0; c < ${group.block}; c++, i++) {`,
            ...loop.map((l) => `    ${l}`),
            '  }',
            ...rowSums.map((k) => `  t${k}[r] = a${k};`),
            '}',
          ]
    const lines = [
      ...head,
      ...accumulators.filter((l, k) => l !== '' && !perRow(k)),
      ...hoisted,
      ...loops,
      ...sums
        .map((_, k) => (accumulators[k] === '' || perRow(k) ? '' : `t${k}[0] = a${k};`))
        .filter((l) => l !== ''),
      ...tail,
    ]
    const body = new Function('data', 'fns', 'outs', 'totals', 'n', lines.join('\n')) as Body
    bodies.set(key, body)
    return body
  }
  return {
    tier: 'javascript',
    release: () => undefined,
    externals,
    dense,
    written,
    sums,
    prepare: (strides) => {
      bodyFor(strides)
    },
    run: (data, strides, n) => {
      const body = bodyFor(strides)
      // Fresh buffers, filled by the loop and handed to new tensors by the caller.
      const buffers = written.map(() => new Float64Array(n))
      const totals = sums.map((s) => new Float64Array(sizeOf(nodes[s]!.shape)))
      body(data, fns, buffers, totals, n)
      return { buffers, totals }
    },
  }
}
