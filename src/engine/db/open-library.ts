import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { AppError } from '../../shared/errors'
import { latestVersion, migrations } from './migrations'
import type { Migration } from './migrations/migration'

/** A library database opened with our pragmas. */
export type LibraryDb = Database.Database

/**
 * Opens (creating if needed) a library file: WAL journal with `synchronous = NORMAL` (a
 * commit survives the process being killed; labelling writes switch to FULL for their own
 * commit, see `auditedWrite`, so codes also survive a power cut), foreign keys on, busy
 * timeout, then applies pending migrations. A file whose schema is newer than this code is refused
 * and left untouched.
 */
export function openLibrary(file: string, options: { readonly?: boolean } = {}): LibraryDb {
  if (!options.readonly) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  let db: LibraryDb
  try {
    db = new Database(file, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
    })
  } catch (error) {
    throw new AppError('invalid_file', `Cannot open library ${file}: ${(error as Error).message}`, {
      file,
    })
  }
  try {
    db.pragma('busy_timeout = 5000')
    db.pragma('foreign_keys = ON')
    const version = schemaVersion(db)
    if (version > latestVersion) {
      throw new AppError(
        'library_too_new',
        `Library ${file} was written by a newer MicroAU Studio (schema ${version}, this version knows up to ${latestVersion}). Update the app to open it.`,
        { file, version, latestVersion },
      )
    }
    if (!options.readonly) {
      db.pragma('journal_mode = WAL')
      db.pragma('synchronous = NORMAL')
      applyMigrations(db, migrations)
    }
    return db
  } catch (error) {
    db.close()
    if (error instanceof AppError) throw error
    throw new AppError(
      'invalid_file',
      `${file} is not a MicroAU library: ${(error as Error).message}`,
      {
        file,
      },
    )
  }
}

/** PRAGMA user_version: the schema version of an open library (0 for a new file). */
export function schemaVersion(db: LibraryDb): number {
  return db.pragma('user_version', { simple: true }) as number
}

/**
 * Applies, in one transaction, every migration newer than the file's version, so a failure
 * leaves the file exactly as it was.
 */
export function applyMigrations(db: LibraryDb, list: readonly Migration[]): number[] {
  const current = schemaVersion(db)
  const pending = list.filter((m) => m.version > current)
  db.transaction(() => {
    for (const migration of pending) {
      migration.up(db)
      db.pragma(`user_version = ${migration.version}`)
    }
  }).immediate()
  return pending.map((m) => m.version)
}
