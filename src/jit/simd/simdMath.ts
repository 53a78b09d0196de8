/**
 * exp, log and log1p on two float64 lanes, computed exactly as `Math.exp`, `Math.log` and
 * `Math.log1p` compute them in V8 (and so bit for bit the same): the algorithms of
 * fdlibm 5.3 (Sun Microsystems, 1993; `e_exp.c`, `e_log.c`, `s_log1p.c`), whose port V8
 * runs for these three functions. Every branch of the scalar code is computed on both
 * lanes and the lanes take theirs by a mask, the special cases last, so the operations
 * on each lane are the scalar code's operations in its order. fdlibm's tests of the
 * "high word" (the top 32 bits) against a bound are written as float comparisons with the
 * float whose high word is that bound (the same test, and cheaper on two lanes); NaN takes
 * its own mask at the end.
 *
 * @since 0.4.0
 */
import type { Lanes, V } from './lanes.js'

const ln2Hi = 6.9314718036912381649e-1
const ln2Lo = 1.90821492927058770002e-10
const two54 = 1.8014398509481984e16

/** The float whose high word is `high` and whose low word is 0: |x| ≥ it ⟺ the high word of |x| ≥ `high`. */
const bound = (high: number): number => {
  words.setUint32(0, high)
  words.setUint32(4, 0)
  return words.getFloat64(0)
}

const words = new DataView(new ArrayBuffer(8))

/**
 * e^x: argument reduction x = k·ln2 + r, a rational approximation of e^r, scaling by 2^k.
 * With `nonPositive`, for x ≤ 0 or NaN only (e^−|x|): the branches of positive x (k ≥ 0
 * from a positive x, overflow, x = 1) are left out, which no such x takes.
 */
export const exp = (L: Lanes, x: V, nonPositive = false): V => {
  const ax = L.abs(x)
  // x < 0 (x = −0 takes the tiny branch below, whatever k is).
  const negative = nonPositive ? undefined : L.lt(x, L.f(0))
  const pick = (ifNegative: number, otherwise: number) =>
    negative === undefined ? L.f(ifNegative) : L.select(negative, L.f(ifNegative), L.f(otherwise))
  // |x| > ln2/2: reduce by k = ±1 below 1.5·ln2, by k = trunc(x/ln2 ± 1/2) above.
  const reduced = L.ge(ax, L.f(bound(0x3fd62e43)))
  const far = L.ge(ax, L.f(bound(0x3ff0a2b2)))
  const half = pick(-0.5, 0.5)
  const kFar = L.trunc(L.add(L.mul(L.f(1.4426950408889634), x), half))
  const kNear = pick(-1, 1)
  const k = L.select(far, kFar, L.select(reduced, kNear, L.f(0)))
  const hi = L.sub(x, L.mul(k, L.f(ln2Hi)))
  const lo = L.mul(k, L.f(ln2Lo))
  const r = L.sub(hi, lo)
  const t = L.mul(r, r)
  const poly = [
    -1.6533902205465251539e-6, 6.6137563214379343612e-5, -2.77777777770155933842e-3,
    1.66666666666666019037e-1,
  ].reduce((acc, p) => L.add(L.f(p), L.mul(t, acc)), L.f(4.13813679705723846039e-8))
  const c = L.sub(r, L.mul(t, poly))
  const one = L.f(1)
  // q = r·c/(2 − c); r·c/(c − 2) is exactly −q. k = 0: 1 − (−q − r); otherwise
  // y = 1 − ((lo − q) − hi), times 2^k.
  const q = L.div(L.mul(r, c), L.sub(L.f(2), c))
  const atZero = L.sub(one, L.sub(L.neg(q), r))
  const y = L.sub(one, L.sub(L.sub(lo, q), hi))
  const ki = L.toInt(k)
  const normal = L.ge(k, L.f(-1021))
  // 2^k as two factors: 2^k·1 for a normal result, 2·2^1023 at k = 1024, 2^(k+1000)·2^−1000 below.
  const top = nonPositive ? undefined : L.eq(k, L.f(1024))
  const atTop = (a: V, b: V) => (top === undefined ? b : L.select(top, a, b))
  const e1 = L.select(normal, atTop(L.i(1), ki), L.iadd(ki, L.i(1000)))
  const s1 = L.shl(L.iadd(e1, L.i(0x3ff)), 52)
  const s2 = L.select(
    normal,
    atTop(L.f(8.988465674311579539e307), one),
    L.f(9.3326361850321887899e-302),
  )
  let result = L.select(L.eq(k, L.f(0)), atZero, L.mul(L.mul(y, s1), s2))
  if (!nonPositive) result = L.select(L.eq(x, one), L.f(Math.E), result)
  result = L.select(L.lt(ax, L.f(bound(0x3e300000))), L.add(one, x), result)
  result = L.select(L.lt(x, L.f(-7.4513321910194110842e2)), L.f(0), result)
  if (!nonPositive) result = L.select(L.gt(x, L.f(7.09782712893383973096e2)), L.f(Infinity), result)
  return L.select(L.ne(x, x), L.add(x, x), result)
}

/** The float whose high word is `high` and whose low word is that of `x`. */
const withHighWord = (L: Lanes, x: V, high: V): V =>
  L.or(L.and(x, L.i(0xffffffff)), L.shl(high, 32))

/**
 * The series both logarithms end with, for 1 + f = 2^k·(1 + f), f in [√2/2 − 1, √2 − 1]:
 * s = f/(2 + f), R(s²) the polynomial of fdlibm's log1p (Lp1…Lp7), c a correction.
 */
const log1pSeries = (L: Lanes, f: V, k: V, dk: V, c: V, hfsq: V): V => {
  const s = L.div(f, L.add(L.f(2), f))
  const z = L.mul(s, s)
  const lp = [
    1.531383769920937332e-1, 1.818357216161805012e-1, 2.222219843214978396e-1,
    2.857142874366239149e-1, 3.999999999940941908e-1, 6.66666666666673513e-1,
  ]
  const R = L.mul(
    z,
    lp.reduce((acc, p) => L.add(L.f(p), L.mul(z, acc)), L.f(1.479819860511658591e-1)),
  )
  const sR = L.mul(s, L.add(hfsq, R))
  const atZero = L.sub(f, L.sub(hfsq, sR))
  const general = L.sub(
    L.mul(dk, L.f(ln2Hi)),
    L.sub(L.sub(hfsq, L.add(sR, L.add(L.mul(dk, L.f(ln2Lo)), c))), f),
  )
  return L.select(L.ieq(k, L.i(0)), atZero, general)
}

/**
 * log(1 + x), accurate for small x: 1 + x = 2^k·(1 + f) with a correction for the
 * rounding of 1 + x. With `unit`, for x in [+0, 1] or NaN only (log1p(e^−|x|)): the
 * branches of negative, huge and infinite x are left out, which no such x takes.
 */
export const log1p = (L: Lanes, x: V, unit = false): V => {
  const ax = unit ? x : L.abs(x)
  const one = L.f(1)
  const below = L.lt(x, L.f(bound(0x3fda827a))) // x < √2 − 1
  // √2/2 − 1 < x < √2 − 1 (and not tiny): k = 0, f = x.
  const direct = L.and(
    below,
    unit
      ? L.gt(x, L.f(0))
      : L.or(L.gt(x, L.f(0)), L.and(L.lt(x, L.f(0)), L.lt(ax, L.f(bound(0x3fd2bec5))))),
  )
  // Otherwise u = 1 + x (or x itself from 2^53), k its exponent, c the rounding of 1 + x.
  const huge = unit ? undefined : L.ge(x, L.f(2 ** 53))
  const u1 = L.add(one, x)
  const u = huge === undefined ? u1 : L.select(huge, x, u1)
  const k0 = L.isub(L.shr(u, 52), L.i(1023))
  const c1 = L.div(
    L.select(L.ge(u1, L.f(2)), L.sub(one, L.sub(u1, x)), L.sub(x, L.sub(u1, one))),
    u1,
  )
  const c = huge === undefined ? c1 : L.select(huge, L.f(0), c1)
  const hum = L.and(L.shr(u, 32), L.i(0x000fffff))
  const low = L.ilt(hum, L.i(0x6a09e)) // u below √2: normalise u, else u/2
  const un = withHighWord(L, u, L.or(hum, L.select(low, L.i(0x3ff00000), L.i(0x3fe00000))))
  const hu1 = L.select(low, hum, L.shr(L.isub(L.i(0x00100000), hum), 2))
  const k1 = L.select(low, k0, L.iadd(k0, L.i(1)))
  const f = L.select(direct, x, L.sub(un, one))
  const k = L.select(direct, L.i(0), k1)
  const hu = L.select(direct, L.i(1), hu1)
  const dk = L.toFloat(k)
  const hfsq = L.mul(L.mul(L.f(0.5), f), f)
  const kIsZero = L.ieq(k, L.i(0))
  // |f| < 2^−20: a shorter series.
  const atOne = L.select(
    kIsZero,
    L.f(0),
    L.add(L.mul(dk, L.f(ln2Hi)), L.add(c, L.mul(dk, L.f(ln2Lo)))),
  )
  const R = L.mul(hfsq, L.sub(one, L.mul(L.f(0.6666666666666666), f)))
  const near = L.select(
    kIsZero,
    L.sub(f, R),
    L.sub(L.mul(dk, L.f(ln2Hi)), L.sub(L.sub(R, L.add(L.mul(dk, L.f(ln2Lo)), c)), f)),
  )
  let result = log1pSeries(L, f, k, dk, c, hfsq)
  result = L.select(L.ieq(hu, L.i(0)), L.select(L.eq(f, L.f(0)), atOne, near), result)
  if (!unit) result = L.select(L.eq(x, L.f(Infinity)), x, result)
  // |x| < 2^−29: x − x²/2, or x itself below 2^−54.
  const tinyValue = L.select(
    L.lt(ax, L.f(bound(0x3c900000))),
    x,
    L.sub(x, L.mul(L.mul(x, x), L.f(0.5))),
  )
  result = L.select(L.lt(ax, L.f(bound(0x3e200000))), tinyValue, result)
  // x ≤ −1: −∞ at −1, NaN below.
  if (!unit)
    result = L.select(
      L.le(x, L.f(-1)),
      L.select(L.eq(x, L.f(-1)), L.f(-Infinity), L.f(NaN)),
      result,
    )
  return L.select(L.ne(x, x), L.add(x, x), result)
}

/** log x: subnormals scaled by 2^54 first, then x = 2^k·(1 + f) and fdlibm's series in s = f/(2 + f). */
export const log = (L: Lanes, x: V): V => {
  const small = L.lt(x, L.f(2 ** -1022)) // subnormal, zero or negative
  const xs = L.select(small, L.mul(x, L.f(two54)), x)
  const hxm = L.and(L.shr(xs, 32), L.i(0x000fffff))
  const i = L.and(L.iadd(hxm, L.i(0x95f64)), L.i(0x100000))
  const xn = withHighWord(
    L,
    xs,
    L.or(hxm, L.select(L.ieq(i, L.i(0)), L.i(0x3ff00000), L.i(0x3fe00000))),
  )
  const k = L.iadd(
    L.iadd(L.select(small, L.i(-54), L.i(0)), L.isub(L.shr(xs, 52), L.i(1023))),
    L.shr(i, 20),
  )
  const dk = L.toFloat(k)
  const f = L.sub(xn, L.f(1))
  const kIsZero = L.ieq(k, L.i(0))
  const dkHi = L.mul(dk, L.f(ln2Hi))
  const dkLo = L.mul(dk, L.f(ln2Lo))
  // |f| < 2^−20: a shorter series.
  const atOne = L.select(kIsZero, L.f(0), L.add(dkHi, dkLo))
  const R0 = L.mul(L.mul(f, f), L.sub(L.f(0.5), L.mul(L.f(0.3333333333333333), f)))
  const near = L.select(kIsZero, L.sub(f, R0), L.sub(dkHi, L.sub(L.sub(R0, dkLo), f)))
  const shortSeries = L.select(L.eq(f, L.f(0)), atOne, near)
  const s = L.div(f, L.add(L.f(2), f))
  const z = L.mul(s, s)
  const w = L.mul(z, z)
  const t1 = L.mul(
    w,
    L.add(
      L.f(3.999999999940941908e-1),
      L.mul(w, L.add(L.f(2.222219843214978396e-1), L.mul(w, L.f(1.531383769920937332e-1)))),
    ),
  )
  const t2 = L.mul(
    z,
    L.add(
      L.f(6.66666666666673513e-1),
      L.mul(
        w,
        L.add(
          L.f(2.857142874366239149e-1),
          L.mul(w, L.add(L.f(1.818357216161805012e-1), L.mul(w, L.f(1.479819860511658591e-1)))),
        ),
      ),
    ),
  )
  const R = L.add(t2, t1)
  // Near the ends of the interval of f, the series with hfsq = f²/2 taken out.
  const ends = L.igt(L.or(L.isub(hxm, L.i(0x6147a)), L.isub(L.i(0x6b851), hxm)), L.i(0))
  const hfsq = L.mul(L.mul(L.f(0.5), f), f)
  const sR = L.mul(s, L.add(hfsq, R))
  const endsValue = L.select(
    kIsZero,
    L.sub(f, L.sub(hfsq, sR)),
    L.sub(dkHi, L.sub(L.sub(hfsq, L.add(sR, dkLo)), f)),
  )
  const sfR = L.mul(s, L.sub(f, R))
  const middle = L.select(kIsZero, L.sub(f, sfR), L.sub(dkHi, L.sub(L.sub(sfR, dkLo), f)))
  let result = L.select(ends, endsValue, middle)
  result = L.select(L.ilt(L.and(L.iadd(hxm, L.i(2)), L.i(0x000fffff)), L.i(3)), shortSeries, result)
  result = L.select(L.eq(x, L.f(Infinity)), x, result)
  result = L.select(L.lt(x, L.f(0)), L.f(NaN), result)
  result = L.select(L.eq(x, L.f(0)), L.f(-Infinity), result)
  return L.select(L.ne(x, x), L.add(x, x), result)
}
