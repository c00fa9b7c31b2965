import type { Migration } from './migration'

/**
 * Each dataset's AU number keys (`shared/facs/au-keys.ts`): one row per AU the map knows,
 * with its key 0–9 or NULL for none. A key belongs to one AU of a dataset at a time; a
 * dataset with rows has been given its map, so keys never shift when AUs are added.
 */
export const auKeys: Migration = {
  version: 1060,
  name: 'au keys',
  up(db) {
    db.exec(`
      CREATE TABLE au_keys (
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        au INTEGER NOT NULL CHECK (au BETWEEN 1 AND 99),
        key INTEGER CHECK (key BETWEEN 0 AND 9),
        PRIMARY KEY (dataset_id, au),
        UNIQUE (dataset_id, key)
      ) WITHOUT ROWID;
    `)
  },
}
