/**
 * The reverse-mode instances: `Floating<Var<B>>` whose ops evaluate on the base and
 * append one entry to the builder of the current record action.
 */
import { scalar } from '../backend/scalar.js'
import type { Floating } from '../Floating.js'
import { bilinearOps, linearOps, type BilinearRow, type LinearRow } from '../structuralOps.js'
import { isTensorial, type Tensorial } from '../Tensorial.js'
import type { ReverseFloating, ReverseTensorial, Var } from '../Var.js'
import { binaryOf, floatingFrom, scaleBy, unaryOf } from './lifting.js'
import type { GenericBuilder, NumberBuilder, Pull } from './tapeStore.js'
import { zeroTest } from './zero.js'

const asVar = <B>(i: number): Var<B> => i as Var<B>

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
  return { ...instance, lift: leaf, value: (a) => tape.value(a) }
}

/** Reverse mode over any base: entries hold base values and pullbacks. */
export function reverseOverBase<B>(F: Tensorial<B>, tape: GenericBuilder<B>): ReverseTensorial<B>
export function reverseOverBase<B>(F: Floating<B>, tape: GenericBuilder<B>): ReverseFloating<B>
export function reverseOverBase<B>(F: Floating<B>, tape: GenericBuilder<B>): ReverseFloating<B> {
  const leaf = (x: B): Var<B> => asVar(tape.push(x, -1, undefined, -1, undefined))
  const ub = F.unbroadcast
  const isZero = zeroTest(F)
  // A zero partial contributes nothing (internal/zero.ts): no pullback at all.
  const times = (d: B, like: B): Pull<B> | undefined =>
    isZero(d) ? undefined : (u) => fit(F.mul(u, d), like)
  // The adjoint of an operand has the operand's shape: sum away what broadcasting added.
  const fit = ub === undefined ? (g: B): B => g : (g: B, like: B): B => ub(g, like)
  const scaled = (k: number, like: B): Pull<B> => {
    const s = scaleBy(F, k)
    return (u) => fit(s(u), like)
  }
  const instance = floatingFrom<Var<B>>({
    zero: leaf(F.zero),
    one: leaf(F.one),
    fromNumber: (n) => leaf(F.fromNumber(n)),
    toNumber: (a) => F.toNumber(tape.value(a)),
    unaryFor: (op) => {
      const f = unaryOf(F, op)
      const d = op.derivative(F)
      return (a) => {
        const x = tape.value(a)
        const y = f(x)
        return asVar(tape.push(y, a, times(d(x, y), y), -1, undefined))
      }
    },
    binaryFor: (op) => {
      const f = binaryOf(F, op)
      if (op.linear !== undefined) {
        const [kx, ky] = op.linear
        return (a, b) => {
          const x = tape.value(a)
          const y = tape.value(b)
          return asVar(tape.push(f(x, y), a, scaled(kx, x), b, scaled(ky, y)))
        }
      }
      const dx = op.dx(F)
      const dy = op.dy(F)
      return (a, b) => {
        const x = tape.value(a)
        const y = tape.value(b)
        const z = f(x, y)
        const px = dx(x, y, z)
        const py = dy(x, y, z)
        return asVar(
          tape.push(
            z,
            a,
            (u) => fit(F.mul(u, px), x),
            b,
            (u) => fit(F.mul(u, py), y),
          ),
        )
      }
    },
  })
  const R: ReverseFloating<B> = { ...instance, lift: leaf, value: (a) => tape.value(a) }
  return isTensorial(F) ? withTensorial(F, R, tape) : R
}

/** Adds the structural ops of the table to a reverse instance over a Tensorial base. */
const withTensorial = <B>(
  T: Tensorial<B>,
  R: ReverseFloating<B>,
  tape: GenericBuilder<B>,
): ReverseTensorial<B> => {
  const linear = (row: LinearRow, f: (x: B) => B) => {
    const vjp = row.vjp(T)
    return (a: Var<B>): Var<B> => {
      const x = tape.value(a)
      return asVar(tape.push(f(x), a, (u) => vjp(x, u), -1, undefined))
    }
  }
  const bilinear = (row: BilinearRow, f: (x: B, y: B) => B) => {
    const vx = row.vjpX(T)
    const vy = row.vjpY(T)
    return (a: Var<B>, b: Var<B>): Var<B> => {
      const x = tape.value(a)
      const y = tape.value(b)
      return asVar(
        tape.push(
          f(x, y),
          a,
          (u) => vx(x, y, u),
          b,
          (u) => vy(x, y, u),
        ),
      )
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
      const x = tape.value(a)
      const back = T.shape(x)
      return asVar(tape.push(T.reshape(x, shape), a, (u) => T.reshape(u, back), -1, undefined))
    },
    constant: (t) => R.lift(T.constant(t)),
    shape: (a) => T.shape(tape.value(a)),
    // Recorded like any op: its adjoint broadcasts back to g's shape.
    unbroadcast: (g, like) => {
      const x = tape.value(g)
      return asVar(
        tape.push(T.unbroadcast(x, tape.value(like)), g, (u) => T.unbroadcast(u, x), -1, undefined),
      )
    },
  }
}
