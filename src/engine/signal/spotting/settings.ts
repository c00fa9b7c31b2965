import { framesForSeconds } from '../time-scale'

/**
 * The spotter's settings. Every window is in seconds and converted with the video's frame
 * rate (`spottingFrames`), so 30 fps and 200 fps footage are treated alike.
 */
export interface SpottingSettings {
  /** k of Moilanen et al.: a frame is compared with the frames k before and k after. */
  microHalfWindowSeconds: number
  /** L: the frames compared to find an event's extent and whether the face came back. */
  extentHalfWindowSeconds: number
  /** Longest micro-expression (the literature's 0.5 s); longer ones are macro. */
  maxMicroSeconds: number
  /** Shortest event kept: one- or two-frame spikes are codec or sensor artefacts. */
  minEventSeconds: number
  /** Peaks need a contrast this many robust deviations above the median (the score). */
  threshold: number
  /** An event's extent: where the extent curve is above this share of its height over the floor. */
  extentFraction: number
  /** A micro-expression returns to neutral: net change across it below this share of its height. */
  returnRatio: number
  /** A movement whose strongest blocks lie this much in the eye row may be a blink… */
  blinkShare: number
  /**
   * …and is one when it changes the eye blocks by this share of their own texture (variance)
   * or more: a closing lid covers the eye, replacing most of it (≈ 1); a lid tightened by a
   * muscle moves it by a pixel or two (a few hundredths to a tenth).
   */
  blinkChange: number
  /** Two edges of a held expression at most this far apart make one macro-expression. */
  macroPairSeconds: number
  /** Side of the face crop in pixels (blocks of (side − 2) / grid pixels). */
  cropSide: number
  /** Blocks per row and column of the face crop. */
  grid: number
  /** Largest blocks averaged into a frame's value: about one AU's region. */
  topBlocks: number
}

/** Defaults, chosen on synthetic long recordings (BENCHMARKS.md). */
export const DEFAULT_SPOTTING: SpottingSettings = {
  microHalfWindowSeconds: 0.3,
  extentHalfWindowSeconds: 0.45,
  maxMicroSeconds: 0.5,
  minEventSeconds: 0.08,
  threshold: 6,
  extentFraction: 0.06,
  returnRatio: 0.5,
  blinkShare: 0.75,
  blinkChange: 0.25,
  macroPairSeconds: 4,
  cropSide: 194,
  grid: 12,
  topBlocks: 12,
}

/** The settings' windows in frames at one frame rate. */
export interface SpottingFrames {
  k: number
  extent: number
  maxMicro: number
  minEvent: number
  macroPair: number
}

/** Converts the windows of `settings` to frames at `fps` (framesForSeconds). */
export function spottingFrames(settings: SpottingSettings, fps: number): SpottingFrames {
  const k = framesForSeconds(settings.microHalfWindowSeconds, fps)
  return {
    k,
    extent: Math.max(k, framesForSeconds(settings.extentHalfWindowSeconds, fps)),
    maxMicro: framesForSeconds(settings.maxMicroSeconds, fps),
    minEvent: framesForSeconds(settings.minEventSeconds, fps),
    macroPair: framesForSeconds(settings.macroPairSeconds, fps),
  }
}
