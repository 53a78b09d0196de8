/**
 * GradBench `gmm`: the log posterior of a Gaussian mixture with a Wishart prior on
 * the precision matrices QₖᵀQₖ (ADBench's objective with GradBench's fixes), and its
 * gradient with respect to α, μ, q and l by reverse mode over the tensor backend.
 *
 * log p(X | θ, φ) = −N(D/2 · log 2π + lse(α)) + Σᵢ lse(βᵢ), with
 * βᵢₖ = αₖ − ½‖Qₖ(xᵢ − μₖ)‖² + Σⱼ qₖⱼ, and
 * log p(θ) = K(nD log(γ/√2) − log Γ_D(n/2)) − γ²/2 Σₖ ‖Qₖ‖²_F + m Σₖⱼ qₖⱼ, n = D + m + 1.
 */
import * as t from 'io-ts'
import { grad, tensor, Tensor, type Tensorial } from '../../../../src/index.js'
import { flatten, unflatten } from '../arrays.js'
import { evalFunction, Matrix, Numbers, Runs, type EvalModule } from '../protocol.js'

const Input = t.intersection([
  Runs,
  t.type({
    d: t.number,
    k: t.number,
    n: t.number,
    m: t.number,
    gamma: t.number,
    x: Matrix,
    alpha: Numbers,
    mu: Matrix,
    q: Matrix,
    l: Matrix,
  }),
])
type Input = t.TypeOf<typeof Input>

/** The independent variables, as tensors: α [K], μ [K, D], q [K, D], l [K, D(D−1)/2]. */
interface Params<A> {
  readonly alpha: A
  readonly mu: A
  readonly q: A
  readonly l: A
}

/** log Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; about 15 digits). */
const logGamma = (x: number): number => {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ]
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x)
  const z = x - 1
  let a = c[0]!
  const g = z + 7.5
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i)
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(g) - g + Math.log(a)
}

/** The log of the multivariate gamma function Γ_p(a). */
const logMultiGamma = (a: number, p: number): number => {
  let sum = 0.25 * p * (p - 1) * Math.log(Math.PI)
  for (let j = 1; j <= p; j++) sum += logGamma(a + 0.5 * (1 - j))
  return sum
}

/** Where each entry of the flattened D × D factor comes from in [lₖ, 0]: l fills column by column below the diagonal. */
const lowerIndex = (d: number): ReadonlyArray<number> => {
  const size = (d * (d - 1)) / 2
  const index = new Array<number>(d * d).fill(size)
  let next = 0
  for (let col = 0; col < d; col++) {
    for (let row = col + 1; row < d; row++) index[row * d + col] = next++
  }
  return index
}

/** The data of one input: the points transposed to [1, D, N] and the constants. */
interface Data {
  readonly d: number
  readonly k: number
  readonly n: number
  readonly m: number
  readonly gamma: number
  readonly xT: Tensor
  readonly eye: Tensor
  readonly zeros: Tensor
  readonly lowerIndex: ReadonlyArray<number>
}

const logPosterior =
  (data: Data) =>
  <A>(T: Tensorial<A>) =>
  (p: Params<A>): A => {
    const { d, k, n, m, gamma } = data
    const num = (x: number) => T.fromNumber(x)
    const qDiag = T.exp(p.q)
    const sumQ = T.sum(p.q, { axis: 1, keepDims: true })
    const lower = T.take(T.concat([p.l, T.constant(data.zeros)], 1), data.lowerIndex, 1)
    const factor = T.add(
      T.reshape(lower, [k, d, d]),
      T.mul(T.reshape(qDiag, [k, d, 1]), T.constant(data.eye)),
    )
    const centred = T.sub(T.constant(data.xT), T.reshape(p.mu, [k, d, 1]))
    const qx = T.matmul(factor, centred)
    const sq = T.sum(T.mul(qx, qx), { axis: 1 })
    const beta = T.sub(T.add(T.reshape(p.alpha, [k, 1]), sumQ), T.mul(num(0.5), sq))
    const likelihood = T.sub(
      T.sum(T.logsumexp(beta, { axis: 0 })),
      T.mul(num(n), T.add(num(0.5 * d * Math.log(2 * Math.PI)), T.logsumexp(p.alpha))),
    )
    const dof = d + m + 1
    const constant =
      k * (dof * d * (Math.log(gamma) - 0.5 * Math.log(2)) - logMultiGamma(0.5 * dof, d))
    const frobenius = T.add(T.sum(T.mul(qDiag, qDiag)), T.sum(T.mul(p.l, p.l)))
    const prior = T.add(
      T.sub(num(constant), T.mul(num(0.5 * gamma * gamma), frobenius)),
      T.mul(num(m), T.sum(sumQ)),
    )
    return T.add(likelihood, prior)
  }

const prepare = (input: Input): { readonly data: Data; readonly params: Params<Tensor> } => {
  const { d, k, n, m, gamma } = input
  const size = (d * (d - 1)) / 2
  const x = flatten(input.x, d)
  // The transpose of the points, filled once per input; the buffer never escapes.
  const xT = new Float64Array(d * n)
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) xT[j * n + i] = x[i * d + j]!
  const eye = new Float64Array(d * d)
  for (let i = 0; i < d; i++) eye[i * d + i] = 1
  return {
    data: {
      d,
      k,
      n,
      m,
      gamma,
      xT: Tensor.fromArray(xT, [1, d, n]),
      eye: Tensor.fromArray(eye, [d, d]),
      zeros: Tensor.fill([k, 1], 0),
      lowerIndex: lowerIndex(d),
    },
    params: {
      alpha: Tensor.fromArray(input.alpha),
      mu: Tensor.fromArray(flatten(input.mu, d), [k, d]),
      q: Tensor.fromArray(flatten(input.q, d), [k, d]),
      l: Tensor.fromArray(flatten(input.l, size), [k, size]),
    },
  }
}

export const gmm: EvalModule = {
  objective: evalFunction(Input, (input) => {
    const { data, params } = prepare(input)
    return () => tensor.toNumber(logPosterior(data)(tensor)(params))
  }),
  jacobian: evalFunction(Input, (input) => {
    const { data, params } = prepare(input)
    const size = (input.d * (input.d - 1)) / 2
    return () => {
      const g = grad(logPosterior(data))(tensor)(params)
      return {
        alpha: Array.from(Tensor.toFlat(g.alpha)),
        mu: unflatten(Tensor.toFlat(g.mu), input.k, input.d),
        q: unflatten(Tensor.toFlat(g.q), input.k, input.d),
        l: unflatten(Tensor.toFlat(g.l), input.k, size),
      }
    }
  }),
}
