/**
 * The full-resolution ends of magnification: reducing an interleaved frame to per-channel
 * planes at half resolution, and adding an expanded half-resolution change back to a frame.
 *
 * The finest Laplacian band gets gain 0 in every magnification variant, so nothing needs
 * the full-resolution band itself: the pyramid work starts at level 1, and colour
 * conversions (linear, like the filters) happen there, on a quarter of the pixels.
 */
import { expandColumns, expandLine, pyramidScratchLength, reduce } from './pyramid'

/**
 * Reduces each channel of an interleaved frame to a plane at half resolution.
 * @param frame interleaved frame, `channels` values per pixel
 * @param width frame width
 * @param height frame height
 * @param channels values per pixel
 * @param planes one plane of ceil(width/2) × ceil(height/2) per channel
 * @param channel width·height samples that receive one channel at a time
 * @param scratch at least pyramidScratchLength(width, height) samples
 */
export function reduceFrame(
  frame: Float32Array,
  width: number,
  height: number,
  channels: number,
  planes: readonly Float64Array[],
  channel: Float64Array,
  scratch: Float64Array,
): void {
  for (let c = 0; c < channels; c++) {
    // Copying the channel out keeps the reduce kernel on one array type (faster in V8).
    for (let p = 0, q = c; p < width * height; p++, q += channels) channel[p] = frame[q]
    reduce(channel, width, height, planes[c], scratch)
  }
}

/**
 * Scratch length {@link addExpandedToFrame} needs.
 * @param width frame width
 * @param height frame height
 * @param channels values per pixel
 */
export function frameScratchLength(width: number, height: number, channels: number): number {
  return channels * pyramidScratchLength(width, height)
}

/**
 * Writes clip(frame + expand(change)) to `out`, clipping to [0, 1].
 * @param changes one half-resolution plane per channel
 * @param frame interleaved frame
 * @param width frame width
 * @param height frame height
 * @param channels values per pixel
 * @param out interleaved destination (may be `frame`)
 * @param scratch at least {@link frameScratchLength} samples
 */
export function addExpandedToFrame(
  changes: readonly Float64Array[],
  frame: Float32Array,
  width: number,
  height: number,
  channels: number,
  out: Float32Array,
  scratch: Float64Array,
): void {
  const half = (width + 1) >> 1
  const plane = height * half
  const rows = channels * plane
  for (let c = 0; c < channels; c++) {
    expandColumns(changes[c], half, height, scratch.subarray(c * plane, (c + 1) * plane))
  }
  for (let y = 0; y < height; y++) {
    for (let c = 0; c < channels; c++) {
      expandLine(scratch, c * plane + y * half, half, scratch, rows + c * width, width)
    }
    // Row buffers are channel-major; the frame is interleaved.
    const base = y * width * channels
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        const at = base + x * channels + c
        const v = frame[at] + scratch[rows + c * width + x]
        out[at] = v < 0 ? 0 : v > 1 ? 1 : v
      }
    }
  }
}
