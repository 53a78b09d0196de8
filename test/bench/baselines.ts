/**
 * Hand-written baselines for the Rosenbrock benchmark: the same function and gradient
 * without the library, (1) on a flat struct-of-arrays tape, (2) on a micrograd-style
 * graph of objects with backward closures, (3) with bare dual-number objects.
 */

/** The arrays of a flat tape of `cap` entries: values, parents, partials, adjoints. */
const flatStorage = (cap: number) => ({
  val: new Float64Array(cap),
  p1: new Int32Array(cap),
  p2: new Int32Array(cap),
  d1: new Float64Array(cap),
  d2: new Float64Array(cap),
  adj: new Float64Array(cap),
})

/** Rosenbrock's gradient on the flat tape `s` (large enough): the adjoints of the inputs. */
const flatTapeGradOn = (xs: ReadonlyArray<number>, s: ReturnType<typeof flatStorage>) => {
  const { val, p1, p2, d1, d2, adj } = s
  const n = xs.length
  let len = 0
  const push = (v: number, a: number, da: number, b: number, db: number): number => {
    val[len] = v
    p1[len] = a
    d1[len] = da
    p2[len] = b
    d2[len] = db
    return len++
  }
  for (let i = 0; i < n; i++) push(xs[i]!, -1, 0, -1, 0)
  let s0 = push(0, -1, 0, -1, 0)
  for (let i = 0; i + 1 < n; i++) {
    const xi = val[i]!
    const sq = push(xi * xi, i, xi, i, xi)
    const a = push(val[i + 1]! - val[sq]!, i + 1, 1, sq, -1)
    const aa = push(val[a]! * val[a]!, a, val[a]!, a, val[a]!)
    const t = push(100 * val[aa]!, aa, 100, -1, 0)
    const b = push(1 - xi, i, -1, -1, 0)
    const bb = push(val[b]! * val[b]!, b, val[b]!, b, val[b]!)
    const u = push(val[t]! + val[bb]!, t, 1, bb, 1)
    s0 = push(val[s0]! + val[u]!, s0, 1, u, 1)
  }
  adj.fill(0, 0, len)
  adj[s0] = 1
  for (let i = len - 1; i >= 0; i--) {
    const g = adj[i]!
    if (g === 0) continue
    const a = p1[i]!
    const b = p2[i]!
    if (a >= 0) adj[a] = adj[a]! + g * d1[i]!
    if (b >= 0) adj[b] = adj[b]! + g * d2[i]!
  }
  return adj
}

/** Rosenbrock's gradient on a hand-written flat tape: values, parents, partials. */
export const flatTapeGrad = (xs: ReadonlyArray<number>): Float64Array =>
  flatTapeGradOn(xs, flatStorage(9 * xs.length + 16)).subarray(0, xs.length)

/**
 * The same flat tape over arrays made once, for points of up to n elements, as `grad`
 * keeps its tape's storage for the next call: only the gradient is a fresh array.
 */
export const reusingFlatTapeGrad = (n: number): ((xs: ReadonlyArray<number>) => Float64Array) => {
  const s = flatStorage(9 * n + 16)
  return (xs) => flatTapeGradOn(xs, s).slice(0, xs.length)
}

/** A micrograd-style node: data, grad, parents and a backward closure. */
class Value {
  grad = 0
  backward: () => void = () => undefined
  constructor(
    public data: number,
    readonly parents: ReadonlyArray<Value> = [],
  ) {}
  add(o: Value): Value {
    const out = new Value(this.data + o.data, [this, o])
    out.backward = () => {
      this.grad += out.grad
      o.grad += out.grad
    }
    return out
  }
  sub(o: Value): Value {
    const out = new Value(this.data - o.data, [this, o])
    out.backward = () => {
      this.grad += out.grad
      o.grad -= out.grad
    }
    return out
  }
  mul(o: Value): Value {
    const out = new Value(this.data * o.data, [this, o])
    out.backward = () => {
      this.grad += o.data * out.grad
      o.grad += this.data * out.grad
    }
    return out
  }
}

/** Rosenbrock's gradient on a micrograd-style graph (iterative topological order). */
export const microgradGrad = (xs: ReadonlyArray<number>): number[] => {
  const vs = xs.map((x) => new Value(x))
  const hundred = new Value(100)
  const one = new Value(1)
  let s = new Value(0)
  for (let i = 0; i + 1 < vs.length; i++) {
    const a = vs[i + 1]!.sub(vs[i]!.mul(vs[i]!))
    const b = one.sub(vs[i]!)
    s = s.add(hundred.mul(a.mul(a)).add(b.mul(b)))
  }
  const order: Value[] = []
  const seen = new Set<Value>()
  const stack: Array<[Value, boolean]> = [[s, false]]
  while (stack.length > 0) {
    const [v, done] = stack.pop()!
    if (done) {
      order.push(v)
      continue
    }
    if (seen.has(v)) continue
    seen.add(v)
    stack.push([v, true])
    for (const p of v.parents) if (!seen.has(p)) stack.push([p, false])
  }
  s.grad = 1
  for (let i = order.length - 1; i >= 0; i--) order[i]!.backward()
  return vs.map((v) => v.grad)
}

interface D {
  readonly v: number
  readonly t: number
}

/** Rosenbrock's directional derivative with bare dual-number objects. */
export const bareDualJvp = (xs: ReadonlyArray<number>, dirs: ReadonlyArray<number>): number => {
  const add = (a: D, b: D): D => ({ v: a.v + b.v, t: a.t + b.t })
  const sub = (a: D, b: D): D => ({ v: a.v - b.v, t: a.t - b.t })
  const mul = (a: D, b: D): D => ({ v: a.v * b.v, t: a.t * b.v + a.v * b.t })
  const ds = xs.map((x, i) => ({ v: x, t: dirs[i]! }))
  const hundred = { v: 100, t: 0 }
  const one = { v: 1, t: 0 }
  let s: D = { v: 0, t: 0 }
  for (let i = 0; i + 1 < ds.length; i++) {
    const a = sub(ds[i + 1]!, mul(ds[i]!, ds[i]!))
    const b = sub(one, ds[i]!)
    s = add(s, add(mul(hundred, mul(a, a)), mul(b, b)))
  }
  return s.t
}
