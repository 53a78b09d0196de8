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
import { binaryLanes, laneArithmetic, unaryLanes, zero } from './laneOps.js'
import type { Group } from '../plan.js'
import { expNegAbs, fromExpNegAbsOf } from '../../ops/opTable.js'
import { strongZero } from '../../ops/tangentArithmetic.js'
import { FunctionCode, memarg, op, simd, sleb, uleb, type ValType } from './wasmModule.js'

/** Matrix-vector rows and vector-matrix products up to this width are written out. */
export const widthUpTo = 32

/** The width of a member's product (a row of k terms) or a reduction's (n columns), if any. */
export const widthOf = (nodes: ReadonlyArray<Node>, n: Node): number | undefined => {
  if (n.kind !== 'call') return undefined
  if (n.method === 'matmul') return nodes[operandsOf(n)[1]!]!.shape[0]!
  if (n.method === 'tangentMatmul') return n.shape[0]!
  return undefined
}

/** Whether every member and reduction of a group has a two-lane form. */
export const supported = (nodes: ReadonlyArray<Node>, group: Group): boolean =>
  group.block === undefined &&
  [...group.members, ...group.sums].every((m) => {
    const n = nodes[m]!
    if (n.kind === 'unary') return unaryLanes.has(n.op) || fromExpNegAbsOf(n.op) !== undefined
    if (n.kind === 'binary') return binaryLanes.has(n.op)
    const w = widthOf(nodes, n)
    return (w !== undefined && w <= widthUpTo) || (n.kind === 'call' && n.method === 'sum')
  })

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
  const { externals, patterns, written, sums, sumsOf } = io
  const params = 2 + externals.length + written.length + sums.length
  const code = new FunctionCode(new Array<ValType>(params).fill('i32'))
  const [start, end] = [0, 1]
  const pointer = (o: number) => 2 + externals.indexOf(o)
  const writtenPointer = (w: number) => 2 + externals.length + w
  const sumPointer = (s: number) => 2 + externals.length + written.length + s
  // Byte offset of element i, and of row i for each product width, from element `start`.
  const offsetOf = (bytesPerElement: number) => {
    const l = code.local('i32')
    code.prologue.push(op.localGet, ...uleb(start), op.i32Const, ...sleb(BigInt(bytesPerElement)))
    code.prologue.push(op.i32Mul, op.localSet, ...uleb(l))
    return l
  }
  const at = offsetOf(8)
  const rowAt = new Map<number, number>()
  const rowOf = (w: number) => {
    if (!rowAt.has(w)) rowAt.set(w, offsetOf(8 * w))
    return rowAt.get(w)!
  }
  const address = (param: number, offset: number) => () => {
    code.get(param)
    code.get(offset)
    code.emit(op.i32Add)
  }
  const pushParam = (param: number) => () => code.get(param)
  // Before the loop: operands of one element, the vectors of products, accumulators.
  const L1 = new Lanes(code, 1)
  const fixed = new Map<number, number>()
  for (const [o, p] of patterns) {
    if (p.kind === 'one' || strides[externals.indexOf(o)] === 0)
      fixed.set(o, L1.locals(L1.loadSplat(pushParam(pointer(o))))[0]!)
  }
  const weights = new Map<number, number[]>()
  for (const m of group.members) {
    const n = nodes[m]!
    if (n.kind !== 'call') continue
    const b = operandsOf(n)[1]!
    if (!weights.has(b)) {
      const k = nodes[b]!.shape[0]!
      const w = Array.from({ length: k }, (_, p) => L1.loadSplat(pushParam(pointer(b)), p * 8))
      weights.set(
        b,
        w.map((v) => L1.locals(v)[0]!),
      )
    }
  }
  // The reductions so far, from memory.
  // A vector-matrix product keeps, per pair of columns, its sums and a mask of the
  // columns that have taken a term (those hold −0 where they sum to zero).
  const totals = sums.map((s, k) => {
    const w = widthOf(nodes, nodes[s]!)
    return (
      w === undefined
        ? [code.local('f64')]
        : Array.from({ length: 2 * Math.ceil(w / 2) }, () => code.local('v128'))
    ).map((t, c) => {
      code.get(sumPointer(k))
      if (w === undefined) code.emit(op.f64Load, ...memarg(3))
      else code.simd(simd.v128Load, ...memarg(3, c * 16))
      code.set(t)
      return t
    })
  })
  /** A member's value from its operands' values, written with `L`. */
  const compute = (L: Lanes, m: number, read: (o: number) => V, shared: Map<number, V>): V => {
    const n = nodes[m]!
    const fromShared = n.kind === 'unary' ? fromExpNegAbsOf(n.op) : undefined
    if (n.kind === 'unary' && fromShared !== undefined) {
      // softplus and sigmoid of one operand share e^−|x|, as the JavaScript kernel does.
      const A = laneArithmetic(L)
      const x = read(n.x)
      if (!shared.has(n.x)) shared.set(n.x, expNegAbs(A, x))
      return fromShared(A, x, shared.get(n.x)!)
    }
    if (n.kind === 'unary') return unaryLanes.get(n.op)!(L, read(n.x))
    if (n.kind === 'binary') return binaryLanes.get(n.op)!(L, read(n.x), read(n.y))
    // A row of a matrix-vector product for each element: from 0, in index order.
    const [a, b] = operandsOf(n)
    const w = weights.get(b!)!
    const k = w.length
    const row = address(pointer(a!), rowOf(k))
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
      return L.add(acc, L.mul(x, L.of(new Array<number>(L.registers).fill(wp))))
    }, zero(L))
  }
  const same = (L: Lanes, local: number) => L.of(new Array<number>(L.registers).fill(local))
  // Members whose operands are all fixed: computed once, before the loop.
  const invariant = new Map<number, number>()
  const invariantShared = new Map<number, V>()
  for (const m of group.members) {
    const n = nodes[m]!
    if (n.kind === 'call') continue
    if (operandsOf(n).every((o) => invariant.has(o) || fixed.has(o))) {
      const read = (o: number) => same(L1, invariant.get(o) ?? fixed.get(o)!)
      invariant.set(m, L1.locals(compute(L1, m, read, invariantShared))[0]!)
    }
  }
  /** The loop body for `L.registers` registers, of which `lanes` lanes are elements. */
  const body = (L: Lanes, lanes: ReadonlyArray<0 | 1>) => {
    const values = new Map<number, V>()
    const shared = new Map<number, V>()
    const read = (o: number): V => {
      const known = values.get(o)
      if (known !== undefined) return known
      const stored = invariant.get(o) ?? fixed.get(o)
      const v = stored !== undefined ? same(L, stored) : L.load(address(pointer(o), at))
      values.set(o, v)
      return v
    }
    for (const m of group.members) {
      const v = values.get(m) ?? compute(L, m, read, shared)
      values.set(m, v)
      const w = written.indexOf(m)
      if (w >= 0) L.store(address(writtenPointer(w), at), v)
      for (const k of sumsOf.get(m) ?? []) {
        const r = nodes[sums[k]!]!
        const width = widthOf(nodes, r)
        L.locals(v).forEach((local, reg) => {
          for (const lane of lanes) {
            if (width === undefined) {
              // A full sum, element by element in index order.
              const a = totals[k]![0]!
              code.get(a)
              code.get(local)
              code.simd(simd.f64x2ExtractLane, lane)
              code.emit(op.f64Add)
              code.set(a)
              continue
            }
            // Σᵢ uᵢ·rowᵢ as tangentMatmul adds it, two columns to a register. A term with
            // a +0 factor is skipped: here it adds +0, which leaves every nonzero sum as
            // it is, and the mask of columns that took a term gives a zero sum its sign
            // (−0) after the loop. Only the addition is on the chain from row to row.
            const u = L1.each(() => {
              code.get(local)
              code.simd(simd.f64x2ExtractLane, lane)
              code.simd(simd.f64x2Splat)
            })
            const uTakes = L1.not(strongZero.lanes(L1, u))
            const matrix = address(pointer(operandsOf(r)[1]!), rowOf(width))
            const columns = totals[k]!.length / 2
            for (let c = 0; c < columns; c++) {
              const t = same(L1, totals[k]![c]!)
              const took = same(L1, totals[k]![columns + c]!)
              const b = L1.load(matrix, ((2 * reg + lane) * width + 2 * c) * 8)
              const takes = L1.and(uTakes, L1.not(strongZero.lanes(L1, b)))
              L1.assign(t, L1.add(t, L1.and(L1.mul(u, b), takes)))
              L1.assign(took, L1.or(took, takes))
            }
          }
        })
      }
    }
  }
  /** while (i + count ≤ end) { body; i += count } */
  const loop = (count: number, emitBody: () => void) => {
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
    for (const [w, row] of rowAt) {
      code.get(row)
      code.i32(8 * count * w)
      code.emit(op.i32Add)
      code.set(row)
    }
    code.emit(op.br, 0, op.end, op.end)
  }
  const wide = new Lanes(code, registers)
  loop(2 * registers, () => body(wide, [0, 1]))
  loop(2, () => body(L1, [0, 1]))
  // One element left: i < end.
  code.get(at)
  code.get(end)
  code.i32(3)
  code.emit(op.i32Shl, op.i32LtS, op.if, 0x40)
  body(L1, [0])
  code.emit(op.end)
  // After the loop: a zero sum of columns that took a term is −0; the reductions to memory.
  totals.forEach((ts, k) => {
    if (code.locals[ts[0]! - params] === 'v128') {
      const columns = ts.length / 2
      for (let c = 0; c < columns; c++) {
        const t = same(L1, ts[c]!)
        const took = same(L1, ts[columns + c]!)
        L1.assign(t, L1.select(L1.and(L1.eq(t, zero(L1)), took), L1.f(-0), t))
      }
    }
    ts.forEach((t, c) => {
      code.get(sumPointer(k))
      code.get(t)
      if (code.locals[t - params] === 'f64') code.emit(op.f64Store, ...memarg(3))
      else code.simd(simd.v128Store, ...memarg(3, c * 16))
    })
  })
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
