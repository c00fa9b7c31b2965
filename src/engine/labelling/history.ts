import type { AuCode } from '../../shared/coding'
import { AppError } from '../../shared/errors'
import type { AuIntensity, AuSide } from '../../shared/facs'
import { auditedWrite, topOfHistory, type AuditEntry } from '../db/queries/audit'
import {
  deleteLabel,
  deleteMarkers,
  findLabel,
  insertLabel,
  updateLabel,
  writeMarkers,
} from '../db/queries/codes'
import type { LibraryDb } from '../db/open-library'

/** Audit source of the changes undo writes (migration 1070's triggers know it too). */
export const UNDO_SOURCE = 'undo'
/** Audit source of the changes redo writes. */
export const REDO_SOURCE = 'redo'

/**
 * Undoes the coder's last change on the clip: puts back the row as it was before that
 * change, in one transaction recorded with source 'undo'.
 */
export function undoLastChange(db: LibraryDb, clipId: number, coderId: number): void {
  auditedWrite(db, UNDO_SOURCE, () => {
    const step = topOfHistory(db, clipId, coderId, 'undo')
    if (!step) throw new AppError('conflict', 'There is nothing to undo on this clip.', { clipId })
    restore(db, clipId, coderId, step.entity, step.after, step.before)
  })
}

/** Redoes the change the coder undid last on the clip, recorded with source 'redo'. */
export function redoLastUndo(db: LibraryDb, clipId: number, coderId: number): void {
  auditedWrite(db, REDO_SOURCE, () => {
    const step = topOfHistory(db, clipId, coderId, 'redo')
    if (!step) throw new AppError('conflict', 'There is nothing to redo on this clip.', { clipId })
    restore(db, clipId, coderId, step.entity, step.before, step.after)
  })
}

/**
 * Turns the row that is now `current` back into `target` (null: no row), as one write. A row
 * that is not as the trail says (changed outside the labelling calls) is a conflict, and
 * nothing is written.
 */
function restore(
  db: LibraryDb,
  clipId: number,
  coderId: number,
  entity: AuditEntry['entity'],
  current: Record<string, unknown> | null,
  target: Record<string, unknown> | null,
): void {
  const done =
    entity === 'marker'
      ? restoreMarkers(db, clipId, coderId, target)
      : restoreLabel(
          db,
          clipId,
          coderId,
          current === null ? null : labelOf(current),
          target === null ? null : labelOf(target),
        )
  if (!done) {
    throw new AppError(
      'conflict',
      'The codes of this clip were changed elsewhere, so this step cannot be replayed. Reopen the clip.',
      { clipId, coderId },
    )
  }
}

function restoreMarkers(
  db: LibraryDb,
  clipId: number,
  coderId: number,
  target: Record<string, unknown> | null,
): boolean {
  if (target === null) return deleteMarkers(db, clipId, coderId)
  writeMarkers(db, clipId, coderId, {
    onset: target.onset as number | null,
    apex: target.apex as number | null,
    offset: target.offset as number | null,
    apexEstimated: target.apex_estimated === 1,
  })
  return true
}

function restoreLabel(
  db: LibraryDb,
  clipId: number,
  coderId: number,
  now: AuCode | null,
  then: AuCode | null,
): boolean {
  if (now === null) {
    if (then === null || findLabel(db, clipId, coderId, then.au, then.side)) return false
    insertLabel(db, clipId, coderId, then)
    return true
  }
  return then === null
    ? deleteLabel(db, clipId, coderId, now)
    : updateLabel(db, clipId, coderId, now, then)
}

function labelOf(row: Record<string, unknown>): AuCode {
  return {
    au: row.au as number,
    side: row.side as AuSide | null,
    intensity: row.intensity as AuIntensity | null,
  }
}
