/**
 * Generated programs: random tensor programs, as data, and their interpreter.
 *
 * A program is a DAG of nodes over a few inputs of broadcast-compatible shapes
 * (`[]`, `[1]`, `[n]`, `[1, n]`, `[m, 1]`, `[m, n]`, `[2, m, n]`), built from every op
 * of `Floating` and `Tensorial` (elementwise ops with broadcasting, `sum`, `mean`,
 * `dot`, `matmul`, `transpose`, `reshape`) and any extra unary or binary ops the caller
 * adds. Nodes may use any earlier node, so sub-expressions are shared. The program's
 * value is a scalar made from every node, so that no node is dead code: the sum over the
 * nodes of each one's `sum` or `mean` (a uniform cotangent) or ⟨node, U⟩ for a random
 * constant tensor U (a random cotangent).
 *
 * `programArbitrary` generates programs; `runProgram(p)` is the program as a function
 * written against `Tensorial`, so it runs on any instance and in every mode.
 *
 * @since 0.2.0
 */
import { sizeOf } from './judge.js'
import fc from 'fast-check'
import { sign, Tensor, type BinaryOp, type Tensorial, type UnaryOp } from '../src/index.js'
import {
  binaryOps,
  broadcastShapes,
  unaryOps,
  reducedAxes,
  reducedShape,
  type Shape,
} from '../src/internal.js'

/**
 * One node of a program: an op applied to earlier values.
 *
 * @category model
 * @since 0.2.0
 */
export interface ProgramNode {
  /** What the node computes. */
  readonly kind:
    | 'unary'
    | 'binary'
    | 'where'
    | 'sum'
    | 'mean'
    | 'transpose'
    | 'reshape'
    | 'dot'
    | 'matmul'
    | 'reduce'
    | 'softmax'
    | 'logSoftmax'
    | 'broadcastTo'
    | 'expandDims'
    | 'squeeze'
    | 'slice'
    | 'take'
    | 'concat'
    | 'stack'
    | 'linalg'
  /** The elementwise op, for kinds `unary` (a `UnaryOp`) and `binary` (a `BinaryOp`). */
  readonly op?: UnaryOp | BinaryOp
  /** Indices of the operands among the earlier values (inputs first). */
  readonly args: ReadonlyArray<number>
  /** The target shape, for kinds `reshape` and `broadcastTo`. */
  readonly shape?: Shape
  /** The reduction, for kind `reduce`. */
  readonly reduction?: 'sum' | 'mean' | 'max' | 'min' | 'logsumexp' | 'variance' | 'norm'
  /** The axis option, for reductions, softmax, expandDims and squeeze. */
  readonly axis?: number | ReadonlyArray<number>
  /** keepDims, for kind `reduce`. */
  readonly keepDims?: boolean
  /** Bounds on the leading axes, for kind `slice`. */
  readonly bounds?: readonly [ReadonlyArray<number>, ReadonlyArray<number>]
  /** Indices, for kind `take`. */
  readonly indices?: ReadonlyArray<number>
  /**
   * The linear-algebra op, for kind `linalg`: it acts on t·tᵀ + (m + 1)·I with t = tanh(a)
   * where a is not NaN, else 0, for the operand a of shape [m, n] (symmetric, positive
   * definite, well conditioned and finite: the linear algebra's rules are checked at
   * ordinary matrices), with the second operand as the right-hand side of the solves.
   */
  readonly linalg?: 'cholesky' | 'inv' | 'det' | 'logAbsDet' | 'solve' | 'triangularSolve'
  /** Whether the triangular solve reads its factor transposed, for kind `linalg`. */
  readonly transposeA?: boolean
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
  /** How each node becomes a scalar: its `sum`, its `mean`, or ⟨node, U⟩. */
  readonly top: 'sum' | 'mean' | 'cotangent'
  /** The elements the random cotangents U are drawn from, in turn (for `top: 'cotangent'`). */
  readonly cotangent: ReadonlyArray<number>
}

/**
 * Options of the program generator.
 *
 * @category model
 * @since 0.2.0
 */
export interface ProgramOptions {
  /** Extra unary ops (the `spec` of `defineOp` ops) that programs may use; they fill half of the unary nodes. */
  readonly unary?: ReadonlyArray<UnaryOp>
  /** Extra binary ops (the `spec` of `defineBinaryOp` ops) that programs may use. */
  readonly binary?: ReadonlyArray<BinaryOp>
  /**
   * Extra ops defined only for a positive (first) argument, such as a custom log: with
   * `safeDomains`, their argument is made positive first, as log's and sqrt's are.
   */
  readonly positive?: ReadonlyArray<UnaryOp | BinaryOp>
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
    case 'reduce': {
      try {
        const axes = reducedAxes('program', a, node.axis === undefined ? {} : { axis: node.axis })
        // max and min of no elements are refused, as numpy's.
        const extreme = node.reduction === 'max' || node.reduction === 'min'
        if (extreme && axes.some((k) => a[k] === 0)) return undefined
        return reducedShape(a, axes, node.keepDims === true)
      } catch {
        return undefined
      }
    }
    case 'softmax':
    case 'logSoftmax':
      return a.length > 0 && validAxis(node.axis as number, a.length) ? a : undefined
    case 'broadcastTo':
      return broadcasts(a, node.shape!) !== undefined &&
        broadcasts(a, node.shape!)!.every((d, i) => d === node.shape![i]) &&
        broadcasts(a, node.shape!)!.length === node.shape!.length
        ? node.shape
        : undefined
    case 'expandDims': {
      const k = node.axis as number
      if (!validAxis(k, a.length + 1)) return undefined
      const at = k < 0 ? k + a.length + 1 : k
      return [...a.slice(0, at), 1, ...a.slice(at)]
    }
    case 'squeeze':
      return a.filter((d) => d !== 1)
    case 'slice': {
      const [b, e] = node.bounds!
      if (a.length === 0) return undefined
      const d = a[0]!
      const lo = b[0]! < 0 ? b[0]! + d : b[0]!
      const hi = e[0]! < 0 ? e[0]! + d : e[0]!
      return lo >= 0 && hi <= d && lo <= hi ? [hi - lo, ...a.slice(1)] : undefined
    }
    case 'take': {
      const k = node.axis as number
      if (!validAxis(k, a.length)) return undefined
      const at = k < 0 ? k + a.length : k
      const n = a[at]!
      if (node.indices!.some((i) => !Number.isInteger(i) || i < -n || i >= n)) return undefined
      return a.map((d, i) => (i === at ? node.indices!.length : d))
    }
    case 'concat':
    case 'stack': {
      const b = shapes[node.args[1]!]!
      const k = node.axis as number
      if (node.kind === 'stack') {
        const same = a.length === b.length && a.every((d, i) => d === b[i])
        if (!same || !validAxis(k, a.length + 1)) return undefined
        const at = k < 0 ? k + a.length + 1 : k
        return [...a.slice(0, at), 2, ...a.slice(at)]
      }
      if (a.length === 0 || a.length !== b.length || !validAxis(k, a.length)) return undefined
      const at = k < 0 ? k + a.length : k
      if (a.some((d, i) => i !== at && d !== b[i])) return undefined
      return a.map((d, i) => (i === at ? d + b[i]! : d))
    }
    case 'dot': {
      const b = shapes[node.args[1]!]!
      return a.length === 1 && b.length === 1 && a[0] === b[0] ? [] : undefined
    }
    case 'linalg': {
      if (a.length !== 2) return undefined
      const m = a[0]!
      if (node.linalg === 'det' || node.linalg === 'logAbsDet') return []
      if (node.linalg === 'cholesky' || node.linalg === 'inv') return [m, m]
      const b = shapes[node.args[1]!]!
      if (b.length !== 2 || b[0] !== m) return undefined
      return b
    }
    case 'matmul': {
      const b = shapes[node.args[1]!]!
      if (a.length === 2 && b.length === 2) return a[1] === b[0] ? [a[0]!, b[1]!] : undefined
      if (a.length === 2 && b.length === 1) return a[1] === b[0] ? [a[0]!] : undefined
      if (a.length === 1 && b.length === 2) return a[0] === b[0] ? [b[1]!] : undefined
      // A batch: both of rank ≥ 2, the leading axes broadcast.
      if (a.length >= 2 && b.length >= 2 && a[a.length - 1] === b[b.length - 2]) {
        const batch = broadcasts(a.slice(0, -2), b.slice(0, -2))
        return batch === undefined ? undefined : [...batch, a[a.length - 2]!, b[b.length - 1]!]
      }
      return undefined
    }
  }
}

/** One step of the generator: which kind of node, and choices that pick its operands. */
type Choice = readonly [kind: number, op: number, a: number, b: number, c: number]

const validAxis = (k: number, rank: number) => Number.isInteger(k) && k >= -rank && k < rank

const reductions = ['sum', 'mean', 'max', 'min', 'logsumexp', 'variance', 'norm'] as const
const linalgOps = ['cholesky', 'inv', 'det', 'logAbsDet', 'solve', 'triangularSolve'] as const
const axisChoices: ReadonlyArray<number | ReadonlyArray<number> | undefined> = [
  undefined,
  0,
  -1,
  [0, -1],
]

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
  'reduce',
  'softmax',
  'logSoftmax',
  'broadcastTo',
  'expandDims',
  'squeeze',
  'slice',
  'take',
  'concat',
  'stack',
  'linalg',
] as const

/** Builds a program from generator choices; steps whose operands do not fit are skipped. */
const build = (
  inputs: ReadonlyArray<Shape>,
  choices: ReadonlyArray<Choice>,
  top: Program['top'],
  cotangentSeed: ReadonlyArray<number>,
  options: ProgramOptions,
): Program => {
  const builtinUnary: ReadonlyArray<UnaryOp> = [...Object.values(unaryOps), sign.spec]
  const builtinBinary: ReadonlyArray<BinaryOp> = Object.values(binaryOps)
  const userUnary = options.unary ?? []
  const userBinary = options.binary ?? []
  // The caller's own ops fill half of the nodes of their kind: they are what is tested.
  const pick = <T>(builtin: ReadonlyArray<T>, user: ReadonlyArray<T>, o: number): T =>
    user.length > 0 && o % 2 === 0
      ? user[(o >> 1) % user.length]!
      : builtin[(o >> 1) % builtin.length]!
  const positiveOps: ReadonlySet<UnaryOp | BinaryOp> = new Set(options.positive ?? [])
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
  const userKind = userUnary.length > 0 ? 'unary' : userBinary.length > 0 ? 'binary' : undefined
  for (const [k, o, a, b, c] of choices) {
    // With ops of the caller's, every third node is one of theirs.
    const kind = userKind !== undefined && k % 3 === 0 ? userKind : kinds[k % kinds.length]!
    const x = a % shapes.length
    const y = b % shapes.length
    if (kind === 'unary') {
      const op = pick(builtinUnary, userUnary, o)
      const restricted = positiveUnary.has(op.name) || positiveOps.has(op)
      push({ kind, op, args: [restricted ? positive(x) : x] })
    } else if (kind === 'binary') {
      const op = pick(builtinBinary, userBinary, o)
      if (broadcasts(shapes[x]!, shapes[y]!) === undefined) continue
      const left = op.name === 'pow' || positiveOps.has(op) ? positive(x) : x
      const right = op.name === 'div' ? positive(y) : y
      push({ kind, op, args: [left, right] })
    } else if (kind === 'where') {
      push({ kind, args: [o % shapes.length, x, y] })
    } else if (kind === 'reduce') {
      const axis = axisChoices[c % axisChoices.length]
      push({
        kind,
        reduction: reductions[o % reductions.length]!,
        ...(axis === undefined ? {} : { axis }),
        keepDims: (c >> 2) % 2 === 1,
        args: [x],
      })
    } else if (kind === 'softmax' || kind === 'logSoftmax') {
      push({ kind, axis: c % 2 === 0 ? -1 : 0, args: [x] })
    } else if (kind === 'broadcastTo') {
      push({ kind, shape: [2, ...shapes[x]!], args: [x] })
    } else if (kind === 'slice') {
      const d = shapes[x]![0] ?? 1
      push({ kind, bounds: [[c % (d + 1)], [d - (o % (d + 1 - (c % (d + 1))))]], args: [x] })
    } else if (kind === 'take') {
      const d = shapes[x]![0] ?? 0
      if (d === 0) continue
      const indices = [c % d, -1 - (o % d), c % d]
      push({ kind, axis: 0, indices, args: [x] })
    } else if (kind === 'concat' || kind === 'stack') {
      push({ kind, axis: c % 2 === 0 ? 0 : -1, args: [x, y] })
    } else if (kind === 'expandDims') {
      push({ kind, axis: c % 2 === 0 ? 0 : -1, args: [x] })
    } else if (kind === 'reshape') {
      const n = sizeOf(shapes[x]!)
      const targets: Shape[] = [[n], [n, 1], [1, n]]
      push({ kind, shape: targets[c % targets.length]!, args: [x] })
    } else if (kind === 'linalg') {
      // Well-conditioned matrices only at ordinary points: special values make every
      // factor NaN, which says nothing about the rules.
      if (!safe) continue
      const op = linalgOps[o % linalgOps.length]!
      const rhs = op === 'solve' || op === 'triangularSolve'
      push({ kind, linalg: op, transposeA: c % 2 === 1, args: rhs ? [x, y] : [x] })
    } else if (kind === 'dot' || kind === 'matmul') {
      push({ kind, args: [x, y] })
    } else {
      push({ kind, args: [x] })
    }
  }
  return { inputs, nodes, shapes, top, cotangent: cotangentSeed }
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
        // Cotangent elements of moderate size: a tiny U would hide its node.
        cotangent: fc.array(
          fc.integer({ min: -20, max: 20 }).map((k) => k / 10),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
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
    case 'reduce': {
      const options = {
        ...(node.axis === undefined ? {} : { axis: node.axis }),
        keepDims: node.keepDims === true,
      }
      return T[node.reduction!](a, options)
    }
    case 'softmax':
      return T.softmax(a, node.axis as number)
    case 'logSoftmax':
      return T.logSoftmax(a, node.axis as number)
    case 'broadcastTo':
      return T.broadcastTo(a, node.shape!)
    case 'expandDims':
      return T.expandDims(a, node.axis as number)
    case 'squeeze':
      return T.squeeze(a)
    case 'slice':
      return T.slice(a, node.bounds![0], node.bounds![1])
    case 'take':
      return T.take(a, node.indices!, node.axis as number)
    case 'concat':
      return T.concat([a, values[node.args[1]!]!], node.axis as number)
    case 'stack':
      return T.stack([a, values[node.args[1]!]!], node.axis as number)
    case 'reshape':
      return T.reshape(a, node.shape!)
    case 'dot':
      return T.dot(a, values[node.args[1]!]!)
    case 'matmul':
      return T.matmul(a, values[node.args[1]!]!)
    case 'linalg':
      return linalgNode(T, node, a, values[node.args[1] ?? node.args[0]!]!)
  }
}

/**
 * A linear-algebra node on t·tᵀ + (m + 1)·I, t = tanh(a) where a is not NaN, else 0:
 * finite for every a. The rules of cholesky, solve, … are matrix formulas, not products
 * with the strong zero, so at a matrix holding NaN or ±Infinity forward mode gives NaN
 * where reverse mode may give 0 (a documented limit, README "Linear algebra").
 */
const linalgNode = <A>(T: Tensorial<A>, node: ProgramNode, a: A, b: A): A => {
  const m = T.shape(a)[0]!
  const t = T.where(T.eq(a, a), T.tanh(a), T.zero)
  const spd = T.add(T.matmul(t, T.transpose(t)), T.constant(scaledIdentity(m, m + 1)))
  switch (node.linalg!) {
    case 'cholesky':
      return T.cholesky(spd)
    case 'inv':
      return T.inv(spd)
    case 'det':
      return T.det(spd)
    case 'logAbsDet':
      return T.slogdet(spd)[1]
    case 'solve':
      return T.solve(spd, b)
    case 'triangularSolve':
      return T.triangularSolve(T.cholesky(spd), b, { transposeA: node.transposeA === true })
  }
}

const scaledIdentity = (n: number, k: number): Tensor =>
  Tensor.fromArray(
    Array.from({ length: n * n }, (_, q) => (Math.floor(q / n) === q % n ? k : 0)),
    [n, n],
  )

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
    let total = T.zero
    for (let k = p.inputs.length; k < values.length; k++) {
      total = T.add(total, reduceNode(p, T, values[k]!, k))
    }
    return total
  }

/** One node's share of the program's value: its sum, its mean, or ⟨node, U⟩. */
const reduceNode = <A>(p: Program, T: Tensorial<A>, v: A, k: number): A => {
  if (p.top === 'sum') return T.sum(v)
  if (p.top === 'mean') return T.mean(v)
  const shape = p.shapes[k]!
  const seed = p.cotangent
  const u = Array.from({ length: sizeOf(shape) }, (_, i) => seed[(k + i) % seed.length]!)
  return T.sum(T.mul(v, T.constant(Tensor.fromArray(u, shape))))
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
    const name = node.op?.name ?? node.reduction ?? node.linalg ?? node.kind
    const extra =
      (node.shape === undefined ? '' : ` to ${show(node.shape)}`) +
      (node.axis === undefined ? '' : ` axis ${JSON.stringify(node.axis)}`) +
      (node.keepDims === true ? ' keepDims' : '')
    lines.push(
      `v${i} = ${name}(${node.args.map((a) => `v${a}`).join(', ')})${extra}: ${show(p.shapes[i]!)}`,
    )
  })
  lines.push(
    p.top === 'cotangent'
      ? `Σ ⟨node, U⟩, U from [${p.cotangent.join(', ')}]`
      : `Σ ${p.top}(node) over the nodes`,
  )
  return lines.join('\n')
}
