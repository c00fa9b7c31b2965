import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { applyMigrations, openLibrary, schemaVersion } from '../../../src/engine/db/open-library'
import { migrations } from '../../../src/engine/db/migrations'
import { tempDir } from '../../helpers/temp'

let cleanup: () => void = () => undefined
afterEach(() => cleanup())

function freshFile(): string {
  const t = tempDir()
  cleanup = t.cleanup
  return path.join(t.dir, 'library.sqlite')
}

const KEY = '0123456789abcdef'

function seedClip(db: Database.Database): void {
  db.prepare("INSERT INTO datasets (name) VALUES ('CASME II')").run()
  db.prepare("INSERT INTO subjects (dataset_id, code) VALUES (1, 'sub01')").run()
  db.prepare(
    `INSERT INTO clips (dataset_id, subject_id, name, source_kind, source_path, fps, frame_count, first_frame, width, height)
     VALUES (1, 1, 'EP02_01f', 'frames', '/data/sub01/EP02_01f', 200, 3, 46, 640, 480)`,
  ).run()
}

describe('migration 1030: apex curves', () => {
  it('upgrades a library at 1020 in place, keeping its rows', () => {
    const file = freshFile()
    const db = new Database(file)
    applyMigrations(
      db,
      migrations.filter((m) => m.version < 1030),
    )
    expect(schemaVersion(db)).toBe(1020)
    seedClip(db)
    db.close()
    const upgraded = openLibrary(file)
    expect(schemaVersion(upgraded)).toBeGreaterThanOrEqual(1030)
    expect(upgraded.prepare('SELECT count(*) FROM clips').pluck().get()).toBe(1)
    upgraded
      .prepare(
        `INSERT INTO apex_curves (clip_id, params_key, params, numbers, scores, apex_frame)
         VALUES (1, ?, '{"grid":6}', '[46,47,48]', '[1.5,2.25,0.5]', 47)`,
      )
      .run(KEY)
    expect(upgraded.prepare('SELECT apex_frame FROM apex_curves').pluck().get()).toBe(47)
    upgraded.close()
  })

  it('refuses malformed curves and follows its clip when the clip goes', () => {
    const db = openLibrary(freshFile())
    seedClip(db)
    const insert = db.prepare(
      'INSERT INTO apex_curves (clip_id, params_key, params, numbers, scores, apex_frame) VALUES (?, ?, ?, ?, ?, ?)',
    )
    expect(() => insert.run(1, KEY, '{}', '[46,47]', '[1]', 46)).toThrow(/CHECK/)
    expect(() => insert.run(1, KEY, '{}', '[]', '[]', 46)).toThrow(/CHECK/)
    expect(() => insert.run(1, KEY, '{}', 'not json', '[1]', 46)).toThrow(/CHECK/)
    expect(() => insert.run(1, KEY, '{}', '{"a":1}', '[1]', 46)).toThrow(/CHECK/)
    expect(() => insert.run(1, 'short', '{}', '[46]', '[1]', 46)).toThrow(/CHECK/)
    expect(() => insert.run(2, KEY, '{}', '[46]', '[1]', 46)).toThrow(/FOREIGN KEY/)
    insert.run(1, KEY, '{}', '[46]', '[1]', 46)
    expect(() => insert.run(1, KEY, '{}', '[46]', '[2]', 46)).toThrow(/UNIQUE|PRIMARY/)
    db.prepare('DELETE FROM clips WHERE id = 1').run()
    expect(db.prepare('SELECT count(*) FROM apex_curves').pluck().get()).toBe(0)
    db.close()
  })
})
