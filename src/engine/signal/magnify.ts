/**
 * Linear Eulerian video magnification (Wu et al. 2012) with a Laplacian pyramid and a
 * streaming temporal filter, as the MIT reference amplify_spatial_lpyr_temporal_iir /
 * _butter: RGB → YIQ, Laplacian pyramid per channel, temporal band-pass per coefficient
 * (state initialised with the first frame, so frame 0 comes out unchanged), per-level
 * gain, I and Q scaled by chromAttenuation, collapse, add to the frame, back to RGB, clip
 * to [0, 1].
 *
 * Every step is linear up to the final clip, so the order is rearranged for speed without
 * changing the result: the full-resolution band (gain 0) is never built, colour conversions
 * and chrominance attenuation happen at half resolution, and the change is added to the
 * frame in RGB. Memory is constant in the number of frames.
 */
import { AppError } from '../../shared/errors'
import { RGB_TO_YIQ, YIQ_TO_RGB, transformPlanes } from './colour'
import { addExpandedToFrame, frameScratchLength, reduceFrame } from './frame-pyramid'
import { magnifyIdeal } from './ideal'
import {
  allocatePyramid,
  buildLaplacian,
  collapseLaplacian,
  pyramidLevelCount,
  pyramidSizes,
} from './pyramid'
import { butterworthBandPassStep, butterworthLowPass, iirBandPassStep } from './temporal'
import {
  DEFAULT_MAGNIFY_PARAMS,
  checkNumber,
  clipChannels,
  type Clip,
  type MagnifyParams,
  type StreamingFilter,
} from './types'

/** A magnifier fed one frame at a time. */
export interface Magnifier {
  readonly width: number
  readonly height: number
  readonly channels: 1 | 3
  /** Gain of each Laplacian level, finest first. */
  readonly gains: Float64Array
  /**
   * Magnifies the next frame of the clip.
   * @param frame interleaved frame of width·height·channels values in [0, 1]
   * @param out destination of the same length (may be `frame`); allocated when omitted
   * @returns the magnified frame
   */
  push(frame: Float32Array, out?: Float32Array): Float32Array
  /** Forgets the filter state: the next frame starts a new clip. */
  reset(): void
}

/**
 * Per-level gains of the MIT code (its "Figure 6" schedule): delta = λc/8/(1+α); the
 * representative wavelength is √(W²+H²)/3 at the coarsest level and halves per finer
 * level; gain = min(α, 2·(λ/δ/8 − 1)); the finest and coarsest levels get 0. As in the
 * reference, a large λc can make the formula negative at fine levels; it is kept as is.
 * @param width frame width
 * @param height frame height
 * @param levels pyramid level count
 * @param alpha amplification factor
 * @param lambdaC cut-off wavelength in pixels
 * @returns one gain per level, finest first
 */
export function levelGains(
  width: number,
  height: number,
  levels: number,
  alpha: number,
  lambdaC: number,
): Float64Array {
  const gains = new Float64Array(levels)
  const delta = lambdaC / 8 / (1 + alpha)
  let lambda = Math.sqrt(width * width + height * height) / 3
  for (let l = levels - 1; l >= 0; l--) {
    if (l !== 0 && l !== levels - 1) gains[l] = Math.min(alpha, (lambda / delta / 8 - 1) * 2)
    lambda /= 2
  }
  return gains
}

/** Fills defaults and rejects values the filters cannot use. */
function resolveParams(params: Partial<MagnifyParams>): MagnifyParams {
  const resolved: MagnifyParams = { ...DEFAULT_MAGNIFY_PARAMS, ...params }
  checkNumber('alpha', resolved.alpha, { min: 0 })
  checkNumber('lambdaC', resolved.lambdaC, { min: 0 })
  checkNumber('chromAttenuation', resolved.chromAttenuation, { min: 0 })
  const { filter } = resolved
  if (filter.kind === 'iir') {
    checkNumber('filter.r1', filter.r1, { min: 0, max: 1 })
    checkNumber('filter.r2', filter.r2, { min: 0, max: 1 })
    return resolved
  }
  checkNumber('filter.fps', filter.fps, { above: 0 })
  checkNumber('filter.lowHz', filter.lowHz, { min: 0 })
  const top = filter.kind === 'butterworth' ? filter.fps / 2 : Infinity
  if (!(filter.highHz > filter.lowHz && filter.highHz < top)) {
    throw new AppError(
      'invalid_input',
      `filter.highHz must lie above lowHz (${filter.lowHz})` +
        (top < Infinity ? ` and below fps/2 (${top})` : '') +
        `, got ${filter.highHz}`,
      { field: 'filter.highHz', value: filter.highHz },
    )
  }
  if (filter.kind === 'ideal') checkNumber('filter.level', filter.level, { min: 1, integer: true })
  return resolved
}

/** Temporal state of one pyramid level of one channel. */
interface LevelState {
  lp1: Float64Array
  lp2: Float64Array
  /** Last input (Butterworth only; empty for the IIR filter). */
  previous: Float64Array
}

/** Runs one time step of a temporal filter on a band, leaving gain·band-pass in `band`. */
type BandStep = (band: Float64Array, state: LevelState, gain: number) => void

/** The band step of a streaming filter. */
function bandStep(filter: StreamingFilter): BandStep {
  if (filter.kind === 'iir') {
    const { r1, r2 } = filter
    return (band, s, gain) => iirBandPassStep(band, s.lp1, s.lp2, r1, r2, gain)
  }
  const high = butterworthLowPass(filter.highHz, filter.fps)
  const low = butterworthLowPass(filter.lowHz, filter.fps)
  return (band, s, gain) => butterworthBandPassStep(band, s.previous, s.lp1, s.lp2, high, low, gain)
}

/**
 * Creates a streaming magnifier: constant memory, all buffers allocated here.
 * @param width frame width
 * @param height frame height
 * @param channels 3 for interleaved RGB, 1 for grey (then only Y exists)
 * @param params magnification parameters; missing ones take {@link DEFAULT_MAGNIFY_PARAMS}
 */
export function createMagnifier(
  width: number,
  height: number,
  channels: 1 | 3,
  params: Partial<MagnifyParams<StreamingFilter>> = {},
): Magnifier {
  checkNumber('width', width, { min: 1, integer: true })
  checkNumber('height', height, { min: 1, integer: true })
  const { alpha, lambdaC, chromAttenuation, filter } = resolveParams(params)
  if (filter.kind === 'ideal') {
    throw new AppError('invalid_input', 'the ideal filter needs the whole clip: use magnifyClip', {
      field: 'filter.kind',
    })
  }
  const step = bandStep(filter)
  const levels = pyramidLevelCount(width, height)
  const gains = levelGains(width, height, levels, alpha, lambdaC)
  // Levels 1 … levels-1 of the full pyramid, built from the half-resolution frame.
  const sizes = pyramidSizes(width, height, levels).slice(1)
  const active = gains.some((g) => g !== 0)
  const planes = Array.from({ length: channels }, () => allocatePyramid(sizes))
  const state: (LevelState | null)[][] = planes.map((pyramid) =>
    pyramid.map((plane, l) =>
      gains[l + 1] === 0
        ? null
        : {
            lp1: new Float64Array(plane.length),
            lp2: new Float64Array(plane.length),
            previous: new Float64Array(filter.kind === 'butterworth' ? plane.length : 0),
          },
    ),
  )
  // Big enough for the pyramid functions too (frameScratchLength ≥ pyramidScratchLength).
  const scratch = new Float64Array(frameScratchLength(width, height, channels))
  const channel = new Float64Array(width * height)
  const halfPlanes = planes.map((pyramid) => pyramid[0])
  let started = false

  function bands(frame: Float32Array): void {
    reduceFrame(frame, width, height, channels, halfPlanes, channel, scratch)
    if (channels === 3) transformPlanes(RGB_TO_YIQ, halfPlanes[0], halfPlanes[1], halfPlanes[2])
    for (const pyramid of planes) buildLaplacian(pyramid, sizes, scratch)
  }

  function filterBands(): void {
    for (let c = 0; c < channels; c++) {
      const chroma = channels === 3 && c > 0 ? chromAttenuation : 1
      for (let l = 0; l < sizes.length; l++) {
        const band = planes[c][l]
        const s = state[c][l]
        if (s === null) band.fill(0)
        else step(band, s, gains[l + 1] * chroma)
      }
      collapseLaplacian(planes[c], sizes, scratch)
    }
    if (channels === 3) transformPlanes(YIQ_TO_RGB, halfPlanes[0], halfPlanes[1], halfPlanes[2])
  }

  return {
    width,
    height,
    channels,
    gains,
    push(frame, out = new Float32Array(frame.length)) {
      if (frame.length !== width * height * channels) {
        throw new AppError(
          'invalid_input',
          `frame has ${frame.length} values, expected ${width}×${height}×${channels}`,
          { field: 'frame' },
        )
      }
      if (!active) {
        out.set(frame)
        return out
      }
      bands(frame)
      if (!started) {
        // Both low-passes start at the first frame's bands: its band-pass output is 0.
        for (let c = 0; c < channels; c++) {
          for (let l = 0; l < sizes.length; l++) {
            const s = state[c][l]
            if (s === null) continue
            s.lp1.set(planes[c][l])
            s.lp2.set(planes[c][l])
            if (s.previous.length > 0) s.previous.set(planes[c][l])
          }
        }
        started = true
        out.set(frame)
        return out
      }
      filterBands()
      addExpandedToFrame(halfPlanes, frame, width, height, channels, out, scratch)
      return out
    },
    reset() {
      started = false
    },
  }
}

/**
 * Magnifies a whole clip. IIR and Butterworth filters stream through
 * {@link createMagnifier}; the ideal filter needs every frame at once (see magnifyIdeal).
 * @param clip frames to magnify (not modified)
 * @param params magnification parameters; missing ones take {@link DEFAULT_MAGNIFY_PARAMS}
 * @returns a new clip of the same size
 */
export function magnifyClip(clip: Clip, params: Partial<MagnifyParams> = {}): Clip {
  const channels = clipChannels(clip.width, clip.height, clip.frames)
  const resolved = resolveParams(params)
  const { filter } = resolved
  if (filter.kind === 'ideal') {
    return magnifyIdeal(clip, channels, resolved.alpha, resolved.chromAttenuation, filter)
  }
  const magnifier = createMagnifier(clip.width, clip.height, channels, { ...resolved, filter })
  return {
    width: clip.width,
    height: clip.height,
    frames: clip.frames.map((f) => magnifier.push(f)),
  }
}
