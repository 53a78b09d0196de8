/**
 * The training plot as a self-contained SVG string. For data with two features: the
 * points, one mark per class, in the box the data span (the unit square for the
 * generated data), and the decision boundary: the line w0 + w1·x1 + w2·x2 = 0 for the
 * binary model, the regions of the predicted classes for the multinomial one. For any
 * number of features: the loss and the accuracy per epoch. Labelled axes; no external
 * fonts, images or scripts.
 *
 * @since 0.1.0
 */
import { internal } from '../tensor/Tensor.js'
import type { Dataset } from './data.js'
import { isMultinomial, predict, type Weights } from './model.js'
import type { EpochRecord } from './train.js'

/**
 * One epoch of the plotted history; `testAccuracy` when rows were held out.
 *
 * @category model
 * @since 0.4.0
 */
export interface PlotRecord extends EpochRecord {
  /** The accuracy on the held-out rows under the epoch's weights. */
  readonly testAccuracy?: number
}

/**
 * What the plot shows of a run: its final weights and its history (a `TrainResult` is one).
 *
 * @category model
 * @since 0.4.0
 */
export interface Plotted {
  /** The final weights. */
  readonly weights: Weights
  /** One record per epoch (or iteration). */
  readonly history: ReadonlyArray<PlotRecord>
}

/**
 * At most this many points are drawn (the first ones, in data order); the boundary and
 * the curves always reflect the whole run.
 *
 * @example
 * import { lr } from 'ad-ts'
 * lr.maxPlottedPoints // => 5000
 *
 * @category utils
 * @since 0.1.0
 */
export const maxPlottedPoints = 5000

/**
 * Names for the plot's labels.
 *
 * @category model
 * @since 0.3.0
 */
export interface PlotLabels {
  /** The two feature names, for the axes (default x1, x2). */
  readonly features?: ReadonlyArray<string>
  /** The class names, in label order (default "y = 0", "y = 1", …). */
  readonly classes?: ReadonlyArray<string>
  /** What a step of the history is called: `'epoch'` (default) or `'iteration'` (newton, lbfgs). */
  readonly unit?: 'epoch' | 'iteration'
}

/**
 * About `count` round values spanning [lo, hi] (steps of 1, 2 or 5 times a power of ten),
 * for the ticks of an axis.
 *
 * @example
 * import { lr } from 'ad-ts'
 * lr.niceTicks(0, 1, 5) // => [0, 0.2, 0.4, 0.6, 0.8, 1]
 * lr.niceTicks(1, 49, 5) // => [10, 20, 30, 40]
 *
 * @category utils
 * @since 0.4.0
 */
export const niceTicks = (lo: number, hi: number, count: number): ReadonlyArray<number> => {
  if (!(hi > lo) || !Number.isFinite(hi - lo)) return [lo]
  const raw = (hi - lo) / count
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * power).find((st) => st >= raw)!
  const out: number[] = []
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) {
    out.push(Number((i * step).toPrecision(12)))
  }
  return out
}

const size = 360
const margin = 50
const fmt = (v: number): string => (Math.round(v * 100) / 100).toString()
const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/**
 * A box [x1 from, x1 to, x2 from, x2 to] of the plane.
 *
 * @category model
 * @since 0.3.0
 */
export type Box = readonly [number, number, number, number]

/**
 * The part of the line a + b·x1 + c·x2 = 0 inside a box (default the unit square), if any.
 *
 * @example
 * import { lr } from 'ad-ts'
 * lr.clipBoundary([-1, 1, 1]) // ≈ [[0, 1], [1, 0]]
 * lr.clipBoundary([5, 1, 1]) // => undefined
 *
 * @category utils
 * @since 0.1.0
 */
export const clipBoundary = (
  w: ReadonlyArray<number>,
  box: Box = [0, 1, 0, 1],
): readonly [readonly [number, number], readonly [number, number]] | undefined => {
  const [a = 0, b = 0, c = 0] = w
  const [x0, x1, y0, y1] = box
  const slack = 1e-12 * Math.max(1, x1 - x0, y1 - y0)
  const pts: Array<readonly [number, number]> = []
  const add = (u: number, v: number) => {
    const inside = u >= x0 - slack && u <= x1 + slack && v >= y0 - slack && v <= y1 + slack
    if (
      inside &&
      Number.isFinite(u) &&
      Number.isFinite(v) &&
      !pts.some(([p, q]) => Math.abs(p - u) < 1e-9 && Math.abs(q - v) < 1e-9)
    ) {
      pts.push([u, v])
    }
  }
  if (c !== 0) {
    add(x0, -(a + b * x0) / c)
    add(x1, -(a + b * x1) / c)
  }
  if (b !== 0) {
    add(-(a + c * y0) / b, y0)
    add(-(a + c * y1) / b, y1)
  }
  return pts.length >= 2 ? [pts[0]!, pts[1]!] : undefined
}

const axes = (
  x0: number,
  y0: number,
  w: number,
  h: number,
  xLabel: string,
  yLabel: string,
  ticks: string,
) =>
  [
    `<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="white" stroke="#333"/>`,
    ticks,
    `<text x="${x0 + w / 2}" y="${y0 + h + 38}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text x="${x0 - 38}" y="${y0 + h / 2}" text-anchor="middle" transform="rotate(-90 ${x0 - 38} ${y0 + h / 2})">${esc(yLabel)}</text>`,
  ].join('\n')

const palette = [
  '#1b9e77',
  '#d95f02',
  '#7570b3',
  '#e7298a',
  '#66a61e',
  '#e6ab02',
  '#a6761d',
  '#666666',
]
const colour = (c: number) => palette[c % palette.length]!
const boundaryColour = '#7570b3'

/** Class 0 a circle, class 1 a cross (the seed's two marks), further classes squares. */
const mark = (c: number, cx: number, cy: number): string =>
  c === 0
    ? `<circle cx="${fmt(cx)}" cy="${fmt(cy)}" r="4" fill="none" stroke="${colour(0)}" stroke-width="2"/>`
    : c === 1
      ? `<path d="M${fmt(cx - 4)},${fmt(cy - 4)}L${fmt(cx + 4)},${fmt(cy + 4)}M${fmt(cx - 4)},${fmt(cy + 4)}L${fmt(cx + 4)},${fmt(cy - 4)}" stroke="${colour(1)}" stroke-width="2"/>`
      : `<rect x="${fmt(cx - 3.5)}" y="${fmt(cy - 3.5)}" width="7" height="7" fill="none" stroke="${colour(c)}" stroke-width="2"/>`

/** The box of the data's two features: the unit square when they lie in it, else their span padded by 5%. */
const boxOf = (data: Dataset): Box => {
  const x = internal.data(data.x)
  const k = data.x.shape[1]!
  let [a, b, c, d] = [Infinity, -Infinity, Infinity, -Infinity]
  for (let i = 0; i < x.length; i += k) {
    a = Math.min(a, x[i + 1]!)
    b = Math.max(b, x[i + 1]!)
    c = Math.min(c, x[i + 2]!)
    d = Math.max(d, x[i + 2]!)
  }
  if (a >= 0 && b <= 1 && c >= 0 && d <= 1) return [0, 1, 0, 1]
  const pad = (lo: number, hi: number) => {
    const p = (hi - lo || 1) * 0.05
    return [lo - p, hi + p] as const
  }
  return [...pad(a, b), ...pad(c, d)]
}

/** A tick mark below the x axis at (x, y) with its label. */
const xTick = (x: number, y: number, label: string, colour = '#333'): string =>
  `<line x1="${fmt(x)}" y1="${y}" x2="${fmt(x)}" y2="${y + 5}" stroke="${colour}"/><text x="${fmt(x)}" y="${y + 18}" text-anchor="middle">${label}</text>`

/** A tick mark beside a y axis at x (left of it for 'end', right for 'start') with its label. */
const yTick = (x: number, y: number, label: string, anchor: 'end' | 'start', colour = '#333') => {
  const out = anchor === 'end' ? -5 : 5
  return `<line x1="${x}" y1="${fmt(y)}" x2="${x + out}" y2="${fmt(y)}" stroke="${colour}"/><text x="${x + 2 * out - (anchor === 'end' ? 1 : -1)}" y="${fmt(y + 4)}" text-anchor="${anchor}" fill="${colour}">${label}</text>`
}

const tick = (v: number): string => {
  const r = Number(v.toPrecision(3))
  return String(Object.is(r, -0) ? 0 : r)
}

/** Cells of a grid over the box, each filled with the colour of the class predicted at its centre. */
const regions = (
  weights: Weights,
  box: Box,
  px: (v: number) => number,
  py: (v: number) => number,
): string => {
  const cells = 60
  const [x0, x1, y0, y1] = box
  const centres = new Float64Array(cells * cells * 3)
  for (let i = 0; i < cells; i++)
    for (let j = 0; j < cells; j++) {
      const at = (i * cells + j) * 3
      centres[at] = 1
      centres[at + 1] = x0 + ((j + 0.5) / cells) * (x1 - x0)
      centres[at + 2] = y0 + ((i + 0.5) / cells) * (y1 - y0)
    }
  const grid = {
    x: internal.make(centres, [cells * cells, 3]),
    y: internal.make(new Float64Array(cells * cells), [cells * cells]),
  }
  const classes = predict(weights, grid)
  const w = size / cells
  return classes
    .map((c, at) => {
      const i = Math.floor(at / cells)
      const j = at % cells
      const u = x0 + (j / cells) * (x1 - x0)
      const v = y0 + ((i + 1) / cells) * (y1 - y0)
      return `<rect x="${fmt(px(u))}" y="${fmt(py(v))}" width="${fmt(w)}" height="${fmt(w)}" fill="${colour(c)}" fill-opacity="0.15" shape-rendering="crispEdges"/>`
    })
    .join('')
}

const scatterPanel = (data: Dataset, weights: Weights, labels: PlotLabels): string => {
  const x = internal.data(data.x)
  const y = internal.data(data.y)
  const k = data.x.shape[1]!
  const n = Math.min(y.length, maxPlottedPoints)
  const box = boxOf(data)
  const [x0, x1, y0, y1] = box
  const px = (v: number) => margin + ((v - x0) / (x1 - x0)) * size
  const py = (v: number) => margin + (1 - (v - y0) / (y1 - y0)) * size
  const marks: string[] = []
  for (let i = 0; i < n; i++) marks.push(mark(y[i]!, px(x[i * k + 1]!), py(x[i * k + 2]!)))
  const ticks = [
    ...niceTicks(x0, x1, 5).map((v) => xTick(px(v), margin + size, tick(v))),
    ...niceTicks(y0, y1, 5).map((v) => yTick(margin, py(v), tick(v), 'end')),
  ].join('')
  let boundary = ''
  if (isMultinomial(weights)) boundary = regions(weights, box, px, py)
  else {
    const line = clipBoundary(weights, box)
    if (line !== undefined)
      boundary = `<line x1="${fmt(px(line[0][0]))}" y1="${fmt(py(line[0][1]))}" x2="${fmt(px(line[1][0]))}" y2="${fmt(py(line[1][1]))}" stroke="${boundaryColour}" stroke-width="3"/>`
  }
  const classCount = isMultinomial(weights) ? weights[0]!.length : 2
  const names = Array.from({ length: classCount }, (_, c) => labels.classes?.[c] ?? `y = ${c}`)
  const legendItems = names.map(
    (name, c) =>
      `<g transform="translate(${c * 80},0)">${mark(c, 0, -4)}<text x="10" y="0">${esc(name)}</text></g>`,
  )
  if (!isMultinomial(weights))
    legendItems.push(
      `<g transform="translate(${classCount * 80},0)"><line x1="-4" y1="-4" x2="16" y2="-4" stroke="${boundaryColour}" stroke-width="3"/><text x="22" y="0">boundary</text></g>`,
    )
  const legend = `<g transform="translate(${margin + 4},${margin - 8})">${legendItems.join('')}</g>`
  const [fx = 'x1', fy = 'x2'] = labels.features ?? []
  return [axes(margin, margin, size, size, fx, fy, ticks), boundary, ...marks, legend].join('\n')
}

const curvesPanel = (result: Plotted, x0: number, unit: string): string => {
  const h = result.history
  const losses = h.map((e) => e.loss).filter(Number.isFinite)
  // Folds, not Math.max(...losses): a spread of a long history overflows the stack.
  const hi = losses.length > 0 ? losses.reduce((m, l) => Math.max(m, l), -Infinity) : 1
  const lo = losses.length > 0 ? losses.reduce((m, l) => Math.min(m, l), Infinity) : 0
  const span = hi - lo || 1
  const last = Math.max(1, h.length)
  const px = (epoch: number) => x0 + (h.length <= 1 ? 0.5 : (epoch - 1) / (last - 1)) * size
  const py = (loss: number) => margin + (1 - (loss - lo) / span) * size
  const pa = (accuracy: number) => margin + (1 - accuracy) * size
  const points = h
    .filter((e) => Number.isFinite(e.loss))
    .map((e) => `${fmt(px(e.epoch))},${fmt(py(e.loss))}`)
    .join(' ')
  const accuracy = h.map((e) => `${fmt(px(e.epoch))},${fmt(pa(e.accuracy))}`).join(' ')
  const tested = h.filter((e) => e.testAccuracy !== undefined)
  const testLine = tested.map((e) => `${fmt(px(e.epoch))},${fmt(pa(e.testAccuracy!))}`).join(' ')
  const epochTicks =
    h.length <= 1 ? [1] : [1, ...niceTicks(1, last, 5).filter((v) => v > 1 && Number.isInteger(v))]
  const ticks = [
    ...epochTicks.map((v) => xTick(px(v), margin + size, String(v))),
    ...niceTicks(lo, hi, 5).map((v) => yTick(x0, py(v), tick(v), 'end')),
    ...niceTicks(0, 1, 4).map((v) => yTick(x0 + size, pa(v), tick(v), 'start', colour(1))),
  ].join('')
  const testLegend =
    tested.length === 0
      ? ''
      : `<line x1="0" y1="12" x2="20" y2="12" stroke="${colour(0)}" stroke-width="2" stroke-dasharray="2,3"/><text x="26" y="16">test accuracy</text>`
  const legend = `<g transform="translate(${x0 + 4},${margin - 8})"><line x1="0" y1="-4" x2="20" y2="-4" stroke="${boundaryColour}" stroke-width="2"/><text x="26" y="0">loss</text><line x1="80" y1="-4" x2="100" y2="-4" stroke="${colour(1)}" stroke-width="2" stroke-dasharray="5,3"/><text x="106" y="0">${tested.length === 0 ? 'accuracy (right axis)' : 'train accuracy (right axis)'}</text></g>`
  return [
    axes(x0, margin, size, size, unit, 'mean negative log-likelihood', ticks),
    `<text x="${x0 + size + 44}" y="${margin + size / 2}" text-anchor="middle" fill="${colour(1)}" transform="rotate(90 ${x0 + size + 44} ${margin + size / 2})">accuracy</text>`,
    `<polyline points="${points}" fill="none" stroke="${boundaryColour}" stroke-width="2"/>`,
    `<polyline points="${accuracy}" fill="none" stroke="${colour(1)}" stroke-width="2" stroke-dasharray="5,3"/>`,
    ...(tested.length === 0
      ? []
      : [
          `<polyline points="${testLine}" fill="none" stroke="${colour(0)}" stroke-width="2" stroke-dasharray="2,3"/>`,
          `<g transform="translate(${x0 + 4},${margin + size - 24})">${testLegend}</g>`,
        ]),
    legend,
  ].join('\n')
}

/**
 * The SVG plot of a dataset and a training result: for two features the points and the
 * decision boundary (or regions), and for any number of features the loss and accuracy
 * per epoch (or iteration, as `labels.unit` says), with the test accuracy where the
 * history has it; axes with ticks at round values. `labels` names the axes and the
 * classes. Without data (a streamed file) only the curves are drawn.
 *
 * @example
 * import { lr } from 'ad-ts'
 * const data = lr.gen2dData({ n: 50, seed: 2 })
 * const result = lr.train({ epochs: 5, learningRate: 0.1 })(data)
 * if (result._tag === 'Left') throw result.left
 * const svg = lr.plotSvg(data, result.right)
 * // A mark per point and one per class in the legend; the loss and accuracy curves.
 * svg.match(/<circle |<path d="M/g)?.length // => 52
 * svg.match(/<polyline /g)?.length // => 2
 * /font-size="15">([^<]*)</.exec(svg)?.[1] // => 'logistic regression: accuracy 0.96, loss 0.5237 after 5 epochs'
 *
 * @category utils
 * @since 0.1.0
 */
export const plotSvg = (
  data: Dataset | undefined,
  result: Plotted,
  labels: PlotLabels = {},
): string => {
  const twoFeatures = data !== undefined && data.x.shape[1] === 3
  const width = twoFeatures ? 2 * size + 3 * margin + 110 : size + 2 * margin + 90
  const height = size + 2 * margin + 30
  const final = result.history[result.history.length - 1]
  const unit = labels.unit ?? 'epoch'
  const test = final?.testAccuracy === undefined ? '' : `, test ${fmt(final.testAccuracy)}`
  const title =
    final === undefined
      ? 'logistic regression'
      : `logistic regression: accuracy ${fmt(final.accuracy)}${test}, loss ${final.loss.toPrecision(4)} after ${final.epoch} ${unit}${final.epoch === 1 ? '' : 's'}`
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="13">`,
    `<rect width="${width}" height="${height}" fill="#fafafa"/>`,
    `<text x="${width / 2}" y="28" text-anchor="middle" font-size="15">${esc(title)}</text>`,
    ...(twoFeatures ? [scatterPanel(data, result.weights, labels)] : []),
    curvesPanel(result, twoFeatures ? 2 * margin + size + 60 : margin + 60, unit),
    '</svg>',
    '',
  ].join('\n')
}
