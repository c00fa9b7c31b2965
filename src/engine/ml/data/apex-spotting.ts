import type { LibraryDb } from '../../db/open-library'
import { spotApex } from '../../signal'
import { toUnitFloats, type ClipImages } from './clip-images'

/** Audit source of apexes the pipeline spotted (see audit_context). */
export const APEX_SPOTTING_SOURCE = 'apex-spotting'

/**
 * Spots the apex of a clip (Li, Huang & Zhao 2018, on the unmagnified frames) and returns
 * its absolute frame number. With `bounds` (the coded onset and offset) the apex is the
 * best-scoring frame inside them.
 */
export function spotClipApex(clip: ClipImages, bounds?: { low: number; high: number }): number {
  const frames = clip.images.map((image) => toUnitFloats(image))
  const { apexIndex, scores } = spotApex({ width: clip.width, height: clip.height, frames })
  if (!bounds) return clip.numbers[apexIndex]
  let best = -1
  for (let i = 0; i < clip.numbers.length; i++) {
    const n = clip.numbers[i]
    if (n < bounds.low || n > bounds.high) continue
    if (best < 0 || scores[i] > scores[best]) best = i
  }
  return clip.numbers[best < 0 ? apexIndex : best]
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
  db.transaction(() => {
    const previous = db.prepare('SELECT source FROM audit_context WHERE id = 1').pluck().get()
    db.prepare('UPDATE audit_context SET source = ? WHERE id = 1').run(APEX_SPOTTING_SOURCE)
    db.prepare(
      `INSERT INTO markers (clip_id, coder_id, apex, apex_estimated) VALUES (?, ?, ?, 1)
       ON CONFLICT (clip_id, coder_id) DO UPDATE SET apex = excluded.apex, apex_estimated = 1,
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
    ).run(clipId, coderId, apex)
    db.prepare('UPDATE audit_context SET source = ? WHERE id = 1').run(previous)
  }).immediate()
}
