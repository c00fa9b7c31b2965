import { describe, expect, it } from 'vitest'
import { planLongRecording } from '../../../src/engine/datasets/synthetic/long-plan'
import { LongRecordingRenderer } from '../../../src/engine/datasets/synthetic/long-render'
import { applyCrop, type CropBox } from '../../../src/engine/media/face/align'

// A recording without events: only the head moves.
const STILL = { seed: 5, seconds: 20, fps: 25, width: 320, height: 240, micro: 0, blinks: 0 }

/** Frame `index` rendered and cut at `box` (RGB from the grey, resized to the box's size). */
function cut(renderer: LongRecordingRenderer, index: number, box: CropBox): Uint8Array {
  const { width, height } = STILL
  const grey = new Uint8Array(width * height)
  renderer.render(index, grey)
  const rgb = new Uint8Array(width * height * 3).map((_, i) => grey[Math.floor(i / 3)])
  const side = Math.round(box.width)
  return applyCrop({ width, height, data: rgb }, box, { width: side, height: side }).data
}

/** Mean absolute difference over the inner half of two square RGB crops. */
function innerDifference(a: Uint8Array, b: Uint8Array): number {
  const side = Math.round(Math.sqrt(a.length / 3))
  let sum = 0
  let n = 0
  for (let y = side / 4; y < (3 * side) / 4; y++) {
    for (let x = side / 4; x < (3 * side) / 4; x++) {
      const p = (Math.floor(y) * side + Math.floor(x)) * 3
      sum += Math.abs(a[p] - b[p])
      n += 1
    }
  }
  return sum / n
}

describe('the long recording’s head', () => {
  it('starts upright and rolls slowly, a few degrees at most, the same for the same seed', () => {
    const renderer = new LongRecordingRenderer(planLongRecording(STILL))
    expect(renderer.headPose(0)).toEqual({ dx: 0, dy: 0, roll: 0 })
    const frames = STILL.seconds * STILL.fps
    const rolls = Array.from({ length: frames }, (_, i) => renderer.headPose(i).roll)
    expect(Math.max(...rolls.map(Math.abs))).toBeLessThanOrEqual(4)
    expect(Math.max(...rolls.map(Math.abs))).toBeGreaterThan(1)
    const steps = rolls.slice(1).map((r, i) => Math.abs(r - rolls[i]))
    // At most 8° a second (two limits apart in one knot, smoothstep's slope 1.5) over 25 fps.
    expect(Math.max(...steps)).toBeLessThan(0.5)
    const again = new LongRecordingRenderer(planLongRecording(STILL))
    expect(again.headPose(333)).toEqual(renderer.headPose(333))
    const other = new LongRecordingRenderer(planLongRecording({ ...STILL, seed: 6 }))
    expect(other.headPose(333)).not.toEqual(renderer.headPose(333))
  })

  it('is where headPose says: the face cut at the moved, turned box is the first frame’s', () => {
    const renderer = new LongRecordingRenderer(planLongRecording(STILL))
    const { x, y, side } = renderer.face
    const frames = STILL.seconds * STILL.fps
    const rolled = Array.from({ length: frames }, (_, i) => i).reduce((best, i) =>
      Math.abs(renderer.headPose(i).roll) > Math.abs(renderer.headPose(best).roll) ? i : best,
    )
    const pose = renderer.headPose(rolled)
    expect(Math.abs(pose.roll)).toBeGreaterThan(1)
    const start = cut(renderer, 0, { x, y, width: side, height: side, angle: 0 })
    const moved = { x: x + pose.dx, y: y + pose.dy, width: side, height: side, angle: pose.roll }
    const followed = innerDifference(cut(renderer, rolled, moved), start)
    const unturned = innerDifference(cut(renderer, rolled, { ...moved, angle: 0 }), start)
    // Left: the sensor noise (±2 in each frame: 1.3 on average between two) and the
    // resampling of the turned face; the roll left in is several times that.
    expect(followed).toBeLessThan(3)
    expect(unturned).toBeGreaterThan(3 * followed)
  })
})
