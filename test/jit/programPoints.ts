/** Points for generated programs: tensors of a program's input shapes from a flat list of values. */
import fc from 'fast-check'
import { programArbitrary, type Program } from '../../laws/index.js'
import { Tensor } from '../../src/index.js'

/** Tensors of a program's input shapes from a flat list of values. */
export const inputsOf = (p: Program, flat: ReadonlyArray<number>): Tensor[] => {
  let at = 0
  return p.inputs.map((shape) => {
    const size = shape.reduce((a, b) => a * b, 1)
    const t = Tensor.fromArray(flat.slice(at, at + size), shape)
    at += size
    return t
  })
}

/** A program and two points of `value`s: the trace runs at the first, the compiled graph at the second. */
export const programAndPoints = (value: fc.Arbitrary<number>) =>
  programArbitrary().chain((p) => {
    const size = p.inputs.reduce((s, shape) => s + shape.reduce((a, b) => a * b, 1), 0)
    const point = fc.array(value, { minLength: size, maxLength: size })
    return fc.tuple(fc.constant(p), point, point)
  })
