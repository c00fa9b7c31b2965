import type { ClipDetail, CoderCodes } from '../../shared/coding'
import type { LibraryDb } from '../db/open-library'
import { codersWithHistory, historyState } from '../db/queries/audit'
import { datasetAus, getClipRecord, readClipFrames } from '../db/queries/clip-frames'
import { readCodesOfClips, readLabels, readMarkers, type StoredCodes } from '../db/queries/codes'
import { getCoder } from '../db/queries/coders'

/** One coder's codes on a clip and whether their undo and redo can step. */
export function coderCodes(db: LibraryDb, clipId: number, coderId: number): CoderCodes {
  getClipRecord(db, clipId)
  return {
    coderId,
    markers: readMarkers(db, clipId, coderId),
    labels: readLabels(db, clipId, coderId),
    ...editHistory(db, clipId, coderId),
  }
}

/** Whether the coder can undo and redo on the clip; never for an imported sheet (read-only). */
function editHistory(db: LibraryDb, clipId: number, coderId: number) {
  return getCoder(db, coderId).kind === 'import'
    ? { canUndo: false, canRedo: false }
    : historyState(db, clipId, coderId)
}

/**
 * A clip opened for coding: its frames with cache keys, the codes of every coder who coded
 * it or has history on it, and the AUs of its dataset.
 */
export function clipDetail(db: LibraryDb, clipId: number): ClipDetail {
  const record = getClipRecord(db, clipId)
  const { dataset, sourcePath: _sourcePath, ...clip } = record
  const stored = readCodesOfClips(db, [clipId]).get(clipId) ?? new Map<number, StoredCodes>()
  const coderIds = new Set([...stored.keys(), ...codersWithHistory(db, clipId)])
  const codes = [...coderIds]
    .sort((a, b) => a - b)
    .map((coderId) => ({
      coderId,
      markers: stored.get(coderId)?.markers ?? null,
      labels: stored.get(coderId)?.labels ?? [],
      ...editHistory(db, clipId, coderId),
    }))
  return {
    clip,
    dataset,
    frames: readClipFrames(db, clipId),
    codes,
    datasetAus: datasetAus(db, clip.datasetId),
  }
}
