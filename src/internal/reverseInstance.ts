/**
 * The reverse-mode instances: `Floating<Var<B>>` whose ops evaluate on the base and
 * append one entry to the builder of the current record action.
 */
import { scalar } from '../backend/scalar.js'
import type { BinaryOp, Floating } from '../Floating.js'
import { binaryOps } from '../opTable.js'
import { bilinearOps, linearOps, type BilinearRow, type LinearRow } from '../structuralOps.js'
import { isTensorial, type Tensorial } from '../Tensorial.js'
import type { ReverseFloating, ReverseTensorial, Var } from '../Var.js'
import { binaryOf, floatingFrom, scaleBy, unaryOf } from './lifting.js'
import type { GenericBuilder, NumberBuilder, Pull } from './tapeStore.js'
import { zeroTest } from './zero.js'

const asVar = <B>(i: number): Var<B> => i as Var<B>

const { add, sub, mul } = binaryOps
const [addDx, addDy] = add.linear!
const [subDx, subDy] = sub.linear!
const mulDx = mul.dx(scalar)
const mulDy = mul.dy(scalar)

/**
 * add, sub and mul, the ring operations every loss is made of, get a closure literal
 * each: a call site inside one of them only ever sees its own op, so the JIT inlines
 * the row's primal and partials (measured: about 20% off a Rosenbrock gradient). They
 * still compute only through the op table.
 */
const ringOp = (op: BinaryOp, tape: NumberBuilder) => {
  if (op === add) {
    return (a: Var<number>, b: Var<number>): Var<number> =>
      asVar(tape.push(add.primal(tape.value(a), tape.value(b)), a, addDx, b, addDy))
  }
  if (op === sub) {
    return (a: Var<number>, b: Var<number>): Var<number> =>
      asVar(tape.push(sub.primal(tape.value(a), tape.value(b)), a, subDx, b, subDy))
  }
  if (op === mul) {
    return (a: Var<number>, b: Var<number>): Var<number> => {
      const x = tape.value(a)
      const y = tape.value(b)
      const z = mul.primal(x, y)
      return asVar(tape.push(z, a, mulDx(x, y, z), b, mulDy(x, y, z)))
    }
  }
  return undefined
}

/** Reverse mode over plain numbers: entries are rows of typed arrays. */
export const reverseOverNumber = (tape: NumberBuilder): ReverseFloating<number> => {
  const leaf = (x: number): Var<number> => asVar(tape.push(x, -1, 0, -1, 0))
  const instance = floatingFrom<Var<number>>({
    zero: leaf(0),
    one: leaf(1),
    fromNumber: leaf,
    toNumber: (a) => tape.value(a),
    unaryFor: (op) => {
      const f = op.primal
      const d = op.derivative(scalar)
      return (a) => {
        const x = tape.value(a)
        const y = f(x)
        return asVar(tape.push(y, a, d(x, y), -1, 0))
      }
    },
    binaryFor: (op) => {
      const hot = ringOp(op, tape)
      if (hot !== undefined) return hot
      const f = op.primal
      if (op.linear !== undefined) {
        const [kx, ky] = op.linear
        return (a, b) => asVar(tape.push(f(tape.value(a), tape.value(b)), a, kx, b, ky))
      }
      const dx = op.dx(scalar)
      const dy = op.dy(scalar)
      return (a, b) => {
        const x = tape.value(a)
        const y = tape.value(b)
        const z = f(x, y)
        return asVar(tape.push(z, a, dx(x, y, z), b, dy(x, y, z)))
      }
    },
  })
  return { ...instance, variable: leaf, lift: leaf, value: (a) => tape.value(a) }
}

/** Sums an adjoint down to its operand's shape when broadcasting made it larger. */
const fitDown = <B>(F: Floating<B>): ((g: B, like: B) => B) => {
  const ub = F.unbroadcast
  if (ub === undefined || !isTensorial(F)) return (g) => g
  const size = (x: B) => F.shape(x).reduce((a, b) => a * b, 1)
  return (g, like) => (size(g) > size(like) ? ub(g, like) : g)
}

/** Reverse mode over any base: entries hold base values and pullbacks. */
export function reverseOverBase<B>(F: Tensorial<B>, tape: GenericBuilder<B>): ReverseTensorial<B>
export function reverseOverBase<B>(F: Floating<B>, tape: GenericBuilder<B>): ReverseFloating<B>
export function reverseOverBase<B>(F: Floating<B>, tape: GenericBuilder<B>): ReverseFloating<B> {
  // Constants depend on no variable: an op on constants only is recorded as a constant,
  // and no pullback is built into a constant operand (no adjoint is ever wanted there).
  const constant = (x: B): Var<B> => asVar(tape.push(x, -1, undefined, -1, undefined, true))
  const variable = (x: B): Var<B> => asVar(tape.push(x, -1, undefined, -1, undefined))
  const isZero = zeroTest(F)
  // The adjoint of an operand has the operand's shape: sum away what broadcasting added.
  // A shape-[] adjoint stays one number (it stands for itself at every element); only an
  // adjoint larger than its operand is summed down.
  const fit = fitDown(F)
  // A zero partial contributes nothing (internal/zero.ts): no pullback at all.
  const times = (d: B, like: B): Pull<B> | undefined =>
    isZero(d) ? undefined : (u) => fit(F.mul(u, d), like)
  const scaled = (k: number, like: B): Pull<B> => {
    const s = scaleBy(F, k)
    return (u) => fit(s(u), like)
  }
  const instance = floatingFrom<Var<B>>({
    zero: constant(F.zero),
    one: constant(F.one),
    fromNumber: (n) => constant(F.fromNumber(n)),
    toNumber: (a) => F.toNumber(tape.value(a)),
    unaryFor: (op) => {
      const f = unaryOf(F, op)
      const d = op.derivative(F)
      return (a) => {
        const x = tape.value(a)
        const y = f(x)
        if (tape.isConstant(a)) return constant(y)
        return asVar(tape.push(y, a, times(d(x, y), y), -1, undefined))
      }
    },
    binaryFor: (op) => {
      const f = binaryOf(F, op)
      const [kx, ky] = op.linear ?? [0, 0]
      const dx = op.linear === undefined ? op.dx(F) : undefined
      const dy = op.linear === undefined ? op.dy(F) : undefined
      return (a, b) => {
        const x = tape.value(a)
        const y = tape.value(b)
        const z = f(x, y)
        const ca = tape.isConstant(a)
        const cb = tape.isConstant(b)
        if (ca && cb) return constant(z)
        const pa = ca ? undefined : dx === undefined ? scaled(kx, x) : times(dx(x, y, z), x)
        const pb = cb ? undefined : dy === undefined ? scaled(ky, y) : times(dy(x, y, z), y)
        return asVar(tape.push(z, a, pa, b, pb))
      }
    },
  })
  const R: ReverseFloating<B> = {
    ...instance,
    variable,
    lift: constant,
    value: (a) => tape.value(a),
  }
  return isTensorial(F) ? withTensorial(F, R, tape) : R
}

/** Adds the structural ops of the table to a reverse instance over a Tensorial base. */
const withTensorial = <B>(
  T: Tensorial<B>,
  R: ReverseFloating<B>,
  tape: GenericBuilder<B>,
): ReverseTensorial<B> => {
  const unary =
    (f: (x: B) => B, vjp: (x: B, u: B) => B) =>
    (a: Var<B>): Var<B> => {
      const x = tape.value(a)
      const y = f(x)
      if (tape.isConstant(a)) return R.lift(y)
      return asVar(tape.push(y, a, (u) => vjp(x, T.unbroadcast(u, y)), -1, undefined))
    }
  const linear = (row: LinearRow, f: (x: B) => B) => unary(f, row.vjp(T))
  const bilinear = (row: BilinearRow, f: (x: B, y: B) => B) => {
    const vx = row.vjpX(T)
    const vy = row.vjpY(T)
    return (a: Var<B>, b: Var<B>): Var<B> => {
      const x = tape.value(a)
      const y = tape.value(b)
      const ca = tape.isConstant(a)
      const cb = tape.isConstant(b)
      if (ca && cb) return R.lift(f(x, y))
      const z = f(x, y)
      // The vjps take the cotangent at the result's shape: a shape-[] one is spread here.
      const pa = ca ? undefined : (u: B) => vx(x, y, T.unbroadcast(u, z))
      const pb = cb ? undefined : (u: B) => vy(x, y, T.unbroadcast(u, z))
      return asVar(tape.push(z, a, pa, b, pb))
    }
  }
  return {
    ...R,
    sum: linear(linearOps.sum, T.sum),
    mean: linear(linearOps.mean, T.mean),
    transpose: linear(linearOps.transpose, T.transpose),
    dot: bilinear(bilinearOps.dot, T.dot),
    matmul: bilinear(bilinearOps.matmul, T.matmul),
    reshape: (a, shape) => {
      const back = T.shape(tape.value(a))
      return unary(
        (x) => T.reshape(x, shape),
        (_x, u) => T.reshape(u, back),
      )(a)
    },
    constant: (t) => R.lift(T.constant(t)),
    shape: (a) => T.shape(tape.value(a)),
    // Recorded like any op: its adjoint broadcasts back to g's shape.
    unbroadcast: (g, like) => {
      const target = tape.value(like)
      return unary(
        (x) => T.unbroadcast(x, target),
        (x, u) => T.unbroadcast(u, x),
      )(g)
    },
  }
}
