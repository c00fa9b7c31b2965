import fs from 'node:fs'
import path from 'node:path'
import { AppError } from '../../shared/errors'
import {
  spotRecordingRequestSchema,
  type SpotRecordingRequest,
  type SpotRecordingResult,
} from '../../shared/spot-recording'
import type { LibraryDb } from '../db/open-library'
import { defineJobKind } from '../jobs/job-kind'
import type { FaceDetector } from '../media/face/detector'
import { ffmpegTools } from '../media/ffmpeg-locate'
import type { StreamHeader } from '../media/probe-parse'
import { readStreamHeader } from '../media/probe'
import { spotVideo } from '../signal/spotting/spot-video'
import { spottedRecordingInput, storeSpottedRecording } from './store-spotted'

/** The job kind that imports a long video as a recording and spots it. */
export const SPOT_RECORDING_KIND = 'spotting.spotRecording'

/**
 * Checks a spot-recording request before a job is queued, so the plain mistakes answer at
 * once: the video must be a file, and the dataset must not already hold its spotting.
 */
export function checkSpotRecording(db: LibraryDb, request: SpotRecordingRequest): void {
  const video = path.resolve(request.video)
  if (!fs.existsSync(video) || !fs.statSync(video).isFile()) {
    throw new AppError('not_found', `There is no video file ${video}`, {
      file: video,
      field: 'video',
    })
  }
  const stored = db
    .prepare(
      `SELECT 1 FROM recordings r JOIN datasets d ON d.id = r.dataset_id
       WHERE d.name = ? AND r.path = ?`,
    )
    .get(request.dataset, video)
  if (stored) {
    throw new AppError(
      'conflict',
      `Dataset '${request.dataset}' already holds the spotting of ${video}`,
      { file: video, dataset: request.dataset, field: 'video' },
    )
  }
}

/**
 * Reads the video once as a stream and spots it (`spotVideo`), then stores the recording
 * and its spotted intervals as clips in one transaction (`storeSpottedRecording`): a video
 * that fails leaves the library as it was. Cancelling stops the decode; nothing is stored.
 */
export const spotRecordingJob = defineJobKind({
  kind: SPOT_RECORDING_KIND,
  input: spotRecordingRequestSchema,
  async run(input, ctx): Promise<SpotRecordingResult> {
    const name = path.basename(input.video)
    const tools = await ffmpegTools()
    const expected = expectedFrames(await readStreamHeader(input.video, tools, ctx.signal))
    ctx.progress({ done: 0, total: expected, message: `Spotting ${name}: looking for the face…` })
    const detector = input.faceDetection ? await faceDetector() : undefined
    const video = await spotVideo(input.video, {
      fps: input.fps,
      detector,
      signal: ctx.signal,
      tools,
      onProgress: (frames) =>
        ctx.progress({
          done: frames,
          total: Math.max(expected, frames),
          message: `Spotting ${name}: frame ${frames} of about ${expected}`,
        }),
    })
    const stored = storeSpottedRecording(
      ctx.db,
      spottedRecordingInput(video, {
        dataset: input.dataset,
        subject: input.subject ?? path.basename(input.video, path.extname(input.video)),
      }),
    )
    ctx.progress({ done: 1, total: 1, message: `${stored.clipIds.length} intervals spotted` })
    return { ...stored, frames: video.frames, fps: video.fps, face: video.face.source }
  },
})

/**
 * The frames a video should decode to, for progress: the container's count when it is exact,
 * else duration × frame rate, else 0 (unknown).
 */
function expectedFrames(header: StreamHeader): number {
  if (header.containerFrames !== null) return header.containerFrames
  if (header.duration === null) return 0
  return Math.round((header.duration * header.fps.num) / header.fps.den)
}

/** The face detector, or none (the centred square) when it cannot load here. */
async function faceDetector(): Promise<FaceDetector | undefined> {
  const { createFaceApiDetector } = await import('../media/face/face-api-detector')
  return createFaceApiDetector().catch(() => undefined)
}
