/**
 * GradBench `ba` (ADBench's bundle adjustment). The input describes n cameras, m
 * points and p observations by one camera, one point, one weight and one feature,
 * duplicated; observation i sees camera i mod n and point i mod m. The reprojection
 * error of an observation is w·(proj − feat), where proj rotates X − C by the
 * camera's Rodrigues vector, divides by depth, applies radial distortion and the
 * intrinsics; the weight error is 1 − w².
 *
 * Every observation is computed at once on the tensor backend: each of the 15
 * parameters an observation reads (11 of its camera, 3 of its point, its weight) is
 * gathered into a column of p values. The Jacobian of the errors with respect to
 * those columns is block diagonal, one 2 × 15 block an observation, so one recorded
 * pass and three pullbacks (one an error row) give every block: reverse mode with
 * column-sized cotangents. The blocks are then placed in ADBench's sparse layout.
 */
import * as t from 'io-ts'
import { tensor, Tensor, vjp, type Tensorial } from '../../../../src/index.js'
import { evalFunction, Numbers, Runs, type EvalModule } from '../protocol.js'

const Input = t.intersection([
  Runs,
  t.type({
    n: t.number,
    m: t.number,
    p: t.number,
    cam: Numbers,
    x: Numbers,
    w: t.number,
    feat: Numbers,
  }),
])
type Input = t.TypeOf<typeof Input>

const CAMERA = 11

type Vec3<A> = readonly [A, A, A]

const cross = <A>(T: Tensorial<A>, a: Vec3<A>, b: Vec3<A>): Vec3<A> => [
  T.sub(T.mul(a[1], b[2]), T.mul(a[2], b[1])),
  T.sub(T.mul(a[2], b[0]), T.mul(a[0], b[2])),
  T.sub(T.mul(a[0], b[1]), T.mul(a[1], b[0])),
]

/** Rotates `pt` by the Rodrigues vector `rot` (the first-order form where rot = 0). */
const rotate = <A>(T: Tensorial<A>, rot: Vec3<A>, pt: Vec3<A>): Vec3<A> => {
  const sqTheta = T.add(T.add(T.mul(rot[0], rot[0]), T.mul(rot[1], rot[1])), T.mul(rot[2], rot[2]))
  const theta = T.sqrt(sqTheta)
  const cos = T.cos(theta)
  const sin = T.sin(theta)
  const inverse = T.div(T.one, theta)
  const w: Vec3<A> = [T.mul(rot[0], inverse), T.mul(rot[1], inverse), T.mul(rot[2], inverse)]
  const wxp = cross(T, w, pt)
  const dot = T.add(T.add(T.mul(w[0], pt[0]), T.mul(w[1], pt[1])), T.mul(w[2], pt[2]))
  const tmp = T.mul(dot, T.sub(T.one, cos))
  const small = cross(T, rot, pt)
  const nonzero = T.gt(sqTheta, T.zero)
  return [0, 1, 2].map((i) =>
    T.where(
      nonzero,
      T.add(T.add(T.mul(pt[i]!, cos), T.mul(wxp[i]!, sin)), T.mul(w[i]!, tmp)),
      T.add(pt[i]!, small[i]!),
    ),
  ) as unknown as Vec3<A>
}

/**
 * The errors of every observation from the 15 parameter columns (camera r, C, f, u₀,
 * v₀, k₁, k₂; point X; weight w): [e₀, e₁, w error], each of p values.
 */
const errors =
  (feat: ReadonlyArray<number>) =>
  <A>(T: Tensorial<A>) =>
  (cols: ReadonlyArray<A>): ReadonlyArray<A> => {
    const c = (i: number) => cols[i]!
    const centred: Vec3<A> = [T.sub(c(11), c(3)), T.sub(c(12), c(4)), T.sub(c(13), c(5))]
    const xcam = rotate(T, [c(0), c(1), c(2)], centred)
    const px = T.div(xcam[0], xcam[2])
    const py = T.div(xcam[1], xcam[2])
    const rsq = T.add(T.mul(px, px), T.mul(py, py))
    const distortion = T.add(T.add(T.one, T.mul(c(9), rsq)), T.mul(T.mul(c(10), rsq), rsq))
    const projX = T.add(T.mul(T.mul(px, distortion), c(6)), c(7))
    const projY = T.add(T.mul(T.mul(py, distortion), c(6)), c(8))
    const w = c(14)
    return [
      T.mul(w, T.sub(projX, T.fromNumber(feat[0]!))),
      T.mul(w, T.sub(projY, T.fromNumber(feat[1]!))),
      T.sub(T.one, T.mul(w, w)),
    ]
  }

/** The duplicated problem, and the 15 columns of gathered parameters. */
const expand = (input: Input): ReadonlyArray<Tensor> => {
  const { n, m, p } = input
  if (input.cam.length !== CAMERA || input.x.length !== 3 || input.feat.length !== 2) {
    throw new Error(
      `ba: expected cam of 11, x of 3 and feat of 2 numbers, got ${input.cam.length}, ${input.x.length} and ${input.feat.length}`,
    )
  }
  // The duplicated cameras, points and weights, as the eval defines them.
  const cams = new Float64Array(CAMERA * n)
  for (let i = 0; i < n; i++) cams.set(input.cam, i * CAMERA)
  const points = new Float64Array(3 * m)
  for (let i = 0; i < m; i++) points.set(input.x, i * 3)
  const weights = new Float64Array(p).fill(input.w)
  // Gathered per observation into columns; each buffer is frozen in a Tensor below.
  const cols = Array.from({ length: 15 }, () => new Float64Array(p))
  for (let i = 0; i < p; i++) {
    const cam = (i % n) * CAMERA
    const pt = (i % m) * 3
    for (let j = 0; j < CAMERA; j++) cols[j]![i] = cams[cam + j]!
    for (let j = 0; j < 3; j++) cols[CAMERA + j]![i] = points[pt + j]!
    cols[14]![i] = weights[i]!
  }
  return cols.map((col) => Tensor.fromArray(col, [p]))
}

/** ADBench's sparse Jacobian (row pointers, columns, values), first 30 entries and the last. */
const sparse = (input: Input, blocks: ReadonlyArray<ReadonlyArray<Float64Array>>) => {
  const { n, m, p } = input
  const rows = new Int32Array(3 * p + 1)
  const cols = new Int32Array(31 * p)
  const vals = new Float64Array(31 * p)
  let k = 0
  for (let i = 0; i < p; i++) {
    const cam = i % n
    const pt = i % m
    for (let row = 0; row < 2; row++) {
      rows[2 * i + row + 1] = rows[2 * i + row]! + 15
      const block = blocks[row]!
      for (let j = 0; j < CAMERA; j++) {
        cols[k] = CAMERA * cam + j
        vals[k++] = block[j]![i]!
      }
      for (let j = 0; j < 3; j++) {
        cols[k] = CAMERA * n + 3 * pt + j
        vals[k++] = block[CAMERA + j]![i]!
      }
      cols[k] = CAMERA * n + 3 * m + i
      vals[k++] = block[14]![i]!
    }
  }
  for (let i = 0; i < p; i++) {
    rows[2 * p + i + 1] = rows[2 * p + i]! + 1
    cols[k] = CAMERA * n + 3 * m + i
    vals[k++] = blocks[2]![14]![i]!
  }
  const ends = <X extends Int32Array | Float64Array>(a: X, length: number) => [
    ...Array.from(a.subarray(0, 30)),
    a[length - 1]!,
  ]
  return { rows: ends(rows, rows.length), cols: ends(cols, k), vals: ends(vals, k) }
}

export const ba: EvalModule = {
  objective: evalFunction(Input, (input) => {
    const cols = expand(input)
    return () => {
      const [e0, e1, we] = errors(input.feat)(tensor)(cols).map((e) => Tensor.toFlat(e))
      return {
        reproj_error: { elements: [e0![0], e1![0]], repeated: input.p },
        w_err: { element: we![0], repeated: input.p },
      }
    }
  }),
  jacobian: evalFunction(Input, (input) => {
    const cols = expand(input)
    const zeros = Tensor.fill([input.p], 0)
    const ones = Tensor.fill([input.p], 1)
    return () => {
      const [, pullback] = vjp(errors(input.feat))(tensor)(cols)
      const blocks = [0, 1, 2].map((row) =>
        pullback([0, 1, 2].map((i) => (i === row ? ones : zeros))).map((g) => Tensor.toFlat(g)),
      )
      return sparse(input, blocks)
    }
  }),
}
