import { AppError } from '../../../shared/errors'
import type { Dataset } from '../../../shared/domain'
import type { LibraryDb } from '../open-library'

const SELECT_DATASETS = `
  SELECT d.id, d.name, d.created_at AS createdAt,
         (SELECT count(*) FROM subjects s WHERE s.dataset_id = d.id) AS subjectCount,
         (SELECT count(*) FROM clips c WHERE c.dataset_id = d.id) AS clipCount
  FROM datasets d`

/** Every dataset, by name, with its subject and clip counts. */
export function listDatasets(db: LibraryDb): Dataset[] {
  return db.prepare(`${SELECT_DATASETS} ORDER BY d.name COLLATE NOCASE, d.id`).all() as Dataset[]
}

/** One dataset, or a not_found error naming the id. */
export function getDataset(db: LibraryDb, id: number): Dataset {
  const row = db.prepare(`${SELECT_DATASETS} WHERE d.id = ?`).get(id) as Dataset | undefined
  if (!row) throw new AppError('not_found', `There is no dataset with id ${id}.`, { id })
  return row
}

/** Creates a dataset; a name already in use is a conflict. */
export function createDataset(db: LibraryDb, name: string): Dataset {
  assertNameFree(db, name)
  const { lastInsertRowid } = db.prepare('INSERT INTO datasets (name) VALUES (?)').run(name)
  return getDataset(db, Number(lastInsertRowid))
}

/** Renames a dataset; a name already used by another dataset is a conflict. */
export function renameDataset(db: LibraryDb, id: number, name: string): Dataset {
  return db
    .transaction(() => {
      getDataset(db, id)
      assertNameFree(db, name, id)
      db.prepare('UPDATE datasets SET name = ? WHERE id = ?').run(name, id)
      return getDataset(db, id)
    })
    .immediate()
}

function assertNameFree(db: LibraryDb, name: string, exceptId?: number): void {
  const clash = db
    .prepare('SELECT id FROM datasets WHERE name = ? AND id IS NOT ?')
    .get(name, exceptId ?? null)
  if (clash) {
    throw new AppError('conflict', `A dataset named "${name}" already exists.`, {
      field: 'name',
      name,
    })
  }
}
