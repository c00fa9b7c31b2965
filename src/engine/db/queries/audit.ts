import type { LibraryDb } from '../open-library'

/** One audited change of a marker row or an AU label row, with the row before and after. */
export interface AuditEntry {
  id: number
  entity: 'marker' | 'au_label'
  action: 'insert' | 'update' | 'delete'
  before: Record<string, unknown> | null
  after: Record<string, unknown> | null
  /** Why it happened: 'manual', 'import', 'undo', 'redo', 'model:<id>'. */
  source: string
}

interface AuditRow {
  id: number
  entity: AuditEntry['entity']
  action: AuditEntry['action']
  before: string | null
  after: string | null
  source: string
}

/**
 * Every audited change one coder made to the coding (markers and labels) of one clip, oldest
 * first: the steps undo and redo walk. Spotting decisions are audited too, read by
 * `engine/spotting/decisions.ts`.
 */
export function readAuditTrail(db: LibraryDb, clipId: number, coderId: number): AuditEntry[] {
  const rows = db
    .prepare(
      `SELECT id, entity, action, before, after, source FROM audit
       WHERE clip_id = ? AND coder_id = ? AND entity IN ('marker', 'au_label') ORDER BY id`,
    )
    .all(clipId, coderId) as AuditRow[]
  return rows.map((row) => ({
    ...row,
    before: row.before === null ? null : (JSON.parse(row.before) as Record<string, unknown>),
    after: row.after === null ? null : (JSON.parse(row.after) as Record<string, unknown>),
  }))
}

/** Coders with any audited change on a clip (their history may be undone even when empty). */
export function codersWithHistory(db: LibraryDb, clipId: number): number[] {
  return db
    .prepare('SELECT DISTINCT coder_id FROM audit WHERE clip_id = ? ORDER BY coder_id')
    .pluck()
    .all(clipId) as number[]
}

/**
 * Runs `work` in one transaction with audit_context.source set to `source`, so the audit
 * triggers record why every row changed; the previous source is put back before commit.
 * An error rolls back everything, the source included.
 */
export function auditedWrite<T>(db: LibraryDb, source: string, work: () => T): T {
  return db
    .transaction(() => {
      const context = db.prepare('UPDATE audit_context SET source = ? WHERE id = 1')
      const previous = db
        .prepare('SELECT source FROM audit_context WHERE id = 1')
        .pluck()
        .get() as string
      context.run(source)
      const result = work()
      context.run(previous)
      return result
    })
    .immediate()
}
