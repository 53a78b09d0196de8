/**
 * Generated programs: random tensor programs, as data, and their interpreter.
 *
 * A program is a DAG of nodes over a few inputs of broadcast-compatible shapes
 * (`[]`, `[1]`, `[n]`, `[1, n]`, `[m, 1]`, `[m, n]`, `[2, m, n]`), built from every op
 * of `Floating` and `Tensorial` (elementwise ops with broadcasting, `sum`, `mean`,
 * `dot`, `matmul`, `transpose`, `reshape`) and any extra unary or binary ops the caller
 * adds. Nodes may use any earlier node, so sub-expressions are shared. The program's
 * value is a scalar made from its last node: its `sum` or `mean` (a uniform cotangent)
 * or ⟨last, U⟩ for a random constant tensor U (a random cotangent).
 *
 * `programArbitrary` generates programs; `runProgram(p)` is the program as a function
 * written against `Tensorial`, so it runs on any instance and in every mode.
 *
 * @since 0.2.0
 */
import fc from 'fast-check'
import {
  binaryOps,
  broadcastShapes,
  sign,
  softplus,
  Tensor,
  unaryOps,
  type BinaryOp,
  type Shape,
  type Tensorial,
  type UnaryOp,
} from '../src/index.js'

/**
 * One node of a program: an op applied to earlier values.
 *
 * @category model
 * @since 0.2.0
 */
export interface ProgramNode {
  /** What the node computes. */
  readonly kind:
    'unary' | 'binary' | 'where' | 'sum' | 'mean' | 'transpose' | 'reshape' | 'dot' | 'matmul'
  /** The elementwise op, for kinds `unary` (a `UnaryOp`) and `binary` (a `BinaryOp`). */
  readonly op?: UnaryOp | BinaryOp
  /** Indices of the operands among the earlier values (inputs first). */
  readonly args: ReadonlyArray<number>
  /** The target shape, for kind `reshape`. */
  readonly shape?: Shape
}

/**
 * A generated program: input shapes, nodes, the shape of every value (inputs, then
 * nodes) and how the last node becomes a scalar.
 *
 * @category model
 * @since 0.2.0
 */
export interface Program {
  /** The shape of each input. */
  readonly inputs: ReadonlyArray<Shape>
  /** The nodes, in evaluation order. */
  readonly nodes: ReadonlyArray<ProgramNode>
  /** The shape of every value: the inputs', then each node's. */
  readonly shapes: ReadonlyArray<Shape>
  /** `sum` or `mean` of the last node, or ⟨last, cotangent⟩. */
  readonly top: 'sum' | 'mean' | 'cotangent'
  /** The random cotangent's elements (for `top: 'cotangent'`). */
  readonly cotangent: ReadonlyArray<number>
}

/**
 * Options of the program generator.
 *
 * @category model
 * @since 0.2.0
 */
export interface ProgramOptions {
  /** Extra unary ops (made with `defineOp`) that programs may use. */
  readonly unary?: ReadonlyArray<UnaryOp>
  /** Extra binary ops (made with `defineBinaryOp`) that programs may use. */
  readonly binary?: ReadonlyArray<BinaryOp>
  /** The most nodes in a program; default 8. */
  readonly maxNodes?: number
  /**
   * Whether ops with a restricted domain (log, sqrt, log1p, a divisor, a base of pow)
   * get their argument made positive first (x·x + ¼), so programs stay finite at
   * ordinary points; default true. Special-point runs turn it off.
   */
  readonly safeDomains?: boolean
}

/** Unary ops defined only on a part of the line, and binary ops with such an operand. */
const positiveUnary: ReadonlySet<string> = new Set(['log', 'sqrt', 'log1p'])

const sizeOf = (shape: Shape): number => shape.reduce((a, b) => a * b, 1)

const broadcasts = (a: Shape, b: Shape): Shape | undefined => {
  try {
    return broadcastShapes('program', a, b)
  } catch {
    return undefined
  }
}

/** The node's result shape, or undefined when its operands do not fit. */
const shapeOf = (node: ProgramNode, shapes: ReadonlyArray<Shape>): Shape | undefined => {
  const a = shapes[node.args[0]!]!
  switch (node.kind) {
    case 'unary':
      return a
    case 'binary':
      return broadcasts(a, shapes[node.args[1]!]!)
    case 'where': {
      const bc = broadcasts(a, shapes[node.args[1]!]!)
      return bc === undefined ? undefined : broadcasts(bc, shapes[node.args[2]!]!)
    }
    case 'sum':
    case 'mean':
      return []
    case 'transpose':
      return a.length === 2 ? [a[1]!, a[0]!] : a.length < 2 ? a : undefined
    case 'reshape':
      return sizeOf(node.shape!) === sizeOf(a) ? node.shape : undefined
    case 'dot': {
      const b = shapes[node.args[1]!]!
      return a.length === 1 && b.length === 1 && a[0] === b[0] ? [] : undefined
    }
    case 'matmul': {
      const b = shapes[node.args[1]!]!
      if (a.length === 2 && b.length === 2) return a[1] === b[0] ? [a[0]!, b[1]!] : undefined
      if (a.length === 2 && b.length === 1) return a[1] === b[0] ? [a[0]!] : undefined
      if (a.length === 1 && b.length === 2) return a[0] === b[0] ? [b[1]!] : undefined
      return undefined
    }
  }
}

/** One step of the generator: which kind of node, and choices that pick its operands. */
type Choice = readonly [kind: number, op: number, a: number, b: number, c: number]

const kinds = [
  'unary',
  'binary',
  'where',
  'sum',
  'mean',
  'transpose',
  'reshape',
  'dot',
  'matmul',
] as const

/** Builds a program from generator choices; steps whose operands do not fit are skipped. */
const build = (
  inputs: ReadonlyArray<Shape>,
  choices: ReadonlyArray<Choice>,
  top: Program['top'],
  cotangentSeed: ReadonlyArray<number>,
  options: ProgramOptions,
): Program => {
  const unaries: ReadonlyArray<UnaryOp> = [
    ...Object.values(unaryOps),
    softplus.spec,
    sign.spec,
    ...(options.unary ?? []),
  ]
  const binaries: ReadonlyArray<BinaryOp> = [...Object.values(binaryOps), ...(options.binary ?? [])]
  const safe = options.safeDomains ?? true
  const shapes: Shape[] = [...inputs]
  const nodes: ProgramNode[] = []
  const push = (node: ProgramNode): number | undefined => {
    const shape = shapeOf(node, shapes)
    if (shape === undefined) return undefined
    nodes.push(node)
    shapes.push(shape)
    return shapes.length - 1
  }
  // x·x + ¼ of a value: positive, so log, sqrt and division stay finite.
  const positive = (i: number): number => {
    if (!safe) return i
    const square = push({ kind: 'binary', op: binaryOps.mul, args: [i, i] })!
    const quarter = push({ kind: 'unary', op: quarterOp, args: [square] })!
    return quarter
  }
  for (const [k, o, a, b, c] of choices) {
    const kind = kinds[k % kinds.length]!
    const x = a % shapes.length
    const y = b % shapes.length
    if (kind === 'unary') {
      const op = unaries[o % unaries.length]!
      push({ kind, op, args: [positiveUnary.has(op.name) ? positive(x) : x] })
    } else if (kind === 'binary') {
      const op = binaries[o % binaries.length]!
      if (broadcasts(shapes[x]!, shapes[y]!) === undefined) continue
      const left = op.name === 'pow' ? positive(x) : x
      const right = op.name === 'div' ? positive(y) : y
      push({ kind, op, args: [left, right] })
    } else if (kind === 'where') {
      push({ kind, args: [o % shapes.length, x, y] })
    } else if (kind === 'reshape') {
      const n = sizeOf(shapes[x]!)
      const targets: Shape[] = [[n], [n, 1], [1, n]]
      push({ kind, shape: targets[c % targets.length]!, args: [x] })
    } else if (kind === 'dot' || kind === 'matmul') {
      push({ kind, args: [x, y] })
    } else {
      push({ kind, args: [x] })
    }
  }
  const last = shapes[shapes.length - 1]!
  const cotangent = Array.from(
    { length: sizeOf(last) },
    (_, i) => cotangentSeed[i % cotangentSeed.length]!,
  )
  return { inputs, nodes, shapes, top, cotangent }
}

/** x + ¼, the last step of making an argument positive. */
const quarterOp: UnaryOp = {
  name: 'addQuarter',
  primal: (x) => x + 0.25,
  derivative: (F) => () => F.one,
}

/**
 * Programs with their input shapes drawn for one pair of dimensions m, n ∈ {2, 3}.
 *
 * @example
 * import fc from 'fast-check'
 * import { programArbitrary } from 'ad-ts/laws'
 * fc.sample(programArbitrary(), 1).length // => 1
 *
 * @category constructors
 * @since 0.2.0
 */
export const programArbitrary = (options: ProgramOptions = {}): fc.Arbitrary<Program> =>
  fc
    .tuple(fc.integer({ min: 2, max: 3 }), fc.integer({ min: 2, max: 3 }))
    .chain(([m, n]) => {
      const pool: ReadonlyArray<Shape> = [[], [1], [n], [1, n], [m, 1], [m, n], [2, m, n]]
      return fc.record({
        inputs: fc.array(fc.constantFrom(...pool), { minLength: 1, maxLength: 3 }),
        choices: fc.array(
          fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat(), fc.nat()) as fc.Arbitrary<Choice>,
          { minLength: 1, maxLength: options.maxNodes ?? 8 },
        ),
        top: fc.constantFrom<Program['top']>('sum', 'mean', 'cotangent'),
        cotangent: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), {
          minLength: 1,
          maxLength: 5,
        }),
      })
    })
    .map(({ inputs, choices, top, cotangent }) => build(inputs, choices, top, cotangent, options))

const apply = <A>(T: Tensorial<A>, node: ProgramNode, values: ReadonlyArray<A>): A => {
  const a = values[node.args[0]!]!
  switch (node.kind) {
    case 'unary':
      return T.unary(node.op as UnaryOp, a)
    case 'binary':
      return T.binary(node.op as BinaryOp, a, values[node.args[1]!]!)
    case 'where':
      return T.where(a, values[node.args[1]!]!, values[node.args[2]!]!)
    case 'sum':
      return T.sum(a)
    case 'mean':
      return T.mean(a)
    case 'transpose':
      return T.transpose(a)
    case 'reshape':
      return T.reshape(a, node.shape!)
    case 'dot':
      return T.dot(a, values[node.args[1]!]!)
    case 'matmul':
      return T.matmul(a, values[node.args[1]!]!)
  }
}

/**
 * Every value a program computes: its inputs, then one value per node.
 *
 * @example
 * import fc from 'fast-check'
 * import { Tensor, tensor } from 'ad-ts'
 * import { programArbitrary, programValues } from 'ad-ts/laws'
 * const [p] = fc.sample(programArbitrary(), { numRuns: 1, seed: 1 })
 * const xs = p!.inputs.map((s) => Tensor.fill(s, 0.5))
 * programValues(p!)(tensor)(xs).length === p!.shapes.length // => true
 *
 * @category combinators
 * @since 0.2.0
 */
export const programValues =
  (p: Program) =>
  <A>(T: Tensorial<A>) =>
  (xs: ReadonlyArray<A>): ReadonlyArray<A> => {
    const values: A[] = [...xs]
    for (const node of p.nodes) values.push(apply(T, node, values))
    return values
  }

/**
 * A program as a function written against `Tensorial`: inputs in, a shape-`[]` value
 * out. Built-in ops are applied through `T.unary` and `T.binary` with their table
 * rows, which every instance maps to its named method.
 *
 * @example
 * import fc from 'fast-check'
 * import { Tensor, tensor } from 'ad-ts'
 * import { programArbitrary, runProgram } from 'ad-ts/laws'
 * const [p] = fc.sample(programArbitrary(), { numRuns: 1, seed: 1 })
 * const xs = p!.inputs.map((s) => Tensor.fill(s, 0.5))
 * Tensor.shape(runProgram(p!)(tensor)(xs)) // => []
 *
 * @category combinators
 * @since 0.2.0
 */
export const runProgram =
  (p: Program) =>
  <A>(T: Tensorial<A>) =>
  (xs: ReadonlyArray<A>): A => {
    const values = programValues(p)(T)(xs)
    const last = values[values.length - 1]!
    if (p.top === 'sum') return T.sum(last)
    if (p.top === 'mean') return T.mean(last)
    const u = T.constant(Tensor.fromArray(p.cotangent, p.shapes[p.shapes.length - 1]!))
    return T.sum(T.mul(last, u))
  }

/**
 * A program in words, for failure messages: one line per node.
 *
 * @example
 * import fc from 'fast-check'
 * import { programArbitrary, showProgram } from 'ad-ts/laws'
 * showProgram(fc.sample(programArbitrary(), { numRuns: 1, seed: 1 })[0]!).startsWith('inputs') // => true
 *
 * @category utils
 * @since 0.2.0
 */
export const showProgram = (p: Program): string => {
  const show = (s: Shape) => `[${s.join(',')}]`
  const lines = [`inputs ${p.inputs.map((s, i) => `v${i}: ${show(s)}`).join(', ')}`]
  p.nodes.forEach((node, k) => {
    const i = p.inputs.length + k
    const name = node.op?.name ?? node.kind
    const extra = node.shape === undefined ? '' : ` to ${show(node.shape)}`
    lines.push(
      `v${i} = ${name}(${node.args.map((a) => `v${a}`).join(', ')})${extra}: ${show(p.shapes[i]!)}`,
    )
  })
  lines.push(p.top === 'cotangent' ? `⟨last, [${p.cotangent.join(', ')}]⟩` : `${p.top}(last)`)
  return lines.join('\n')
}
