/**
 * The reverse-mode instances: `Floating<Var<B>>` whose ops evaluate on the base and
 * append one entry to the builder of the current record action. An op whose operands
 * are all constants (negative handles, see `Var.ts`) records a constant and no
 * partials; otherwise each non-constant operand gets its local partial (over numbers)
 * or its pullback (over any other base). One generic path serves every base; a base
 * that declares `numeric` gets the number specialisation, a struct of typed arrays.
 */
import type { BinaryOp, Floating } from '../Floating.js'
import { binaryOps, tangentOps } from '../ops/opTable.js'
import { structuralMethods } from '../ops/structuralOps.js'
import { withComposites, type Composite } from '../backend/composites.js'
import { isTensorial, type Tensorial } from '../Tensorial.js'
import { entryOf, type ReverseFloating, type ReverseTensorial, type Var } from './Var.js'
import { binaryOf, floatingFrom, unaryOf } from '../ops/lifting.js'
import { emptySealed, GenericBuilder, type NumberBuilder, type Pull } from './tapeStore.js'
import { backpropGeneric } from './backprop.js'
import type { Primitive } from '../ops/primitive.js'
import { leavesOf, mapLeaves, withLeaves, type Tree } from '../tree.js'
import { sizeOf, type Tensor } from '../tensor/Tensor.js'

const asVar = <B>(i: number): Var<B> => i as Var<B>

const { add, sub, mul } = binaryOps
const [addDx, addDy] = add.linear!
const [subDx, subDy] = sub.linear!

/**
 * add, sub and mul, the ring operations every loss is made of, read their operands from
 * the tape's arrays and write their entry without calling out, so the doubles stay in
 * registers: the JIT inlines such a closure whole into the user's loop, or calls it with
 * small integers, nothing boxed. (Helpers that passed doubles were inlined part of the
 * way once a loop held a few ops, and each double they passed was boxed: Rosenbrock
 * n = 10,000 allocated 1 MB a gradient that way, and ran 1.2x slower.) Each op is a
 * closure literal of its own, written out three times on purpose, so a call site inside
 * sees one primal: one literal for add and sub was 1.2x slower, one body for all three
 * (inlined into each with a constant op) 1.05x, the primal passed in 1.5x. They compute
 * only through the op table's primal and partials (for mul, the other operand).
 */
const ringOp = (op: BinaryOp, tape: NumberBuilder) => {
  if (op === add) {
    return (a: Var<number>, b: Var<number>): Var<number> => {
      const t = tape
      const o = t.offset
      const n = t.length
      const ia = a < 0 ? ~a : a
      const ib = b < 0 ? ~b : b
      const x = ia >= o && ia < o + n ? t.vals[ia - o]! : t.value(ia)
      const y = ib >= o && ib < o + n ? t.vals[ib - o]! : t.value(ib)
      const z = add.primal(x, y)
      if (t.used >= t.capacity) t.nextChunk()
      const k = t.used
      t.used = k + 1
      t.length = n + 1
      t.vals[n] = z
      t.p1[k] = a < 0 ? -1 : a
      t.d1[k] = addDx
      t.p2[k] = b < 0 ? -1 : b
      t.d2[k] = addDy
      // An op of two constants is a constant: its handle is negative.
      return asVar(a < 0 && b < 0 ? ~(o + n) : o + n)
    }
  }
  if (op === sub) {
    return (a: Var<number>, b: Var<number>): Var<number> => {
      const t = tape
      const o = t.offset
      const n = t.length
      const ia = a < 0 ? ~a : a
      const ib = b < 0 ? ~b : b
      const x = ia >= o && ia < o + n ? t.vals[ia - o]! : t.value(ia)
      const y = ib >= o && ib < o + n ? t.vals[ib - o]! : t.value(ib)
      const z = sub.primal(x, y)
      if (t.used >= t.capacity) t.nextChunk()
      const k = t.used
      t.used = k + 1
      t.length = n + 1
      t.vals[n] = z
      t.p1[k] = a < 0 ? -1 : a
      t.d1[k] = subDx
      t.p2[k] = b < 0 ? -1 : b
      t.d2[k] = subDy
      // An op of two constants is a constant: its handle is negative.
      return asVar(a < 0 && b < 0 ? ~(o + n) : o + n)
    }
  }
  if (op === mul) {
    return (a: Var<number>, b: Var<number>): Var<number> => {
      const t = tape
      const o = t.offset
      const n = t.length
      const ia = a < 0 ? ~a : a
      const ib = b < 0 ? ~b : b
      const x = ia >= o && ia < o + n ? t.vals[ia - o]! : t.value(ia)
      const y = ib >= o && ib < o + n ? t.vals[ib - o]! : t.value(ib)
      const z = mul.primal(x, y)
      if (t.used >= t.capacity) t.nextChunk()
      const k = t.used
      t.used = k + 1
      t.length = n + 1
      t.vals[n] = z
      t.p1[k] = a < 0 ? -1 : a
      t.d1[k] = y
      t.p2[k] = b < 0 ? -1 : b
      t.d2[k] = x
      return asVar(a < 0 && b < 0 ? ~(o + n) : o + n)
    }
  }
  return undefined
}

/** Reverse mode over plain numbers: entries are rows of typed arrays. */
export const reverseOverNumber = (
  F: Floating<number>,
  tape: NumberBuilder,
): ReverseFloating<number> => {
  const read = (a: Var<number>): number => tape.value(a < 0 ? ~a : a)
  const variable = (x: number): Var<number> => asVar(tape.push(x, -1, 0, -1, 0))
  const constant = (x: number): Var<number> => asVar(~tape.push(x, -1, 0, -1, 0))
  const instance = floatingFrom<Var<number>>({
    zero: constant(0),
    one: constant(1),
    fromNumber: constant,
    toNumber: read,
    unaryFor: (op) => {
      const f = unaryOf(F, op)
      const d = op.derivative(F)
      return (a) => {
        const x = read(a)
        const y = f(x)
        return a < 0 ? constant(y) : asVar(tape.push(y, a, d(x, y), -1, 0))
      }
    },
    binaryFor: (op) => {
      const hot = ringOp(op, tape)
      if (hot !== undefined) return hot
      const f = binaryOf(F, op)
      const [kx, ky] = op.linear ?? [0, 0]
      const dx = op.linear === undefined ? op.dx(F) : () => kx
      const dy = op.linear === undefined ? op.dy(F) : () => ky
      return (a, b) => {
        const x = read(a)
        const y = read(b)
        const z = f(x, y)
        if (a < 0 && b < 0) return constant(z)
        const da = a < 0 ? 0 : dx(x, y, z)
        const db = b < 0 ? 0 : dy(x, y, z)
        return asVar(tape.push(z, a < 0 ? -1 : a, da, b < 0 ? -1 : b, db))
      }
    },
    members: { variable, lift: constant, value: read },
  })
  return instance as ReverseFloating<number>
}

/** Reverse mode over any base: entries hold base values and pullbacks. */
export function reverseOverBase<B>(F: Tensorial<B>, tape: GenericBuilder<B>): ReverseTensorial<B>
export function reverseOverBase<B>(F: Floating<B>, tape: GenericBuilder<B>): ReverseFloating<B>
export function reverseOverBase<B>(F: Floating<B>, tape: GenericBuilder<B>): ReverseFloating<B> {
  const read = (a: Var<B>): B => tape.value(entryOf(a))
  const variable = (x: B): Var<B> => asVar(tape.push(x, -1, undefined, -1, undefined))
  const constant = (x: B): Var<B> => asVar(~tape.push(x, -1, undefined, -1, undefined))
  const { strongMul, tangentNeg } = tangentOps
  // A cotangent has the shape of its value: sum away what broadcasting added.
  const fit: (u: B, like: B) => B = isTensorial(F) ? (u, like) => F.unbroadcast(u, like) : (u) => u
  const times =
    (d: B, like: B): Pull<B> =>
    (u) =>
      fit(F.binary(strongMul, d, u), like)
  const scaled = (k: number, like: B): Pull<B> =>
    k === 1
      ? (u) => fit(u, like)
      : k === -1
        ? // Summed down first, then negated: the same numbers (negation is exact and keeps
          // the tag of a zero), on the smaller tensor.
          (u) => F.unary(tangentNeg, fit(u, like))
        : times(F.fromNumber(k), like)
  const instance = floatingFrom<Var<B>>({
    zero: constant(F.zero),
    one: constant(F.one),
    fromNumber: (n) => constant(F.fromNumber(n)),
    toNumber: (a) => F.toNumber(read(a)),
    unaryFor: (op) => {
      const f = unaryOf(F, op)
      const d = op.derivative(F)
      return (a) => {
        const x = read(a)
        const y = f(x)
        if (a < 0) return constant(y)
        return asVar(tape.push(y, a, times(d(x, y), x), -1, undefined))
      }
    },
    binaryFor: (op) => {
      const f = binaryOf(F, op)
      const [kx, ky] = op.linear ?? [0, 0]
      const dx = op.linear === undefined ? op.dx(F) : undefined
      const dy = op.linear === undefined ? op.dy(F) : undefined
      return (a, b) => {
        const x = read(a)
        const y = read(b)
        const z = f(x, y)
        if (a < 0 && b < 0) return constant(z)
        const pa = a < 0 ? undefined : dx === undefined ? scaled(kx, x) : times(dx(x, y, z), x)
        const pb = b < 0 ? undefined : dy === undefined ? scaled(ky, y) : times(dy(x, y, z), y)
        return asVar(tape.push(z, a < 0 ? -1 : a, pa, b < 0 ? -1 : b, pb))
      }
    },
    members: { variable, lift: constant, value: read },
  })
  const R = instance as ReverseFloating<B>
  return isTensorial(F) ? withTensorial(F, R, tape, read) : R
}

/** Adds the structural ops of the table to a reverse instance over a Tensorial base. */
const withTensorial = <B>(
  T: Tensorial<B>,
  R: ReverseFloating<B>,
  tape: GenericBuilder<B>,
  read: (a: Var<B>) => B,
): ReverseTensorial<B> => {
  // Each row's rule as a pullback, which receives its cotangent at the shape of the
  // op's result; a row without rules (extremum) gives a constant.
  const structural = structuralMethods<Var<B>, B>({
    unary: (row) => {
      const f = row.method(T)
      const vjp = row.vjp?.(T)
      return (a, ...p) => {
        const x = read(a)
        const y = f(x, ...p)
        if (a < 0 || vjp === undefined) return R.lift(y)
        return asVar(tape.push(y, a, (u) => vjp(u, x, ...p), -1, undefined))
      }
    },
    bilinear: (row) => {
      const f = row.method(T)
      const vx = row.vjpX(T)
      const vy = row.vjpY(T)
      return (a, b) => {
        const x = read(a)
        const y = read(b)
        const z = f(x, y)
        if (a < 0 && b < 0) return R.lift(z)
        const pa = a < 0 ? undefined : (u: B) => vx(x, y, u)
        const pb = b < 0 ? undefined : (u: B) => vy(x, y, u)
        return asVar(tape.push(z, a < 0 ? -1 : a, pa, b < 0 ? -1 : b, pb))
      }
    },
    concat: (row) => {
      const vjp = row.vjp(T)
      return (as, axis) => {
        const xs = as.map(read)
        const z = T.concat(xs, axis)
        if (as.every((a) => a < 0)) return R.lift(z)
        const block = (i: number) => (u: B) => vjp(u, xs, i, axis)
        // An entry has two parents: operand 0 and a chain of entries, each passing u on
        // unchanged and giving the next operand its block; every entry shares z.
        let next: number = -1
        let pullNext: Pull<B> | undefined
        for (let i = as.length - 1; i >= 1; i--) {
          const a = as[i]!
          const link = tape.push(z, a < 0 ? -1 : a, a < 0 ? undefined : block(i), next, pullNext)
          next = link
          pullNext = (u) => u
        }
        const a0 = as[0]!
        return asVar(tape.push(z, a0 < 0 ? -1 : a0, a0 < 0 ? undefined : block(0), next, pullNext))
      }
    },
    param: read,
    shape: (a) => T.shape(read(a)),
  })
  const apply = (row: Primitive, x: Tree<Var<B>>): Tree<Var<B>> => {
    const as = leavesOf(x)
    const px = withLeaves(x, as.map(read))
    // The primal runs on the base, unrecorded: the tape keeps only inputs and outputs.
    const y = T.apply(row, px)
    const ys = leavesOf(y)
    if (row.mode === 'constant' || as.every((a) => a < 0)) return withLeaves(y, ys.map(R.lift))
    const pull = pullbackOf(T, row, px, y)
    if (ys.length === 1 && as.length <= 2) {
      // One output of one or two inputs: one entry, the rule run once per cotangent.
      let lastU: B | undefined
      let lastX: B[] = []
      const part = (i: number) => (u: B) => {
        if (u !== lastU) {
          lastX = leavesOf(pull(u))
          lastU = u
        }
        return lastX[i]!
      }
      const [a0, a1] = [as[0]!, as[1]]
      const p1 = a1 === undefined || a1 < 0 ? -1 : a1
      const i = tape.push(
        ys[0]!,
        a0 < 0 ? -1 : a0,
        a0 < 0 ? undefined : part(0),
        p1,
        p1 < 0 ? undefined : part(1),
      )
      return withLeaves(y, [asVar<B>(i)])
    }
    // Trees: the inputs packed into one vector (recorded), one entry whose pullback
    // unpacks the cotangent, runs the rule and packs the result, then the outputs
    // sliced back out (recorded).
    const sizes = ys.map((v) => sizeOf(T.shape(v)))
    const offsets = sizes.reduce<number[]>((o, n) => [...o, o[o.length - 1]! + n], [0])
    const flat = (v: B) => T.reshape(v, [sizeOf(T.shape(v))])
    const packed = self.concat(as.map((a) => self.reshape(a, [sizeOf(T.shape(read(a)))])))
    const unpack = (u: B): Tree<B> =>
      withLeaves(
        y,
        ys.map((v, j) => T.reshape(T.slice(u, [offsets[j]!], [offsets[j + 1]!]), T.shape(v))),
      )
    const entry = asVar<B>(
      tape.push(
        T.concat(ys.map(flat)),
        packed,
        (u) => T.concat(leavesOf(pull(unpack(u))).map(flat)),
        -1,
        undefined,
      ),
    )
    return withLeaves(
      y,
      ys.map((v, j) =>
        self.reshape(self.slice(entry, [offsets[j]!], [offsets[j + 1]!]), T.shape(v)),
      ),
    )
  }
  const self: ReverseTensorial<B> = withComposites<Var<B>, Omit<ReverseTensorial<B>, Composite>>(
    R,
    { apply },
    structural,
    {
      constant: (t: Tensor) => R.lift(T.constant(t)),
      shape: (a: Var<B>) => T.shape(read(a)),
    },
  )
  return self
}

/**
 * The pullback of a primitive row at x (y its primal value): its vjp rule; else the
 * transpose of its jvp rule (the rule is linear in the tangent, so its own reverse pass
 * at tangent 0 is its adjoint); else, for a checkpoint, the primal recorded again.
 */
const pullbackOf = <B>(T: Tensorial<B>, row: Primitive, x: Tree<B>, y: Tree<B>) => {
  const { vjp, jvp } = row
  if (row.mode === 'checkpoint') return (u: Tree<B>) => vjpAt(T, (R) => row.primal(R), x, u)
  if (vjp !== undefined) return (u: Tree<B>) => vjp(T)(x, y, u)
  if (jvp === undefined) throw new Error(`${row.name}: the row has neither a jvp nor a vjp rule`)
  const zeros = mapLeaves(x, (v) => T.unbroadcast(T.zero, v))
  return (u: Tree<B>) =>
    vjpAt(
      T,
      (R) => (v) => {
        const lifted = (t: Tree<B>) => mapLeaves(t, R.lift)
        return jvp(R)(lifted(x), lifted(y), v)
      },
      zeros,
      u,
    )
}

/** Jᵀ·u for f at x, by a reverse pass on a tape of its own over T. */
const vjpAt = <B>(
  T: Tensorial<B>,
  f: (R: ReverseTensorial<B>) => (x: Tree<Var<B>>) => Tree<Var<B>>,
  x: Tree<B>,
  u: Tree<B>,
): Tree<B> => {
  // The builder and its tape live only inside this call.
  const builder = new GenericBuilder<B>(emptySealed)
  const R = reverseOverBase(T, builder)
  const xs = leavesOf(x)
  const ins = xs.map(R.variable)
  const outs = leavesOf(f(R)(withLeaves(x, ins)))
  const us = leavesOf(u)
  const seeds = outs.flatMap((o, i) => (o < 0 ? [] : [[o as number, us[i]!] as const]))
  const adj = backpropGeneric(T, builder.seal(), seeds)
  return withLeaves(
    x,
    ins.map((v, i) => adj[v] ?? T.unbroadcast(T.zero, xs[i]!)),
  )
}
