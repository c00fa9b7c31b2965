import type { LibraryDb } from '../db/open-library'
import type { TrainingClip } from '../ml/data/training-set'
import type { ClipPrediction } from '../ml/infer/predict-dataset'
import { predictClipScores } from '../ml/infer/predict-clips'
import { modelGeometry } from '../ml/model-geometry'
import type { AuModel } from '../ml/model/au-model'
import type { ModelSidecar } from '../ml/weights/sidecar'
import { SPOTTER_CODER } from '../spotting/store-spotted'
import type { CropSpill } from './crop-spill'
import { eventApexes, type EventApex, type RecordingEvent } from './event-apex'

/** The spotted events of one recording (the spotter's onset and apex), in time order. */
export function recordingEvents(db: LibraryDb, recordingId: number): RecordingEvent[] {
  return db
    .prepare(
      `SELECT c.id AS clipId, m.onset, m.apex FROM clips c
       JOIN markers m ON m.clip_id = c.id AND m.coder_id = (SELECT id FROM coders WHERE name = ?)
       WHERE c.recording_id = ? ORDER BY m.onset, c.id`,
    )
    .all(SPOTTER_CODER, recordingId) as RecordingEvent[]
}

/** True when every event of the recording has a prediction of the model (a resumed batch). */
export function isPredicted(db: LibraryDb, recordingId: number, modelId: number): boolean {
  const missing = db
    .prepare(
      `SELECT 1 FROM clips c WHERE c.recording_id = ? AND NOT EXISTS
         (SELECT 1 FROM predictions p WHERE p.clip_id = c.id AND p.model_id = ?) LIMIT 1`,
    )
    .get(recordingId, modelId)
  return missing === undefined
}

/** Events predicted per model call: a chunk of apex frames is all that is held. */
const CHUNK = 16

/**
 * AU probabilities of every spotted event of one recording at its apex: the magnified apex
 * frames come from the face crops of the recording's one read ({@link eventApexes}, `spill`
 * at the model's resizeSize) and go through the model 16 at a time.
 */
export function predictRecordingEvents(
  model: AuModel,
  sidecar: ModelSidecar,
  file: string,
  spill: CropSpill,
  events: readonly RecordingEvent[],
): ClipPrediction[] {
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
  for (const apex of eventApexes(file, spill, events)) {
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
