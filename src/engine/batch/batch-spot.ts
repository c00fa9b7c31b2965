import path from 'node:path'
import type { LibraryDb } from '../db/open-library'
import type { FaceDetector } from '../media/face/detector'
import type { FfmpegTools } from '../media/ffmpeg-locate'
import { spotVideo, type StartFace } from '../signal/spotting/spot-video'
import { spottedRecordingInput, storeSpottedRecording } from '../spotting/store-spotted'
import type { MeasuredVideo } from './video-length'

/** Options of {@link spotBatchVideo}. */
export interface SpotBatchOptions {
  /** The batch's dataset (its name: storeSpottedRecording finds it by name). */
  dataset: string
  fps?: number
  detector?: FaceDetector
  signal?: AbortSignal
  tools?: FfmpegTools
  /** Called every few hundred frames with the frames spotted so far. */
  onFrames?: (frames: number) => void
}

/** True when the dataset already holds the spotting of this video (a resumed batch). */
export function isSpotted(db: LibraryDb, datasetId: number, file: string): boolean {
  return (
    db
      .prepare('SELECT 1 FROM recordings WHERE dataset_id = ? AND path = ?')
      .get(datasetId, path.resolve(file)) !== undefined
  )
}

/**
 * The face crop of a recording's events: the box the detector found on its first frame
 * (the box the spotter tracked from), or null when no face was found (whole frames are used).
 */
export function recordingCrop(face: StartFace): string | null {
  if (face.source !== 'detected') return null
  const { x, y, side, angle } = face.box
  return JSON.stringify({ x, y, width: side, height: side, angle })
}

/**
 * Spots one long video of a batch with the streaming spotter (`spotVideo`) and stores it the
 * way `spotting.spotRecording` does (`storeSpottedRecording`: a recording and one clip per
 * spotted interval, in one transaction), then gives its clips the face crop spotting started
 * from. Returns the recording's id, the events stored and whether a face was found.
 */
export async function spotBatchVideo(
  db: LibraryDb,
  video: MeasuredVideo,
  options: SpotBatchOptions,
): Promise<{ recordingId: number; events: number; face: StartFace['source'] }> {
  const spotted = await spotVideo(video.file, {
    fps: options.fps,
    detector: options.detector,
    signal: options.signal,
    tools: options.tools,
    onProgress: options.onFrames,
  })
  const where = { dataset: options.dataset, subject: video.subject }
  const stored = storeSpottedRecording(db, spottedRecordingInput(spotted, where))
  const crop = recordingCrop(spotted.face)
  if (crop !== null) {
    db.prepare('UPDATE clips SET crop = ? WHERE recording_id = ?').run(crop, stored.recordingId)
  }
  return {
    recordingId: stored.recordingId,
    events: stored.clipIds.length,
    face: spotted.face.source,
  }
}
