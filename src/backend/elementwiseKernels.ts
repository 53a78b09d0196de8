/**
 * The eager kernels of the elementwise rows, which the tensor backend runs: each row's
 * primal applied over a whole buffer in a loop the JIT can inline (a call through a
 * function value per element costs several times the arithmetic). Each kernel calls
 * exactly the primal of its row, so kernels and table agree bit for bit (a test checks
 * every one); ops without a kernel (most `defineOp` ops) use the generic loop. They read
 * the op table, so they live here rather than in the storage layer (`src/tensor/`).
 *
 * @since 0.1.0
 */
import type { BinaryOp, UnaryOp } from '../Floating.js'
import {
  binaryOps,
  ruleOps,
  softplus,
  stableSigmoid,
  stableSoftplus,
  tangentOps,
  unaryOps,
} from '../ops/opTable.js'
import {
  isStrongZero as importedIsStrongZero,
  strongMul,
  tangentNeg,
} from '../tangentArithmetic.js'

// Bound in this module: V8 inlines a module's own constant into the loops below but calls
// an imported binding, about 20% slower on these loops.
const isStrongZero = importedIsStrongZero

/** Writes op(x[i]) to out[i]. */
export type UnaryKernel = (x: Float64Array, out: Float64Array) => void

/**
 * Writes op(x[i·sx], y[i·sy]) to out[i]; strides are 1 (an operand of the output's
 * size) or 0 (a one-element operand broadcast to all).
 */
export type BinaryKernel = (
  x: Float64Array,
  sx: number,
  y: Float64Array,
  sy: number,
  out: Float64Array,
) => void

const u = unaryOps
const unaryTable: ReadonlyArray<readonly [UnaryOp, UnaryKernel]> = [
  [
    u.neg,
    (x, o) => {
      for (let i = 0; i < o.length; i++) o[i] = -x[i]!
    },
  ],
  [
    u.exp,
    (x, o) => {
      for (let i = 0; i < o.length; i++) o[i] = Math.exp(x[i]!)
    },
  ],
  [
    u.log,
    (x, o) => {
      for (let i = 0; i < o.length; i++) o[i] = Math.log(x[i]!)
    },
  ],
  [
    u.log1p,
    (x, o) => {
      for (let i = 0; i < o.length; i++) o[i] = Math.log1p(x[i]!)
    },
  ],
  [
    u.sqrt,
    (x, o) => {
      for (let i = 0; i < o.length; i++) o[i] = Math.sqrt(x[i]!)
    },
  ],
  [
    u.sin,
    (x, o) => {
      for (let i = 0; i < o.length; i++) o[i] = Math.sin(x[i]!)
    },
  ],
  [
    u.cos,
    (x, o) => {
      for (let i = 0; i < o.length; i++) o[i] = Math.cos(x[i]!)
    },
  ],
  [
    u.tanh,
    (x, o) => {
      for (let i = 0; i < o.length; i++) o[i] = Math.tanh(x[i]!)
    },
  ],
  [
    u.sigmoid,
    (x, o) => {
      for (let i = 0; i < o.length; i++) o[i] = stableSigmoid(x[i]!)
    },
  ],
  [
    u.abs,
    (x, o) => {
      for (let i = 0; i < o.length; i++) o[i] = Math.abs(x[i]!)
    },
  ],
  [
    u.relu,
    (x, o) => {
      for (let i = 0; i < o.length; i++) {
        const v = x[i]!
        o[i] = v > 0 ? v : v === v ? 0 : v
      }
    },
  ],
  [
    u.expm1,
    (x, o) => {
      for (let i = 0; i < o.length; i++) o[i] = Math.expm1(x[i]!)
    },
  ],
  [
    tangentOps.tangentNeg,
    (x, o) => {
      for (let i = 0; i < o.length; i++) o[i] = tangentNeg(x[i]!)
    },
  ],
  [
    softplus.spec,
    (x, o) => {
      for (let i = 0; i < o.length; i++) o[i] = stableSoftplus(x[i]!)
    },
  ],
]

const b = binaryOps
const binaryTable: ReadonlyArray<readonly [BinaryOp, BinaryKernel]> = [
  [
    b.add,
    (x, sx, y, sy, o) => {
      for (let i = 0; i < o.length; i++) o[i] = x[i * sx]! + y[i * sy]!
    },
  ],
  [
    b.sub,
    (x, sx, y, sy, o) => {
      for (let i = 0; i < o.length; i++) o[i] = x[i * sx]! - y[i * sy]!
    },
  ],
  [
    b.mul,
    (x, sx, y, sy, o) => {
      for (let i = 0; i < o.length; i++) o[i] = x[i * sx]! * y[i * sy]!
    },
  ],
  [
    b.div,
    (x, sx, y, sy, o) => {
      for (let i = 0; i < o.length; i++) o[i] = x[i * sx]! / y[i * sy]!
    },
  ],
  [
    b.pow,
    (x, sx, y, sy, o) => {
      for (let i = 0; i < o.length; i++) o[i] = Math.pow(x[i * sx]!, y[i * sy]!)
    },
  ],
  [
    b.maximum,
    (x, sx, y, sy, o) => {
      for (let i = 0; i < o.length; i++) o[i] = Math.max(x[i * sx]!, y[i * sy]!)
    },
  ],
  [
    b.minimum,
    (x, sx, y, sy, o) => {
      for (let i = 0; i < o.length; i++) o[i] = Math.min(x[i * sx]!, y[i * sy]!)
    },
  ],
  [
    ruleOps.shiftBy,
    (x, sx, m, sm, o) => {
      for (let i = 0; i < o.length; i++) {
        const a = x[i * sx]!
        const b = m[i * sm]!
        o[i] = a === Infinity && b === Infinity ? 0 : a - b
      }
    },
  ],
  [
    ruleOps.selectIf,
    (c, sc, x, sx, o) => {
      for (let i = 0; i < o.length; i++) o[i] = c[i * sc] !== 0 ? x[i * sx]! : -0
    },
  ],
  [
    ruleOps.selectUnless,
    (c, sc, y, sy, o) => {
      for (let i = 0; i < o.length; i++) o[i] = c[i * sc] !== 0 ? -0 : y[i * sy]!
    },
  ],
  [
    tangentOps.strongMul,
    (x, sx, y, sy, o) => {
      // strongMul written out; a uniform tangent (sy = 0) is tested once.
      if (sy === 0) {
        const t = y[0]!
        if (isStrongZero(t)) {
          o.fill(0)
          return
        }
        for (let i = 0; i < o.length; i++) {
          const d = x[i * sx]!
          const p = d * t
          o[i] = isStrongZero(d) ? 0 : p === 0 ? -0 : p
        }
        return
      }
      for (let i = 0; i < o.length; i++) o[i] = strongMul(x[i * sx]!, y[i * sy]!)
    },
  ],
  [
    tangentOps.tangentAdd,
    (x, sx, y, sy, o) => {
      // tangentAdd written out: only a zero sum looks at the signs of its terms.
      for (let i = 0; i < o.length; i++) {
        const a = x[i * sx]!
        const b = y[i * sy]!
        const s = a + b
        o[i] = s !== 0 ? s : isStrongZero(a) && isStrongZero(b) ? 0 : -0
      }
    },
  ],
]

/**
 * The kernel of a unary op, if it has one (looked up by the op's identity, so a
 * `defineOp` op that happens to share a name never gets a built-in's kernel).
 *
 * @category utils
 * @since 0.1.0
 */
export const unaryKernel = (op: UnaryOp): UnaryKernel | undefined =>
  unaryTable.find(([row]) => row === op)?.[1]

/**
 * The kernel of a binary op, if it has one.
 *
 * @category utils
 * @since 0.1.0
 */
export const binaryKernel = (op: BinaryOp): BinaryKernel | undefined =>
  binaryTable.find(([row]) => row === op)?.[1]
