/** Test functions shared by specs and benchmarks, written once against `Floating`. */
import type { Floating } from '../../src/index.js'

/** Rosenbrock's function: Σ 100·(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)². */
export const rosenbrock =
  <A>(F: Floating<A>) =>
  (xs: ReadonlyArray<A>): A => {
    let s = F.zero
    const hundred = F.fromNumber(100)
    for (let i = 0; i + 1 < xs.length; i++) {
      const a = F.sub(xs[i + 1]!, F.mul(xs[i]!, xs[i]!))
      const b = F.sub(F.one, xs[i]!)
      s = F.add(s, F.add(F.mul(hundred, F.mul(a, a)), F.mul(b, b)))
    }
    return s
  }

/** A chain of 2n ops: y ← y·1 + 10⁻⁶, n times (derivative 1). */
export const chain =
  (n: number) =>
  <A>(F: Floating<A>) =>
  (x: A): A => {
    let y = x
    const c = F.fromNumber(1e-6)
    for (let i = 0; i < n; i++) y = F.add(F.mul(y, F.one), c)
    return y
  }

/**
 * A diamond: y ← y·0.5 + y·0.5, `levels` times. Every level uses the previous one twice,
 * so walking paths instead of entries would take 2^levels steps (derivative 1).
 */
export const diamond =
  (levels: number) =>
  <A>(F: Floating<A>) =>
  (x: A): A => {
    let y = x
    const half = F.fromNumber(0.5)
    for (let i = 0; i < levels; i++) y = F.add(F.mul(y, half), F.mul(y, half))
    return y
  }
