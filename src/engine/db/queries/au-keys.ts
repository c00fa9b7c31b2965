import type { AuKeyEntry } from '../../../shared/facs'
import type { LibraryDb } from '../open-library'

/** A dataset's stored AU key map, ascending by AU (empty: the dataset has none yet). */
export function readAuKeys(db: LibraryDb, datasetId: number): AuKeyEntry[] {
  return db
    .prepare('SELECT au, key FROM au_keys WHERE dataset_id = ? ORDER BY au')
    .all(datasetId) as AuKeyEntry[]
}

/** Replaces a dataset's stored AU key map (call inside a write transaction). */
export function writeAuKeys(db: LibraryDb, datasetId: number, entries: readonly AuKeyEntry[]) {
  db.prepare('DELETE FROM au_keys WHERE dataset_id = ?').run(datasetId)
  const insert = db.prepare('INSERT INTO au_keys (dataset_id, au, key) VALUES (?, ?, ?)')
  for (const e of entries) insert.run(datasetId, e.au, e.key)
}
