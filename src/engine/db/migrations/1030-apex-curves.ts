import type { Migration } from './migration'

/**
 * The cache of apex-spotting curves: per clip and spotting setting (`params_key`, a hash of
 * the window length, grid and radius), the score of every frame and the frame the curve
 * suggests as apex. `numbers` and `scores` are JSON arrays of equal length (absolute frame
 * numbers, ascending, and their scores).
 */
export const apexCurves: Migration = {
  version: 1030,
  name: 'apex curves',
  up(db) {
    db.exec(`
      CREATE TABLE apex_curves (
        clip_id INTEGER NOT NULL REFERENCES clips(id) ON DELETE CASCADE,
        params_key TEXT NOT NULL CHECK (length(params_key) = 16),
        params TEXT NOT NULL CHECK (json_valid(params)),
        numbers TEXT NOT NULL CHECK (json_valid(numbers) AND json_type(numbers) = 'array'),
        scores TEXT NOT NULL CHECK (json_valid(scores) AND json_type(scores) = 'array'),
        apex_frame INTEGER NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        PRIMARY KEY (clip_id, params_key),
        CHECK (json_array_length(numbers) = json_array_length(scores) AND json_array_length(numbers) > 0)
      ) WITHOUT ROWID;
    `)
  },
}
