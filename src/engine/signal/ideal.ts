/**
 * Eulerian magnification with an ideal temporal band-pass on one Gaussian pyramid level,
 * after MIT's amplify_spatial_Gdown_temporal_ideal: blur and reduce every frame `level`
 * times, convert to YIQ, zero the DFT bins of each coefficient's time series outside the
 * band, scale Y by alpha and I, Q by alpha·chromAttenuation, bring the change back to full
 * resolution, add it to the frame, clip to [0, 1].
 *
 * Differences from the MIT code, both documented choices: the change is brought back to
 * full size with the pyramid's expand operator level by level (MIT uses imresize, bicubic),
 * and the band keeps the negative frequencies too (see idealBandMask), so alpha is the
 * real gain of a sinusoid in the band.
 */
import { AppError } from '../../shared/errors'
import { RGB_TO_YIQ, YIQ_TO_RGB, transformPlanes } from './colour'
import { FftPlan } from './fft'
import { addExpandedToFrame, frameScratchLength, reduceFrame } from './frame-pyramid'
import { addExpanded, allocatePyramid, pyramidLevelCount, pyramidSizes, reduce } from './pyramid'
import { idealBandMask } from './temporal'
import type { Clip, IdealFilter } from './types'

/**
 * Magnifies a clip with the ideal band-pass; holds the reduced clip (1/4^level of the
 * frames) in memory.
 * @param clip frames to magnify (not modified)
 * @param channels channel count of the frames (checked by the caller)
 * @param alpha amplification factor
 * @param chromAttenuation factor on I and Q
 * @param filter band, frame rate and pyramid level
 * @returns a new clip of the same size
 */
export function magnifyIdeal(
  clip: Clip,
  channels: 1 | 3,
  alpha: number,
  chromAttenuation: number,
  filter: IdealFilter,
): Clip {
  const { width, height, frames } = clip
  const maxLevel = pyramidLevelCount(width, height) - 1
  if (filter.level > maxLevel) {
    throw new AppError(
      'invalid_input',
      `filter.level must be at most ${maxLevel} for ${width}×${height} frames, got ${filter.level}`,
      { field: 'filter.level', value: filter.level },
    )
  }
  // Levels 1 … level of the Gaussian pyramid: planes[c][i] is channel c at level i+1.
  const sizes = pyramidSizes(width, height, filter.level + 1).slice(1)
  const planes = Array.from({ length: channels }, () => allocatePyramid(sizes))
  const coarse = (c: number): Float64Array => planes[c][sizes.length - 1]
  const halfPlanes = planes.map((pyramid) => pyramid[0])
  // Big enough for the pyramid functions too (frameScratchLength ≥ pyramidScratchLength).
  const scratch = new Float64Array(frameScratchLength(width, height, channels))
  const channel = new Float64Array(width * height)
  const count = frames.length
  const pixels = coarse(0).length
  // Series of one coefficient are contiguous: stack[(c·pixels + p)·count + t].
  const stack = new Float64Array(channels * pixels * count)

  frames.forEach((frame, t) => {
    reduceFrame(frame, width, height, channels, halfPlanes, channel, scratch)
    for (const pyramid of planes) {
      for (let i = 0; i + 1 < sizes.length; i++) {
        reduce(pyramid[i], sizes[i].width, sizes[i].height, pyramid[i + 1], scratch)
      }
    }
    if (channels === 3) transformPlanes(RGB_TO_YIQ, coarse(0), coarse(1), coarse(2))
    for (let c = 0; c < channels; c++) {
      const plane = coarse(c)
      for (let p = 0; p < pixels; p++) stack[(c * pixels + p) * count + t] = plane[p]
    }
  })

  const plan = new FftPlan(count)
  const mask = idealBandMask(count, filter.fps, filter.lowHz, filter.highHz)
  const re = new Float64Array(count)
  const im = new Float64Array(count)
  for (let c = 0; c < channels; c++) {
    const gain = c === 0 ? alpha : alpha * chromAttenuation
    for (let p = 0; p < pixels; p++) {
      const base = (c * pixels + p) * count
      for (let t = 0; t < count; t++) re[t] = stack[base + t]
      im.fill(0)
      plan.forward(re, im)
      for (let k = 0; k < count; k++) {
        if (mask[k] === 0) {
          re[k] = 0
          im[k] = 0
        }
      }
      plan.inverse(re, im)
      for (let t = 0; t < count; t++) stack[base + t] = gain * re[t]
    }
  }

  const out = frames.map((frame, t) => {
    for (let c = 0; c < channels; c++) {
      const plane = coarse(c)
      for (let p = 0; p < pixels; p++) plane[p] = stack[(c * pixels + p) * count + t]
    }
    if (channels === 3) transformPlanes(YIQ_TO_RGB, coarse(0), coarse(1), coarse(2))
    for (const pyramid of planes) {
      for (let i = sizes.length - 2; i >= 0; i--) {
        pyramid[i].fill(0)
        addExpanded(pyramid[i + 1], pyramid[i], sizes[i].width, sizes[i].height, 1, scratch)
      }
    }
    const result = new Float32Array(frame.length)
    addExpandedToFrame(halfPlanes, frame, width, height, channels, result, scratch)
    return result
  })
  return { width, height, frames: out }
}
