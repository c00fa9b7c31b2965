import { AppError } from '../../../shared/errors'
import type { LibraryDb } from '../../db/open-library'

/** The coder whose labels a model learns from. */
export interface LabelCoder {
  id: number
  name: string
  kind: 'human' | 'import' | 'adjudicated'
}

interface CoderCount extends LabelCoder {
  clips: number
}

/** A dataset as messages name it: `dataset "CASME II" (id 3)`, or `dataset 3` when unknown. */
export function datasetLabel(db: LibraryDb, datasetId: number): string {
  const name = db.prepare('SELECT name FROM datasets WHERE id = ?').pluck().get(datasetId) as
    string | undefined
  return name === undefined ? `dataset ${datasetId}` : `dataset "${name}" (id ${datasetId})`
}

/** Coders with codes (markers or AU labels) on clips of a dataset, with how many clips. */
function codersOfDataset(db: LibraryDb, datasetId: number): CoderCount[] {
  return db
    .prepare(
      `SELECT k.id, k.name, k.kind, count(DISTINCT x.clip_id) AS clips
       FROM coders k JOIN (
         SELECT clip_id, coder_id FROM markers UNION SELECT clip_id, coder_id FROM au_labels
       ) x ON x.coder_id = k.id
       JOIN clips c ON c.id = x.clip_id
       WHERE c.dataset_id = ?
       GROUP BY k.id ORDER BY clips DESC, k.id`,
    )
    .all(datasetId) as CoderCount[]
}

/**
 * The coder whose labels train and evaluate a model on a dataset. `requested` names one (id
 * or name); by default the adjudicated layer when the dataset has one, else the dataset's
 * import coder (the sheet it came from), else its only coder. Anything ambiguous or unknown
 * is an AppError naming the coders there are.
 */
export function resolveLabelCoder(
  db: LibraryDb,
  datasetId: number,
  requested?: number | string,
): LabelCoder {
  const coders = codersOfDataset(db, datasetId)
  const dataset = datasetLabel(db, datasetId)
  const names = coders.map((c) => `${c.name} (${c.kind})`).join(', ') || 'none'
  const plain = (c: CoderCount): LabelCoder => ({ id: c.id, name: c.name, kind: c.kind })
  if (requested !== undefined) {
    const found = coders.find((c) =>
      typeof requested === 'number' ? c.id === requested : c.name === requested,
    )
    if (!found) {
      throw new AppError(
        'not_found',
        `Coder ${JSON.stringify(requested)} has coded no clip of ${dataset} (coders there: ${names})`,
        { coder: requested, datasetId },
      )
    }
    return plain(found)
  }
  const pick =
    coders.find((c) => c.kind === 'adjudicated') ??
    coders.find((c) => c.kind === 'import') ??
    (coders.length === 1 ? coders[0] : undefined)
  if (!pick) {
    throw new AppError(
      coders.length === 0 ? 'not_found' : 'invalid_input',
      coders.length === 0
        ? `${capitalised(dataset)} has no coded clips to learn from`
        : `${capitalised(dataset)} has several coders and no adjudicated or import layer; name one (coders: ${names})`,
      { datasetId, coders: coders.map(plain) },
    )
  }
  return plain(pick)
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** The default label coder's id, or null when the dataset has none to choose. */
export function defaultLabelCoderId(db: LibraryDb, datasetId: number): number | null {
  try {
    return resolveLabelCoder(db, datasetId).id
  } catch {
    return null
  }
}
