import path from 'node:path'
import { AppError } from '../../../shared/errors'
import { decodeFrames, type DecodedFrame } from '../../media/decode-frames'
import type { FaceDetector } from '../../media/face/detector'
import { findVideoFaceCrop } from '../../media/face/detector'
import { ffmpegTools, type FfmpegTools } from '../../media/ffmpeg-locate'
import { readStreamHeader } from '../../media/probe'
import { FaceTrack } from './face-track'
import { FaceTracker, type TrackBox } from './face-tracker'
import { FeatureCurveBuilder, type FeatureCurves } from './feature-curves'
import { spotIntervals, type SpottedInterval } from './intervals'
import { DEFAULT_SPOTTING, spottingFrames, type SpottingSettings } from './settings'

/** Where the face is at the start: a square box, and its eye line (0–1 of the side). */
export interface StartFace {
  box: TrackBox
  eyeLevel: number
  /** 'detected' by the face detector, or 'centred' (no detector, or no face found). */
  source: 'detected' | 'centred'
}

/** Options of spotVideo. */
export interface SpotVideoOptions {
  /** Frame rate to use instead of the file's (a 200 fps camera written as 25 fps, say). */
  fps?: number
  /** Finds the face in the first frame; without one the centred square is used. */
  detector?: FaceDetector
  settings?: Partial<SpottingSettings>
  signal?: AbortSignal
  tools?: FfmpegTools
  /** Called every few hundred frames with the frames read so far. */
  onProgress?: (frames: number) => void
  /**
   * The grey frames to spot in, scaled to `scale` when given, as decodeFrames({ pixelFormat:
   * 'gray', scale }) gives them (the default): a caller that needs the frames for more than
   * spotting decodes once and hands the grey ones here.
   */
  greyFrames?: (scale: { width: number; height: number } | undefined) => AsyncIterable<DecodedFrame>
  /**
   * Called for every frame once tracked, with the face box followed to it (frame pixels,
   * turned by the start's angle plus the tracked roll) and the face spotting started from.
   */
  onTracked?: (index: number, box: TrackBox, face: StartFace) => void
}

/** What spotting a video found. */
export interface SpottedVideo {
  file: string
  fps: number
  /** Frames decoded. */
  frames: number
  width: number
  height: number
  face: StartFace
  /** The face box followed to each decoded frame (frame pixels, with its angle). */
  track: FaceTrack
  intervals: SpottedInterval[]
  curves: FeatureCurves
}

/**
 * Spots micro- and macro-expressions in a video of any length, reading its frames once as a
 * stream (grey, scaled by ffmpeg so the face is about cropSide pixels), tracking and
 * stabilising the face crop, and computing appearance feature differences in the scheme of
 * Moilanen, Zhao, Pietikäinen, "Spotting rapid facial movements from videos using
 * appearance-based feature difference analysis", ICPR 2014 (the MEGC spotting baseline;
 * block-difference.ts says which feature and why). Memory holds a ring of 2L + 1 crops,
 * 20 bytes a frame of curves and 24 of the face track, whatever the length.
 */
export async function spotVideo(
  file: string,
  options: SpotVideoOptions = {},
): Promise<SpottedVideo> {
  const absolute = path.resolve(file)
  const tools = options.tools ?? (await ffmpegTools())
  const settings = { ...DEFAULT_SPOTTING, ...options.settings }
  const header = await readStreamHeader(absolute, tools, options.signal)
  const fps = options.fps ?? header.fps.num / header.fps.den
  if (!(Number.isFinite(fps) && fps > 0)) {
    throw new AppError(
      'invalid_input',
      `${absolute}: the frame rate ${fps} is not usable; give --fps`,
      {
        file: absolute,
      },
    )
  }
  const face = await startFace(absolute, header, options.detector, tools, options.signal)
  const shrink = Math.min(1, settings.cropSide / face.box.side)
  const scale = shrink < 1 ? scaledSize(header, shrink) : undefined
  const factor = scale ? scale.width / header.width : 1
  const tracker = new FaceTracker(scaleBox(face.box, factor), settings.cropSide)
  const track = new FaceTrack(face.box.side)
  const windows = spottingFrames(settings, fps)
  const builder = new FeatureCurveBuilder(
    settings.cropSide,
    settings.grid,
    settings.topBlocks,
    windows.k,
    windows.extent,
    eyeBlocks(face.eyeLevel, settings.grid),
  )
  const frames =
    options.greyFrames?.(scale) ??
    decodeFrames(absolute, { pixelFormat: 'gray', scale, signal: options.signal, tools })
  for await (const frame of frames) {
    builder.push(tracker.next(frame))
    const box = scaleBox(tracker.current, 1 / factor)
    track.push(box)
    options.onTracked?.(frame.index, box, face)
    if (frame.index % 500 === 0) options.onProgress?.(frame.index)
  }
  if (builder.frames === 0) {
    throw new AppError('invalid_file', `${absolute} holds no frames to spot in`, { file: absolute })
  }
  const curves = builder.finish()
  return {
    file: absolute,
    fps,
    frames: builder.frames,
    width: header.width,
    height: header.height,
    face,
    track,
    intervals: spotIntervals(curves, settings, windows),
    curves,
  }
}

async function startFace(
  file: string,
  header: { width: number; height: number },
  detector: FaceDetector | undefined,
  tools: FfmpegTools,
  signal: AbortSignal | undefined,
): Promise<StartFace> {
  if (detector) {
    const found = await findVideoFaceCrop(file, detector, { signal, tools }).catch((error) => {
      if (error instanceof AppError && error.code === 'not_found') return null
      throw error
    })
    if (found) {
      const { x, y, width, angle } = found.crop
      return { box: { x, y, side: width, angle }, eyeLevel: 0.33, source: 'detected' }
    }
  }
  return { ...centredFace(header.width, header.height), source: 'centred' }
}

/**
 * The face box assumed when none is detected: the centred square of 85% of the frame's
 * shorter side (a lab camera frames the face), eye line at 0.4 of its side.
 */
export function centredFace(width: number, height: number): Omit<StartFace, 'source'> {
  const side = Math.floor(Math.min(width, height) * 0.85)
  return {
    box: { x: (width - side) / 2, y: (height - side) / 2, side, angle: 0 },
    eyeLevel: 0.4,
  }
}

function scaledSize(header: { width: number; height: number }, factor: number) {
  return {
    width: Math.max(2, Math.round(header.width * factor)),
    height: Math.max(2, Math.round(header.height * factor)),
  }
}

/** A box in pixels of frames scaled by `factor` (its angle does not change). */
function scaleBox(box: TrackBox, factor: number): TrackBox {
  return { x: box.x * factor, y: box.y * factor, side: box.side * factor, angle: box.angle }
}

/** Half the height of the eye band, as a share of the crop's side (brows lie above it). */
const EYE_BAND = 0.05

/** The blocks of the grid rows that overlap the eye band (eye line ± EYE_BAND). */
export function eyeBlocks(eyeLevel: number, grid: number): Set<number> {
  const first = Math.max(0, Math.floor((eyeLevel - EYE_BAND) * grid))
  const last = Math.min(grid - 1, Math.floor((eyeLevel + EYE_BAND) * grid))
  const blocks = new Set<number>()
  for (let row = first; row <= last; row++) {
    for (let column = 0; column < grid; column++) blocks.add(row * grid + column)
  }
  return blocks
}
