/**
 * The training plot as a self-contained SVG string: the two classes as distinct marks
 * in the unit square, the decision boundary w0 + w1·x1 + w2·x2 = 0 clipped to the
 * square, labelled axes, and a second panel with the loss per epoch. No external
 * fonts, images or scripts.
 *
 * @since 0.1.0
 */
import { internal } from '../Tensor.js'
import type { Dataset } from './data.js'
import type { TrainResult } from './train.js'

/**
 * At most this many points are drawn (the first ones, in data order); the boundary and
 * the loss curve always reflect the whole run.
 *
 * @example
 * import { lr } from 'ad-ts'
 * lr.maxPlottedPoints // => 5000
 *
 * @category utils
 * @since 0.1.0
 */
export const maxPlottedPoints = 5000

const size = 360
const margin = 50
const fmt = (v: number): string => (Math.round(v * 100) / 100).toString()
const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/**
 * The part of the line a + b·x1 + c·x2 = 0 inside the unit square, if any.
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
): readonly [readonly [number, number], readonly [number, number]] | undefined => {
  const [a = 0, b = 0, c = 0] = w
  const pts: Array<readonly [number, number]> = []
  const add = (x1: number, x2: number) => {
    const inside = x1 >= -1e-12 && x1 <= 1 + 1e-12 && x2 >= -1e-12 && x2 <= 1 + 1e-12
    if (
      inside &&
      Number.isFinite(x1) &&
      Number.isFinite(x2) &&
      !pts.some(([p, q]) => Math.abs(p - x1) < 1e-9 && Math.abs(q - x2) < 1e-9)
    ) {
      pts.push([x1, x2])
    }
  }
  if (c !== 0) {
    add(0, -a / c)
    add(1, -(a + b) / c)
  }
  if (b !== 0) {
    add(-a / b, 0)
    add(-(a + c) / b, 1)
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

const scatterPanel = (data: Dataset, weights: ReadonlyArray<number>): string => {
  const x = internal.data(data.x)
  const y = internal.data(data.y)
  const k = data.x.shape[1]!
  const n = Math.min(y.length, maxPlottedPoints)
  const px = (v: number) => margin + v * size
  const py = (v: number) => margin + (1 - v) * size
  const marks: string[] = []
  for (let i = 0; i < n; i++) {
    const cx = px(x[i * k + 1]!)
    const cy = py(x[i * k + 2]!)
    marks.push(
      y[i] === 1
        ? `<path d="M${fmt(cx - 4)},${fmt(cy - 4)}L${fmt(cx + 4)},${fmt(cy + 4)}M${fmt(cx - 4)},${fmt(cy + 4)}L${fmt(cx + 4)},${fmt(cy - 4)}" stroke="#d95f02" stroke-width="2"/>`
        : `<circle cx="${fmt(cx)}" cy="${fmt(cy)}" r="4" fill="none" stroke="#1b9e77" stroke-width="2"/>`,
    )
  }
  const ticks = [0, 0.5, 1]
    .map(
      (t) =>
        `<text x="${px(t)}" y="${margin + size + 18}" text-anchor="middle">${t}</text><text x="${margin - 8}" y="${py(t) + 4}" text-anchor="end">${t}</text>`,
    )
    .join('')
  const line = clipBoundary(weights)
  const boundary =
    line === undefined
      ? ''
      : `<line x1="${fmt(px(line[0][0]))}" y1="${fmt(py(line[0][1]))}" x2="${fmt(px(line[1][0]))}" y2="${fmt(py(line[1][1]))}" stroke="#7570b3" stroke-width="3"/>`
  const legend = `<g transform="translate(${margin + 4},${margin - 8})"><circle cx="0" cy="-4" r="4" fill="none" stroke="#1b9e77" stroke-width="2"/><text x="10" y="0">y = 0</text><path d="M56,-8L64,0M56,0L64,-8" stroke="#d95f02" stroke-width="2"/><text x="70" y="0">y = 1</text><line x1="116" y1="-4" x2="136" y2="-4" stroke="#7570b3" stroke-width="3"/><text x="142" y="0">boundary</text></g>`
  return [axes(margin, margin, size, size, 'x1', 'x2', ticks), ...marks, boundary, legend].join(
    '\n',
  )
}

const lossPanel = (result: TrainResult): string => {
  const x0 = 2 * margin + size + 60
  const h = result.history
  const losses = h.map((e) => e.loss).filter(Number.isFinite)
  // Folds, not Math.max(...losses): a spread of a long history overflows the stack.
  const hi = losses.length > 0 ? losses.reduce((m, l) => Math.max(m, l), -Infinity) : 1
  const lo = losses.length > 0 ? losses.reduce((m, l) => Math.min(m, l), Infinity) : 0
  const span = hi - lo || 1
  const last = Math.max(1, h.length)
  const px = (epoch: number) => x0 + (h.length <= 1 ? 0.5 : (epoch - 1) / (last - 1)) * size
  const py = (loss: number) => margin + (1 - (loss - lo) / span) * size
  const points = h
    .filter((e) => Number.isFinite(e.loss))
    .map((e) => `${fmt(px(e.epoch))},${fmt(py(e.loss))}`)
    .join(' ')
  const ticks = [
    `<text x="${x0}" y="${margin + size + 18}" text-anchor="middle">1</text>`,
    `<text x="${x0 + size}" y="${margin + size + 18}" text-anchor="middle">${last}</text>`,
    `<text x="${x0 - 8}" y="${margin + 4}" text-anchor="end">${fmt(hi)}</text>`,
    `<text x="${x0 - 8}" y="${margin + size + 4}" text-anchor="end">${fmt(lo)}</text>`,
  ].join('')
  return [
    axes(x0, margin, size, size, 'epoch', 'mean negative log-likelihood', ticks),
    `<polyline points="${points}" fill="none" stroke="#7570b3" stroke-width="2"/>`,
  ].join('\n')
}

/**
 * The SVG plot of a dataset and a training result.
 *
 * @example
 * import { lr } from 'ad-ts'
 * const data = lr.gen2dData({ n: 50, seed: 2 })
 * const result = lr.train({ epochs: 5, learningRate: 0.1 })(data)
 * result._tag === 'Right' && lr.plotSvg(data, result.right).startsWith('<svg') // => true
 *
 * @category utils
 * @since 0.1.0
 */
export const plotSvg = (data: Dataset, result: TrainResult): string => {
  const width = 2 * size + 3 * margin + 80
  const height = size + 2 * margin + 30
  const final = result.history[result.history.length - 1]
  const title =
    final === undefined
      ? 'logistic regression'
      : `logistic regression: accuracy ${fmt(final.accuracy)}, loss ${final.loss.toPrecision(4)} after ${final.epoch} epochs`
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="13">`,
    `<rect width="${width}" height="${height}" fill="#fafafa"/>`,
    `<text x="${width / 2}" y="28" text-anchor="middle" font-size="15">${esc(title)}</text>`,
    scatterPanel(data, result.weights),
    lossPanel(result),
    '</svg>',
    '',
  ].join('\n')
}
