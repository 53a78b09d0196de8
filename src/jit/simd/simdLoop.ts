/**
 * The loop of a SIMD kernel, as WebAssembly: the JavaScript kernel's loop (`codegen.ts`)
 * two elements to a register, up to four registers an iteration, then pairs, then a last
 * element. Each lane performs the eager kernel's operations in the eager order: a
 * matrix-vector row adds its products from 0 in index order; a full sum adds its
 * elements one by one in index order; a vector-matrix product of reverse mode adds row
 * after row, two columns to a register, keeping its strong zeros.
 *
 * @since 0.4.0
 */
import { operandsOf, type Node } from '../graph.js'
import type { GroupInterface } from '../kernel.js'
import { Lanes, type V } from './lanes.js'
import { isReshape, type Group } from '../plan.js'
import { expNegAbs, type LaneArithmetic } from '../../ops/kernelForms.js'
import { binaryForms, unaryForms } from '../../ops/opTable.js'
import { strongZero } from '../../tangentArithmetic.js'
import { exp, log, log1p } from './simdMath.js'
import { FunctionCode, memarg, op, simd, sleb, uleb, type ValType } from '../../util/wasmModule.js'

/** Matrix-vector rows and vector-matrix products up to this width are written out. */
export const widthUpTo = 32

/** The width of a member's product (a row of k terms) or a reduction's (n columns), if any. */
export const widthOf = (nodes: ReadonlyArray<Node>, n: Node): number | undefined => {
  if (n.kind !== 'call') return undefined
  if (n.method === 'matmul') return nodes[operandsOf(n)[1]!]!.shape[0]!
  if (n.method === 'tangentMatmul') return n.shape[0]!
  return undefined
}

/**
 * The arithmetic the rows' two-lane forms are written against (`lanes`, and `fromExpNegAbs`
 * for softplus and sigmoid): `L`'s operations, with exp, log and log1p as V8 computes them.
 */
const laneArithmetic = (L: Lanes): LaneArithmetic<V> => ({
  constant: (x) => L.f(x),
  neg: L.neg,
  abs: L.abs,
  add: L.add,
  sub: L.sub,
  mul: L.mul,
  div: L.div,
  min: L.min,
  max: L.max,
  sqrt: L.sqrt,
  exp: (x) => exp(L, x),
  log: (x) => log(L, x),
  log1p: (x) => log1p(L, x),
  expNonPositive: (x) => exp(L, x, true),
  log1pUnit: (x) => log1p(L, x, true),
  eq: L.eq,
  ne: L.ne,
  lt: L.lt,
  le: L.le,
  gt: L.gt,
  ge: L.ge,
  and: L.and,
  or: L.or,
  not: L.not,
  select: L.select,
  i: (n) => L.i(n),
  ieq: L.ieq,
})

/** Whether every member and reduction of a group has a two-lane form. */
export const supported = (nodes: ReadonlyArray<Node>, group: Group): boolean =>
  [...group.members, ...group.sums].every((m) => {
    const n = nodes[m]!
    if (n.kind === 'unary') {
      const forms = unaryForms.get(n.op)
      return forms?.lanes !== undefined || forms?.fromExpNegAbs !== undefined
    }
    if (n.kind === 'binary') return binaryForms.get(n.op)?.lanes !== undefined
    const w = widthOf(nodes, n)
    return (
      (w !== undefined && w <= widthUpTo) ||
      (n.kind === 'call' && n.method === 'sum') ||
      isReshape(n)
    )
  })

/**
 * The function being written for one group and one pattern of strides: its code, where
 * its pointers and offsets are, and the values set before the loop.
 */
interface Frame {
  readonly nodes: ReadonlyArray<Node>
  readonly group: Group
  readonly io: GroupInterface
  readonly code: FunctionCode
  /** Lanes of one register, for the code before and after the loop and the reductions. */
  readonly L1: Lanes
  /** The byte offset of element i from element `start`. */
  readonly at: number
  /** The byte offset of row i from row `start`, for each product width, made on first use. */
  readonly rowAt: Map<number, number>
  /** Operands of one element: the local holding each, splatted to both lanes. */
  readonly fixed: Map<number, number>
  /** The vectors of matrix-vector products, element by element, splatted. */
  readonly weights: Map<number, number[]>
  /** The reductions' locals (a vector-matrix product: column pairs, then their masks). */
  readonly totals: ReadonlyArray<ReadonlyArray<number>>
  /** Members whose operands are all fixed: the local holding each, computed before the loop. */
  readonly invariant: Map<number, number>
}

/** The parameters of `run`: start, end, then the pointers. */
const [start, end] = [0, 1]
const parameters = (io: GroupInterface) =>
  2 + io.externals.length + io.written.length + io.sums.length
const pointer = (io: GroupInterface, o: number) => 2 + io.externals.indexOf(o)
const writtenPointer = (io: GroupInterface, w: number) => 2 + io.externals.length + w
const sumPointer = (io: GroupInterface, s: number) =>
  2 + io.externals.length + io.written.length + s

/** A local set in the prologue to the byte offset of element `start`, at `bytesPerElement`. */
const offsetOf = (code: FunctionCode, bytesPerElement: number): number => {
  const l = code.local('i32')
  code.prologue.push(op.localGet, ...uleb(start), op.i32Const, ...sleb(BigInt(bytesPerElement)))
  code.prologue.push(op.i32Mul, op.localSet, ...uleb(l))
  return l
}

const rowOf = (f: Frame, w: number): number => {
  if (!f.rowAt.has(w)) f.rowAt.set(w, offsetOf(f.code, 8 * w))
  return f.rowAt.get(w)!
}

/** Pushes the address `param` + `offset` (two locals). */
const address = (code: FunctionCode, param: number, offset: number) => () => {
  code.get(param)
  code.get(offset)
  code.emit(op.i32Add)
}

const pushParam = (code: FunctionCode, param: number) => () => code.get(param)

/** A value of `L` whose every register is the same local. */
const same = (L: Lanes, local: number) => L.of(new Array<number>(L.registers).fill(local))

/**
 * The reductions so far, from memory, into locals: a full sum's f64, or a vector-matrix
 * product's sums per pair of columns and then a mask per pair of the columns that have
 * taken a term (those hold −0 where they sum to zero), each a v128.
 */
const loadTotals = (
  code: FunctionCode,
  nodes: ReadonlyArray<Node>,
  io: GroupInterface,
): number[][] =>
  io.sums.map((s, k) => {
    const w = widthOf(nodes, nodes[s]!)
    return (
      w === undefined
        ? [code.local('f64')]
        : Array.from({ length: 2 * Math.ceil(w / 2) }, () => code.local('v128'))
    ).map((t, c) => {
      code.get(sumPointer(io, k))
      if (w === undefined) code.emit(op.f64Load, ...memarg(3))
      else code.simd(simd.v128Load, ...memarg(3, c * 16))
      code.set(t)
      return t
    })
  })

/**
 * A new function's frame, with what comes before the loop: the operands of one element
 * and the vectors of products, splatted, and the reductions so far, from memory.
 */
const frameOf = (
  nodes: ReadonlyArray<Node>,
  group: Group,
  io: GroupInterface,
  strides: ReadonlyArray<number>,
): Frame => {
  const { externals, patterns } = io
  const code = new FunctionCode(new Array<ValType>(parameters(io)).fill('i32'))
  const at = offsetOf(code, 8)
  const L1 = new Lanes(code, 1)
  const paramOf = (o: number) => pushParam(code, pointer(io, o))
  const fixed = new Map<number, number>()
  for (const [o, p] of patterns) {
    // A value per row ('outer') is one value for a run over one row (see `rowRuns`).
    if (p.kind === 'one' || p.kind === 'outer' || strides[externals.indexOf(o)] === 0)
      fixed.set(o, L1.locals(L1.loadSplat(paramOf(o)))[0]!)
  }
  const weights = new Map<number, number[]>()
  for (const m of group.members) {
    const n = nodes[m]!
    if (n.kind !== 'call' || isReshape(n)) continue
    const b = operandsOf(n)[1]!
    if (!weights.has(b)) {
      const k = nodes[b]!.shape[0]!
      const w = Array.from({ length: k }, (_, p) => L1.loadSplat(paramOf(b), p * 8))
      weights.set(
        b,
        w.map((v) => L1.locals(v)[0]!),
      )
    }
  }
  const totals = loadTotals(code, nodes, io)
  return {
    nodes,
    group,
    io,
    code,
    L1,
    at,
    rowAt: new Map(),
    fixed,
    weights,
    totals,
    invariant: new Map(),
  }
}

/** A row of a matrix-vector product for each element: from 0, in index order. */
const rowProduct = (f: Frame, L: Lanes, n: Node): V => {
  const { code } = f
  const [a, b] = operandsOf(n)
  const w = f.weights.get(b!)!
  const k = w.length
  const row = address(code, pointer(f.io, a!), rowOf(f, k))
  return w.reduce((acc, wp, p) => {
    const x = L.each((r) => {
      const lane0 = code.local('v128')
      row()
      code.simd(simd.v128Load64Zero, ...memarg(3, (2 * r * k + p) * 8))
      code.set(lane0)
      row()
      code.get(lane0)
      code.simd(simd.v128Load64Lane, ...memarg(3, ((2 * r + 1) * k + p) * 8), 1)
    })
    return L.add(acc, L.mul(x, same(L, wp)))
  }, L.f(0))
}

/** A member's value from its operands' values, written with `L`. */
const compute = (
  f: Frame,
  L: Lanes,
  m: number,
  read: (o: number) => V,
  shared: Map<number, V>,
): V => {
  const n = f.nodes[m]!
  const A = laneArithmetic(L)
  if (n.kind === 'binary') return binaryForms.get(n.op)!.lanes!(A, read(n.x), read(n.y))
  if (isReshape(n)) return read(operandsOf(n)[0]!)
  if (n.kind !== 'unary') return rowProduct(f, L, n)
  const { fromExpNegAbs, lanes } = unaryForms.get(n.op)!
  if (fromExpNegAbs !== undefined) {
    // softplus and sigmoid of one operand share e^−|x|, as the JavaScript kernel does.
    const x = read(n.x)
    if (!shared.has(n.x)) shared.set(n.x, expNegAbs(A, x))
    return fromExpNegAbs(A, x, shared.get(n.x)!)
  }
  return lanes!(A, read(n.x))
}

/** Members whose operands are all fixed: computed once, before the loop. */
const computeInvariants = (f: Frame): void => {
  const { L1, fixed, invariant } = f
  const shared = new Map<number, V>()
  for (const m of f.group.members) {
    const n = f.nodes[m]!
    if (n.kind === 'call') continue
    if (operandsOf(n).every((o) => invariant.has(o) || fixed.has(o))) {
      const read = (o: number) => same(L1, invariant.get(o) ?? fixed.get(o)!)
      invariant.set(m, L1.locals(compute(f, L1, m, read, shared))[0]!)
    }
  }
}

/** Adds lane `lane` of a member's register (the local `local`) to the full sum `k`, in index order. */
const addToSum = (f: Frame, k: number, local: number, lane: 0 | 1): void => {
  const { code } = f
  const a = f.totals[k]![0]!
  code.get(a)
  code.get(local)
  code.simd(simd.f64x2ExtractLane, lane)
  code.emit(op.f64Add)
  code.set(a)
}

/**
 * Adds uᵢ·rowᵢ to the vector-matrix product `k` (the reduction `r` of width `width`), for
 * element uᵢ in lane `lane` of register `reg` (the local `local`): Σᵢ uᵢ·rowᵢ as
 * tangentMatmul adds it, two columns to a register. A term with a +0 factor is skipped:
 * here it adds +0, which leaves every nonzero sum as it is, and the mask of columns that
 * took a term gives a zero sum its sign (−0) after the loop. Only the addition is on the
 * chain from row to row.
 */
const addRowTerms = (
  f: Frame,
  k: number,
  r: Node,
  width: number,
  local: number,
  reg: number,
  lane: 0 | 1,
): void => {
  const { code, L1 } = f
  const u = L1.each(() => {
    code.get(local)
    code.simd(simd.f64x2ExtractLane, lane)
    code.simd(simd.f64x2Splat)
  })
  const uTakes = L1.not(strongZero.lanes(L1, u))
  const matrix = address(code, pointer(f.io, operandsOf(r)[1]!), rowOf(f, width))
  const columns = f.totals[k]!.length / 2
  for (let c = 0; c < columns; c++) {
    const t = same(L1, f.totals[k]![c]!)
    const took = same(L1, f.totals[k]![columns + c]!)
    const b = L1.load(matrix, ((2 * reg + lane) * width + 2 * c) * 8)
    const takes = L1.and(uTakes, L1.not(strongZero.lanes(L1, b)))
    L1.assign(t, L1.add(t, L1.and(L1.mul(u, b), takes)))
    L1.assign(took, L1.or(took, takes))
  }
}

/** The loop body for `L.registers` registers, of which `lanes` lanes are elements. */
const body = (f: Frame, L: Lanes, lanes: ReadonlyArray<0 | 1>): void => {
  const { nodes, io, invariant, fixed } = f
  const values = new Map<number, V>()
  const shared = new Map<number, V>()
  const read = (o: number): V => {
    const known = values.get(o)
    if (known !== undefined) return known
    const stored = invariant.get(o) ?? fixed.get(o)
    const v =
      stored !== undefined ? same(L, stored) : L.load(address(f.code, pointer(f.io, o), f.at))
    values.set(o, v)
    return v
  }
  for (const m of f.group.members) {
    const v = values.get(m) ?? compute(f, L, m, read, shared)
    values.set(m, v)
    const w = io.written.indexOf(m)
    if (w >= 0) L.store(address(f.code, writtenPointer(f.io, w), f.at), v)
    for (const k of io.sumsOf.get(m) ?? []) {
      const r = nodes[io.sums[k]!]!
      const width = widthOf(nodes, r)
      L.locals(v).forEach((local, reg) => {
        for (const lane of lanes) {
          if (width === undefined) addToSum(f, k, local, lane)
          else addRowTerms(f, k, r, width, local, reg, lane)
        }
      })
    }
  }
}

/** while (i + count ≤ end) { body; i += count } */
const loop = (f: Frame, count: number, emitBody: () => void): void => {
  const { code, at } = f
  code.emit(op.block, 0x40, op.loop, 0x40)
  code.get(at)
  code.i32(8 * count)
  code.emit(op.i32Add)
  code.get(end)
  code.i32(3)
  code.emit(op.i32Shl, op.i32GtS, op.brIf, 1)
  emitBody()
  code.get(at)
  code.i32(8 * count)
  code.emit(op.i32Add)
  code.set(at)
  for (const [w, row] of f.rowAt) {
    code.get(row)
    code.i32(8 * count * w)
    code.emit(op.i32Add)
    code.set(row)
  }
  code.emit(op.br, 0, op.end, op.end)
}

/** After the loop: a zero sum of columns that took a term is −0; the reductions to memory. */
const storeTotals = (f: Frame): void => {
  const { code, L1 } = f
  const params = parameters(f.io)
  f.totals.forEach((ts, k) => {
    if (code.locals[ts[0]! - params] === 'v128') {
      const columns = ts.length / 2
      for (let c = 0; c < columns; c++) {
        const t = same(L1, ts[c]!)
        const took = same(L1, ts[columns + c]!)
        L1.assign(t, L1.select(L1.and(L1.eq(t, L1.f(0)), took), L1.f(-0), t))
      }
    }
    ts.forEach((t, c) => {
      code.get(sumPointer(f.io, k))
      code.get(t)
      if (code.locals[t - params] === 'f64') code.emit(op.f64Store, ...memarg(3))
      else code.simd(simd.v128Store, ...memarg(3, c * 16))
    })
  })
}

/**
 * The function `run(start, end, …pointers)` of one group for one pattern of strides, over
 * elements start to end − 1: pointers to the externals, the written members and the
 * reductions (read at the start and written at the end), in that order. The main loop
 * takes 2·`registers` elements at a time (each value `registers` v128 locals), then
 * pairs, then the last element if n is odd.
 */
export const loopCode = (
  nodes: ReadonlyArray<Node>,
  group: Group,
  io: GroupInterface,
  strides: ReadonlyArray<number>,
  registers: number,
): FunctionCode => {
  const f = frameOf(nodes, group, io, strides)
  const { code, L1 } = f
  computeInvariants(f)
  const wide = new Lanes(code, registers)
  loop(f, 2 * registers, () => body(f, wide, [0, 1]))
  loop(f, 2, () => body(f, L1, [0, 1]))
  // One element left: i < end.
  code.get(f.at)
  code.get(end)
  code.i32(3)
  code.emit(op.i32Shl, op.i32LtS, op.if, 0x40)
  body(f, L1, [0])
  code.emit(op.end)
  storeTotals(f)
  return code
}

/** The most member values alive at once in the loop body, in member order. */
export const liveAtOnce = (nodes: ReadonlyArray<Node>, group: Group): number => {
  const lastUse = new Map<number, number>()
  group.members.forEach((m, i) => {
    for (const o of operandsOf(nodes[m]!)) lastUse.set(o, i)
  })
  const alive = new Set<number>()
  let most = 0
  group.members.forEach((m, i) => {
    for (const o of operandsOf(nodes[m]!)) if (lastUse.has(o)) alive.add(o)
    if ((lastUse.get(m) ?? -1) > i) alive.add(m)
    most = Math.max(most, alive.size)
    for (const o of [...alive]) if (lastUse.get(o)! <= i) alive.delete(o)
  })
  return most
}
