import { AppError } from '../../shared/errors'

/**
 * Windows of the signal work are defined in seconds and converted with the video's frame
 * rate, so footage at 30 fps and at 200 fps is treated alike (a 0.25 s window is 8 frames
 * at 30 fps and 50 at 200 fps). A window is never shorter than one frame.
 */

/**
 * The number of frames closest to `seconds` at `fps`, at least `minimum` (1 by default).
 * Definition: max(minimum, round(seconds × fps)).
 */
export function framesForSeconds(seconds: number, fps: number, minimum = 1): number {
  if (!(Number.isFinite(fps) && fps > 0)) {
    throw new AppError('invalid_input', `A frame rate must be a positive number, not ${fps}`, {
      fps,
    })
  }
  if (!(Number.isFinite(seconds) && seconds >= 0)) {
    throw new AppError('invalid_input', `A window must last zero seconds or more, not ${seconds}`, {
      seconds,
    })
  }
  return Math.max(minimum, Math.round(seconds * fps))
}

/** The time of a 0-based frame number: frame / fps seconds. */
export function secondsOfFrame(frame: number, fps: number): number {
  return frame / fps
}

/**
 * The frames of a window of about `seconds` centred on a frame: always odd, 2·half + 1 with
 * half = max(minHalf, round((seconds × fps − 1) / 2)). 0.3 s is 61 frames at 200 fps and 9 at
 * 30 fps.
 */
export function centredWindowFrames(seconds: number, fps: number, minHalf = 1): number {
  framesForSeconds(seconds, fps, 0) // checks both numbers
  return 2 * Math.max(minHalf, Math.round((seconds * fps - 1) / 2)) + 1
}
