import type { Migration } from './migration'

/**
 * The cache of magnified key frames: per clip and magnification setting (`params_key`, a
 * hash of the parameters), the frame cache key of each magnified frame the training and
 * inference pipelines need (onset, apex and the close-to-apex candidates). The PNGs live in
 * the content-addressed frame cache like every other frame; a row only says where.
 */
export const magnifiedKeyFrames: Migration = {
  version: 1020,
  name: 'magnified key frames',
  up(db) {
    db.exec(`
      CREATE TABLE magnified_frames (
        clip_id INTEGER NOT NULL REFERENCES clips(id) ON DELETE CASCADE,
        params_key TEXT NOT NULL CHECK (length(params_key) = 16),
        number INTEGER NOT NULL,
        cache_key TEXT NOT NULL CHECK (length(cache_key) = 64),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        PRIMARY KEY (clip_id, params_key, number)
      ) WITHOUT ROWID;
    `)
  },
}
