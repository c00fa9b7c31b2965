/**
 * Signal-processing records as the contract carries them: Eulerian magnification settings
 * (linear, IIR band-pass), magnified frames of a clip, apex-spotting curves, the IIR pass
 * band in Hz. A setting left out takes the engine's default (DEFAULT_MAGNIFY_SETTINGS).
 */
import { z } from 'zod'
import { fpsSchema } from './schemas'

/**
 * Magnification settings a user may change; each is optional. Ranges keep the maths
 * meaningful: r1 and r2 are weights of first-order low-passes in (0, 1].
 */
export const magnifySettingsFields = {
  /** Amplification factor (the largest per-level gain). */
  alpha: z.number().min(0).max(1000).optional(),
  /** Cut-off wavelength in pixels below which gains are cut. */
  lambdaC: z.number().min(0).max(100_000).optional(),
  /** Weight of the fast low-pass of the IIR band-pass. */
  r1: z.number().gt(0).max(1).optional(),
  /** Weight of the slow low-pass of the IIR band-pass. */
  r2: z.number().gt(0).max(1).optional(),
  /** Factor on the amplified chrominance (I and Q). */
  chromAttenuation: z.number().min(0).max(10).optional(),
}

/** Magnification settings with every field optional (left-out ones take the defaults). */
export const magnifySettingsSchema = z.object(magnifySettingsFields).strict()

/** A pass-band question: the clip's frame rate and, optionally, the filter's weights. */
export const passBandRequestSchema = z
  .object({ fps: fpsSchema, r1: magnifySettingsFields.r1, r2: magnifySettingsFields.r2 })
  .strict()

/** Partial magnification settings, as a request gives them. */
export type MagnifySettingsInput = z.input<typeof magnifySettingsSchema>

/** Magnification settings with every value filled in. */
export interface MagnifySettings {
  alpha: number
  lambdaC: number
  r1: number
  r2: number
  chromAttenuation: number
}

/**
 * The defaults, for the UI's controls: the engine fills left-out settings from its
 * DEFAULT_MAGNIFY_PARAMS, which a test keeps equal to these.
 */
export const DEFAULT_MAGNIFY_SETTINGS: Readonly<MagnifySettings> = Object.freeze({
  alpha: 10,
  lambdaC: 16,
  r1: 0.4,
  r2: 0.05,
  chromAttenuation: 0.1,
})

/** The magnified frames of a whole clip for one setting, all in the frame cache. */
export interface MagnifiedFrames {
  clipId: number
  /** Short hash of the settings (the magnified_frames table's params_key). */
  paramsKey: string
  settings: MagnifySettings
  /** Frame cache key of every frame of the clip, by absolute frame number, ascending. */
  frames: { number: number; key: string }[]
}

/** What a magnification job did for one clip. */
export interface MagnifyClipResult {
  clipId: number
  paramsKey: string
  /** Frames the clip has magnified now. */
  frames: number
  /** True when every frame was already cached and nothing was computed. */
  cached: boolean
}

/** Result of a magnification job. */
export interface MagnifyJobResult {
  settings: MagnifySettings
  clips: MagnifyClipResult[]
}

/** Apex-spotting parameters (Li, Huang, Zhao 2018). */
export interface ApexSpottingParams {
  windowLength: number
  grid: number
  radius: number
}

/** The apex-spotting score of every frame of a clip and the frame it suggests as apex. */
export interface ApexCurve {
  clipId: number
  paramsKey: string
  params: ApexSpottingParams
  /** Absolute frame numbers, ascending, one per score. */
  numbers: number[]
  /** High-frequency score of each frame in `numbers`. */
  scores: number[]
  /** The suggested apex: the absolute number of the best-scoring frame. */
  apexFrame: number
  /** Index of the suggested apex in `numbers`. */
  apexIndex: number
  createdAt: string
}

/** What an apex-spotting job did for one clip. */
export interface ApexClipResult {
  clipId: number
  apexFrame: number
  /** True when the curve was already cached and nothing was computed. */
  cached: boolean
}

/** Result of an apex-spotting job. */
export interface ApexJobResult {
  clips: ApexClipResult[]
}

/** One apex the fill-missing job spotted and stored as estimated. */
export interface FilledApex {
  clipId: number
  coderId: number
  apex: number
}

/** Result of a fill-missing-apex job. */
export interface FillMissingApexResult {
  datasetId: number
  /** Clips that had at least one marker row without an apex. */
  clips: number
  filled: FilledApex[]
  /** Apex curves taken from the cache rather than computed. */
  cachedCurves: number
}

/** The pass band of the IIR temporal filter at a frame rate, in Hz. */
export interface PassBand {
  fps: number
  r1: number
  r2: number
  /** Lower −3 dB point. */
  lowHz: number
  /** Upper −3 dB point (fps/2 when the gain at Nyquist stays above it). */
  highHz: number
  /** Frequency of the largest gain. */
  peakHz: number
  /** Largest gain (below 1). */
  peakGain: number
  /** −3 dB cut-off of the slow low-pass (r2) alone: the often-quoted lower edge. */
  slowCutoffHz: number
  /** −3 dB cut-off of the fast low-pass (r1) alone: the often-quoted upper edge. */
  fastCutoffHz: number
}
