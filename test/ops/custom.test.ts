import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  checkpoint,
  customJvp,
  customVjp,
  grad,
  jit,
  jvp,
  scalar,
  tensor,
  Tensor,
  valueAndGrad,
  vjp,
  vmap,
  type Tensorial,
} from '../../src/index.js'
import type { Slot } from '../../src/internal.js'

const T = tensor
const flat = (t: Tensor) => Array.from(Tensor.toFlat(t))
const vector = fc
  .array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 1, maxLength: 6 })
  .map((xs) => Tensor.fromArray(xs))

// A composite with its true rule: the rule is used, and it must agree with plain
// differentiation of the composite in every mode and nesting.
const plainSoftplusSquared =
  <A>(U: Tensorial<A>) =>
  (x: A): A =>
    U.mul(U.softplus(x), U.softplus(x))
const softplusSquared = customJvp({
  name: 'softplusSquared',
  primal: plainSoftplusSquared,
  jvp:
    <A>(U: Tensorial<A>) =>
    (x: A, _y: A, v: A): A =>
      U.mul(U.mul(U.mul(U.fromNumber(2), U.softplus(x)), U.sigmoid(x)), v),
})
const weights = (x: Tensor) => T.constant(Tensor.fromArray(flat(x).map((_, i) => 1 + i)))
const lossWith =
  (op: <A>(U: Tensorial<A>) => (x: A) => A) =>
  <A>(U: Tensorial<A>) =>
  (x: A): A =>
    U.sum(
      U.mul(
        op(U)(U.sin(x)),
        U.constant(Tensor.fromArray(Array.from({ length: U.shape(x)[0]! }, (_, i) => 1 + i))),
      ),
    )

describe('customJvp', () => {
  const custom = lossWith(softplusSquared)
  const plain = lossWith(plainSoftplusSquared)
  const tol = { rel: 1e-12, abs: 1e-14 }

  fcTest.prop([vector])(
    'with the true rule it equals plain differentiation: forward, reverse, jit',
    (x) => {
      expect(flat(grad(custom)(T)(x))).toBeClose(flat(grad(plain)(T)(x)), tol)
      expect(Tensor.toArray(jvp(custom)(T)(x, weights(x))[1])).toBeClose(
        Tensor.toArray(jvp(plain)(T)(x, weights(x))[1]),
        tol,
      )
      expect(flat(jit(grad(custom))(T)(x))).toBeClose(flat(grad(plain)(T)(x)), tol)
    },
  )

  fcTest.prop([vector])(
    'and at second order, forward-over-reverse and reverse-over-reverse',
    (x) => {
      const v = weights(x)
      const fr = (f: typeof plain) => flat(jvp(grad(f))(T)(x, v)[1])
      const rr = (f: typeof plain) =>
        flat(
          grad(
            <A>(U: Tensorial<A>) =>
              (y: A): A =>
                U.sum(U.mul(grad(f)(U)(y), U.constant(v))),
          )(T)(x),
        )
      expect(fr(custom)).toBeClose(fr(plain), { rel: 1e-10, abs: 1e-12 })
      expect(rr(custom)).toBeClose(rr(plain), { rel: 1e-10, abs: 1e-12 })
    },
  )

  test('a rule that is not the derivative is used as given, in both modes', () => {
    const straightThrough = customJvp({
      name: 'roundStraightThrough',
      primal:
        <A>(U: Tensorial<A>) =>
        (x: A): A =>
          U.stopGradient(U.sub(x, U.sin(x))),
      jvp:
        <A>(_U: Tensorial<A>) =>
        (_x: A, _y: A, v: A): A =>
          v,
    })
    const f =
      <A>(U: Tensorial<A>) =>
      (x: A): A =>
        U.sum(U.mul(U.fromNumber(3), straightThrough(U)(x)))
    const x = Tensor.fromArray([0.5, 2])
    expect(flat(grad(f)(T)(x))).toEqual([3, 3])
    expect(Tensor.toArray(jvp(f)(T)(x, Tensor.fromArray([1, 1]))[1])).toBe(6)
  })

  test('trees in and out: the rule gets tangents in the input structure', () => {
    const polar = customJvp({
      name: 'polar',
      primal:
        <A>(U: Tensorial<A>) =>
        (p: { r: A; t: A }) => ({ x: U.mul(p.r, U.cos(p.t)), y: U.mul(p.r, U.sin(p.t)) }),
      jvp:
        <A>(U: Tensorial<A>) =>
        (p: { r: A; t: A }, _q: { x: A; y: A }, v: { r: A; t: A }) => ({
          x: U.sub(U.mul(v.r, U.cos(p.t)), U.mul(U.mul(p.r, U.sin(p.t)), v.t)),
          y: U.add(U.mul(v.r, U.sin(p.t)), U.mul(U.mul(p.r, U.cos(p.t)), v.t)),
        }),
    })
    const f =
      <A>(U: Tensorial<A>) =>
      (p: { r: A; t: A }): A => {
        const q = polar(U)(p)
        return U.sum(U.add(U.mul(q.x, q.x), U.mul(U.fromNumber(3), q.y)))
      }
    const p = { r: Tensor.fromArray([2]), t: Tensor.fromArray([0.3]) }
    const g = grad(f)(T)(p)
    // x² + 3y = r²cos²t + 3 r sin t
    expect(flat(g.r)).toBeClose([2 * 2 * Math.cos(0.3) ** 2 + 3 * Math.sin(0.3)])
    expect(flat(g.t)).toBeClose([-4 * 2 * Math.cos(0.3) * Math.sin(0.3) + 6 * Math.cos(0.3)])
  })

  test('an implicit derivative: the square root by Newton iterations, differentiated by the implicit function theorem', () => {
    // y² = a: dy = da / (2y), whatever the iterations did.
    const newtonSqrt = customJvp({
      name: 'newtonSqrt',
      primal:
        <A>(U: Tensorial<A>) =>
        (a: A): A => {
          let y = U.add(U.mul(a, U.fromNumber(0.5)), U.fromNumber(0.5))
          for (let i = 0; i < 30; i++) y = U.mul(U.fromNumber(0.5), U.add(y, U.div(a, y)))
          return U.stopGradient(y)
        },
      jvp:
        <A>(U: Tensorial<A>) =>
        (_a: A, y: A, v: A): A =>
          U.div(v, U.mul(U.fromNumber(2), y)),
    })
    const f =
      <A>(U: Tensorial<A>) =>
      (a: A): A =>
        U.sum(newtonSqrt(U)(a))
    expect(flat(grad(f)(T)(Tensor.fromArray([4, 9])))).toBeClose([0.25, 1 / 6])
    expect(flat(grad(grad(f))(T)(Tensor.fromArray([4])))).toBeClose([-0.25 * 4 ** -1.5])
  })
})

describe('customVjp', () => {
  const clip = customVjp({
    name: 'clipGradient',
    primal:
      <A>(_U: Tensorial<A>) =>
      (x: A): A =>
        x,
    vjp:
      <A>(U: Tensorial<A>) =>
      (_x: A, _y: A, u: A): A =>
        U.maximum(U.minimum(u, U.one), U.neg(U.one)),
  })
  const f =
    <A>(U: Tensorial<A>) =>
    (x: A): A =>
      U.sum(U.mul(U.fromNumber(5), clip(U)(U.mul(x, x))))

  test('its rule is used as given in reverse mode (a clipped gradient)', () => {
    // d/dx 5·clip(x²) = clip(5)·2x = 2x
    expect(flat(grad(f)(T)(Tensor.fromArray([1.5, -2])))).toEqual([3, -4])
    expect(Tensor.toArray(valueAndGrad(f)(T)(Tensor.fromArray([1]))[0])).toBe(5)
  })

  test('forward mode throws an Error naming it', () => {
    expect(() => jvp(f)(T)(Tensor.fromArray([1]), Tensor.fromArray([1]))).toThrow(
      /clipGradient.*forward mode/,
    )
  })

  fcTest.prop([vector])(
    'with the true rule it equals plain differentiation, and again under reverse-over-reverse',
    (x) => {
      const cube = customVjp({
        name: 'cube',
        primal:
          <A>(U: Tensorial<A>) =>
          (y: A): A =>
            U.mul(y, U.mul(y, y)),
        vjp:
          <A>(U: Tensorial<A>) =>
          (y: A, _z: A, u: A): A =>
            U.mul(U.mul(U.fromNumber(3), U.mul(y, y)), u),
      })
      const g = lossWith(cube)
      const h = lossWith(
        <A>(U: Tensorial<A>) =>
          (y: A): A =>
            U.mul(y, U.mul(y, y)),
      )
      expect(flat(grad(g)(T)(x))).toBeClose(flat(grad(h)(T)(x)), { rel: 1e-12, abs: 1e-14 })
      const rr = (k: typeof g) =>
        flat(
          grad(
            <A>(U: Tensorial<A>) =>
              (y: A): A =>
                U.sum(U.mul(grad(k)(U)(y), U.constant(weights(x)))),
          )(T)(x),
        )
      expect(rr(g)).toBeClose(rr(h), { rel: 1e-10, abs: 1e-12 })
    },
  )
})

describe('a rule of the wrong shape or structure is refused by name', () => {
  const sum =
    <A>(U: Tensorial<A>) =>
    (x: A): A =>
      U.sum(x)
  const x3 = Tensor.fromArray([1, 2, 3])
  // The rules below give back what they were given: the output's cotangent (shape [])
  // where the input's ([3]) is due, the input's tangent ([3]) where the output's ([]) is.
  const badVjp = customVjp({
    name: 'badVjp',
    primal: sum,
    vjp:
      <A>(_U: Tensorial<A>) =>
      (_x: A, _y: A, u: A): A =>
        u,
  })
  const badJvp = customJvp({
    name: 'badJvp',
    primal: sum,
    jvp:
      <A>(_U: Tensorial<A>) =>
      (_x: A, _y: A, v: A): A =>
        v,
  })
  const vjpMessage =
    "badVjp: its vjp rule gave a cotangent of shape [] for the input of shape [3]; a cotangent must have its input's shape"
  const jvpMessage =
    "badJvp: its jvp rule gave a tangent of shape [3] for the output of shape []; a tangent must have its output's shape"

  test('a cotangent of the wrong shape: grad, jit(grad) and vmap(grad) throw', () => {
    expect(() => grad(badVjp)(T)(x3)).toThrow(vjpMessage)
    expect(() => jit(grad(badVjp))(T)(x3)).toThrow(vjpMessage)
    expect(() => vmap(grad(badVjp))(T)(Tensor.fromArray([[1, 2, 3]]))).toThrow(vjpMessage)
  })

  test('a tangent of the wrong shape: jvp throws, and grad (which transposes the rule) too', () => {
    expect(() => jvp(badJvp)(T)(x3, x3)).toThrow(jvpMessage)
    expect(() => grad(badJvp)(T)(x3)).toThrow(jvpMessage)
  })

  test('a cotangent tree missing an input is refused (it was read as a zero)', () => {
    const pair = customVjp({
      name: 'pair',
      primal:
        <A>(U: Tensorial<A>) =>
        (p: { readonly a: A; readonly b: A }): A =>
          U.sum(U.mul(p.a, p.b)),
      vjp:
        <A>(U: Tensorial<A>) =>
        (p: { readonly a: A; readonly b: A }, _y: A, u: A) =>
          ({ a: U.mul(u, p.b) }) as unknown as { readonly a: A; readonly b: A },
    })
    expect(() => grad(pair)(T)({ a: x3, b: x3 })).toThrow(
      'pair: its vjp rule: expected 2 cotangents (one per input), got 1',
    )
  })

  test('a rule of the right shapes passes the check unchanged', () => {
    const square = customVjp({
      name: 'square',
      primal:
        <A>(U: Tensorial<A>) =>
        (x: A): A =>
          U.sum(U.mul(x, x)),
      vjp:
        <A>(U: Tensorial<A>) =>
        (x: A, _y: A, u: A): A =>
          U.mul(U.mul(U.fromNumber(2), x), u),
    })
    expect(flat(grad(square)(T)(x3))).toEqual([2, 4, 6])
  })
})

describe('checkpoint', () => {
  const block =
    <A>(U: Tensorial<A>) =>
    (x: A): A =>
      U.tanh(U.add(U.mul(x, x), U.fromNumber(0.1)))
  const saved = checkpoint(block)
  const chain =
    (b: typeof block) =>
    <A>(U: Tensorial<A>) =>
    (x: A): A => {
      let y = x
      for (let i = 0; i < 5; i++) y = b(U)(y)
      return U.sum(y)
    }

  fcTest.prop([vector])(
    'has the values, gradients and second derivatives of f, in every mode',
    (x) => {
      const [v1, g1] = valueAndGrad(chain(saved))(T)(x)
      const [v2, g2] = valueAndGrad(chain(block))(T)(x)
      expect(Tensor.toArray(v1)).toBe(Tensor.toArray(v2))
      expect(flat(g1)).toBeClose(flat(g2), { rel: 1e-12, abs: 1e-14 })
      expect(flat(jvp(grad(chain(saved)))(T)(x, weights(x))[1])).toBeClose(
        flat(jvp(grad(chain(block)))(T)(x, weights(x))[1]),
        { rel: 1e-10, abs: 1e-12 },
      )
      expect(flat(jit(grad(chain(saved)))(T)(x))).toBeClose(flat(g2), { rel: 1e-12, abs: 1e-14 })
    },
  )

  test('the tape keeps one entry per checkpointed span, and the pullback computes f again', () => {
    let runs = 0
    const counted = checkpoint(<A>(U: Tensorial<A>) => (x: A): A => {
      runs++
      return block(U)(x)
    })
    const f =
      <A>(U: Tensorial<A>) =>
      (x: A): A =>
        U.sum(counted(U)(x))
    const [, back] = vjp(f)(T)(Tensor.fromArray([1, 2]))
    expect(runs).toBe(1)
    back(Tensor.fromArray(1))
    expect(runs).toBe(2)
  })

  test('takes data arguments as f does', () => {
    const scaled = checkpoint(
      <A>(U: Tensorial<A>) =>
        (x: A, k: A): A =>
          U.mul(U.tanh(x), k),
    )
    const f =
      <A>(U: Tensorial<A>) =>
      (x: A, k: A): A =>
        U.sum(scaled(U)(x, k))
    expect(flat(grad(f)(T)(Tensor.fromArray([0]), Tensor.fromArray([3])))).toEqual([3])
  })

  test('composes with vmap', () => {
    const x = Tensor.fromArray([
      [0.1, 0.2],
      [0.3, 0.4],
    ])
    const mapped = flat(vmap(grad(chain(saved)))(T)(x))
    const looped = [0, 1].flatMap((i) =>
      flat(grad(chain(block))(T)(T.reshape(T.take(x, [i], 0), [2]))),
    )
    expect(mapped).toBeClose(looped, { rel: 1e-12, abs: 1e-14 })
  })
})

describe('custom rules on an instance over plain numbers', () => {
  // A rule that is not the primal's derivative shows whether it was used: 7, not 2x.
  const squareV = customVjp<Slot, Slot>({
    name: 'squareV',
    primal: (T) => (x) => T.mul(x, x),
    vjp: (T) => (_x, _y, u) => T.mul(T.fromNumber(7), u),
  })
  const squareJ = customJvp<Slot, Slot>({
    name: 'squareJ',
    primal: (T) => (x) => T.mul(x, x),
    jvp: (T) => (_x, _y, v) => T.mul(T.fromNumber(7), v),
  })
  // The types ask for a Tensorial instance; an untyped caller may still pass scalar.
  const anyScalar = scalar as unknown as Tensorial<number>

  test('a mode over numbers throws naming the function instead of passing over its rule', () => {
    const viaV =
      <A>(T: Tensorial<A>) =>
      (x: A) =>
        squareV(T)(x)
    const viaJ =
      <A>(T: Tensorial<A>) =>
      (x: A) =>
        squareJ(T)(x)
    expect(() => grad(viaV)(anyScalar)(3)).toThrow(
      /^squareV: a custom rule is used only by a Tensorial instance/,
    )
    expect(() => jvp(viaJ)(anyScalar)(3, 1)).toThrow(
      /^squareJ: a custom rule is used only by a Tensorial instance/,
    )
    // On tensors of shape [] the rules are used.
    expect(Tensor.toArray(grad(viaV)(tensor)(Tensor.fromArray(3)))).toBe(7)
    expect(Tensor.toArray(jvp(viaJ)(tensor)(Tensor.fromArray(3), Tensor.fromArray(1))[1])).toBe(7)
  })

  test('plain evaluation over numbers runs the primal, and checkpoint differentiates it', () => {
    expect(squareV(anyScalar)(3)).toBe(9)
    const ck = checkpoint(
      <A>(T: Tensorial<A>) =>
        (x: A) =>
          T.mul(x, x),
    )
    expect(
      grad(
        <A>(T: Tensorial<A>) =>
          (x: A) =>
            ck(T)(x),
      )(anyScalar)(3),
    ).toBe(6)
  })
})
