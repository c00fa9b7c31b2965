import type { Migration } from './migration'

/**
 * The first library schema: datasets → subjects → clips, coders, per-coder markers and AU
 * labels, models, predictions, durable jobs, and an audit trail of every marker and label
 * change written by triggers (so no code path can forget it).
 */
export const initialSchema: Migration = {
  version: 1000,
  name: 'initial schema',
  up(db) {
    db.exec(`
      CREATE TABLE datasets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );

      CREATE TABLE subjects (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        code TEXT NOT NULL,
        UNIQUE (dataset_id, code)
      );

      CREATE TABLE clips (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        subject_id INTEGER NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        source_kind TEXT NOT NULL CHECK (source_kind IN ('frames', 'video')),
        source_path TEXT NOT NULL,
        fps REAL NOT NULL CHECK (fps > 0),
        frame_count INTEGER NOT NULL CHECK (frame_count > 0),
        first_frame INTEGER NOT NULL,
        width INTEGER NOT NULL CHECK (width > 0),
        height INTEGER NOT NULL CHECK (height > 0),
        emotion TEXT,
        -- face crop in source pixels {x, y, width, height, angle}, when the app aligned it
        crop TEXT CHECK (crop IS NULL OR json_valid(crop)),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        UNIQUE (dataset_id, subject_id, name)
      );
      CREATE INDEX clips_by_subject ON clips(subject_id);

      -- The frames of a clip by absolute frame number (the number in the file name for
      -- frame folders, 1-based for videos); cache_key is the content hash once cached.
      CREATE TABLE frames (
        clip_id INTEGER NOT NULL REFERENCES clips(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        file TEXT,
        cache_key TEXT CHECK (cache_key IS NULL OR length(cache_key) = 64),
        PRIMARY KEY (clip_id, number)
      ) WITHOUT ROWID;

      -- What each import brought in and every row it flagged.
      CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        format TEXT NOT NULL,
        source TEXT NOT NULL,
        report TEXT NOT NULL CHECK (json_valid(report)),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );

      CREATE TABLE coders (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
        kind TEXT NOT NULL DEFAULT 'human' CHECK (kind IN ('human', 'import', 'adjudicated')),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );

      CREATE TABLE markers (
        clip_id INTEGER NOT NULL REFERENCES clips(id) ON DELETE CASCADE,
        coder_id INTEGER NOT NULL REFERENCES coders(id) ON DELETE CASCADE,
        onset INTEGER,
        apex INTEGER,
        offset INTEGER,
        apex_estimated INTEGER NOT NULL DEFAULT 0 CHECK (apex_estimated IN (0, 1)),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        PRIMARY KEY (clip_id, coder_id)
      );

      CREATE TABLE au_labels (
        id INTEGER PRIMARY KEY,
        clip_id INTEGER NOT NULL REFERENCES clips(id) ON DELETE CASCADE,
        coder_id INTEGER NOT NULL REFERENCES coders(id) ON DELETE CASCADE,
        au INTEGER NOT NULL CHECK (au > 0 AND au < 100),
        side TEXT CHECK (side IN ('L', 'R', 'T', 'B')),
        intensity TEXT CHECK (intensity IN ('A', 'B', 'C', 'D', 'E')),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE UNIQUE INDEX au_labels_unique ON au_labels(clip_id, coder_id, au, ifnull(side, ''));

      CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        preset TEXT NOT NULL,
        variant TEXT NOT NULL,
        path TEXT NOT NULL,
        config TEXT NOT NULL CHECK (json_valid(config)),
        metrics TEXT CHECK (metrics IS NULL OR json_valid(metrics)),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );

      CREATE TABLE predictions (
        id INTEGER PRIMARY KEY,
        model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        clip_id INTEGER NOT NULL REFERENCES clips(id) ON DELETE CASCADE,
        frame INTEGER NOT NULL,
        au INTEGER NOT NULL,
        probability REAL NOT NULL CHECK (probability >= 0 AND probability <= 1),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        UNIQUE (model_id, clip_id, au)
      );

      CREATE TABLE jobs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'queued'
          CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
        input TEXT NOT NULL CHECK (json_valid(input)),
        progress TEXT CHECK (progress IS NULL OR json_valid(progress)),
        -- what a resumable job saved to carry on from (e.g. the last finished epoch)
        state TEXT CHECK (state IS NULL OR json_valid(state)),
        result TEXT CHECK (result IS NULL OR json_valid(result)),
        error TEXT CHECK (error IS NULL OR json_valid(error)),
        cancel_requested INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        started_at TEXT,
        finished_at TEXT
      );

      -- One row, written at the start of each labelling transaction: who acted and why
      -- (e.g. 'manual', 'import', 'undo', 'model:3'). The audit triggers read it.
      CREATE TABLE audit_context (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        source TEXT NOT NULL
      );
      INSERT INTO audit_context (id, source) VALUES (1, 'manual');

      CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        coder_id INTEGER NOT NULL,
        clip_id INTEGER NOT NULL,
        entity TEXT NOT NULL CHECK (entity IN ('marker', 'au_label')),
        action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
        before TEXT,
        after TEXT,
        source TEXT NOT NULL
      );
      CREATE INDEX audit_by_clip ON audit(clip_id, id);
    `)
    for (const action of ['insert', 'update', 'delete'] as const) {
      db.exec(markerAuditTrigger(action))
      db.exec(labelAuditTrigger(action))
    }
  },
}

function rowJson(prefix: 'NEW' | 'OLD', columns: string[]): string {
  return `json_object(${columns.map((c) => `'${c}', ${prefix}.${c}`).join(', ')})`
}

function auditTrigger(
  table: string,
  entity: string,
  action: 'insert' | 'update' | 'delete',
  columns: string[],
): string {
  const ref = action === 'delete' ? 'OLD' : 'NEW'
  const before = action === 'insert' ? 'NULL' : rowJson('OLD', columns)
  const after = action === 'delete' ? 'NULL' : rowJson('NEW', columns)
  return `
    CREATE TRIGGER ${table}_audit_${action} AFTER ${action.toUpperCase()} ON ${table}
    BEGIN
      INSERT INTO audit (coder_id, clip_id, entity, action, before, after, source)
      VALUES (${ref}.coder_id, ${ref}.clip_id, '${entity}', '${action}', ${before}, ${after},
              (SELECT source FROM audit_context WHERE id = 1));
    END;`
}

const markerAuditTrigger = (action: 'insert' | 'update' | 'delete') =>
  auditTrigger('markers', 'marker', action, ['onset', 'apex', 'offset', 'apex_estimated'])

const labelAuditTrigger = (action: 'insert' | 'update' | 'delete') =>
  auditTrigger('au_labels', 'au_label', action, ['au', 'side', 'intensity'])
