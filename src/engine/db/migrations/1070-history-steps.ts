import type { Database } from 'better-sqlite3'
import type { Migration } from './migration'

/*
 * Undo and redo stacks kept as rows, so a labelling write never re-reads a clip's whole
 * audit trail. Every audit entry of an ordinary change is one step: it goes on its coder's
 * undo stack for the clip and empties the redo stack; an entry written by undo moves the top
 * of the undo stack to the redo stack; one written by redo moves it back. `position` is the
 * id of the audit entry that last put the step on its stack, so a stack's top is its step
 * with the highest position, found through the index. Triggers on `audit` keep the table in
 * step with every write (labelling, imports, accepted predictions) in the same transaction.
 */

/** Audit sources that move steps between the stacks instead of pushing one. */
const UNDO = 'undo'
const REDO = 'redo'
/** Audited entities that are coding steps (other audited rows, e.g. spotting decisions, are not undone). */
const CODING = "'marker', 'au_label'"

/** One audit entry as the replay needs it. */
export interface TrailEntry {
  id: number
  source: string
}

/** The undo and redo stacks of one trail: audit ids, bottom first. */
export interface ReplayedStacks {
  undo: number[]
  redo: number[]
}

/**
 * Replays one coder's audit trail on one clip (oldest first) into the two stacks, by the
 * rule above. Used to fill the table from the trails written before it existed.
 */
export function replayTrail(trail: readonly TrailEntry[]): ReplayedStacks {
  const undo: number[] = []
  const redo: number[] = []
  for (const entry of trail) {
    if (entry.source === UNDO) {
      const step = undo.pop()
      if (step !== undefined) redo.push(step)
    } else if (entry.source === REDO) {
      const step = redo.pop()
      if (step !== undefined) undo.push(step)
    } else {
      undo.push(entry.id)
      redo.length = 0
    }
  }
  return { undo, redo }
}

const TRIGGERS = `
  CREATE TRIGGER audit_history_change AFTER INSERT ON audit
  WHEN NEW.source NOT IN ('${UNDO}', '${REDO}') AND NEW.entity IN (${CODING})
  BEGIN
    DELETE FROM history_steps
      WHERE clip_id = NEW.clip_id AND coder_id = NEW.coder_id AND stack = 'redo';
    INSERT INTO history_steps (audit_id, clip_id, coder_id, stack, position)
      VALUES (NEW.id, NEW.clip_id, NEW.coder_id, 'undo', NEW.id);
  END;
  ${moveTrigger('audit_history_undo', UNDO, 'undo', 'redo')}
  ${moveTrigger('audit_history_redo', REDO, 'redo', 'undo')}
`

function moveTrigger(name: string, source: string, from: string, to: string): string {
  return `
  CREATE TRIGGER ${name} AFTER INSERT ON audit
  WHEN NEW.source = '${source}' AND NEW.entity IN (${CODING})
  BEGIN
    UPDATE history_steps SET stack = '${to}', position = NEW.id
      WHERE audit_id = (SELECT audit_id FROM history_steps
        WHERE clip_id = NEW.clip_id AND coder_id = NEW.coder_id AND stack = '${from}'
        ORDER BY position DESC LIMIT 1);
  END;`
}

/** Fills the stacks of every (clip, coder) trail already in the audit table. */
function backfill(db: Database): void {
  const insert = db.prepare(
    `INSERT INTO history_steps (audit_id, clip_id, coder_id, stack, position)
     SELECT id, clip_id, coder_id, ?, ? FROM audit WHERE id = ?`,
  )
  const trails = db
    .prepare(
      `SELECT DISTINCT clip_id AS clipId, coder_id AS coderId FROM audit
      WHERE entity IN (${CODING})`,
    )
    .all() as { clipId: number; coderId: number }[]
  const trailOf = db.prepare(
    `SELECT id, source FROM audit
     WHERE clip_id = ? AND coder_id = ? AND entity IN (${CODING}) ORDER BY id`,
  )
  for (const { clipId, coderId } of trails) {
    const stacks = replayTrail(trailOf.all(clipId, coderId) as TrailEntry[])
    // Positions only need to keep each stack's order: its index does.
    stacks.undo.forEach((id, index) => insert.run('undo', index, id))
    stacks.redo.forEach((id, index) => insert.run('redo', index, id))
  }
}

/** The undo and redo stacks of every coder on every clip, kept by triggers on the audit trail. */
export const historySteps: Migration = {
  version: 1070,
  name: 'history steps',
  up(db) {
    db.exec(`
      CREATE TABLE history_steps (
        audit_id INTEGER PRIMARY KEY,
        clip_id INTEGER NOT NULL,
        coder_id INTEGER NOT NULL,
        stack TEXT NOT NULL CHECK (stack IN ('undo', 'redo')),
        position INTEGER NOT NULL
      );
      CREATE INDEX history_steps_top ON history_steps(clip_id, coder_id, stack, position);
    `)
    backfill(db)
    db.exec(TRIGGERS)
  },
}
