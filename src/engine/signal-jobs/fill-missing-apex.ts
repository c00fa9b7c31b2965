/**
 * Fills the apexes coders left out: for every marker row of a dataset whose apex is NULL,
 * the best-scoring frame of the clip's apex curve between the row's onset and offset,
 * stored as estimated (apex_estimated = 1, audited as 'apex-spotting') by the training
 * pipeline's storeEstimatedApex.
 */
import type { FilledApex, FillMissingApexResult } from '../../shared/signal'
import type { LibraryDb } from '../db/open-library'
import { getDataset } from '../db/queries/datasets'
import { throwIfCancelled } from '../media/work'
import { storeEstimatedApex } from '../ml/data/apex-spotting'
import { apexCurveOf, apexWithin } from './apex-curves'

/** A marker row without an apex. */
interface MissingApex {
  clipId: number
  coderId: number
  onset: number | null
  offset: number | null
}

/** Marker rows of a dataset (of one coder, when given) whose apex is NULL, by clip. */
export function missingApexes(db: LibraryDb, datasetId: number, coderId?: number): MissingApex[] {
  return db
    .prepare(
      `SELECT m.clip_id AS clipId, m.coder_id AS coderId, m.onset, m.offset
       FROM markers m JOIN clips c ON c.id = m.clip_id
       WHERE c.dataset_id = ? AND m.apex IS NULL AND (? IS NULL OR m.coder_id = ?)
       ORDER BY m.clip_id, m.coder_id`,
    )
    .all(datasetId, coderId ?? null, coderId ?? null) as MissingApex[]
}

/** The onset–offset span to search, or none when the row does not bound a span of frames. */
function boundsOf(row: MissingApex, numbers: readonly number[]) {
  const low = row.onset ?? numbers[0]
  const high = row.offset ?? numbers[numbers.length - 1]
  return low <= high ? { low, high } : undefined
}

/**
 * Spots and stores the missing apexes of a dataset, one clip at a time (each clip's curve is
 * computed once, or taken from the cache). A row a coder gave an apex meanwhile is left alone.
 */
export async function fillMissingApexes(
  db: LibraryDb,
  frameCacheDir: string,
  input: { datasetId: number; coderId?: number },
  options: { signal?: AbortSignal; onClip?: (done: number, total: number) => void } = {},
): Promise<FillMissingApexResult> {
  getDataset(db, input.datasetId)
  const rows = missingApexes(db, input.datasetId, input.coderId)
  const byClip = new Map<number, MissingApex[]>()
  for (const row of rows) byClip.set(row.clipId, [...(byClip.get(row.clipId) ?? []), row])
  const filled: FilledApex[] = []
  let cachedCurves = 0
  let done = 0
  options.onClip?.(0, byClip.size)
  for (const [clipId, clipRows] of byClip) {
    throwIfCancelled(options.signal, 'Filling the missing apexes')
    const { curve, cached } = await apexCurveOf(db, frameCacheDir, clipId, {
      signal: options.signal,
    })
    if (cached) cachedCurves++
    for (const row of clipRows) {
      const apex = apexWithin(curve, boundsOf(row, curve.numbers))
      const stored = db
        .transaction(() => {
          const current = db
            .prepare('SELECT apex FROM markers WHERE clip_id = ? AND coder_id = ?')
            .pluck()
            .get(clipId, row.coderId)
          if (current !== null) return false
          storeEstimatedApex(db, clipId, row.coderId, apex)
          return true
        })
        .immediate()
      if (stored) filled.push({ clipId, coderId: row.coderId, apex })
    }
    options.onClip?.(++done, byClip.size)
  }
  return { datasetId: input.datasetId, clips: byClip.size, filled, cachedCurves }
}
