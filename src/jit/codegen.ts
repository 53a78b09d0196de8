/**
 * JavaScript kernels for fused groups, generated with `new Function`: one loop over the
 * group's elements, each member a local variable, the members needed outside written
 * to fresh buffers and the reductions kept in accumulators. Each piece is computed as
 * the eager backend computes it, in the same order: a primitive whose row has an inline
 * form (`js`) is written inline as the eager kernels write it, and every other one calls
 * its op-table primal; a matrix-vector row is the same dot product; a full sum adds in
 * index order; a vector-matrix product of reverse mode keeps its strong zeros. Where code
 * generation is not allowed (a Content-Security-Policy without 'unsafe-eval'),
 * `canGenerate` is false and groups run op by op instead.
 *
 * @since 0.4.0
 */
import { expNegAbs, type KernelArithmetic } from '../ops/kernelForms.js'
import { binaryForms, unaryForms } from '../ops/opTable.js'
import { strongZero } from '../tangentArithmetic.js'
import { sizeOf } from '../tensor/Tensor.js'
import { operandsOf, type Node } from './graph.js'
import { groupInterface, type GroupInterface, type Kernel } from './kernel.js'
import { isReshape, isRowSum, type Group } from './plan.js'

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

/** The arithmetic of the rows' forms from e^−|x| as JavaScript source: a value is an expression, read without side effects. */
const javascript: KernelArithmetic<string> = {
  constant: (x) => `${x}`,
  neg: (x) => `(-${x})`,
  abs: (x) => `Math.abs(${x})`,
  add: (x, y) => `(${x} + ${y})`,
  div: (x, y) => `(${x} / ${y})`,
  exp: (x) => `Math.exp(${x})`,
  log1p: (x) => `Math.log1p(${x})`,
  expNonPositive: (x) => `Math.exp(${x})`,
  log1pUnit: (x) => `Math.log1p(${x})`,
  gt: (x, y) => `${x} > ${y}`,
  ge: (x, y) => `${x} >= ${y}`,
  select: (c, a, b) => `(${c} ? ${a} : ${b})`,
}

type Body = (
  data: ReadonlyArray<Float64Array>,
  fns: ReadonlyArray<(...xs: number[]) => number>,
  outs: ReadonlyArray<Float64Array>,
  totals: ReadonlyArray<Float64Array>,
  n: number,
) => void

/** Products of at most this many terms per row are written out term by term. */
const unrollUpTo = 8

/**
 * The source of one kernel for one pattern of strides, as it is written: the lines in the
 * places they go, and what the writers of the members read.
 */
interface Source {
  readonly nodes: ReadonlyArray<Node>
  readonly group: Group
  readonly io: GroupInterface
  readonly strides: ReadonlyArray<number>
  /** Declarations: operands, outputs, totals, the primals called and the product weights. */
  readonly head: string[]
  /** The reductions' accumulators ('' for a vector-matrix product: its columns add theirs). */
  readonly accumulators: string[]
  /** Members the same for every i, computed once before the loop. */
  readonly hoisted: string[]
  /** The loop body, for element i. */
  readonly loop: string[]
  /** After the loop: the column accumulators written to their totals. */
  readonly tail: string[]
  /** Members that read only one-element operands, hoisted (the same primal on the same numbers). */
  readonly invariant: Set<number>
  /** Operands whose e^−|x| is computed already. */
  readonly shared: Set<number>
  /** The position of an outside operand among the externals. */
  readonly ext: (o: number) => number
  /** The expression of a value for element i: a member's local, or an operand as it is read. */
  readonly read: (o: number) => string
  /** The local holding a primal, declared on first use. */
  readonly callee: (f: (...xs: number[]) => number) => string
}

/** A new source for `strides`, its head declaring the data; primals are added to `fns`. */
const sourceFor = (
  nodes: ReadonlyArray<Node>,
  group: Group,
  io: GroupInterface,
  strides: ReadonlyArray<number>,
  fns: Array<(...xs: number[]) => number>,
): Source => {
  const { inside, externals, patterns, written, sums } = io
  const head: string[] = ['"use strict";']
  externals.forEach((_, k) =>
    head.push(strides[k] === 0 ? `const e${k} = data[${k}][0];` : `const d${k} = data[${k}];`),
  )
  written.forEach((_, k) => head.push(`const o${k} = outs[${k}];`))
  sums.forEach((_, k) => head.push(`const t${k} = totals[${k}];`))
  const fnIndex = new Map<unknown, number>()
  const ext = (o: number) => externals.indexOf(o)
  return {
    nodes,
    group,
    io,
    strides,
    head,
    accumulators: sums.map((s, k) => {
      const n = nodes[s]!
      return n.kind === 'call' && n.method === 'tangentMatmul' ? '' : `let a${k} = 0;`
    }),
    hoisted: [],
    loop: [],
    tail: [],
    invariant: new Set(),
    shared: new Set(),
    ext,
    read: (o) => {
      if (inside.has(o)) return `v${o}`
      const k = ext(o)
      const kind = patterns.get(o)?.kind
      if (kind === 'outer') return `d${k}[r]`
      if (kind === 'inner') return `d${k}[c]`
      if (strides[k] === 0) return `e${k}`
      // One element read whole (it is also a product's vector): its only element.
      return kind === 'one' ? `d${k}[0]` : `d${k}[i]`
    },
    callee: (f) => {
      if (!fnIndex.has(f)) {
        fnIndex.set(f, fns.length)
        fns.push(f)
        head.push(`const f${fns.length - 1} = fns[${fns.length - 1}];`)
      }
      return `f${fnIndex.get(f)}`
    },
  }
}

/** Whether an operand is the same for every i: an invariant member, or read as one stored number. */
const invariantOperand = (src: Source, o: number): boolean =>
  src.io.inside.has(o) ? src.invariant.has(o) : src.strides[src.ext(o)] === 0

/** A row of a matrix-vector product: the dot product the eager matmul computes. */
const writeRowProduct = (src: Source, m: number, n: Node): void => {
  const [a, b] = operandsOf(n)
  const k = src.nodes[b!]!.shape[0]!
  const [da, db] = [`d${src.ext(a!)}`, `d${src.ext(b!)}`]
  if (k <= unrollUpTo) {
    // Written out, left to right from 0 as the eager loop adds (0 + x·w keeps −0 out).
    src.head.push(...Array.from({ length: k }, (_, p) => `const w${m}_${p} = ${db}[${p}];`))
    const terms = Array.from({ length: k }, (_, p) => `${da}[r${m} + ${p}] * w${m}_${p}`)
    src.loop.push(
      `const r${m} = i * ${k};`,
      `const v${m} = ${terms.reduce((acc, t) => `(${acc} + ${t})`, '0')};`,
    )
  } else {
    src.loop.push(
      `let v${m} = 0;`,
      `for (let p = 0, r = i * ${k}; p < ${k}; p++) v${m} += ${da}[r + p] * ${db}[p];`,
    )
  }
}

/**
 * The expression of an elementwise member: inline where the op's row has an inline form
 * (`js`), from its operand's e^−|x| for softplus and sigmoid, else a call of its primal.
 */
const elementwiseExpression = (
  src: Source,
  n: Extract<Node, { kind: 'unary' | 'binary' }>,
): string => {
  const { read } = src
  if (n.kind === 'binary') {
    const inline = binaryForms.get(n.op)?.js
    return inline !== undefined
      ? inline(read(n.x), read(n.y))
      : `${src.callee(n.op.primal)}(${read(n.x)}, ${read(n.y)})`
  }
  const forms = unaryForms.get(n.op)
  const fromShared = forms?.fromExpNegAbs
  if (fromShared !== undefined) {
    // softplus and sigmoid of one operand share e^−|x|: their stable forms both take
    // exp(−x) for x > 0 and exp(x) below, which is exp(−|x|) (±0 and NaN included).
    const x = read(n.x)
    const e = `q${n.x}`
    if (!src.shared.has(n.x)) {
      src.shared.add(n.x)
      // Before the loop when the operand is the same for every i, like the member.
      const lines = invariantOperand(src, n.x) ? src.hoisted : src.loop
      lines.push(`const ${e} = ${expNegAbs(javascript, x)};`)
    }
    return fromShared(javascript, x, e)
  }
  const inline = forms?.js
  return inline !== undefined ? inline(read(n.x)) : `${src.callee(n.op.primal)}(${read(n.x)})`
}

/** Σᵢ uᵢ·rowᵢ as tangentMatmul adds it: strong zeros skipped, a zero sum kept as −0. */
const writeVectorMatrix = (src: Source, m: number, k: number, r: Node): void => {
  const width = r.shape[0]!
  const d = `d${src.ext(operandsOf(r)[1]!)}`
  if (width <= unrollUpTo) {
    // One local accumulator per column, written to the buffer after the loop.
    for (let j = 0; j < width; j++) {
      src.accumulators.push(`let t${k}_${j} = 0;`)
      src.tail.push(`t${k}[${j}] = t${k}_${j};`)
    }
    src.loop.push(`if (!${strongZero.js(`v${m}`)}) {`, `  const q = i * ${width};`)
    for (let j = 0; j < width; j++) {
      src.loop.push(
        `  { const b = ${d}[q + ${j}];`,
        `    if (!${strongZero.js('b')}) { const s = t${k}_${j} + v${m} * b; t${k}_${j} = s === 0 ? -0 : s; } }`,
      )
    }
    src.loop.push('}')
  } else {
    src.loop.push(
      `if (!${strongZero.js(`v${m}`)}) for (let j = 0, r = i * ${width}; j < ${width}; j++) {`,
      `  const b = ${d}[r + j];`,
      `  if (${strongZero.js('b')}) continue;`,
      `  const s = t${k}[j] + v${m} * b;`,
      `  t${k}[j] = s === 0 ? -0 : s;`,
      `}`,
    )
  }
}

/** A member: its value (hoisted where it is the same for every i), its output, its reductions. */
const writeMember = (src: Source, m: number): void => {
  const n = src.nodes[m]!
  if (isReshape(n)) {
    // Another name for its operand's value, element by element.
    const o = operandsOf(n)[0]!
    const lines = invariantOperand(src, o) ? src.hoisted : src.loop
    if (invariantOperand(src, o)) src.invariant.add(m)
    lines.push(`const v${m} = ${src.read(o)};`)
  } else if (n.kind === 'call') writeRowProduct(src, m, n)
  else if (n.kind === 'unary' || n.kind === 'binary') {
    const expr = elementwiseExpression(src, n)
    if (operandsOf(n).every((o) => invariantOperand(src, o))) {
      src.invariant.add(m)
      src.hoisted.push(`const v${m} = ${expr};`)
    } else src.loop.push(`const v${m} = ${expr};`)
  } else return
  const { written, sums, sumsOf } = src.io
  const w = written.indexOf(m)
  if (w >= 0) src.loop.push(`o${w}[i] = v${m};`)
  for (const k of sumsOf.get(m) ?? []) {
    const r = src.nodes[sums[k]!]!
    if (r.kind === 'call' && r.method === 'tangentMatmul') writeVectorMatrix(src, m, k, r)
    else src.loop.push(`a${k} += v${m};`)
  }
}

/**
 * The whole function body: declarations, the loop over i (over rows, then the columns of
 * each, for a blocked group), and the totals stored after it.
 */
const bodySource = (src: Source): string => {
  const { nodes, group, head, accumulators, hoisted, loop, tail } = src
  const { sums } = src.io
  // A sum over the last axes keeps one total per row: reset as a row starts, stored as it ends.
  const perRow = (k: number) => k < sums.length && isRowSum(nodes, group, sums[k]!)
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
  return [
    ...head,
    ...accumulators.filter((l, k) => l !== '' && !perRow(k)),
    ...hoisted,
    ...loops,
    ...sums
      .map((_, k) => (accumulators[k] === '' || perRow(k) ? '' : `t${k}[0] = a${k};`))
      .filter((l) => l !== ''),
    ...tail,
  ].join('\n')
}

/** Compiles a group; `leaves` says which members are read outside it. */
export const compileGroup = (
  nodes: ReadonlyArray<Node>,
  group: Group,
  leaves: ReadonlySet<number>,
): Kernel => {
  const io = groupInterface(nodes, group, leaves)
  const { externals, dense, written, sums } = io
  const fns: Array<(...xs: number[]) => number> = []
  // Kernels per pattern of strides (which externals hold one element), made on first use.
  const bodies = new Map<string, Body>()
  const bodyFor = (strides: ReadonlyArray<number>): Body => {
    const key = strides.join('')
    const cached = bodies.get(key)
    if (cached !== undefined) return cached
    const src = sourceFor(nodes, group, io, strides, fns)
    for (const m of group.members) writeMember(src, m)
    const body = new Function('data', 'fns', 'outs', 'totals', 'n', bodySource(src)) as Body
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
