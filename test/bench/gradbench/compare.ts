/**
 * GradBench's judgement of an output: the same JSON shape as the expected one, and
 * every number x within 1e-4 of its expected y by |x − y| / max(1, |x| + |y|).
 */

/** The places where `actual` differs from `expected`, as readable lines (none: valid). */
export const mismatches = (expected: unknown, actual: unknown, tolerance = 1e-4): string[] => {
  const found: string[] = []
  // An explicit stack, not recursion: outputs are nested lists of any depth.
  const stack: Array<readonly [unknown, unknown, string]> = [[expected, actual, 'output']]
  while (stack.length > 0 && found.length < 10) {
    const [e, a, path] = stack.pop()!
    if (typeof e === 'number') {
      if (typeof a !== 'number') found.push(`${path}: expected a number, got ${JSON.stringify(a)}`)
      else if (!(Math.abs(a - e) / Math.max(1, Math.abs(a) + Math.abs(e)) <= tolerance)) {
        found.push(`${path}: expected ${e}, got ${a}`)
      }
    } else if (Array.isArray(e)) {
      if (!Array.isArray(a) || a.length !== e.length) {
        found.push(
          `${path}: expected a list of ${e.length}, got ${Array.isArray(a) ? `a list of ${a.length}` : typeof a}`,
        )
      } else e.forEach((x, i) => stack.push([x, a[i], `${path}[${i}]`]))
    } else if (e !== null && typeof e === 'object') {
      if (a === null || typeof a !== 'object' || Array.isArray(a)) {
        found.push(`${path}: expected an object, got ${JSON.stringify(a)}`)
      } else {
        const ek = Object.keys(e).sort()
        const ak = Object.keys(a).sort()
        if (ek.join() !== ak.join()) found.push(`${path}: expected keys ${ek}, got ${ak}`)
        else
          ek.forEach((k) =>
            stack.push([
              (e as Record<string, unknown>)[k],
              (a as Record<string, unknown>)[k],
              `${path}.${k}`,
            ]),
          )
      }
    } else if (e !== a)
      found.push(`${path}: expected ${JSON.stringify(e)}, got ${JSON.stringify(a)}`)
  }
  return found
}
