/**
 * The one rule that turns frame numbers into ELAN times and back, used by the .eaf export,
 * the .eaf import and the BORIS table.
 *
 * Time 0 is the start of frame `first` (`timeZeroFrame`): a video's own first frame, so times
 * are the media's and a clip cut from a long recording lands where it lies in the video; a
 * frame folder's clip's first frame, since a folder has no timeline of its own. Frame n starts
 * at (n − first) × 1000 / fps milliseconds, rounded to the nearest whole millisecond (halves
 * up). A time t is read back as the frame whose start is nearest, first + round(t × fps / 1000)
 * (halves up), and lies on that frame when the frame's rounded start is exactly t.
 * For rates up to 1000 fps every frame has its own millisecond, so frame → ms → frame gives
 * the same frame back.
 *
 * An interval from onset to offset covers whole frames: it runs from the start of the onset
 * frame to the start of the frame after the offset (the end of the offset frame).
 */

/** The highest frame rate whose frames each get a millisecond of their own. */
export const MAX_EAF_FPS = 1000

/**
 * The frame whose start is time 0 of a clip's times: frame 1 for a video source (frame numbers
 * of a video clip are the video's decoded frames, from 1), the clip's first frame for a frame
 * folder.
 */
export function timeZeroFrame(clip: {
  sourceKind: 'frames' | 'video'
  firstFrame: number
}): number {
  return clip.sourceKind === 'video' ? 1 : clip.firstFrame
}

/** Start of frame `frame` in ms from the start of frame `first`, rounded halves up. */
export function frameStartMs(frame: number, first: number, fps: number): number {
  return Math.floor(((frame - first) * 1000) / fps + 0.5)
}

/** A time read back as a frame, and whether the time is that frame's start. */
export interface SnappedTime {
  frame: number
  onFrame: boolean
}

/** The frame whose start is nearest to `ms` (halves up), and whether `ms` is its start. */
export function snapToFrame(ms: number, first: number, fps: number): SnappedTime {
  const frame = first + Math.floor((ms * fps) / 1000 + 0.5)
  return { frame, onFrame: frameStartMs(frame, first, fps) === ms }
}

/** An onset–offset interval in ms: from the start of the onset frame to the end of the offset frame. */
export function intervalMs(
  onset: number,
  offset: number,
  first: number,
  fps: number,
): { begin: number; end: number } {
  return { begin: frameStartMs(onset, first, fps), end: frameStartMs(offset + 1, first, fps) }
}

/** An interval in ms read back as onset and offset frames (the inverse of `intervalMs`). */
export function intervalFrames(
  begin: number,
  end: number,
  first: number,
  fps: number,
): { onset: SnappedTime; offset: SnappedTime } {
  const onset = snapToFrame(begin, first, fps)
  const after = snapToFrame(end, first, fps)
  // An interval shorter than half a frame still covers the frame it starts in.
  return {
    onset,
    offset: { frame: Math.max(onset.frame, after.frame - 1), onFrame: after.onFrame },
  }
}
