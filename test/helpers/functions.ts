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
