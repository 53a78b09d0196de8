/** Renders the edge-value table as Markdown (docs/edge-values.md). */
import { showNumber } from '../../src/internal.js'
import { binaryTable, unaryTable } from './table.js'

const n = (x: number): string => `\`${showNumber(x)}\``

export const renderEdgeValues = (): string => {
  const lines = [
    '# Edge values',
    '',
    'What each op returns, and the derivative ad-ts gives, at special points. Generated from',
    '`test/edge/table.ts` by `npm run docs:edges`; `test/edgeValues.test.ts` checks every row',
    'in every mode (primal; forward; reverse; forward-over-reverse, whose second derivative',
    'must equal forward-over-forward) on the scalar and the tensor backend, so this page',
    'and the library never differ. Values follow IEEE 754; an exact zero factor',
    'annihilates a NaN or infinite one in both modes.',
    '',
    '## Unary ops',
    '',
    '| op | x | value | derivative | note |',
    '| --- | ---: | ---: | ---: | --- |',
  ]
  for (const { name, rows } of unaryTable) {
    for (const r of rows)
      lines.push(`| ${name} | ${n(r.x)} | ${n(r.value)} | ${n(r.derivative)} | ${r.why ?? ''} |`)
  }
  lines.push(
    '',
    '## Binary ops',
    '',
    '| op | x | y | value | ∂/∂x | ∂/∂y | note |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  )
  for (const { name, rows } of binaryTable) {
    for (const r of rows) {
      lines.push(
        `| ${name} | ${n(r.x)} | ${n(r.y)} | ${n(r.value)} | ${n(r.dx)} | ${n(r.dy)} | ${r.why ?? ''} |`,
      )
    }
  }
  return `${lines.join('\n')}\n`
}

if (process.argv[1]?.endsWith('render.ts')) process.stdout.write(renderEdgeValues())
