import type { Markers } from '../../../shared/coding'
import type { TimelineCurve } from './signal-frames'
import {
  AXIS_HEIGHT,
  CURVE_HEIGHT,
  LANE_HEIGHT,
  frameMs,
  lanesTop as lanesTopOf,
  timelineHeight,
} from './timeline-geometry'

/** One coder's lane on the timeline. */
export interface TimelineLane {
  coderId: number
  name: string
  colour: string
  markers: Markers | null
  /** The lane of the coder who is coding (drawn stronger). */
  mine: boolean
}

/** What the timeline shows. */
export interface TimelineView {
  /** Absolute frame numbers of the clip, in order. */
  numbers: readonly number[]
  index: number
  lanes: readonly TimelineLane[]
  /** The apex-spotting curve, when computed. */
  curve?: TimelineCurve | null
  /** Frames per second: the axis gives each tick's time in ms from the first frame too. */
  fps?: number
}

/** Colours of the curve and of the suggested apex: neutral, as coders own the palette. */
const CURVE_COLOUR = '#aab4c8'
const SUGGESTION_COLOUR = '#ffffff'

/**
 * Draws the timeline: an axis with absolute frame numbers and their times in ms, the apex-spotting curve with the
 * suggested apex (when computed), one lane per coder with the onset–offset span and the apex
 * (a diamond), and the playhead.
 */
export function paintTimeline(
  canvas: HTMLCanvasElement,
  width: number,
  view: TimelineView,
  ratio: number,
): void {
  const curve = view.curve ?? null
  const height = timelineHeight(view.lanes.length, curve !== null)
  const lanesTop = lanesTopOf(curve !== null)
  canvas.width = Math.round(width * ratio)
  canvas.height = Math.round(height * ratio)
  const ctx = canvas.getContext('2d')
  if (!ctx) return
  ctx.scale(ratio, ratio)
  const count = view.numbers.length
  const x = (index: number) => (count <= 1 ? 0 : (index / (count - 1)) * (width - 1))
  const indexOf = (frame: number | null) => (frame === null ? -1 : view.numbers.indexOf(frame))

  ctx.fillStyle = '#1d2027'
  ctx.fillRect(0, 0, width, height)
  ctx.fillStyle = '#9aa3b2'
  ctx.strokeStyle = '#343a46'
  ctx.font = '11px system-ui, sans-serif'
  ctx.textBaseline = 'top'
  const step = tickStep(count, width)
  const label = (text: string, at: number, y: number) => {
    const w = ctx.measureText(text).width
    ctx.fillText(text, Math.min(Math.max(0, at - w / 2), width - w), y)
  }
  for (let i = 0; i < count; i += step) {
    ctx.fillRect(x(i), AXIS_HEIGHT - 5, 1, 4)
    label(String(view.numbers[i]), x(i), 2)
    if (view.fps) label(`${frameMs(view.numbers[i], view.numbers[0], view.fps)} ms`, x(i), 14)
  }

  if (curve) paintCurve(ctx, curve, x, width)

  view.lanes.forEach((lane, n) => {
    const top = lanesTop + n * LANE_HEIGHT + 2
    const mid = top + (LANE_HEIGHT - 4) / 2
    ctx.globalAlpha = lane.mine ? 1 : 0.7
    ctx.fillStyle = lane.colour
    ctx.strokeStyle = lane.colour
    const m = lane.markers
    const on = indexOf(m?.onset ?? null)
    const off = indexOf(m?.offset ?? null)
    const apex = indexOf(m?.apex ?? null)
    if (on >= 0 && off >= 0) {
      ctx.globalAlpha *= 0.45
      ctx.fillRect(Math.min(x(on), x(off)), top, Math.abs(x(off) - x(on)) + 1, LANE_HEIGHT - 4)
      ctx.globalAlpha = lane.mine ? 1 : 0.7
    }
    for (const edge of [on, off])
      if (edge >= 0) ctx.fillRect(x(edge) - 1, top - 1, 2, LANE_HEIGHT - 2)
    if (apex >= 0) {
      ctx.beginPath()
      ctx.moveTo(x(apex), mid - 5)
      ctx.lineTo(x(apex) + 5, mid)
      ctx.lineTo(x(apex), mid + 5)
      ctx.lineTo(x(apex) - 5, mid)
      ctx.closePath()
      ctx.fill()
    }
  })
  ctx.globalAlpha = 1

  ctx.fillStyle = '#f0e442'
  ctx.fillRect(x(view.index) - 1, 0, 2, height)
}

/**
 * The curve in its band below the axis, scaled from its smallest to its largest score, and
 * the suggested apex as a dashed line with a triangle on top.
 */
function paintCurve(
  ctx: CanvasRenderingContext2D,
  curve: TimelineCurve,
  x: (index: number) => number,
  width: number,
): void {
  const top = AXIS_HEIGHT + 3
  const height = CURVE_HEIGHT - 6
  const known = curve.scores.filter((s): s is number => s !== null && Number.isFinite(s))
  const low = Math.min(...known)
  const span = Math.max(...known) - low || 1
  const y = (score: number) => top + height - ((score - low) / span) * height
  ctx.fillStyle = '#171a20'
  ctx.fillRect(0, top - 1, width, height + 2)
  ctx.beginPath()
  let started = false
  let first = 0
  let last = 0
  curve.scores.forEach((score, i) => {
    if (score === null || !Number.isFinite(score)) return
    if (!started) first = i
    last = i
    if (started) ctx.lineTo(x(i), y(score))
    else ctx.moveTo(x(i), y(score))
    started = true
  })
  if (!started) return
  ctx.strokeStyle = CURVE_COLOUR
  ctx.lineWidth = 1.5
  ctx.stroke()
  ctx.lineTo(x(last), top + height)
  ctx.lineTo(x(first), top + height)
  ctx.closePath()
  ctx.globalAlpha = 0.2
  ctx.fillStyle = CURVE_COLOUR
  ctx.fill()
  ctx.globalAlpha = 1
  ctx.lineWidth = 1
  if (curve.apexIndex < 0) return
  const ax = x(curve.apexIndex)
  ctx.strokeStyle = SUGGESTION_COLOUR
  ctx.setLineDash([3, 2])
  ctx.beginPath()
  ctx.moveTo(ax, top)
  ctx.lineTo(ax, top + height)
  ctx.stroke()
  ctx.setLineDash([])
  ctx.fillStyle = SUGGESTION_COLOUR
  ctx.beginPath()
  ctx.moveTo(ax - 5, top - 1)
  ctx.lineTo(ax + 5, top - 1)
  ctx.lineTo(ax, top + 6)
  ctx.closePath()
  ctx.fill()
}

/** Frames between axis labels so they do not overlap (about 70 px apart). */
function tickStep(count: number, width: number): number {
  const steps = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]
  const wanted = (count * 70) / Math.max(width, 1)
  return steps.find((s) => s >= wanted) ?? 1000
}
