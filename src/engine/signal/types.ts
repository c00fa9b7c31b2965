/**
 * Data and parameter types of the signal engine, their defaults and the checks that turn
 * bad input into AppErrors that name the field.
 */
import { AppError } from '../../shared/errors'

/**
 * A clip in memory: frames of equal size with interleaved channel values in [0, 1],
 * 3 channels (RGB) or 1 (grey); the channel count is frame length / (width·height).
 */
export interface Clip {
  width: number
  height: number
  frames: Float32Array[]
}

/** Temporal IIR band-pass of two first-order low-passes (MIT's IIR variant). */
export interface IirFilter {
  kind: 'iir'
  /** Weight of the fast low-pass, in (0, 1]. */
  r1: number
  /** Weight of the slow low-pass, in (0, 1]. */
  r2: number
}

/** First-order Butterworth band-pass with true cut-offs in Hz. */
export interface ButterworthFilter {
  kind: 'butterworth'
  lowHz: number
  highHz: number
  fps: number
}

/** Ideal (FFT) band-pass over the whole clip on one Gaussian pyramid level. */
export interface IdealFilter {
  kind: 'ideal'
  lowHz: number
  highHz: number
  fps: number
  /** Gaussian pyramid level filtered (1 = half resolution); MIT's face example uses 4. */
  level: number
}

/** Filters that run frame by frame with state of constant size. */
export type StreamingFilter = IirFilter | ButterworthFilter

/** Any temporal filter. */
export type TemporalFilter = StreamingFilter | IdealFilter

/** Parameters of linear Eulerian magnification. */
export interface MagnifyParams<F extends TemporalFilter = TemporalFilter> {
  /** Amplification factor (the largest per-level gain). */
  alpha: number
  /** Cut-off wavelength in pixels below which gains are cut (Laplacian filters only). */
  lambdaC: number
  /** Factor on the amplified I and Q (chrominance) components. */
  chromAttenuation: number
  filter: F
}

/** The IIR filter the magnification defaults to. */
export const DEFAULT_IIR_FILTER: Readonly<IirFilter> = Object.freeze({
  kind: 'iir',
  r1: 0.4,
  r2: 0.05,
})

/** Defaults of the MIT IIR example as used in micro-expression work. */
export const DEFAULT_MAGNIFY_PARAMS: Readonly<MagnifyParams<IirFilter>> = Object.freeze({
  alpha: 10,
  lambdaC: 16,
  chromAttenuation: 0.1,
  filter: DEFAULT_IIR_FILTER,
})

/** Parameters of frequency-domain apex spotting. */
export interface ApexParams {
  /** Frames per window, odd, centred on the scored frame. */
  windowLength: number
  /** Blocks per side of the grid laid over the LBP image. */
  grid: number
  /** Smallest kept distance from the spectrum centre, in bins of the time axis. */
  radius: number
}

/** Li, Huang, Zhao (ICIP 2018): 61-frame windows, 6×6 blocks, high-pass radius 31. */
export const DEFAULT_APEX_PARAMS: Readonly<ApexParams> = Object.freeze({
  windowLength: 61,
  grid: 6,
  radius: 31,
})

/** Apex spotting result. */
export interface ApexResult {
  /** Index (0-based, into the clip's frames) of the apex. */
  apexIndex: number
  /** High-frequency score of every frame. */
  scores: Float64Array
}

/** Bounds a number must respect; all optional. */
export interface NumberRange {
  /** Smallest allowed value. */
  min?: number
  /** Largest allowed value. */
  max?: number
  /** The value must be strictly greater than this. */
  above?: number
  /** The value must be a whole number. */
  integer?: boolean
}

/**
 * Throws an invalid_input AppError naming `field` unless `value` is a finite number that
 * respects the range.
 */
export function checkNumber(field: string, value: number, range: NumberRange): void {
  const { min = -Infinity, max = Infinity, above = -Infinity, integer = false } = range
  const ok =
    Number.isFinite(value) &&
    value >= min &&
    value <= max &&
    value > above &&
    (!integer || Number.isInteger(value))
  if (ok) return
  const rules = [
    Number.isFinite(range.min) ? `≥ ${min}` : '',
    Number.isFinite(range.above) ? `> ${above}` : '',
    Number.isFinite(range.max) ? `≤ ${max}` : '',
  ].filter((rule) => rule !== '')
  throw new AppError(
    'invalid_input',
    `${field} must be ${integer ? 'an integer' : 'a number'} ${rules.join(' and ')}, got ${value}`,
    { field, value },
  )
}

/**
 * Checks frame geometry and returns the channel count.
 * @param width frame width
 * @param height frame height
 * @param frames frames to check
 * @returns 1 or 3
 */
export function clipChannels(
  width: number,
  height: number,
  frames: readonly Float32Array[],
): 1 | 3 {
  checkNumber('width', width, { min: 1, integer: true })
  checkNumber('height', height, { min: 1, integer: true })
  if (frames.length === 0) {
    throw new AppError('invalid_input', 'the clip has no frames', { field: 'frames' })
  }
  const channels = frames[0].length / (width * height)
  if (channels !== 1 && channels !== 3) {
    throw new AppError(
      'invalid_input',
      `frame 0 has ${frames[0].length} values, expected ${width}×${height}×1 or ×3`,
      { field: 'frames', index: 0 },
    )
  }
  frames.forEach((frame, index) => {
    if (frame.length !== frames[0].length) {
      throw new AppError(
        'invalid_input',
        `frame ${index} has ${frame.length} values, frame 0 has ${frames[0].length}`,
        { field: 'frames', index },
      )
    }
  })
  return channels
}
