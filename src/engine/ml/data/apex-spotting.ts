import type { LibraryDb } from '../../db/open-library'
import { auditedWrite } from '../../db/queries/audit'
import { apexWithin, scoreClip } from '../../signal-jobs/apex-curves'
import type { ClipImages } from './clip-images'

/** Audit source of apexes the pipeline spotted (see audit_context). */
export const APEX_SPOTTING_SOURCE = 'apex-spotting'

/**
 * Spots the apex of a clip held in memory (Li, Huang & Zhao 2018, on the unmagnified
 * frames) and returns its absolute frame number: the best-scoring frame within `bounds`
 * (the coded onset and offset) when given. Library clips use the cached curve instead
 * (apexCurveOf); both score and pick the same way.
 */
export function spotClipApex(clip: ClipImages, bounds?: { low: number; high: number }): number {
  return apexWithin(scoreClip(clip), bounds)
}

/**
 * Stores a spotted apex as the coder's apex with apex_estimated = 1 (a marker row is
 * created when the coder has none), audited as 'apex-spotting'.
 */
export function storeEstimatedApex(
  db: LibraryDb,
  clipId: number,
  coderId: number,
  apex: number,
): void {
  auditedWrite(db, APEX_SPOTTING_SOURCE, () => {
    db.prepare(
      `INSERT INTO markers (clip_id, coder_id, apex, apex_estimated) VALUES (?, ?, ?, 1)
       ON CONFLICT (clip_id, coder_id) DO UPDATE SET apex = excluded.apex, apex_estimated = 1,
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
    ).run(clipId, coderId, apex)
  })
}
