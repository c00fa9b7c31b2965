/**
 * Frequency-domain apex spotting after Li, Huang, Zhao (ICIP 2018).
 *
 * For every frame n: the LBP code images of the frames n−h … n+h (window N = 2h+1, the clip
 * padded by repeating its first and last frame), cut into a grid × grid of blocks; the 3D
 * DFT of each block cube, centred (fftshift); an ideal spherical high-pass keeps the bins at
 * distance ≥ radius from the centre; the score is the sum of the kept magnitudes over all
 * blocks, and the apex is the frame of the largest score.
 *
 * Choices the paper leaves open:
 * - Blocks: the LBP image ((W−2)×(H−2), see lbpCodes) is split at floor(i·size/grid), so
 *   block sides differ by at most one pixel (158 → 26, 26, 27, 26, 26, 27).
 * - Distance in an anisotropic cube: each axis is stretched to the window length, i.e.
 *   d² = kt² + (ky·N/bh)² + (kx·N/bw)² with k the signed (centred) bin offsets. For an N³
 *   cube this is the plain bin distance; for others the kept region is the same part of
 *   normalised frequency space (outside the ellipsoid inscribed in the spectrum).
 * - Ties: frames whose windows contain the same event fully have the same score (the DFT
 *   magnitude ignores where in the window the event sits), so on a noise-free clip the
 *   maximum is a run of equal scores. The apex is the middle of the first run of scores
 *   within 1e-9 (relative) of the maximum, which is the event's centre for such runs; on
 *   real data runs have length 1 and this is the plain argmax.
 *
 * Speed: the 3D DFT is separable. Each window step adds one frame and drops one, so the
 * temporal DFT is updated by a sliding DFT: with Z_n[k] = Σ_{t=n−h}^{n+h} X_t[k]·w^{k·t}
 * (X_t the 2D spectrum of frame t's block, w = e^{−2πi/N}), |Z_n| equals the magnitude of
 * the window's DFT and Z_{n+1} = Z_n + (X_{n+h+1} − X_{n−h})·w^{k(n−h)}. One 2D FFT of the
 * frame difference and one complex multiply-add per kept bin per frame replace a 3D FFT per
 * window. The input is real, so only temporal bins 0 … h are tracked (bins k and −k have
 * equal magnitude and the mask is symmetric).
 */
import { ApexStream } from './apex-stream'
import { clipChannels } from './types'
import type { ApexParams, ApexResult, Clip } from './types'

/**
 * Scores every frame of a clip and picks the apex.
 * @param clip face clip, grey or RGB (converted to Y), at least grid+2 pixels per side
 * @param params window length, grid and high-pass radius; defaults {@link DEFAULT_APEX_PARAMS}
 * @returns the apex index and the score of every frame
 */
export function spotApex(clip: Clip, params: Partial<ApexParams> = {}): ApexResult {
  const channels = clipChannels(clip.width, clip.height, clip.frames)
  // One chunk: the whole clip's codes at once, the sliding DFT never restarted.
  const stream = new ApexStream(clip.width, clip.height, channels, params, {
    chunkFrames: Infinity,
  })
  for (const frame of clip.frames) stream.push(frame)
  return stream.finish()
}
