import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { applyMigrations, openLibrary, schemaVersion } from '../../../src/engine/db/open-library'
import { latestVersion, migrations } from '../../../src/engine/db/migrations'
import { auditedWrite } from '../../../src/engine/db/queries/audit'
import { AppError } from '../../../src/shared/errors'
import { hashLibrary, tempDir } from '../../helpers/temp'

let cleanup: () => void = () => undefined
afterEach(() => cleanup())

function freshFile(): string {
  const t = tempDir()
  cleanup = t.cleanup
  return path.join(t.dir, 'library.sqlite')
}

describe('openLibrary', () => {
  it('creates a new library at the latest schema with WAL, synchronous NORMAL and foreign keys on', () => {
    const db = openLibrary(freshFile())
    expect(schemaVersion(db)).toBe(latestVersion)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    // 1 is NORMAL: commits survive a killed process; labelling writes commit with FULL.
    expect(db.pragma('synchronous', { simple: true })).toBe(1)
    const during = auditedWrite(db, 'manual', () => db.pragma('synchronous', { simple: true }))
    expect(during).toBe(2)
    expect(db.pragma('synchronous', { simple: true })).toBe(1)
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    db.close()
  })

  it('refuses a library written by a newer version and leaves it untouched', () => {
    const file = freshFile()
    const raw = new Database(file)
    raw.pragma(`user_version = ${latestVersion + 10}`)
    raw.close()
    const before = hashLibrary(file)
    let caught: unknown
    try {
      openLibrary(file)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(AppError)
    expect((caught as AppError).code).toBe('library_too_new')
    expect((caught as AppError).message).toContain('newer MicroAU Studio')
    expect(hashLibrary(file)).toBe(before)
  })

  it('names the file when it is not a SQLite database', () => {
    const file = freshFile()
    fs.writeFileSync(
      file,
      'this is not sqlite, just text that is long enough to be read'.repeat(20),
    )
    expect(() => openLibrary(file)).toThrow(file)
  })
})

describe('applyMigrations', () => {
  it('applies all pending steps in one transaction: a failing step leaves version and schema as they were', () => {
    const db = new Database(freshFile())
    const failing = [
      {
        version: 10,
        name: 'creates a table',
        up: (d: Database.Database) => d.exec('CREATE TABLE t1 (x)'),
      },
      {
        version: 20,
        name: 'fails',
        up: () => {
          throw new Error('boom')
        },
      },
    ]
    expect(() => applyMigrations(db, failing)).toThrow('boom')
    expect(db.pragma('user_version', { simple: true })).toBe(0)
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 't1'").get()).toEqual({
      n: 0,
    })
    db.close()
  })

  it('skips steps already applied and reports the ones it ran', () => {
    const db = new Database(freshFile())
    const steps = [
      { version: 10, name: 'a', up: (d: Database.Database) => d.exec('CREATE TABLE a (x)') },
      { version: 20, name: 'b', up: (d: Database.Database) => d.exec('CREATE TABLE b (x)') },
    ]
    expect(applyMigrations(db, steps.slice(0, 1))).toEqual([10])
    expect(applyMigrations(db, steps)).toEqual([20])
    expect(applyMigrations(db, steps)).toEqual([])
    db.close()
  })

  it('keeps versions strictly increasing', () => {
    const versions = migrations.map((m) => m.version)
    expect(versions).toEqual([...versions].sort((a, b) => a - b))
    expect(new Set(versions).size).toBe(versions.length)
  })
})

describe('migration 1000: initial schema', () => {
  function seeded() {
    const db = openLibrary(freshFile())
    db.prepare("INSERT INTO datasets (name) VALUES ('CASME II')").run()
    db.prepare("INSERT INTO subjects (dataset_id, code) VALUES (1, 'sub01')").run()
    db.prepare(
      `INSERT INTO clips (dataset_id, subject_id, name, source_kind, source_path, fps, frame_count, first_frame, width, height)
       VALUES (1, 1, 'EP02_01f', 'frames', '/data/sub01/EP02_01f', 200, 40, 46, 640, 480)`,
    ).run()
    db.prepare("INSERT INTO coders (name) VALUES ('coder A')").run()
    return db
  }

  it('creates every table of the first schema', () => {
    const db = seeded()
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((r) => r.name)
    for (const t of [
      'datasets',
      'subjects',
      'clips',
      'frames',
      'imports',
      'coders',
      'markers',
      'au_labels',
      'models',
      'predictions',
      'jobs',
      'audit',
    ]) {
      expect(tables).toContain(t)
    }
    db.close()
  })

  it('audits every insert, update and delete of markers and labels with before and after', () => {
    const db = seeded()
    db.prepare(
      'INSERT INTO markers (clip_id, coder_id, onset, apex, offset) VALUES (1, 1, 46, 59, 86)',
    ).run()
    db.prepare('UPDATE markers SET apex = 60 WHERE clip_id = 1').run()
    db.prepare(
      "INSERT INTO au_labels (clip_id, coder_id, au, side, intensity) VALUES (1, 1, 12, 'R', 'B')",
    ).run()
    db.prepare("UPDATE audit_context SET source = 'model:7' WHERE id = 1").run()
    db.prepare('DELETE FROM au_labels WHERE au = 12').run()
    const rows = db
      .prepare('SELECT entity, action, before, after, source FROM audit ORDER BY id')
      .all() as {
      entity: string
      action: string
      before: string | null
      after: string | null
      source: string
    }[]
    expect(rows.map((r) => `${r.entity}:${r.action}:${r.source}`)).toEqual([
      'marker:insert:manual',
      'marker:update:manual',
      'au_label:insert:manual',
      'au_label:delete:model:7',
    ])
    expect(JSON.parse(rows[1].before!)).toMatchObject({ apex: 59 })
    expect(JSON.parse(rows[1].after!)).toMatchObject({ apex: 60 })
    expect(JSON.parse(rows[3].before!)).toEqual({ au: 12, side: 'R', intensity: 'B' })
    expect(rows[3].after).toBeNull()
    db.close()
  })

  it('rejects impossible values: unknown side, intensity F, duplicate labels, orphan clips', () => {
    const db = seeded()
    const label = db.prepare(
      'INSERT INTO au_labels (clip_id, coder_id, au, side, intensity) VALUES (?, ?, ?, ?, ?)',
    )
    expect(() => label.run(1, 1, 4, 'X', null)).toThrow(/CHECK/)
    expect(() => label.run(1, 1, 4, null, 'F')).toThrow(/CHECK/)
    label.run(1, 1, 4, null, null)
    expect(() => label.run(1, 1, 4, null, 'A')).toThrow(/UNIQUE/)
    expect(() =>
      db
        .prepare(
          `INSERT INTO clips (dataset_id, subject_id, name, source_kind, source_path, fps, frame_count, first_frame, width, height)
           VALUES (99, 1, 'x', 'frames', '/x', 200, 1, 1, 1, 1)`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/)
    db.close()
  })
})
