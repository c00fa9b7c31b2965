import type { Migration } from './migration'

/**
 * Long recordings and spotting: a `recordings` row per source video (its path, rate, frame
 * count), clips that are spotted intervals of a recording (`recording_id`, the spotter's
 * kind and score; their frames keep the recording's absolute numbers), and each coder's
 * decision on a spotted clip in `spot_decisions`, audited like markers and labels (the audit
 * table is rebuilt to accept the new entity; its rows and the marker and label triggers are
 * kept as they were).
 */
export const spotting: Migration = {
  version: 1080,
  name: 'spotting',
  up(db) {
    db.exec(`
      CREATE TABLE recordings (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        subject_id INTEGER NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        fps REAL NOT NULL CHECK (fps > 0),
        frame_count INTEGER NOT NULL CHECK (frame_count > 0),
        width INTEGER NOT NULL CHECK (width > 0),
        height INTEGER NOT NULL CHECK (height > 0),
        -- the spotter's settings and face box, for the record
        spotting TEXT NOT NULL CHECK (json_valid(spotting)),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        UNIQUE (dataset_id, path)
      );
      ALTER TABLE clips ADD COLUMN recording_id INTEGER REFERENCES recordings(id) ON DELETE CASCADE;
      ALTER TABLE clips ADD COLUMN spotted_kind TEXT CHECK (spotted_kind IN ('micro', 'macro'));
      ALTER TABLE clips ADD COLUMN spotted_score REAL;
      CREATE INDEX clips_by_recording ON clips(recording_id) WHERE recording_id IS NOT NULL;

      CREATE TABLE spot_decisions (
        clip_id INTEGER NOT NULL REFERENCES clips(id) ON DELETE CASCADE,
        coder_id INTEGER NOT NULL REFERENCES coders(id) ON DELETE CASCADE,
        status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected')),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        PRIMARY KEY (clip_id, coder_id)
      ) WITHOUT ROWID;
    `)
    widenAuditEntities(db)
    for (const action of ['insert', 'update', 'delete'] as const) {
      const ref = action === 'delete' ? 'OLD' : 'NEW'
      const before = action === 'insert' ? 'NULL' : `json_object('status', OLD.status)`
      const after = action === 'delete' ? 'NULL' : `json_object('status', NEW.status)`
      db.exec(`
        CREATE TRIGGER spot_decisions_audit_${action} AFTER ${action.toUpperCase()} ON spot_decisions
        BEGIN
          INSERT INTO audit (coder_id, clip_id, entity, action, before, after, source)
          VALUES (${ref}.coder_id, ${ref}.clip_id, 'spot_decision', '${action}', ${before}, ${after},
                  (SELECT source FROM audit_context WHERE id = 1));
        END;`)
    }
  },
}

/**
 * Rebuilds `audit` with 'spot_decision' among its entities (SQLite cannot change a CHECK in
 * place). The marker and label triggers name `audit` in their bodies, and the history
 * triggers (migration 1070) sit on it, so they are dropped first and written again, word for
 * word, once the new table has the name.
 */
function widenAuditEntities(db: Parameters<Migration['up']>[0]): void {
  const triggers = db
    .prepare(
      `SELECT name, sql FROM sqlite_master
       WHERE type = 'trigger'
         AND ((tbl_name IN ('markers', 'au_labels') AND name LIKE '%_audit_%') OR tbl_name = 'audit')`,
    )
    .all() as { name: string; sql: string }[]
  for (const { name } of triggers) db.exec(`DROP TRIGGER ${name}`)
  db.exec(`
    CREATE TABLE audit_widened (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
      coder_id INTEGER NOT NULL,
      clip_id INTEGER NOT NULL,
      entity TEXT NOT NULL CHECK (entity IN ('marker', 'au_label', 'spot_decision')),
      action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
      before TEXT,
      after TEXT,
      source TEXT NOT NULL
    );
    INSERT INTO audit_widened (id, at, coder_id, clip_id, entity, action, before, after, source)
      SELECT id, at, coder_id, clip_id, entity, action, before, after, source FROM audit;
    DROP TABLE audit;
    ALTER TABLE audit_widened RENAME TO audit;
    CREATE INDEX audit_by_clip ON audit(clip_id, id);
  `)
  for (const { sql } of triggers) db.exec(sql)
}
