/**
 * Public API of the signal engine: Eulerian magnification, apex spotting and difference
 * images on in-memory clips of Float32 frames in [0, 1].
 */
export { spotApex } from './apex'
export { toGrey } from './colour'
export { differenceImage, differenceToDisplay } from './difference'
export { createMagnifier, levelGains, magnifyClip, type Magnifier } from './magnify'
export { iirGain, iirPassBandHz, type IirPassBand } from './temporal'
export {
  DEFAULT_APEX_PARAMS,
  DEFAULT_IIR_FILTER,
  DEFAULT_MAGNIFY_PARAMS,
  type ApexParams,
  type ApexResult,
  type ButterworthFilter,
  type Clip,
  type IdealFilter,
  type IirFilter,
  type MagnifyParams,
  type StreamingFilter,
  type TemporalFilter,
} from './types'
