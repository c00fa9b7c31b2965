import type { Coder, CoderKind } from '../../../shared/coding'
import { AppError } from '../../../shared/errors'
import type { LibraryDb } from '../open-library'

const SELECT_CODERS = 'SELECT id, name, kind, created_at AS createdAt FROM coders'

/** Every coder: people first, then the adjudicated layer, then imported sheets; by name. */
export function listCoders(db: LibraryDb): Coder[] {
  return db
    .prepare(
      `${SELECT_CODERS}
       ORDER BY CASE kind WHEN 'human' THEN 0 WHEN 'adjudicated' THEN 1 ELSE 2 END,
                name COLLATE NOCASE, id`,
    )
    .all() as Coder[]
}

/** One coder, or a not_found error naming the id. */
export function getCoder(db: LibraryDb, id: number): Coder {
  const row = db.prepare(`${SELECT_CODERS} WHERE id = ?`).get(id) as Coder | undefined
  if (!row) throw new AppError('not_found', `There is no coder with id ${id}.`, { id })
  return row
}

/** Adds a coder; a name already in use is a conflict. */
export function createCoder(db: LibraryDb, name: string, kind: CoderKind): Coder {
  return db
    .transaction(() => {
      const clash = db.prepare('SELECT id FROM coders WHERE name = ?').get(name)
      if (clash) {
        throw new AppError('conflict', `A coder named "${name}" already exists.`, {
          field: 'name',
          name,
        })
      }
      const { lastInsertRowid } = db
        .prepare('INSERT INTO coders (name, kind) VALUES (?, ?)')
        .run(name, kind)
      return getCoder(db, Number(lastInsertRowid))
    })
    .immediate()
}
