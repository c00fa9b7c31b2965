import type { CropBox } from '../media/face/align'
import type { FfmpegTools } from '../media/ffmpeg-locate'
import type { LibraryDb } from '../db/open-library'
import type { TrainingClip } from '../ml/data/training-set'
import type { ClipPrediction } from '../ml/infer/predict-dataset'
import { predictClipScores } from '../ml/infer/predict-clips'
import { modelGeometry } from '../ml/model-geometry'
import type { AuModel } from '../ml/model/au-model'
import type { ModelSidecar } from '../ml/weights/sidecar'
import { SPOTTER_CODER } from '../spotting/store-spotted'
import { eventApexes, type EventApex, type RecordingEvent } from './event-apex'

/** The spotted events of one recording of a dataset, as prediction needs them. */
export interface RecordingEvents {
  recordingId: number
  file: string
  /** Frames of the recording (what progress counts in). */
  frames: number
  events: RecordingEvent[]
}

interface EventRow {
  recordingId: number
  file: string
  frames: number
  clipId: number
  onset: number
  apex: number
  crop: string | null
}

/**
 * The recordings of a dataset with their spotted events (the spotter's onset and apex, the
 * clip's face crop), in recording order.
 */
export function datasetRecordingEvents(db: LibraryDb, datasetId: number): RecordingEvents[] {
  const rows = db
    .prepare(
      `SELECT r.id AS recordingId, r.path AS file, r.frame_count AS frames, c.id AS clipId,
              m.onset, m.apex, c.crop
       FROM recordings r JOIN clips c ON c.recording_id = r.id
       JOIN markers m ON m.clip_id = c.id AND m.coder_id = (SELECT id FROM coders WHERE name = ?)
       WHERE r.dataset_id = ? ORDER BY r.id, m.onset`,
    )
    .all(SPOTTER_CODER, datasetId) as EventRow[]
  const out = new Map<number, RecordingEvents>()
  for (const r of rows) {
    let recording = out.get(r.recordingId)
    if (!recording) {
      recording = { recordingId: r.recordingId, file: r.file, frames: r.frames, events: [] }
      out.set(r.recordingId, recording)
    }
    recording.events.push({ clipId: r.clipId, onset: r.onset, apex: r.apex, crop: cropOf(r.crop) })
  }
  return [...out.values()]
}

function cropOf(text: string | null): CropBox | null {
  if (text === null) return null
  const box = JSON.parse(text) as CropBox
  return box.width > 0 && box.height > 0 ? box : null
}

/** Events predicted per model call: a chunk of apex frames is all that is held. */
const CHUNK = 16

/**
 * AU probabilities of every spotted event of one recording at its apex: the magnified apex
 * frames come from one streaming read of the recording ({@link eventApexes}) and go through
 * the model 16 at a time, so neither frames nor apexes pile up.
 */
export async function predictRecordingEvents(
  model: AuModel,
  sidecar: ModelSidecar,
  recording: RecordingEvents,
  options: { signal?: AbortSignal; tools?: FfmpegTools; onFrame?: (frame: number) => void } = {},
): Promise<ClipPrediction[]> {
  const geometry = modelGeometry(sidecar)
  const out: ClipPrediction[] = []
  let chunk: EventApex[] = []
  const flush = () => {
    const scores = predictClipScores(model, chunk.map(asClip(model)), geometry)
    chunk.forEach(({ event }, i) =>
      out.push({
        clipId: event.clipId,
        subject: '',
        name: '',
        frame: event.apex,
        apexEstimated: true,
        probabilities: Object.fromEntries(model.auList.map((au, m) => [au, scores[i][m]])),
      }),
    )
    chunk = []
  }
  const apexes = eventApexes(recording.file, recording.events, {
    resizeSize: geometry.resizeSize,
    ...options,
  })
  for await (const apex of apexes) {
    chunk.push(apex)
    if (chunk.length === CHUNK) flush()
  }
  if (chunk.length > 0) flush()
  return out
}

/** An event's apex and onset frames in the shape the model's input batch reads. */
function asClip(model: AuModel) {
  return ({ event, image, onset }: EventApex): TrainingClip => ({
    clipId: event.clipId,
    datasetId: 0,
    subjectId: 0,
    subject: '',
    subjectKey: '',
    name: '',
    labels: new Uint8Array(model.auList.length),
    onset: event.onset,
    apex: event.apex,
    apexEstimated: true,
    closeCandidates: [],
    frames: new Map([
      [event.onset, onset],
      [event.apex, image],
    ]),
  })
}
