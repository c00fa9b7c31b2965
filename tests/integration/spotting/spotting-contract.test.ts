import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../../../src/engine/api/engine'
import { openLibrary } from '../../../src/engine/db/open-library'
import { storeSpottedRecording } from '../../../src/engine/spotting/store-spotted'
import { callOk } from '../../helpers/engine'
import { tempDir } from '../../helpers/temp'

/* The spotting queue through the contract, as the queue screen calls it. */

const { dir, cleanup } = tempDir()
const libraryPath = path.join(dir, 'library.sqlite')
let engine: Engine
let clipId: number

beforeAll(() => {
  const db = openLibrary(libraryPath)
  ;[clipId] = storeSpottedRecording(db, {
    dataset: 'Interviews',
    subject: 'p01',
    video: '/data/p01.mp4',
    fps: 30,
    frames: 900,
    width: 640,
    height: 480,
    spotting: {},
    intervals: [{ onset: 300, apex: 305, offset: 311, score: 8, kind: 'micro' }],
  }).clipIds
  db.close()
  engine = createEngine({ libraryPath })
})
afterAll(() => {
  engine.close()
  cleanup()
})

describe('spotting contract', () => {
  it('lists, decides and adjusts, answering the candidate as it now is', async () => {
    const coder = await callOk(engine, 'coders.create', { name: 'Ana', kind: 'human' })
    const [candidate] = await callOk(engine, 'spotting.candidates', { coderId: coder.id })
    expect(candidate).toMatchObject({
      clipId,
      subject: 'p01',
      kind: 'micro',
      spotted: { onset: 301, apex: 306, offset: 312 },
      status: 'pending',
      firstFrame: 271,
      lastFrame: 342,
    })
    const accepted = await callOk(engine, 'spotting.decide', {
      clipId,
      coderId: coder.id,
      status: 'accepted',
    })
    expect(accepted.status).toBe('accepted')
    const adjusted = await callOk(engine, 'spotting.adjust', {
      clipId,
      coderId: coder.id,
      offset: 315,
    })
    expect(adjusted.adjusted).toEqual({ onset: 301, apex: 306, offset: 315 })
  })

  it('refuses input the schema does not allow, naming the field', async () => {
    const bad = await engine.call('spotting.decide', {
      clipId,
      coderId: 1,
      status: 'maybe',
    } as never)
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.error.code).toBe('invalid_input')
    const empty = await engine.call('spotting.adjust', { clipId, coderId: 1 })
    expect(empty.ok).toBe(false)
    if (!empty.ok) expect(empty.error.message).toMatch(/names no marker/)
  })
})
