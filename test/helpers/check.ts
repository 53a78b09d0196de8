/** The assertion behind checked example lines (see examples.ts). */
import { expect } from 'vitest'

export const check = (
  actual: unknown,
  expected: unknown,
  op: '=>' | '≈',
  tolerance: number | undefined,
  where: string,
): void => {
  if (op === '=>') expect(actual, where).toEqual(expected)
  else
    expect(actual, where).toBeClose(expected, { rel: tolerance ?? 1e-9, abs: tolerance ?? 1e-12 })
}
