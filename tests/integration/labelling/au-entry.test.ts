import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../../../src/engine/api/engine'
import { applyMigrations, openLibrary, schemaVersion } from '../../../src/engine/db/open-library'
import { migrations } from '../../../src/engine/db/migrations'
import type { MethodName } from '../../../src/shared/api'
import type { Coder, TypedLabelsResult } from '../../../src/shared/coding'
import type { AuKeyMap } from '../../../src/shared/facs'
import { callOk } from '../../helpers/engine'
import { tempDir } from '../../helpers/temp'
import { seedClips } from './seed'

let engine: Engine
let file: string
let cleanup: () => void
let clipIds: number[]
let datasetId: number
let ann: Coder
let bob: Coder

const call = <T>(method: MethodName, input: unknown): Promise<T> =>
  callOk(engine, method, input as never) as Promise<T>

function rows<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(file, { readonly: true })
  try {
    return db.prepare(sql).all(...params) as T[]
  } finally {
    db.close()
  }
}

const keysOf = (map: AuKeyMap) => Object.fromEntries(map.entries.map((e) => [e.au, e.key]))

beforeEach(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  file = path.join(t.dir, 'library.sqlite')
  const db = openLibrary(file)
  clipIds = seedClips(db, 'CASME II', [
    { subject: 'sub01', name: 'EP02_01f' },
    { subject: 'sub02', name: 'EP03_02' },
  ])
  datasetId = db.prepare('SELECT id FROM datasets').pluck().get() as number
  db.close()
  engine = createEngine({ libraryPath: file })
  ann = await call<Coder>('coders.create', { name: 'Ann' })
  bob = await call<Coder>('coders.create', { name: 'Bob' })
})
afterEach(() => {
  engine.close()
  cleanup()
})

describe('migration 1060: au keys', () => {
  it('upgrades a library at 1050 and keeps one key per AU and one AU per key', () => {
    const other = path.join(path.dirname(file), 'old.sqlite')
    const raw = new Database(other)
    applyMigrations(
      raw,
      migrations.filter((m) => m.version < 1060),
    )
    expect(schemaVersion(raw)).toBe(1050)
    raw.prepare("INSERT INTO datasets (name) VALUES ('SAMM')").run()
    raw.close()
    const db = openLibrary(other)
    const insert = db.prepare('INSERT INTO au_keys (dataset_id, au, key) VALUES (1, ?, ?)')
    insert.run(12, 6)
    expect(() => insert.run(14, 6)).toThrow(/UNIQUE/)
    expect(() => insert.run(12, 7)).toThrow(/UNIQUE|PRIMARY/)
    expect(() => insert.run(15, 10)).toThrow(/CHECK/)
    insert.run(15, null)
    insert.run(17, null)
    db.prepare('DELETE FROM datasets').run()
    expect(db.prepare('SELECT count(*) FROM au_keys').pluck().get()).toBe(0)
    db.close()
  })
})

describe('AU number keys of a dataset', () => {
  it('starts a dataset nobody scored with the starter AUs', async () => {
    const map = await call<AuKeyMap>('auKeys.get', { datasetId })
    expect(map.entries.slice(0, 3)).toEqual([
      { au: 1, key: 1 },
      { au: 2, key: 2 },
      { au: 4, key: 3 },
    ])
    expect(map.entries.filter((e) => e.key === null).map((e) => e.au)).toEqual([17, 25])
  })

  it('keeps every key when a second coder scores an AU new to the dataset', async () => {
    for (const au of [1, 2, 4, 6, 7, 12, 14, 15, 17]) {
      await call('labels.toggle', { clipId: clipIds[0], coderId: ann.id, au })
    }
    const first = keysOf(await call<AuKeyMap>('auKeys.get', { datasetId }))
    expect(first).toEqual({ 1: 1, 2: 2, 4: 3, 6: 4, 7: 5, 12: 6, 14: 7, 15: 8, 17: 9 })

    await call('labels.toggle', { clipId: clipIds[1], coderId: bob.id, au: 5 })
    await call('labels.toggle', { clipId: clipIds[1], coderId: bob.id, au: 20 })
    const after = keysOf(await call<AuKeyMap>('auKeys.get', { datasetId }))
    expect(after).toEqual({ ...first, 5: 0, 20: null })
    expect(rows('SELECT au, key FROM au_keys WHERE au IN (5, 20) ORDER BY au')).toEqual([
      { au: 5, key: 0 },
      { au: 20, key: null },
    ])
  })

  it('rebinds a key by hand and refuses an AU outside the catalogue', async () => {
    const map = await call<AuKeyMap>('auKeys.set', { datasetId, au: 25, key: 1 })
    expect(keysOf(map)[25]).toBe(1)
    expect(keysOf(map)[1]).toBeNull()
    expect(keysOf(await call<AuKeyMap>('auKeys.get', { datasetId }))).toEqual(keysOf(map))
    const refused = await engine.call('auKeys.set', { datasetId, au: 3, key: 2 })
    expect(refused.ok ? null : refused.error.message).toMatch(/AU3 is not in the FACS catalogue/)
    const missing = await engine.call('auKeys.get', { datasetId: 999 })
    expect(missing.ok ? null : missing.error.code).toBe('not_found')
  })
})

describe('typed AUs', () => {
  const labels = () =>
    rows(
      "SELECT au, side, intensity FROM au_labels WHERE coder_id = ? ORDER BY au, ifnull(side, '')",
      ann.id,
    )

  it('saves every typed AU, and says what it saved', async () => {
    const result = await call<TypedLabelsResult>('labels.setTyped', {
      clipId: clipIds[0],
      coderId: ann.id,
      text: '1+2+R12B+13?',
    })
    expect(result.saved).toEqual(['1', '2', 'R12B', '13'])
    expect(result.notes).toEqual(["'13?': saved as 13; the question mark is not stored"])
    expect(result.codes.labels).toHaveLength(4)
    expect(labels()).toEqual([
      { au: 1, side: null, intensity: null },
      { au: 2, side: null, intensity: null },
      { au: 12, side: 'R', intensity: 'B' },
      { au: 13, side: null, intensity: null },
    ])
  })

  it('saves nothing when a token is bad, and names the bad tokens', async () => {
    const outcome = await engine.call('labels.setTyped', {
      clipId: clipIds[0],
      coderId: ann.id,
      text: '1+99+X12',
    })
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    expect(outcome.error.message).toMatch(/^Nothing was saved: .*'99'.*'X12'/)
    expect(outcome.error.details).toMatchObject({ tokens: ['99', 'X12'] })
    expect(labels()).toEqual([])
    expect(rows('SELECT count(*) AS n FROM audit')).toEqual([{ n: 0 }])
  })

  it('rolls back the labels already written when a later one fails', async () => {
    // A write that fails half-way (here a trigger refuses AU5, as a full disk would).
    const db = new Database(file)
    db.exec(`CREATE TRIGGER refuse_au5 BEFORE INSERT ON au_labels WHEN NEW.au = 5
             BEGIN SELECT RAISE(ABORT, 'refused AU5'); END`)
    db.close()
    const ids = { clipId: clipIds[0], coderId: ann.id }
    const outcome = await engine.call('labels.setTyped', { ...ids, text: '4+5' })
    expect(outcome.ok).toBe(false)
    expect(labels()).toEqual([])
    expect(rows('SELECT count(*) AS n FROM audit')).toEqual([{ n: 0 }])
    expect(rows('SELECT source FROM audit_context')).toEqual([{ source: 'manual' }])
  })
})
