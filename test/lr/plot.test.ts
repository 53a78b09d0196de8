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
  const data = lr.gen2dData({ n: 100, seed: 1 })
  const run = lr.train({ epochs: 300, learningRate: 0.01 })(data)
  if (E.isLeft(run)) throw run.left
  const { weights, history } = run.right
  const svg = readFileSync(new URL('../../docs/lr-plot.svg', import.meta.url), 'utf8')
  // What the panels draw, without the legends (groups of sample marks and lines).
  const drawn = svg.replace(/<g [^>]*>.*?<\/g>/g, '')
  const [scatter, curves] = [
    ...drawn.matchAll(
      /<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="white"/g,
    ),
  ].map((m) => ({ x: +m[1]!, y: +m[2]!, w: +m[3]!, h: +m[4]! }))
  // Each tick is a line followed by its label.
  const ticks = [
    ...drawn.matchAll(
      /<line x1="([-\d.]+)" y1="([-\d.]+)" x2="([-\d.]+)" y2="([-\d.]+)" stroke="[^"]*"\/><text [^>]*>([^<]*)<\/text>/g,
    ),
  ].map((m) => ({ x1: +m[1]!, y1: +m[2]!, x2: +m[3]!, y2: +m[4]!, label: Number(m[5]) }))

  /** A linear axis read from its ticks, [pixel, value]: the value at a pixel. */
  const axis = (pairs: ReadonlyArray<readonly [number, number]>): ((pixel: number) => number) => {
    expect(pairs.length).toBeGreaterThanOrEqual(2)
    const [p0, v0] = pairs[0]!
    const [p1, v1] = pairs[pairs.length - 1]!
    const value = (p: number) => v0 + ((p - p0) * (v1 - v0)) / (p1 - p0)
    // Pixels are written to 0.01: every tick lies on the line to a hundredth of a pixel.
    const perPixel = Math.abs((v1 - v0) / (p1 - p0))
    for (const [p, v] of pairs) expect(value(p)).toBeClose(v, { abs: 0.01 * perPixel })
    return value
  }
  /** The horizontal axis under a panel and the vertical axis on its left. */
  const axesOf = (panel: { x: number; y: number; w: number; h: number }) => ({
    x: axis(
      ticks
        .filter((t) => t.x1 === t.x2 && t.y1 === panel.y + panel.h)
        .filter((t) => t.x1 >= panel.x && t.x1 <= panel.x + panel.w)
        .map((t) => [t.x1, t.label] as const),
    ),
    y: axis(
      ticks
        .filter((t) => t.y1 === t.y2 && t.x1 === panel.x && t.x2 < panel.x)
        .map((t) => [t.y1, t.label] as const),
    ),
  })

  test('is fresh: the bytes lr.plotSvg writes for the default run (npm run plot:readme regenerates it)', () => {
    expect(svg).toBe(lr.plotSvg(data, run.right))
  })

  test('shows every point at its place, in the mark and colour its label has in the legend', () => {
    const legend = new Map(
      [
        ...svg.matchAll(
          /<g transform="[^"]*"><(circle|path) [^>]*stroke="(#[0-9a-f]{6})"[^>]*\/><text [^>]*>y = (\d)<\/text><\/g>/g,
        ),
      ].map((m) => [Number(m[3]), `${m[1]} ${m[2]}`]),
    )
    expect([...legend.keys()]).toEqual([0, 1])
    const { x, y } = axesOf(scatter!)
    const circles = [
      ...drawn.matchAll(
        /<circle cx="([\d.]+)" cy="([\d.]+)" r="4" fill="none" stroke="(#[0-9a-f]{6})"/g,
      ),
    ].map((m) => ({ at: [x(+m[1]!), y(+m[2]!)], look: `circle ${m[3]}` }))
    // A cross is two strokes; its centre is the middle of the first.
    const crosses = [
      ...drawn.matchAll(
        /<path d="M([\d.]+),([\d.]+)L([\d.]+),([\d.]+)M[^"]*" stroke="(#[0-9a-f]{6})"/g,
      ),
    ].map((m) => ({
      at: [x((+m[1]! + +m[3]!) / 2), y((+m[2]! + +m[4]!) / 2)],
      look: `path ${m[5]}`,
    }))
    const marks = [...circles, ...crosses]
    const rows = Tensor.toArray2(data.x)
    const labels = Tensor.toArray1(data.y)
    expect(marks).toHaveLength(rows.length)
    const unmatched = new Set(marks)
    rows.forEach(([, x1, x2], i) => {
      // Pixels are written to 0.01: a point sits within 1e-4 of its place.
      const mark = [...unmatched].find(
        (m) => Math.abs(m.at[0]! - x1!) < 1e-4 && Math.abs(m.at[1]! - x2!) < 1e-4,
      )
      expect(mark, `point ${i} at (${x1}, ${x2})`).toBeDefined()
      expect(mark!.look, `point ${i}`).toBe(legend.get(labels[i]!))
      unmatched.delete(mark!)
    })
  })

  test('shows the boundary of the trained weights: w0 + w1·x1 + w2·x2 = 0 at both of its ends', () => {
    const { x, y } = axesOf(scatter!)
    const lines = [
      ...drawn.matchAll(
        /<line x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)" stroke="[^"]*" stroke-width="3"\/>/g,
      ),
    ]
    expect(lines).toHaveLength(1)
    const [, a, b, c, d] = lines[0]!.map(Number)
    const [w0, w1, w2] = weights as ReadonlyArray<number>
    for (const [x1, x2] of [
      [x(a!), y(b!)],
      [x(c!), y(d!)],
    ])
      expect(w0! + w1! * x1! + w2! * x2!).toBeClose(0, { abs: 1e-3 })
  })

  test('shows the loss curve: one vertex per epoch, at the loss of that epoch, falling', () => {
    const { x, y } = axesOf(curves!)
    const curve = /<polyline points="([^"]*)" fill="none" stroke="[^"]*" stroke-width="2"\/>/.exec(
      drawn,
    )
    const vertices = curve![1]!.split(' ').map((p) => p.split(',').map(Number))
    expect(vertices).toHaveLength(300)
    const span = history[0]!.loss - history[299]!.loss
    vertices.forEach(([px, py], k) => {
      expect(x(px!)).toBeClose(k + 1, { abs: 0.01 })
      expect(y(py!)).toBeClose(history[k]!.loss, { abs: 1e-4 * span })
      if (k > 0) expect(py!).toBeGreaterThanOrEqual(vertices[k - 1]![1]!)
    })
    expect(vertices[299]![1]!).toBeGreaterThan(vertices[0]![1]!)
  })

  test('states the final accuracy and loss in its title', () => {
    const final = history[299]!
    expect(svg).toContain(
      `>logistic regression: accuracy ${final.accuracy}, loss ${final.loss.toPrecision(4)} after 300 epochs<`,
    )
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
