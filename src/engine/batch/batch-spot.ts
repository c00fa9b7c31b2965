import os from 'node:os'
import path from 'node:path'
import type { LibraryDb } from '../db/open-library'
import { decodeFramePairs } from '../media/decode-paired'
import type { DecodedFrame } from '../media/decode-frames'
import type { FaceDetector } from '../media/face/detector'
import type { FfmpegTools } from '../media/ffmpeg-locate'
import { storePredictions } from '../ml/infer/predict-dataset'
import { modelGeometry } from '../ml/model-geometry'
import type { AuModel } from '../ml/model/au-model'
import type { ModelSidecar } from '../ml/weights/sidecar'
import { cropBoxOf } from '../signal/spotting/face-track'
import type { TrackBox } from '../signal/spotting/face-tracker'
import { spotVideo, type SpottedVideo, type StartFace } from '../signal/spotting/spot-video'
import { spottedRecordingInput, storeSpottedRecording } from '../spotting/store-spotted'
import { CropSpill } from './crop-spill'
import { assertSpillRoom } from './spill-space'
import { isPredicted, predictRecordingEvents, recordingEvents } from './predict-events'
import type { MeasuredVideo } from './video-length'

/** The model a batch predicts with, and its id in the library. */
export interface BatchModel {
  model: AuModel
  sidecar: ModelSidecar
  modelId: number
}

/** Options of {@link analyseLongVideo}. */
export interface LongVideoOptions {
  /** The batch's dataset (its name: storeSpottedRecording finds it by name). */
  dataset: string
  fps?: number
  detector?: FaceDetector
  signal?: AbortSignal
  tools?: FfmpegTools
  /** Called every few hundred frames with the frames read so far. */
  onFrames?: (frames: number) => void
  /**
   * Folder the spill's temporary folder goes in (the library's folder in a batch: the system
   * temp folder may live in memory); the system temp folder when not given.
   */
  spillDir?: string
  /** Bytes free in a folder (fs.statfs by default; a test may stand in a small disk). */
  freeBytes?: (folder: string) => number
}

/** The recording of this video in the dataset, when it is already spotted (a resumed batch). */
export function spottedRecording(db: LibraryDb, datasetId: number, file: string): number | null {
  const row = db
    .prepare('SELECT id FROM recordings WHERE dataset_id = ? AND path = ?')
    .get(datasetId, path.resolve(file)) as { id: number } | undefined
  return row?.id ?? null
}

/**
 * Reads a long video once: ffmpeg decodes each frame once into the spotter's grey frame and an
 * RGB frame (`decodeFramePairs`); the spotter tracks the face and spots (`spotVideo`), and the
 * RGB frame is cut at the box the tracker followed to it (with its roll; the whole frame when
 * no face was detected), at the model's input size, into a temporary spill (`CropSpill`).
 * Returns what was spotted and the spill (the caller disposes).
 */
async function readOnce(
  file: string,
  side: number,
  options: LongVideoOptions,
): Promise<{ spotted: SpottedVideo; spill: CropSpill }> {
  const spill = new CropSpill(side, options.spillDir)
  let rgb: DecodedFrame | null = null
  async function* greyFrames(scale: { width: number; height: number } | undefined) {
    for await (const pair of decodeFramePairs(file, {
      scale,
      signal: options.signal,
      tools: options.tools,
    })) {
      rgb = pair.rgb
      yield pair.grey
    }
  }
  const append = (box: TrackBox, face: StartFace) => {
    const crop = face.source === 'detected' ? cropBoxOf(box) : null
    spill.append(rgb!, crop)
  }
  try {
    const spotted = await spotVideo(file, {
      ...options,
      greyFrames,
      onTracked: (_, box, face) => append(box, face),
      onProgress: options.onFrames,
    })
    return { spotted, spill }
  } catch (error) {
    spill.dispose()
    throw error
  }
}

/**
 * One long video of a batch, in one read of its frames (`readOnce`): spotted and stored the
 * way `spotting.spotRecording` does (a recording and one clip per spotted interval, one
 * transaction, each clip's crop the face track's box at its apex), then each event
 * predicted at its apex from the spilled crops and the predictions stored. A recording the
 * dataset already holds (a resumed batch) is not stored again; one whose events all have
 * predictions of the model is not read at all; one whose spill would not fit on the disk is
 * refused before it is read (`assertSpillRoom`). Returns the recording's id and its events.
 */
export async function analyseLongVideo(
  db: LibraryDb,
  datasetId: number,
  video: MeasuredVideo,
  predictor: BatchModel,
  options: LongVideoOptions,
): Promise<{ recordingId: number; events: number; frames: number }> {
  const known = spottedRecording(db, datasetId, video.file)
  if (known !== null && isPredicted(db, known, predictor.modelId)) {
    return { recordingId: known, events: recordingEvents(db, known).length, frames: 0 }
  }
  const side = modelGeometry(predictor.sidecar).resizeSize
  assertSpillRoom(video, side, options.spillDir ?? os.tmpdir(), options.freeBytes)
  const { spotted, spill } = await readOnce(video.file, side, options)
  try {
    const recordingId =
      known ??
      storeSpottedRecording(
        db,
        spottedRecordingInput(spotted, {
          dataset: options.dataset,
          subject: video.subject,
          videoName: video.name,
        }),
      ).recordingId
    const events = recordingEvents(db, recordingId)
    const { model, sidecar, modelId } = predictor
    storePredictions(db, modelId, predictRecordingEvents(model, sidecar, video.file, spill, events))
    return { recordingId, events: events.length, frames: spotted.frames }
  } finally {
    spill.dispose()
  }
}
