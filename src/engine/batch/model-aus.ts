import { readFileSync } from 'node:fs'
import path from 'node:path'
import { AppError } from '../../shared/errors'
import type { LibraryDb } from '../db/open-library'
import { MODEL_FILES, modelSidecarSchema } from '../ml/weights/sidecar'

/** A model of the library as batch analysis and accepting predictions need it. */
export interface StoredModel {
  id: number
  name: string
  /** The model folder. */
  path: string
}

/** The models row with this id, or a not_found error naming the id. */
export function storedModel(db: LibraryDb, modelId: number): StoredModel {
  const row = db.prepare('SELECT id, name, path FROM models WHERE id = ?').get(modelId) as
    StoredModel | undefined
  if (!row) throw new AppError('not_found', `There is no model with id ${modelId}.`, { modelId })
  return row
}

/**
 * The AUs a model predicts, in its own order ('1', '4', …): its folder's sidecar list. When
 * the folder is gone (moved, deleted files) the AUs of its stored predictions stand in, in
 * numeric order, since those are the only ones it can still be asked about.
 */
export function modelAuList(db: LibraryDb, model: StoredModel): string[] {
  try {
    const text = readFileSync(path.join(model.path, MODEL_FILES.sidecar), 'utf8')
    return modelSidecarSchema.parse(JSON.parse(text)).auList
  } catch {
    const aus = db
      .prepare('SELECT DISTINCT au FROM predictions WHERE model_id = ? ORDER BY au')
      .pluck()
      .all(model.id) as number[]
    return aus.map(String)
  }
}
