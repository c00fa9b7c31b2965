import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../../../src/engine/api/engine'
import { openLibrary } from '../../../src/engine/db/open-library'
import type { Coder, LibraryPage } from '../../../src/shared/coding'
import type { ReliabilityReport } from '../../../src/shared/reliability'
import { tempDir } from '../../helpers/temp'
import { callOk } from '../../helpers/engine'
import type { MethodName } from '../../../src/shared/api'
import { seedClips } from './seed'

let engine: Engine
let cleanup: () => void
let clips: number[]
let datasetId: number
let ann: Coder
let bo: Coder
let adjudicated: Coder

const call = <T>(method: MethodName, input: unknown): Promise<T> =>
  callOk(engine, method, input as never) as Promise<T>

beforeEach(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  const file = path.join(t.dir, 'library.sqlite')
  const db = openLibrary(file)
  clips = seedClips(db, 'CASME II', [
    { subject: 'sub01', name: 'EP01_01', emotion: 'happiness' },
    { subject: 'sub01', name: 'EP02_01', emotion: 'disgust' },
    { subject: 'sub02', name: 'EP01_03', emotion: 'disgust' },
    { subject: 'sub02', name: 'EP05_02', emotion: 'surprise' },
    { subject: 'sub03', name: 'EP07_01', emotion: 'others' },
    { subject: 'sub03', name: 'EP08_04' },
  ])
  datasetId = db.prepare('SELECT id FROM datasets').pluck().get() as number
  db.prepare(
    "INSERT INTO models (name, preset, variant, path, config) VALUES ('m', 'p', 'v', '/m', '{}')",
  ).run()
  db.prepare(
    'INSERT INTO predictions (model_id, clip_id, frame, au, probability) VALUES (1, ?, 50, 12, 0.9)',
  ).run(clips[4])
  db.prepare("UPDATE frames SET cache_key = printf('%064d', number) WHERE clip_id = ?").run(
    clips[0],
  )
  db.close()
  engine = createEngine({ libraryPath: file })
  ann = await call<Coder>('coders.create', { name: 'Ann' })
  bo = await call<Coder>('coders.create', { name: 'Bo' })
  adjudicated = await call<Coder>('coders.create', { name: 'Consensus', kind: 'adjudicated' })
  const code = async (clipId: number, coderId: number, aus: number[], apex?: number) => {
    for (const au of aus) await call('labels.toggle', { clipId, coderId, au })
    if (apex !== undefined) await call('markers.set', { clipId, coderId, apex })
  }
  await code(clips[0], ann.id, [6, 12], 60)
  await code(clips[1], ann.id, [4, 7])
  await code(clips[1], bo.id, [4, 7])
  await code(clips[2], ann.id, [4])
  await code(clips[2], bo.id, [4, 9])
  await code(clips[3], ann.id, [1, 2])
  await code(clips[3], bo.id, [1])
  await code(clips[3], adjudicated.id, [1, 2])
})
afterEach(() => {
  engine.close()
  cleanup()
})

describe('library.page', () => {
  it('gives every clip its status, coders, AUs, thumbnail and cache state', async () => {
    const page = await call<LibraryPage>('library.page', { datasetId })
    expect(page.total).toBe(6)
    expect(page.clips.map((c) => [c.name, c.status, c.coderIds.length, c.aus.join('+')])).toEqual([
      ['EP01_01', 'single', 1, '6+12'],
      ['EP02_01', 'several', 2, '4+7'],
      ['EP01_03', 'disputed', 2, '4+9'],
      ['EP05_02', 'adjudicated', 3, '1+2'],
      ['EP07_01', 'predicted', 0, ''],
      ['EP08_04', 'unlabelled', 0, ''],
    ])
    // The thumbnail of a cached clip is its coder's apex frame.
    expect(page.clips[0]).toMatchObject({ cached: true, thumbnailKey: '60'.padStart(64, '0') })
    expect(page.clips[1]).toMatchObject({ cached: false, thumbnailKey: null })
    expect(page.facets).toEqual({
      subjects: ['sub01', 'sub02', 'sub03'],
      emotions: ['disgust', 'happiness', 'others', 'surprise'],
      aus: [1, 2, 4, 6, 7, 9, 12],
      coderIds: [ann.id, bo.id, adjudicated.id],
    })
  })

  it('filters by AU, coder, status, subject, emotion and search words', async () => {
    const names = async (filters: object) =>
      (await call<LibraryPage>('library.page', { datasetId, ...filters })).clips.map((c) => c.name)
    expect(await names({ au: 4 })).toEqual(['EP02_01', 'EP01_03'])
    expect(await names({ au: 9, coderId: ann.id })).toEqual([])
    expect(await names({ au: 9, coderId: bo.id })).toEqual(['EP01_03'])
    expect(await names({ coderId: bo.id })).toEqual(['EP02_01', 'EP01_03', 'EP05_02'])
    expect(await names({ status: 'disputed' })).toEqual(['EP01_03'])
    expect(await names({ subject: 'sub03' })).toEqual(['EP07_01', 'EP08_04'])
    expect(await names({ emotion: 'disgust' })).toEqual(['EP02_01', 'EP01_03'])
    expect(await names({ search: 'SUB02 ep05' })).toEqual(['EP05_02'])
    expect(await names({ search: 'disgust' })).toEqual(['EP02_01', 'EP01_03'])
  })

  it('answers not_found for a dataset that does not exist', async () => {
    expect(await engine.call('library.page', { datasetId: 999 })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
  })
})

describe('reliability through the engine', () => {
  it('compares the people who coded, leaving the adjudicated layer out by default', async () => {
    const report = await call<ReliabilityReport>('reliability.dataset', { datasetId })
    expect(report.coderIds).toEqual([ann.id, bo.id])
    expect(report.universe).toEqual([1, 2, 4, 6, 7, 9, 12])
    // Clips coded by both: {4,7}/{4,7} → 1; {4}/{4,9} → 2/3; {1,2}/{1} → 2/3.
    expect(report.summary.clips).toBe(3)
    expect(report.summary.agreementRatio).toBeCloseTo((1 + 2 / 3 + 2 / 3) / 3, 12)
    // 21 decisions (3 clips × 7 AUs): both yes 4 (4, 7; 4; 1), Bo only 1 (AU 9), Ann only 1
    // (AU 2), both no 15. pₒ = 19/21; each said yes 5 times: pₑ = (5·5 + 16·16)/441 = 281/441;
    // κ = (399 − 281)/(441 − 281) = 118/160.
    expect(report.pairs[0].cohenKappa).toBeCloseTo(118 / 160, 12)
  })

  it('reports one clip for the chosen coders', async () => {
    const report = await call<ReliabilityReport>('reliability.clip', {
      clipId: clips[3],
      coderIds: [ann.id, bo.id, adjudicated.id],
    })
    expect(report.perClip).toHaveLength(1)
    expect(report.perClip[0].coderIds).toEqual([ann.id, bo.id, adjudicated.id])
    expect(report.perClip[0].fleissKappa).not.toBeNull()
    expect(
      await engine.call('reliability.clip', { clipId: clips[3], coderIds: [ann.id, 999] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
  })
})
