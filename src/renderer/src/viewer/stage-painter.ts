import type { Box } from './zoom-regions'

/** The views `v` cycles through. */
export const VIEW_MODES = ['raw', 'difference', 'side-by-side'] as const

/**
 * How the stage shows the current frame: one of VIEW_MODES, or the magnified frame (its own
 * key, `m`, since it may first have to magnify the clip).
 */
export type ViewMode = (typeof VIEW_MODES)[number] | 'magnified'

/** Pixels between the two halves of the side-by-side view. */
const GAP = 8

/** Everything one paint of the stage needs. */
export interface StagePaint {
  frame: ImageBitmap
  /** The onset frame (or the first frame when no onset is set). */
  reference: ImageBitmap | undefined
  mode: ViewMode
  /** The part of the frame to show (the zoom), in frame pixels. */
  box: Box
  /** Brightness gain of the difference view. */
  gain: number
}

/**
 * Paints the stage canvas at the frame's own resolution (CSS scales it to fit), so the raw
 * and magnified views hold exactly the frame's pixels (`frame` is the magnified frame in the
 * magnified view). The difference view is |frame − reference| per channel, drawn with the
 * canvas 'difference' compositing and brightened by `gain`: no pixel is read back, so it
 * works on frames from any origin. Returns false when the reference the view needs is not
 * decoded yet.
 */
export function paintStage(
  canvas: HTMLCanvasElement,
  scratch: HTMLCanvasElement,
  paint: StagePaint,
): boolean {
  const { box } = paint
  const sideBySide = paint.mode === 'side-by-side'
  const single = paint.mode === 'raw' || paint.mode === 'magnified'
  if (!single && !paint.reference) return false
  resize(canvas, sideBySide ? box.width * 2 + GAP : box.width, box.height)
  const ctx = canvas.getContext('2d')
  if (!ctx) return false
  ctx.globalCompositeOperation = 'source-over'
  ctx.filter = 'none'
  if (single) {
    drawBox(ctx, paint.frame, box, 0)
  } else if (sideBySide && paint.reference) {
    ctx.fillStyle = '#15171c'
    ctx.fillRect(0, 0, canvas.width, canvas.height)
    drawBox(ctx, paint.reference, box, 0)
    drawBox(ctx, paint.frame, box, box.width + GAP)
  } else if (paint.reference) {
    resize(scratch, box.width, box.height)
    const diff = scratch.getContext('2d')
    if (!diff) return false
    diff.globalCompositeOperation = 'source-over'
    drawBox(diff, paint.frame, box, 0)
    diff.globalCompositeOperation = 'difference'
    drawBox(diff, paint.reference, box, 0)
    ctx.filter = `brightness(${paint.gain})`
    ctx.drawImage(scratch, 0, 0)
    ctx.filter = 'none'
  }
  return true
}

function drawBox(ctx: CanvasRenderingContext2D, image: ImageBitmap, box: Box, left: number): void {
  ctx.drawImage(image, box.x, box.y, box.width, box.height, left, 0, box.width, box.height)
}

function resize(canvas: HTMLCanvasElement, width: number, height: number): void {
  // Setting the size clears the canvas and reallocates it: only when it changes.
  if (canvas.width !== width) canvas.width = width
  if (canvas.height !== height) canvas.height = height
}
