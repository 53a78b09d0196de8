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
import { bilinearOps, linearOps, type BilinearRow, type LinearRow } from '../ops/structuralOps.js'
import { keptShape, normaliseAxis, reducedAxes } from '../tensor/axes.js'
import { sliceBounds } from '../tensor/indexing.js'
import { withReductions, type Built } from '../backend/reductions.js'
import { isTensorial, type Tensorial } from '../Tensorial.js'
import { entryOf, type ReverseFloating, type ReverseTensorial, type Var } from './Var.js'
import { binaryOf, floatingFrom, unaryOf } from '../ops/lifting.js'
import type { GenericBuilder, NumberBuilder, Pull } from './tapeStore.js'

const asVar = <B>(i: number): Var<B> => i as Var<B>

const { add, sub, mul } = binaryOps
const [addDx, addDy] = add.linear!
const [subDx, subDy] = sub.linear!

/**
 * add, sub and mul, the ring operations every loss is made of, get a closure literal
 * each: a call site inside one of them only ever sees its own op, so the JIT inlines
 * the row's primal and partials (measured: about 20% off a Rosenbrock gradient). They
 * still compute only through the op table.
 */
const ringOp = (
  op: BinaryOp,
  tape: NumberBuilder,
  read: (a: Var<number>) => number,
  constant: (x: number) => Var<number>,
) => {
  if (op === add) {
    return (a: Var<number>, b: Var<number>): Var<number> => {
      const z = add.primal(read(a), read(b))
      if (a < 0 && b < 0) return constant(z)
      return asVar(tape.push(z, a < 0 ? -1 : a, addDx, b < 0 ? -1 : b, addDy))
    }
  }
  if (op === sub) {
    return (a: Var<number>, b: Var<number>): Var<number> => {
      const z = sub.primal(read(a), read(b))
      if (a < 0 && b < 0) return constant(z)
      return asVar(tape.push(z, a < 0 ? -1 : a, subDx, b < 0 ? -1 : b, subDy))
    }
  }
  if (op === mul) {
    return (a: Var<number>, b: Var<number>): Var<number> => {
      const x = read(a)
      const y = read(b)
      const z = mul.primal(x, y)
      if (a < 0 && b < 0) return constant(z)
      // mul's partials are the other operand (its row: ∂/∂x = y, ∂/∂y = x).
      return asVar(tape.push(z, a < 0 ? -1 : a, y, b < 0 ? -1 : b, x))
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
      const hot = ringOp(op, tape, read, constant)
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
  })
  return { ...instance, variable, lift: constant, value: read }
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
  })
  const R: ReverseFloating<B> = { ...instance, variable, lift: constant, value: read }
  return isTensorial(F) ? withTensorial(F, R, tape, read) : R
}

/** Adds the structural ops of the table to a reverse instance over a Tensorial base. */
const withTensorial = <B>(
  T: Tensorial<B>,
  R: ReverseFloating<B>,
  tape: GenericBuilder<B>,
  read: (a: Var<B>) => B,
): ReverseTensorial<B> => {
  // Each pullback receives its cotangent at the shape of the op's result.
  const unary =
    (f: (x: B) => B, vjp: (x: B, u: B) => B) =>
    (a: Var<B>): Var<B> => {
      const x = read(a)
      const y = f(x)
      if (a < 0) return R.lift(y)
      return asVar(tape.push(y, a, (u) => vjp(x, u), -1, undefined))
    }
  const linear = (row: LinearRow, f: (x: B) => B) => unary(f, row.vjp(T))
  const bilinear = (row: BilinearRow, f: (x: B, y: B) => B) => {
    const vx = row.vjpX(T)
    const vy = row.vjpY(T)
    return (a: Var<B>, b: Var<B>): Var<B> => {
      const x = read(a)
      const y = read(b)
      const z = f(x, y)
      if (a < 0 && b < 0) return R.lift(z)
      const pa = a < 0 ? undefined : (u: B) => vx(x, y, u)
      const pb = b < 0 ? undefined : (u: B) => vy(x, y, u)
      return asVar(tape.push(z, a < 0 ? -1 : a, pa, b < 0 ? -1 : b, pb))
    }
  }
  return withReductions<Var<B>, Omit<ReverseTensorial<B>, Built>>({
    ...R,
    sum: (a, options) =>
      unary(
        (x) => T.sum(x, options),
        // The cotangent, with the summed axes back as 1s, spread over them.
        (x, u) => {
          const shape = T.shape(x)
          return T.unbroadcast(
            T.reshape(u, keptShape(shape, reducedAxes('sum', shape, options))),
            x,
          )
        },
      )(a),
    extremum: (a, which, options) => R.lift(T.extremum(read(a), which, options)),
    broadcastTo: (a, shape) =>
      unary(
        (x) => T.broadcastTo(x, shape),
        (x, u) => T.unbroadcast(u, x),
      )(a),
    slice: (a, begin, end) => {
      const { start } = sliceBounds(T.shape(read(a)), begin, end)
      return unary(
        (x) => T.slice(x, begin, end),
        (x, u) => T.pad(u, T.shape(x), start),
      )(a)
    },
    pad: (a, shape, start) =>
      unary(
        (x) => T.pad(x, shape, start),
        (x, u) =>
          T.slice(
            u,
            start,
            T.shape(x).map((d, i) => start[i]! + d),
          ),
      )(a),
    take: (a, indices, axis = 0) =>
      unary(
        (x) => T.take(x, indices, axis),
        (x, u) =>
          T.scatterAdd(
            u,
            indices,
            axis,
            T.shape(x)[normaliseAxis('take', axis, T.shape(x).length)]!,
          ),
      )(a),
    scatterAdd: (a, indices, axis, length) =>
      unary(
        (x) => T.scatterAdd(x, indices, axis, length),
        (_x, u) => T.take(u, indices, axis),
      )(a),
    concat: (as, axis = 0) => {
      const xs = as.map(read)
      const z = T.concat(xs, axis)
      if (as.every((a) => a < 0)) return R.lift(z)
      const k = normaliseAxis('concat', axis, T.shape(z).length)
      const sz = T.shape(z)
      // Operand i's cotangent is its block of u along the axis.
      const offsets = xs.reduce<number[]>((o, x) => [...o, o[o.length - 1]! + T.shape(x)[k]!], [0])
      const block = (i: number) => (u: B) =>
        T.slice(
          u,
          [...sz.slice(0, k).map(() => 0), offsets[i]!],
          [...sz.slice(0, k), offsets[i + 1]!],
        )
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
    },
    transpose: linear(linearOps.transpose, T.transpose),
    matrixTranspose: unary(T.matrixTranspose, (_x, u) => T.matrixTranspose(u)),
    dot: bilinear(bilinearOps.dot, T.dot),
    matmul: bilinear(bilinearOps.matmul, T.matmul),
    // Its adjoints are matmul's: both factors are values of this level, u its cotangent.
    tangentMatmul: bilinear(bilinearOps.matmul, T.tangentMatmul),
    reshape: (a, shape) => {
      const back = T.shape(read(a))
      return unary(
        (x) => T.reshape(x, shape),
        (_x, u) => T.reshape(u, back),
      )(a)
    },
    constant: (t) => R.lift(T.constant(t)),
    shape: (a) => T.shape(read(a)),
    // Recorded like any op: its adjoint brings the cotangent back to g's shape.
    unbroadcast: (g, like) => {
      const target = read(like)
      return unary(
        (x) => T.unbroadcast(x, target),
        (x, u) => T.unbroadcast(u, x),
      )(g)
    },
  })
}
