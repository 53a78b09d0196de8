/**
 * The textbook matrix product every product kernel is held to: Σ_p x[i,p]·y[p,j] from +0,
 * p ascending, element by element. With `strong`, the strong-zero sum of a tangent
 * product: terms with a +0 factor are skipped, and a zero sum that took a term is −0.
 */
const isStrongZero = (v: number) => v === 0 && 1 / v > 0

export const textbookProduct = (
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
  strong = false,
): Float64Array => {
  const out = new Float64Array(m * n)
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0
      let took = false
      for (let p = 0; p < k; p++) {
        const a = x[i * k + p]!
        const b = y[p * n + j]!
        if (strong && (isStrongZero(a) || isStrongZero(b))) continue
        s += a * b
        took = true
      }
      out[i * n + j] = strong && took && s === 0 ? -0 : s
    }
  return out
}
