import { AppError } from '../../../shared/errors'
import { framesForSeconds } from '../../signal/time-scale'
import type { SyntheticAu } from './au-motion'
import { MAIN_AUS } from './clip-plan'
import { Rng } from './prng'

/** What happens on the face in one event of a long recording. */
export type LongEventKind = 'micro' | 'macro' | 'blink'

/**
 * One planned event, in 0-based frame numbers of the recording. The face is neutral at
 * onset and offset, fully expressive from apex to release (release = apex except for macro-
 * expressions, which hold), and eases in and out in between (smoothstep).
 */
export interface LongEvent {
  kind: LongEventKind
  onset: number
  apex: number
  release: number
  offset: number
  /** AUs and strengths (1 ≈ a pixel at 160 px face size); none for a blink. */
  aus: { au: SyntheticAu; strength: number }[]
}

/** Options of planLongRecording. Counts default to a lab-like density. */
export interface LongRecordingOptions {
  seed: number
  seconds: number
  fps: number
  width: number
  height: number
  /** Micro-expressions (≤ 0.5 s); default one per 5 s, at least one. */
  micro?: number
  /** Macro-expressions (1–3 s); default one per 15 s. */
  macro?: number
  /** Blinks; default one per 4 s. */
  blinks?: number
  /** Weakest and strongest AU strength of a micro-expression; default MICRO_STRENGTH. */
  microStrength?: readonly [number, number]
}

/** AU strengths of planted micro-expressions (1 ≈ a pixel at 160 px face size). */
export const MICRO_STRENGTH: readonly [number, number] = [1.8, 2.6]

/** Everything a long recording's renderer and its ground truth need. */
export interface LongRecordingPlan {
  seed: number
  fps: number
  frames: number
  width: number
  height: number
  events: LongEvent[]
}

/** Durations in seconds: [shortest, longest]. Micro-expressions stay ≤ 0.5 s. */
const DURATION: Record<LongEventKind, readonly [number, number]> = {
  micro: [0.2, 0.45],
  macro: [1, 3],
  blink: [0.1, 0.25],
}
/** Neutral time kept between events (and from the ends), so each stands alone. */
const GAP_SECONDS = 0.8

/**
 * Plans a long recording: the events are shuffled and laid out in time order with at least
 * GAP_SECONDS of neutral face between them and from the ends; the footage left over is
 * shared out between the gaps at random. Deterministic in the seed.
 */
export function planLongRecording(options: LongRecordingOptions): LongRecordingPlan {
  const { seed, seconds, fps, width, height } = options
  const frames = framesForSeconds(seconds, fps)
  const kinds: LongEventKind[] = [
    ...repeat('micro', options.micro ?? Math.max(1, Math.round(seconds / 5))),
    ...repeat('macro', options.macro ?? Math.round(seconds / 15)),
    ...repeat('blink', options.blinks ?? Math.round(seconds / 4)),
  ]
  const rng = Rng.from(seed, 'long-recording')
  const order = rng.shuffle(kinds)
  const lengths = order.map((kind) => framesForSeconds(rng.range(...DURATION[kind]), fps, 3))
  const gap = framesForSeconds(GAP_SECONDS, fps)
  const spare = frames - lengths.reduce((sum, n) => sum + n, 0) - gap * (order.length + 1)
  if (spare < 0) {
    throw new AppError(
      'invalid_input',
      `A ${seconds} s recording is too short for ${order.length} events with ${GAP_SECONDS} s between them`,
      { seconds, events: order.length },
    )
  }
  const weights = Array.from({ length: order.length + 1 }, () => rng.next())
  const total = weights.reduce((sum, w) => sum + w, 0) || 1
  let at = 0
  const events = order.map((kind, i) => {
    at += gap + Math.floor((spare * weights[i]) / total)
    const strength = options.microStrength ?? MICRO_STRENGTH
    const event = placeEvent(kind, at, lengths[i], fps, strength, rng.fork('event', i))
    at += lengths[i]
    return event
  })
  return { seed, fps, frames, width, height, events }
}

function repeat(value: LongEventKind, count: number): LongEventKind[] {
  return Array.from({ length: count }, () => value)
}

/** Shapes one event of `length` frames from `onset`: its apex, hold and AUs. */
function placeEvent(
  kind: LongEventKind,
  onset: number,
  length: number,
  fps: number,
  microStrength: readonly [number, number],
  rng: Rng,
): LongEvent {
  const offset = onset + length - 1
  if (kind === 'macro') {
    const rise = framesForSeconds(rng.range(0.3, 0.5), fps, 2)
    const fall = framesForSeconds(rng.range(0.3, 0.6), fps, 2)
    const aus = rng.shuffle(MAIN_AUS).slice(0, rng.int(2, 3))
    return {
      kind,
      onset,
      apex: onset + rise,
      release: Math.max(onset + rise, offset - fall),
      offset,
      aus: aus.map((au) => ({ au, strength: rng.range(2.5, 4) })),
    }
  }
  const apex = onset + Math.max(1, Math.round((length - 1) * rng.range(0.35, 0.55)))
  const aus =
    kind === 'micro'
      ? rng
          .shuffle(MAIN_AUS)
          .slice(0, rng.int(1, 2))
          .map((au) => ({ au, strength: rng.range(...microStrength) }))
      : []
  return { kind, onset, apex, release: apex, offset, aus }
}

/**
 * How strongly an event acts at a frame, 0–1: 0 outside (onset, offset), smoothstep up to 1
 * at the apex, 1 until release, smoothstep down to 0 at the offset.
 */
export function eventEnvelope(event: LongEvent, frame: number): number {
  const { onset, apex, release, offset } = event
  if (frame <= onset || frame >= offset) return 0
  if (frame >= apex && frame <= release) return 1
  const s = frame < apex ? (frame - onset) / (apex - onset) : (offset - frame) / (offset - release)
  return s * s * (3 - 2 * s)
}
