import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../../../src/engine/api/engine'
import { openLibrary } from '../../../src/engine/db/open-library'
import type { Coder, CoderCodes } from '../../../src/shared/coding'
import { tempDir } from '../../helpers/temp'
import { callOk } from '../../helpers/engine'
import type { MethodName } from '../../../src/shared/api'
import { seedClips } from './seed'

let engine: Engine
let file: string
let cleanup: () => void
let clipId: number
let coder: Coder

const call = <T>(method: MethodName, input: unknown): Promise<T> =>
  callOk(engine, method, input as never) as Promise<T>

/** What the library file holds for the coder on the clip, read with a separate connection. */
function stored() {
  const db = new Database(file, { readonly: true })
  try {
    return {
      markers: db
        .prepare('SELECT onset, apex, offset FROM markers WHERE clip_id = ? AND coder_id = ?')
        .get(clipId, coder.id),
      labels: db
        .prepare(
          "SELECT au, side, intensity FROM au_labels WHERE clip_id = ? AND coder_id = ? ORDER BY au, ifnull(side, '')",
        )
        .all(clipId, coder.id),
      audit: db
        .prepare(
          'SELECT entity, action, source FROM audit WHERE clip_id = ? AND coder_id = ? ORDER BY id',
        )
        .all(clipId, coder.id)
        .map((r) => Object.values(r as object).join(':')),
      context: db.prepare('SELECT source FROM audit_context').pluck().get(),
    }
  } finally {
    db.close()
  }
}

beforeEach(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  file = path.join(t.dir, 'library.sqlite')
  const db = openLibrary(file)
  ;[clipId] = seedClips(db, 'CASME II', [{ subject: 'sub01', name: 'EP02_01f' }])
  db.close()
  engine = createEngine({ libraryPath: file })
  coder = await call<Coder>('coders.create', { name: 'Ann' })
})
afterEach(() => {
  engine.close()
  cleanup()
})

describe('coding a clip', () => {
  it('saves each change at once, audited as manual, and answers the coder’s codes', async () => {
    const ids = { clipId, coderId: coder.id }
    await call('markers.set', { ...ids, onset: 50 })
    await call('markers.set', { ...ids, apex: 60, offset: 80 })
    await call('labels.set', { ...ids, au: 12, side: 'R', intensity: 'B' })
    const codes = await call<CoderCodes>('labels.toggle', { ...ids, au: 4 })
    expect(codes).toEqual({
      coderId: coder.id,
      markers: { onset: 50, apex: 60, offset: 80, apexEstimated: false },
      labels: [
        { au: 4, side: null, intensity: null },
        { au: 12, side: 'R', intensity: 'B' },
      ],
      canUndo: true,
      canRedo: false,
    })
    expect(stored()).toEqual({
      markers: { onset: 50, apex: 60, offset: 80 },
      labels: [
        { au: 4, side: null, intensity: null },
        { au: 12, side: 'R', intensity: 'B' },
      ],
      audit: [
        'marker:insert:manual',
        'marker:update:manual',
        'au_label:insert:manual',
        'au_label:insert:manual',
      ],
      context: 'manual',
    })
  })

  it('moves a label to another side as one change, and refuses what would clash', async () => {
    const ids = { clipId, coderId: coder.id }
    await call('labels.set', { ...ids, au: 12, side: null, intensity: null })
    await call('labels.set', { ...ids, au: 12, side: 'L', intensity: 'C', fromSide: null })
    expect(stored().labels).toEqual([{ au: 12, side: 'L', intensity: 'C' }])
    expect(stored().audit).toEqual(['au_label:insert:manual', 'au_label:update:manual'])
    await call('labels.set', { ...ids, au: 12, side: 'R', intensity: null })
    const clash = await engine.call('labels.set', {
      ...ids,
      au: 12,
      side: 'R',
      intensity: null,
      fromSide: 'L',
    })
    expect(clash).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        message: 'AU12 Lip Corner Puller is already scored on the right side.',
      },
    })
    const several = await engine.call('labels.toggle', { ...ids, au: 12 })
    expect(several).toMatchObject({ ok: false, error: { code: 'conflict' } })
    if (!several.ok) expect(several.error.message).toContain('the left side and the right side')
  })

  it('lists a dataset’s labels by clip, coder and AU, for the coders asked about', async () => {
    const ids = { clipId, coderId: coder.id }
    const bo = await call<Coder>('coders.create', { name: 'Bo' })
    await call('labels.set', { ...ids, au: 12, side: 'L', intensity: 'C' })
    await call('labels.toggle', { ...ids, au: 4 })
    await call('labels.toggle', { clipId, coderId: bo.id, au: 1 })
    const datasetId = (await call<{ id: number }[]>('datasets.list', {}))[0].id
    expect(await call('labels.list', { datasetId })).toEqual([
      { clipId, coderId: coder.id, au: 4, side: null, intensity: null },
      { clipId, coderId: coder.id, au: 12, side: 'L', intensity: 'C' },
      { clipId, coderId: bo.id, au: 1, side: null, intensity: null },
    ])
    expect(await call('labels.list', { datasetId, coderIds: [bo.id] })).toEqual([
      { clipId, coderId: bo.id, au: 1, side: null, intensity: null },
    ])
    const missing = await engine.call('labels.list', { datasetId: datasetId + 100 })
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })

  it('writes nothing when a change changes nothing', async () => {
    const ids = { clipId, coderId: coder.id }
    await call('markers.set', { ...ids, onset: 50 })
    await call('markers.set', { ...ids, onset: 50 })
    await call('labels.set', { ...ids, au: 1, side: null, intensity: null })
    await call('labels.set', { ...ids, au: 1, side: null, intensity: null })
    await call('labels.remove', { ...ids, au: 2, side: null })
    expect(stored().audit).toEqual(['marker:insert:manual', 'au_label:insert:manual'])
  })

  it('refuses frames outside the clip, unknown AUs and edits of an import sheet, writing nothing', async () => {
    const ids = { clipId, coderId: coder.id }
    const outside = await engine.call('markers.set', { ...ids, apex: 45 })
    expect(outside).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    if (!outside.ok) {
      expect(outside.error.message).toBe(
        'Frame 45 is not a frame of clip sub01/EP02_01f (frames 46–85), so it cannot be the apex.',
      )
    }
    expect(await engine.call('labels.toggle', { ...ids, au: 3 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: 'FACS has no AU 3.' },
    })
    const db = new Database(file)
    const sheet = Number(
      db.prepare("INSERT INTO coders (name, kind) VALUES ('CASME II sheet', 'import')").run()
        .lastInsertRowid,
    )
    db.close()
    const imported = await engine.call('labels.toggle', { clipId, coderId: sheet, au: 4 })
    expect(imported).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(stored().audit).toEqual([])
  })
})

describe('undo and redo', () => {
  it('step back and forth through the coder’s changes, each step audited as undo or redo', async () => {
    const ids = { clipId, coderId: coder.id }
    await call('markers.set', { ...ids, onset: 50 })
    await call('markers.set', { ...ids, onset: 52 })
    await call('labels.set', { ...ids, au: 12, side: null, intensity: 'A' })
    await call('labels.set', { ...ids, au: 12, side: 'R', intensity: 'C', fromSide: null })
    await call('labels.toggle', { ...ids, au: 4 })
    await call('labels.toggle', { ...ids, au: 4 })

    await call('history.undo', ids) // the removal of AU 4
    expect(stored().labels).toEqual([
      { au: 4, side: null, intensity: null },
      { au: 12, side: 'R', intensity: 'C' },
    ])
    await call('history.undo', ids) // the addition of AU 4
    await call('history.undo', ids) // AU 12 moved to the right side
    expect(stored().labels).toEqual([{ au: 12, side: null, intensity: 'A' }])
    await call('history.undo', ids) // AU 12 added
    await call('history.undo', ids) // onset 50 → 52
    expect(stored()).toMatchObject({ labels: [], markers: { onset: 50, apex: null, offset: null } })
    const first = await call<CoderCodes>('history.undo', ids) // the marker row's insert
    expect(first).toMatchObject({ markers: null, labels: [], canUndo: false, canRedo: true })
    expect(stored().markers).toBeUndefined()
    expect(await engine.call('history.undo', ids)).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'There is nothing to undo on this clip.' },
    })

    await call('history.redo', ids)
    await call('history.redo', ids)
    expect(stored().markers).toEqual({ onset: 52, apex: null, offset: null })
    await call('history.redo', ids)
    const redone = await call<CoderCodes>('history.redo', ids)
    expect(redone.labels).toEqual([{ au: 12, side: 'R', intensity: 'C' }])
    expect(redone).toMatchObject({ canUndo: true, canRedo: true })

    // A new change after undo drops what was left to redo.
    await call('history.undo', ids)
    const fresh = await call<CoderCodes>('labels.toggle', { ...ids, au: 1 })
    expect(fresh).toMatchObject({ canRedo: false })
    expect(fresh.labels).toEqual([
      { au: 1, side: null, intensity: null },
      { au: 12, side: null, intensity: 'A' },
    ])
    expect(await engine.call('history.redo', ids)).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    })

    const trail = stored().audit
    expect(trail.slice(6)).toEqual([
      'au_label:insert:undo',
      'au_label:delete:undo',
      'au_label:update:undo',
      'au_label:delete:undo',
      'marker:update:undo',
      'marker:delete:undo',
      'marker:insert:redo',
      'marker:update:redo',
      'au_label:insert:redo',
      'au_label:update:redo',
      'au_label:update:undo',
      'au_label:insert:manual',
    ])
    expect(stored().context).toBe('manual')
  })

  it('refuses to replay a step when the rows do not match the trail, writing nothing', async () => {
    const ids = { clipId, coderId: coder.id }
    await call('labels.toggle', { ...ids, au: 1 })
    // A trail entry for a label that is not in the table (as if the row went missing).
    const db = new Database(file)
    db.prepare(
      `INSERT INTO audit (coder_id, clip_id, entity, action, before, after, source)
       VALUES (?, ?, 'au_label', 'insert', NULL, '{"au":5,"side":null,"intensity":null}', 'manual')`,
    ).run(coder.id, clipId)
    db.close()
    const before = stored()
    expect(await engine.call('history.undo', ids)).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('changed elsewhere') },
    })
    expect(stored()).toEqual(before)
  })

  it('keeps every coder’s history apart', async () => {
    const bo = await call<Coder>('coders.create', { name: 'Bo' })
    await call('labels.toggle', { clipId, coderId: coder.id, au: 1 })
    await call('labels.toggle', { clipId, coderId: bo.id, au: 2 })
    await call('history.undo', { clipId, coderId: coder.id })
    const db = new Database(file, { readonly: true })
    const labels = db.prepare('SELECT coder_id AS coderId, au FROM au_labels').all()
    db.close()
    expect(labels).toEqual([{ coderId: bo.id, au: 2 }])
  })
})
