/**
 * The one value printer for messages: numbers as JavaScript writes them but with
 * `NaN`, `Infinity`, `-Infinity` and `-0` spelled out (plain JSON would print `null`
 * for the first three and `0` for the last), arrays bracketed, tensors by shape.
 *
 * @since 0.1.0
 */

/**
 * Prints a number, spelling out NaN, ±Infinity and −0.
 *
 * @example
 * import { showNumber } from 'ad-ts/internal'
 * showNumber(-0) // => '-0'
 *
 * @category utils
 * @since 0.1.0
 */
export const showNumber = (x: number): string => (Object.is(x, -0) ? '-0' : String(x))

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype

/** Literal text on the printer's work stack, as opposed to a value still to print. */
class Text {
  constructor(readonly text: string) {}
}

/**
 * Prints any value for an error message: numbers with `showNumber`, arrays and typed
 * arrays in brackets, plain objects in braces, strings quoted, other values by
 * `String`. Nesting is walked with an explicit stack, so depth is bounded only by memory.
 *
 * @example
 * import { showValue } from 'ad-ts/internal'
 * showValue([1, NaN, { t: -0 }]) // => '[1,NaN,{t: -0}]'
 *
 * @category utils
 * @since 0.1.0
 */
export const showValue = (value: unknown): string => {
  const out: string[] = []
  const stack: unknown[] = [value]
  const push = (
    items: ReadonlyArray<unknown>,
    open: string,
    close: string,
    label: (i: number) => string,
  ) => {
    stack.push(new Text(close))
    for (let i = items.length - 1; i >= 0; i--) {
      stack.push(items[i])
      stack.push(new Text((i > 0 ? ',' : '') + label(i)))
    }
    out.push(open)
  }
  while (stack.length > 0) {
    const v = stack.pop()
    if (v instanceof Text) out.push(v.text)
    else if (typeof v === 'number') out.push(showNumber(v))
    else if (typeof v === 'string') out.push(JSON.stringify(v))
    else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      stack.push(Array.from(v as unknown as ArrayLike<number>))
    } else if (Array.isArray(v)) push(v, '[', ']', () => '')
    else if (isPlainObject(v)) {
      const keys = Object.keys(v)
      push(
        keys.map((k) => v[k]),
        '{',
        '}',
        (i) => `${keys[i]!}: `,
      )
    } else out.push(String(v))
  }
  return out.join('')
}

/**
 * `showValue` cut to at most `max` characters (default 80), for messages that quote
 * user input: one line stays one readable line whatever the input holds.
 *
 * @example
 * import { showBrief } from 'ad-ts/internal'
 * showBrief('x'.repeat(100)).length // => 80
 * showBrief(NaN) // => 'NaN'
 *
 * @category utils
 * @since 0.1.0
 */
export const showBrief = (value: unknown, max = 80): string => {
  const text = showValue(value).replace(/\s+/g, ' ')
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
