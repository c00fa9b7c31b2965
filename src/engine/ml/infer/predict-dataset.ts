import { AppError } from '../../../shared/errors'
import type { LibraryDb } from '../../db/open-library'
import { throwIfCancelled } from '../../media/work'
import { readCodedClips } from '../data/coded-clips'
import { resizeRgb } from '../data/image-ops'
import { defaultLabelCoderId } from '../data/label-coder'
import { prepareClipKeyFrames, type TrainingClip } from '../data/training-set'
import { subjectKey } from '../eval/subject-folds'
import { modelGeometry } from '../model-geometry'
import type { AuModel } from '../model/au-model'
import { registerModel } from '../train/model-registry'
import type { ModelSidecar } from '../weights/sidecar'
import { predictClipScores } from './predict-clips'

/** The AU probabilities of one clip. */
export interface ClipPrediction {
  clipId: number
  subject: string
  name: string
  /** The apex frame the model looked at. */
  frame: number
  apexEstimated: boolean
  /** Probability per AU of the model's list. */
  probabilities: Record<string, number>
}

/** Finds (or adds) the models row of a model folder; returns its id. */
export function modelIdFor(db: LibraryDb, modelDir: string, sidecar: ModelSidecar): number {
  const id = db.prepare('SELECT id FROM models WHERE path = ?').pluck().get(modelDir) as
    number | undefined
  if (id !== undefined) return id
  const variant = sidecar.training?.variant
  return registerModel(db, {
    name: `${sidecar.preset} ${typeof variant === 'string' ? variant : 'model'}`,
    preset: sidecar.preset,
    variant: typeof variant === 'string' ? variant : 'unknown',
    path: modelDir,
    config: sidecar.training ?? {},
    metrics: sidecar.metrics,
  })
}

/** Stores predictions (one row per clip and AU, replacing earlier ones of the model). */
export function storePredictions(
  db: LibraryDb,
  modelId: number,
  predictions: readonly ClipPrediction[],
): void {
  const upsert = db.prepare(
    `INSERT INTO predictions (model_id, clip_id, frame, au, probability) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (model_id, clip_id, au) DO UPDATE SET frame = excluded.frame,
       probability = excluded.probability, created_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
  )
  db.transaction(() => {
    for (const p of predictions) {
      for (const [au, probability] of Object.entries(p.probabilities)) {
        upsert.run(modelId, p.clipId, p.frame, Number(au), Math.min(1, Math.max(0, probability)))
      }
    }
  }).immediate()
}

/**
 * Predicts every clip of a dataset (or the given clips): the apex from the dataset's label
 * coder when it has one, spotted otherwise (and stored as estimated for a coded clip), the
 * magnified apex frame through the model. Returns the predictions; the caller stores them.
 */
export async function predictDataset(
  db: LibraryDb,
  frameCacheDir: string,
  model: AuModel,
  sidecar: ModelSidecar,
  options: {
    datasetId: number
    clipIds?: readonly number[]
    signal?: AbortSignal
    onClip?: (done: number, total: number) => void
  },
): Promise<ClipPrediction[]> {
  const coderId = defaultLabelCoderId(db, options.datasetId)
  const scope = options.clipIds ? { clipIds: options.clipIds } : { datasetId: options.datasetId }
  const clips = readCodedClips(db, coderId, scope, true)
  if (clips.length === 0) {
    throw new AppError('not_found', `Dataset ${options.datasetId} has no clips to predict`, options)
  }
  const coded = new Set(
    coderId === null ? [] : readCodedClips(db, coderId, scope).map((c) => c.clipId),
  )
  const geometry = modelGeometry(sidecar)
  const prepared: TrainingClip[] = []
  for (const [i, clip] of clips.entries()) {
    throwIfCancelled(options.signal, 'Prediction')
    const p = await prepareClipKeyFrames(
      db,
      frameCacheDir,
      clip,
      coded.has(clip.clipId) ? coderId : null,
      options.signal,
    )
    const apex = p.frames.get(p.apex)!
    prepared.push({
      clipId: clip.clipId,
      datasetId: clip.datasetId,
      subjectId: clip.subjectId,
      subject: clip.subject,
      subjectKey: subjectKey(clip.datasetId, clip.subject),
      name: clip.name,
      labels: new Uint8Array(model.auList.length),
      onset: p.onset,
      apex: p.apex,
      apexEstimated: p.apexEstimated,
      closeCandidates: p.closeCandidates,
      frames: new Map([[p.apex, resizeRgb(apex, geometry.resizeSize, geometry.resizeSize)]]),
    })
    options.onClip?.(i + 1, clips.length)
  }
  const scores = predictClipScores(model, prepared, geometry)
  return prepared.map((clip, i) => ({
    clipId: clip.clipId,
    subject: clip.subject,
    name: clip.name,
    frame: clip.apex,
    apexEstimated: clip.apexEstimated,
    probabilities: Object.fromEntries(model.auList.map((au, m) => [au, scores[i][m]])),
  }))
}
