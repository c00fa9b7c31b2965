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

/** Which of a coder's two history stacks on a clip (see migration 1070). */
export type HistoryStack = 'undo' | 'redo'

/** The step on top of one of a coder's history stacks on a clip, if the stack has any. */
export function topOfHistory(
  db: LibraryDb,
  clipId: number,
  coderId: number,
  stack: HistoryStack,
): AuditEntry | undefined {
  const row = db
    .prepare(
      `SELECT a.id, a.entity, a.action, a.before, a.after, a.source
       FROM history_steps s JOIN audit a ON a.id = s.audit_id
       WHERE s.clip_id = ? AND s.coder_id = ? AND s.stack = ?
       ORDER BY s.position DESC LIMIT 1`,
    )
    .get(clipId, coderId, stack) as AuditRow | undefined
  return row && entryOf(row)
}

/**
 * Whether the coder can undo and redo on the clip now: whether each of their history stacks
 * holds a step. Indexed, so it costs the same however long the clip's audit trail is.
 */
export function historyState(
  db: LibraryDb,
  clipId: number,
  coderId: number,
): { canUndo: boolean; canRedo: boolean } {
  const has = db
    .prepare(
      `SELECT EXISTS (SELECT 1 FROM history_steps
       WHERE clip_id = ? AND coder_id = ? AND stack = ?)`,
    )
    .pluck()
  return {
    canUndo: has.get(clipId, coderId, 'undo') === 1,
    canRedo: has.get(clipId, coderId, 'redo') === 1,
  }
}

function entryOf(row: AuditRow): AuditEntry {
  return {
    ...row,
    before: row.before === null ? null : (JSON.parse(row.before) as Record<string, unknown>),
    after: row.after === null ? null : (JSON.parse(row.after) as Record<string, unknown>),
  }
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
 * An error rolls back everything, the source included. The commit runs with
 * `synchronous = FULL` (fsynced before this returns), so an acknowledged code survives a
 * power cut; inside a caller's transaction the caller's commit decides.
 */
export function auditedWrite<T>(db: LibraryDb, source: string, work: () => T): T {
  const write = db.transaction(() => {
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
  if (db.inTransaction) return write.immediate()
  db.pragma('synchronous = FULL')
  try {
    return write.immediate()
  } finally {
    db.pragma('synchronous = NORMAL')
  }
}
