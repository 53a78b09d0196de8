import { test as fcTest } from '@fast-check/vitest'
import fc from 'fast-check'
import { XMLValidator, XMLParser } from 'fast-xml-parser'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, test } from 'vitest'
import { lr, Tensor } from '../../src/index.js'
import { chromiumPath, inkedPixels, screenshot } from '../helpers/chromium.js'

const trained = () => {
  const data = lr.gen2dData({ n: 100, seed: 1 })
  const result = lr.train({ epochs: 50, learningRate: 0.05 })(data)
  if (E.isLeft(result)) throw result.left
  return { data, result: result.right }
}

describe('lr.plotSvg', () => {
  test('draws a history of 300,000 epochs (a spread of the losses overflowed the stack)', () => {
    const { data, result } = trained()
    const history = Array.from({ length: 300_000 }, (_, k) => ({
      epoch: k + 1,
      loss: 1 / (k + 1),
      accuracy: 0.9,
    }))
    expect(lr.plotSvg(data, { ...result, history })).toContain('<polyline')
  })

  test('is well-formed XML, self-contained, with both classes, the boundary and labelled axes', () => {
    const { data, result } = trained()
    const svg = lr.plotSvg(data, result)
    expect(XMLValidator.validate(svg)).toBe(true)
    const doc = new XMLParser({ ignoreAttributes: false }).parse(svg) as {
      svg: Record<string, unknown>
    }
    expect(doc.svg['@_xmlns']).toBe('http://www.w3.org/2000/svg')
    expect(svg).not.toMatch(/<script|<image|@import|url\(|href=/)
    const circles = svg.match(/<circle /g)?.length ?? 0
    const crosses = svg.match(/<path d="M/g)?.length ?? 0
    expect(circles + crosses).toBe(100 + 2) // every point, plus one mark of each class in the legend
    expect(svg).toContain('stroke="#7570b3" stroke-width="3"') // the boundary
    for (const label of ['>x1<', '>x2<', '>epoch<', '>mean negative log-likelihood<'])
      expect(svg).toContain(label)
    expect(svg).toContain('<polyline')
  })

  test.skipIf(chromiumPath === undefined)(
    'renders in headless Chromium to a picture that is not blank',
    () => {
      const { data, result } = trained()
      const dir = mkdtempSync(join(tmpdir(), 'ad-ts-plot-'))
      try {
        const file = join(dir, 'plot.svg')
        writeFileSync(file, lr.plotSvg(data, result))
        const png = screenshot(file, 950, 480)
        expect(png.width).toBe(950)
        // Points, boundary, curve and text ink a few percent of the picture.
        expect(inkedPixels(png)).toBeGreaterThan(0.02 * png.width * png.height)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  )
})

describe('lr.clipBoundary', () => {
  const w = fc.double({ min: -10, max: 10, noNaN: true })
  fcTest.prop([w, w, w])(
    'the clipped boundary lies inside the unit square and on the line',
    (a, b, c) => {
      const segment = lr.clipBoundary([a, b, c])
      if (segment === undefined) return
      for (const [x1, x2] of segment) {
        expect(x1 >= -1e-9 && x1 <= 1 + 1e-9 && x2 >= -1e-9 && x2 <= 1 + 1e-9).toBe(true)
        expect(a + b * x1 + c * x2).toBeClose(0, {
          abs: 1e-9 * (1 + Math.abs(a) + Math.abs(b) + Math.abs(c)),
        })
      }
    },
  )

  test('the line x1 + x2 = 1 runs corner to corner', () => {
    expect(lr.clipBoundary([-1, 1, 1])).toBeClose([
      [0, 1],
      [1, 0],
    ])
  })
})

describe('docs/lr-plot.svg', () => {
  test('is the plot of the default run (npm run plot:readme regenerates it)', () => {
    const data = lr.gen2dData({ n: 100, seed: 1 })
    const result = lr.train({ epochs: 300, learningRate: 0.01 })(data)
    if (E.isLeft(result)) throw result.left
    const committed = readFileSync(new URL('../../docs/lr-plot.svg', import.meta.url), 'utf8')
    expect(committed).toBe(lr.plotSvg(data, result.right))
  })
})

describe('lr.plotSvg beyond the demo', () => {
  const three = {
    x: Tensor.fromArray([
      [1, -2, 5],
      [1, 0, 7],
      [1, 3, 6],
      [1, -1, 9],
    ]),
    y: Tensor.fromArray([0, 1, 2, 1]),
  }

  test('for three classes in two features: a mark per point, a region per class, no boundary line', () => {
    const result = lr.train({ epochs: 20, method: 'lbfgs', l2: 0.1 })(three)
    if (result._tag === 'Left') throw result.left
    const svg = lr.plotSvg(three, result.right, { features: ['a', 'b'], classes: ['p', 'q', 'r'] })
    expect(XMLValidator.validate(svg)).toBe(true)
    // The region cells are filled with the classes' colours, faintly; each class colour appears.
    const fills = new Set(
      [...svg.matchAll(/fill="(#[0-9a-f]{6})" fill-opacity="0.15"/g)].map((m) => m[1]),
    )
    expect(fills.size).toBe(3)
    expect(svg).not.toContain('stroke="#7570b3" stroke-width="3"')
    for (const label of ['>a<', '>b<', '>p<', '>q<', '>r<']) expect(svg).toContain(label)
    // Axes span the data (x1 from −2 to 3, padded by 5%), not the unit square: ticks at
    // the round values −2, 0 and 2 of x1 and 6 and 8 of x2.
    for (const t of ['>-2<', '>0<', '>2<', '>6<', '>8<']) expect(svg).toContain(t)
  })

  test('for four features: only the loss and accuracy curves', () => {
    const data = {
      x: Tensor.fromArray([
        [1, 0, 1, 2, 3],
        [1, 1, 0, 2, 1],
        [1, 2, 2, 0, 1],
      ]),
      y: Tensor.fromArray([0, 1, 0]),
    }
    const result = lr.train({ epochs: 5, learningRate: 0.1 })(data)
    if (result._tag === 'Left') throw result.left
    const svg = lr.plotSvg(data, result.right)
    expect(XMLValidator.validate(svg)).toBe(true)
    expect(svg).not.toMatch(/<circle /)
    expect(svg.match(/<polyline /g)).toHaveLength(2)
    expect(svg).toContain('accuracy (right axis)')
  })
})
