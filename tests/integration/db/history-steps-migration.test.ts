import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { applyMigrations, openLibrary, schemaVersion } from '../../../src/engine/db/open-library'
import { migrations } from '../../../src/engine/db/migrations'
import { replayTrail, type TrailEntry } from '../../../src/engine/db/migrations/1070-history-steps'
import { tempDir } from '../../helpers/temp'

let cleanup: () => void = () => undefined
afterEach(() => cleanup())

function freshFile(): string {
  const t = tempDir()
  cleanup = t.cleanup
  return path.join(t.dir, 'library.sqlite')
}

/** Writes an audit entry straight into the table (clips and coders need not exist for it). */
function audit(db: Database.Database, clipId: number, coderId: number, source: string): void {
  db.prepare(
    `INSERT INTO audit (coder_id, clip_id, entity, action, before, after, source)
     VALUES (?, ?, 'au_label', 'insert', NULL, '{"au":1,"side":null,"intensity":null}', ?)`,
  ).run(coderId, clipId, source)
}

/** The stacks the table holds for a coder on a clip: audit ids, bottom first. */
function storedStacks(db: Database.Database, clipId: number, coderId: number) {
  const ids = (stack: string) =>
    db
      .prepare(
        'SELECT audit_id FROM history_steps WHERE clip_id = ? AND coder_id = ? AND stack = ? ORDER BY position',
      )
      .pluck()
      .all(clipId, coderId, stack) as number[]
  return { undo: ids('undo'), redo: ids('redo') }
}

function trailOf(db: Database.Database, clipId: number, coderId: number): TrailEntry[] {
  return db
    .prepare('SELECT id, source FROM audit WHERE clip_id = ? AND coder_id = ? ORDER BY id')
    .all(clipId, coderId) as TrailEntry[]
}

describe('replayTrail', () => {
  it('pushes changes, moves steps on undo and redo, and drops the redo stack on a new change', () => {
    const trail = ['manual', 'manual', 'import', 'undo', 'undo', 'redo', 'undo', 'undo', 'undo']
    const entries = trail.map((source, i) => ({ id: i + 1, source }))
    // After the 3 changes [1,2,3]: undo → redo [3]; undo → [3,2]; redo → undo [1,2], redo [3];
    // undo → redo [3,2]; undo → [3,2,1]; undo with nothing left changes nothing.
    expect(replayTrail(entries)).toEqual({ undo: [], redo: [3, 2, 1] })
    expect(replayTrail([...entries, { id: 10, source: 'model:4' }])).toEqual({
      undo: [10],
      redo: [],
    })
  })
})

describe('migration 1070: history steps', () => {
  it('fills the stacks of trails written before it, as a replay would', () => {
    const file = freshFile()
    const raw = new Database(file)
    applyMigrations(
      raw,
      migrations.filter((m) => m.version < 1070),
    )
    for (const source of ['manual', 'manual', 'undo', 'manual', 'undo', 'undo', 'redo'])
      audit(raw, 1, 1, source)
    for (const source of ['import', 'manual', 'undo']) audit(raw, 1, 2, source)
    raw.close()
    const db = openLibrary(file)
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(1070)
    // Coder 1: changes 1, 2; undo 2; change 4 drops it; undo 4, undo 1; redo 1.
    expect(storedStacks(db, 1, 1)).toEqual({ undo: [1], redo: [4] })
    expect(storedStacks(db, 1, 2)).toEqual({ undo: [8], redo: [9] })
    db.close()
  })

  it('keeps the stacks equal to a replay of the whole trail after every write', () => {
    const db = openLibrary(freshFile())
    const sources = ['manual', 'manual', 'undo', 'undo', 'redo', 'import', 'model:1']
    let seed = 7
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % n
    }
    for (let step = 0; step < 400; step++) {
      const clipId = 1 + next(2)
      const coderId = 1 + next(2)
      audit(db, clipId, coderId, sources[next(sources.length)])
      expect(storedStacks(db, clipId, coderId)).toEqual(replayTrail(trailOf(db, clipId, coderId)))
    }
    db.close()
  })
})
