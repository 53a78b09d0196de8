/**
 * GradBench `ht` (ADBench's hand tracking). θ (26 numbers) poses a skinned hand model:
 * global rotation (angle-axis) and translation, then per finger bone Euler angles,
 * arranged in a 3 × (bones + 3) matrix of pose parameters. Each bone's posed relative
 * transform is its base transform times the rotation Rz·Ry·Rx; absolutes follow the
 * parent chain; vertices are blended by the skinning weights, mirrored if the model
 * says so, then rotated and translated globally. The errors are the observed points
 * minus the corresponding vertices, or, when `us` is not empty, minus the points of
 * the corresponding triangles at barycentric coordinates (u₀, u₁, 1 − u₀ − u₁).
 *
 * The program runs on tensors: bones batched in [bones, 4, 4] arrays, the parent
 * chain one small product a bone. The Jacobian (3c rows; columns ∂/∂u₀, ∂/∂u₁ when
 * `us` is given, then ∂/∂θ) is forward mode: one direction a θ entry, and one for each
 * of u₀ and u₁ with every correspondence's coordinate perturbed at once (each error
 * reads only its own u, so the blocks do not mix), all in one `jvp` under `vmap`.
 */
import * as t from 'io-ts'
import { jvp, tensor, Tensor, vmap, type Tensorial } from '../../../../src/index.js'
import { flatten } from '../arrays.js'
import { evalFunction, Matrix, Numbers, Runs, type EvalModule } from '../protocol.js'

const Model = t.type({
  bone_names: t.array(t.string),
  parents: Numbers,
  base_relatives: t.array(Matrix),
  inverse_base_absolutes: t.array(Matrix),
  base_positions: Matrix,
  weights: Matrix,
  triangles: Matrix,
  is_mirrored: t.boolean,
})

const Input = t.intersection([
  Runs,
  t.type({
    theta: Numbers,
    data: t.type({ model: Model, correspondences: Numbers, points: Matrix }),
    us: Matrix,
  }),
])
type Input = t.TypeOf<typeof Input>

/** The constant data of one input, as tensors and index lists. */
interface Data {
  readonly bones: number
  readonly parents: ReadonlyArray<number>
  readonly baseRelatives: Tensor
  readonly inverseBaseAbsolutes: Tensor
  readonly basePositions: Tensor
  readonly weights: Tensor
  readonly mirror: Tensor
  readonly corner: Tensor
  readonly poseIndex: ReadonlyArray<number>
  readonly pointsT: Tensor
  /** Vertex indices of the correspondences: one list (simple), or three (triangle corners). */
  readonly vertices: ReadonlyArray<ReadonlyArray<number>>
}

/** The parameters: θ, and the barycentric coordinates u₀, u₁ of each correspondence. */
interface Params<A> {
  readonly theta: A
  readonly u0: A
  readonly u1: A
}

/**
 * Where each entry of the 3 × (bones + 3) pose matrix comes from in [θ, 0, 1]: column 0
 * the global rotation, column 1 ones, column 2 the translation, then for each of five
 * fingers three bones (the first with two angles, the others one) and a bone skipped.
 */
const poseIndex = (bones: number, thetaSize: number): ReadonlyArray<number> => {
  const cols = bones + 3
  const zero = thetaSize
  const one = thetaSize + 1
  const index = new Array<number>(3 * cols).fill(zero)
  for (let r = 0; r < 3; r++) {
    index[r * cols] = r
    index[r * cols + 1] = one
    index[r * cols + 2] = 3 + r
  }
  let next = 6
  let col = 5
  for (let finger = 0; finger < 5; finger++) {
    for (let bone = 2; bone <= 4; bone++) {
      index[col] = next++
      if (bone === 2) index[cols + col] = next++
      col++
    }
    col++
  }
  return index
}

/** A [..., 3, 3] matrix from its nine entries in row-major order, each of shape [...]. */
const matrix3 = <A>(T: Tensorial<A>, entries: ReadonlyArray<A>): A => {
  const stacked = T.stack(entries, -1)
  return T.reshape(stacked, [...T.shape(stacked).slice(0, -1), 3, 3])
}

/** Rotation matrices Rz·Ry·Rx of Euler angles (x, z, y), batched over bones. */
const eulerRotations = <A>(T: Tensorial<A>, angles: A, bones: number): A => {
  const row = (i: number) => T.reshape(T.slice(angles, [i], [i + 1]), [bones])
  const [tx, tz, ty] = [row(0), row(1), row(2)]
  const zero = T.mul(tx, T.zero)
  const one = T.add(zero, T.one)
  const [cx, sx, cy, sy, cz, sz] = [
    T.cos(tx),
    T.sin(tx),
    T.cos(ty),
    T.sin(ty),
    T.cos(tz),
    T.sin(tz),
  ]
  const rx = matrix3(T, [one, zero, zero, zero, cx, T.neg(sx), zero, sx, cx])
  const ry = matrix3(T, [cy, zero, sy, zero, one, zero, T.neg(sy), zero, cy])
  const rz = matrix3(T, [cz, T.neg(sz), zero, sz, cz, zero, zero, zero, one])
  return T.matmul(T.matmul(rz, ry), rx)
}

/** The rotation of an angle-axis vector (the identity below a norm of 1e-4). */
const angleAxis = <A>(T: Tensorial<A>, v: A): A => {
  const norm = T.sqrt(T.sum(T.mul(v, v)))
  if (T.toNumber(norm) < 1e-4)
    return T.constant(Tensor.fromArray([1, 0, 0, 0, 1, 0, 0, 0, 1], [3, 3]))
  const [x, y, z] = [0, 1, 2].map((i) => T.div(T.sum(T.slice(v, [i], [i + 1])), norm)) as [A, A, A]
  const s = T.sin(norm)
  const c = T.cos(norm)
  const oc = T.sub(T.one, c)
  const m = (a: A, b: A) => T.mul(T.mul(a, b), oc)
  const diag = (a: A) => T.add(T.mul(a, a), T.mul(T.sub(T.one, T.mul(a, a)), c))
  return matrix3(T, [
    diag(x),
    T.sub(m(x, y), T.mul(z, s)),
    T.add(m(x, z), T.mul(y, s)),
    T.add(m(x, y), T.mul(z, s)),
    diag(y),
    T.sub(m(y, z), T.mul(x, s)),
    T.sub(m(x, z), T.mul(y, s)),
    T.add(m(z, y), T.mul(x, s)),
    diag(z),
  ])
}

/** The posed vertex positions, [3, vertices]. */
const vertexPositions = <A>(T: Tensorial<A>, data: Data, theta: A): A => {
  const { bones } = data
  const pose = T.reshape(
    T.take(T.concat([theta, T.constant(Tensor.fromArray([0, 1]))]), data.poseIndex),
    [3, bones + 3],
  )
  const rotations = eulerRotations(T, T.slice(pose, [0, 3], [3, bones + 3]), bones)
  const posed = T.add(T.pad(rotations, [bones, 4, 4], [0, 0, 0]), T.constant(data.corner))
  const relatives = T.matmul(T.constant(data.baseRelatives), posed)
  const absolutes: A[] = []
  data.parents.forEach((parent, i) => {
    const relative = T.take(relatives, [i], 0)
    absolutes.push(parent === -1 ? relative : T.matmul(absolutes[parent]!, relative))
  })
  const transforms = T.matmul(T.concat(absolutes, 0), T.constant(data.inverseBaseAbsolutes))
  const moved = T.slice(T.matmul(transforms, T.constant(data.basePositions)), [0, 0], [bones, 3])
  const skinned = T.mul(
    T.sum(T.mul(moved, T.constant(data.weights)), { axis: 0 }),
    T.constant(data.mirror),
  )
  const rotation = angleAxis(T, T.slice(theta, [0], [3]))
  const translation = T.reshape(T.slice(theta, [3], [6]), [3, 1])
  return T.add(T.matmul(rotation, skinned), translation)
}

/** The errors, [correspondences, 3]. */
const objective =
  (data: Data) =>
  <A>(T: Tensorial<A>) =>
  (p: Params<A>): A => {
    const positions = vertexPositions(T, data, p.theta)
    const at = (i: number) => T.take(positions, data.vertices[i]!, 1)
    const model =
      data.vertices.length === 1
        ? at(0)
        : T.add(
            T.add(T.mul(p.u0, at(0)), T.mul(p.u1, at(1))),
            T.mul(T.sub(T.sub(T.one, p.u0), p.u1), at(2)),
          )
    return T.transpose(T.sub(T.constant(data.pointsT), model))
  }

const prepare = (input: Input): { readonly data: Data; readonly params: Params<Tensor> } => {
  const { model, correspondences, points } = input.data
  const bones = model.bone_names.length
  const vertexCount = model.base_positions.length
  const c = correspondences.length
  const transpose = (rows: ReadonlyArray<ReadonlyArray<number>>, cols: number) => {
    const flat = flatten(rows, cols)
    // A fresh buffer, frozen in a Tensor by the caller.
    const out = new Float64Array(flat.length)
    for (let i = 0; i < rows.length; i++)
      for (let j = 0; j < cols; j++) out[j * rows.length + i] = flat[i * cols + j]!
    return out
  }
  const stack4 = (ms: ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>) =>
    Tensor.fromArray(Float64Array.from(ms.flatMap((m) => Array.from(flatten(m, 4)))), [
      ms.length,
      4,
      4,
    ])
  const corner = new Float64Array(bones * 16)
  for (let b = 0; b < bones; b++) corner[b * 16 + 15] = 1
  const complicated = input.us.length > 0
  const triangle = (k: number) => correspondences.map((i) => model.triangles[i]![k]!)
  const us = complicated ? flatten(input.us, 2) : new Float64Array(0)
  const column = (k: number) => us.filter((_, i) => i % 2 === k)
  return {
    data: {
      bones,
      parents: model.parents,
      baseRelatives: stack4(model.base_relatives),
      inverseBaseAbsolutes: stack4(model.inverse_base_absolutes),
      basePositions: Tensor.fromArray(transpose(model.base_positions, 4), [4, vertexCount]),
      weights: Tensor.fromArray(transpose(model.weights, bones), [bones, 1, vertexCount]),
      mirror: Tensor.fromArray([model.is_mirrored ? -1 : 1, 1, 1], [3, 1]),
      corner: Tensor.fromArray(corner, [bones, 4, 4]),
      poseIndex: poseIndex(bones, input.theta.length),
      pointsT: Tensor.fromArray(transpose(points, 3), [3, c]),
      vertices: complicated ? [triangle(0), triangle(1), triangle(2)] : [correspondences],
    },
    params: {
      theta: Tensor.fromArray(input.theta),
      u0: Tensor.fromArray(complicated ? column(0) : new Float64Array(c), [c]),
      u1: Tensor.fromArray(complicated ? column(1) : new Float64Array(c), [c]),
    },
  }
}

export const ht: EvalModule = {
  objective: evalFunction(Input, (input) => {
    const { data, params } = prepare(input)
    return () => Array.from(Tensor.toFlat(objective(data)(tensor)(params)))
  }),
  jacobian: evalFunction(Input, (input) => {
    const { data, params } = prepare(input)
    const c = input.data.correspondences.length
    const thetaZero = Tensor.fill([input.theta.length], 0)
    const uZero = Tensor.fill([c], 0)
    const uOne = Tensor.fill([c], 1)
    const unit = (i: number) => Tensor.fromArray(input.theta.map((_, j) => (j === i ? 1 : 0)))
    const directions: ReadonlyArray<Params<Tensor>> = [
      ...(input.us.length > 0
        ? [
            { theta: thetaZero, u0: uOne, u1: uZero },
            { theta: thetaZero, u0: uZero, u1: uOne },
          ]
        : []),
      ...input.theta.map((_, i) => ({ theta: unit(i), u0: uZero, u1: uZero })),
    ]
    // Every direction at once: vmap runs each op of the jvp once, on all the directions.
    const stacked: Params<Tensor> = {
      theta: tensor.stack(directions.map((v) => v.theta)),
      u0: tensor.stack(directions.map((v) => v.u0)),
      u1: tensor.stack(directions.map((v) => v.u1)),
    }
    const tangents = vmap(
      <A>(T: Tensorial<A>) =>
        (p: Params<A>, v: Params<A>): A =>
          jvp(objective(data))(T)(p, v)[1],
      { inAxes: [null, 0] },
    )(tensor)
    return () => {
      // Row j of the result is the tangent of direction j: column j of the Jacobian.
      const columns = Tensor.toFlat(tangents(params, stacked))
      const m = directions.length
      return Array.from({ length: 3 * c }, (_, row) =>
        Array.from({ length: m }, (_, j) => columns[j * 3 * c + row]!),
      )
    }
  }),
}
