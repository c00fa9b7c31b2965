import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { migrations } from '../../../src/engine/db/migrations'
import { applyMigrations, openLibrary, type LibraryDb } from '../../../src/engine/db/open-library'
import { createCoder } from '../../../src/engine/db/queries/coders'
import {
  adjustSpot,
  decideSpot,
  listSpotCandidates,
  spotDecisionTrail,
} from '../../../src/engine/spotting/queue'
import { storeSpottedRecording } from '../../../src/engine/spotting/store-spotted'
import { tempDir } from '../../helpers/temp'

/** A coder's audited coding changes (markers and labels) on a clip, oldest first. */
function codingTrail(db: LibraryDb, clipId: number, coderId: number) {
  const rows = db
    .prepare(
      `SELECT entity, action, after FROM audit
       WHERE clip_id = ? AND coder_id = ? AND entity IN ('marker', 'au_label') ORDER BY id`,
    )
    .all(clipId, coderId) as { entity: string; action: string; after: string | null }[]
  return rows.map((r) => ({ ...r, after: r.after === null ? null : JSON.parse(r.after) }))
}

let cleanup: () => void = () => undefined
afterEach(() => cleanup())

function freshFile(): string {
  const t = tempDir()
  cleanup = t.cleanup
  return path.join(t.dir, 'library.sqlite')
}

const RECORDING = {
  dataset: 'Interviews',
  subject: 'p01',
  video: '/data/p01/interview.mp4',
  fps: 100,
  frames: 6000,
  width: 640,
  height: 480,
  spotting: { method: 'test' },
  intervals: [
    { onset: 1000, apex: 1012, offset: 1030, score: 9.5, kind: 'micro' as const },
    { onset: 4000, apex: 4100, offset: 4250, score: 7.1, kind: 'macro' as const },
  ],
}

function count(db: LibraryDb, table: string): number {
  return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number
}

describe('storing spotted recordings', () => {
  it('stores each interval as a clip with absolute frames, context and the spotter’s markers', () => {
    const db = openLibrary(freshFile())
    const stored = storeSpottedRecording(db, RECORDING)
    expect(stored.clipIds).toHaveLength(2)
    const clip = db
      .prepare(
        'SELECT first_frame, frame_count, source_kind, source_path, spotted_kind, spotted_score, recording_id FROM clips WHERE id = ?',
      )
      .get(stored.clipIds[0])
    // decoded 1000..1030 → 1-based 1001..1031, one second (100 frames) of context each side
    expect(clip).toEqual({
      first_frame: 901,
      frame_count: 231,
      source_kind: 'video',
      source_path: '/data/p01/interview.mp4',
      spotted_kind: 'micro',
      spotted_score: 9.5,
      recording_id: stored.recordingId,
    })
    const frames = db
      .prepare('SELECT min(number) AS lo, max(number) AS hi FROM frames WHERE clip_id = ?')
      .get(stored.clipIds[0])
    expect(frames).toEqual({ lo: 901, hi: 1131 })
    const coder = createCoder(db, 'Ana', 'human')
    const queue = listSpotCandidates(db, { coderId: coder.id })
    expect(queue.map((c) => [c.kind, c.spotted, c.status, c.adjusted])).toEqual([
      ['micro', { onset: 1001, apex: 1013, offset: 1031 }, 'pending', null],
      ['macro', { onset: 4001, apex: 4101, offset: 4251 }, 'pending', null],
    ])
  })

  it('stores nothing when the recording is already there', () => {
    const db = openLibrary(freshFile())
    storeSpottedRecording(db, RECORDING)
    const before = [count(db, 'clips'), count(db, 'frames'), count(db, 'markers')]
    expect(() => storeSpottedRecording(db, { ...RECORDING, intervals: [] })).toThrow(
      /already holds the spotting of \/data\/p01\/interview.mp4/,
    )
    expect([count(db, 'clips'), count(db, 'frames'), count(db, 'markers')]).toEqual(before)
  })

  it('names the clips of two same-named files in one subject apart, each readable', () => {
    const db = openLibrary(freshFile())
    const names = (recordingId: number) =>
      db
        .prepare('SELECT name FROM clips WHERE recording_id = ? ORDER BY id')
        .pluck()
        .all(recordingId)
    const day = (n: number) => ({ ...RECORDING, video: `/data/p01/day${n}/interview.mp4` })
    // The same intervals in each: named by the file's name alone, they would collide.
    const first = storeSpottedRecording(db, day(1))
    const second = storeSpottedRecording(db, day(2))
    const third = storeSpottedRecording(db, day(3))
    expect(names(first.recordingId)).toEqual(['interview.mp4@1001-1031', 'interview.mp4@4001-4251'])
    expect(names(second.recordingId)).toEqual([
      'interview.mp4 (2)@1001-1031',
      'interview.mp4 (2)@4001-4251',
    ])
    expect(names(third.recordingId)[0]).toBe('interview.mp4 (3)@1001-1031')
    // A name given by the caller (the path inside the participant's folder) is kept.
    const fourth = storeSpottedRecording(db, { ...day(4), videoName: 'day4/interview.mp4' })
    expect(names(fourth.recordingId)[1]).toBe('day4/interview.mp4@4001-4251')
    db.close()
  })
})

describe('the spotting queue', () => {
  it('accepts, rejects and takes back decisions, each audited once', () => {
    const db = openLibrary(freshFile())
    const [micro, macro] = storeSpottedRecording(db, RECORDING).clipIds
    const ana = createCoder(db, 'Ana', 'human').id
    decideSpot(db, { clipId: micro, coderId: ana, status: 'accepted' })
    decideSpot(db, { clipId: micro, coderId: ana, status: 'accepted' })
    decideSpot(db, { clipId: macro, coderId: ana, status: 'rejected' })
    decideSpot(db, { clipId: macro, coderId: ana, status: 'accepted' })
    decideSpot(db, { clipId: macro, coderId: ana, status: 'pending' })
    expect(listSpotCandidates(db, { coderId: ana }).map((c) => c.status)).toEqual([
      'accepted',
      'pending',
    ])
    expect(
      spotDecisionTrail(db, micro).map((e) => [e.before, e.after, e.source, e.coderId]),
    ).toEqual([['pending', 'accepted', 'manual', ana]])
    expect(spotDecisionTrail(db, macro).map((e) => [e.before, e.after])).toEqual([
      ['pending', 'rejected'],
      ['rejected', 'accepted'],
      ['accepted', 'pending'],
    ])
  })

  it('adjusts from the spotter’s interval, audited as the coder’s markers', () => {
    const db = openLibrary(freshFile())
    const [micro] = storeSpottedRecording(db, RECORDING).clipIds
    const ana = createCoder(db, 'Ana', 'human').id
    adjustSpot(db, { clipId: micro, coderId: ana, onset: 995 })
    adjustSpot(db, { clipId: micro, coderId: ana, apex: 1015 })
    const [row] = listSpotCandidates(db, { coderId: ana, clipId: micro })
    expect(row.adjusted).toEqual({ onset: 995, apex: 1015, offset: 1031 })
    expect(codingTrail(db, micro, ana).map((e) => [e.action, e.after])).toEqual([
      ['insert', { onset: 995, apex: 1013, offset: 1031, apex_estimated: 0 }],
      ['update', { onset: 995, apex: 1015, offset: 1031, apex_estimated: 0 }],
    ])
  })

  it('refuses frames outside the clip or out of order, and coders who are not people', () => {
    const db = openLibrary(freshFile())
    const [micro] = storeSpottedRecording(db, RECORDING).clipIds
    const ana = createCoder(db, 'Ana', 'human').id
    expect(() => adjustSpot(db, { clipId: micro, coderId: ana, onset: 10 })).toThrow(
      /Frame 10 is not a frame of clip/,
    )
    expect(() => adjustSpot(db, { clipId: micro, coderId: ana, apex: 1100 })).toThrow(
      /out of order/,
    )
    const spotter = db.prepare("SELECT id FROM coders WHERE name = 'spotter'").pluck().get()
    expect(() =>
      decideSpot(db, { clipId: micro, coderId: spotter as number, status: 'accepted' }),
    ).toThrow(/cannot decide/)
    expect(count(db, 'spot_decisions')).toBe(0)
  })
})

describe('migration 1080', () => {
  it('keeps the audit trail and its triggers when it widens the audit table', () => {
    const file = freshFile()
    const raw = new Database(file)
    applyMigrations(
      raw,
      migrations.filter((m) => m.version < 1080),
    )
    raw.exec(`
      INSERT INTO datasets (name) VALUES ('d');
      INSERT INTO subjects (dataset_id, code) VALUES (1, 's');
      INSERT INTO clips (dataset_id, subject_id, name, source_kind, source_path, fps, frame_count, first_frame, width, height)
        VALUES (1, 1, 'c', 'frames', '/x', 200, 3, 1, 8, 8);
      INSERT INTO coders (name) VALUES ('Ana');
      INSERT INTO markers (clip_id, coder_id, onset) VALUES (1, 1, 1);
    `)
    raw.close()
    const db = openLibrary(file)
    expect(count(db, 'audit')).toBe(1)
    db.prepare('UPDATE markers SET apex = 2 WHERE clip_id = 1').run()
    db.prepare('INSERT INTO au_labels (clip_id, coder_id, au) VALUES (1, 1, 12)').run()
    expect(codingTrail(db, 1, 1).map((e) => [e.entity, e.action])).toEqual([
      ['marker', 'insert'],
      ['marker', 'update'],
      ['au_label', 'insert'],
    ])
    // The history triggers on the rebuilt table (migration 1070) still push undo steps.
    const steps = db.prepare("SELECT COUNT(*) FROM history_steps WHERE stack = 'undo'").pluck()
    expect(steps.get()).toBe(3)
  })
})
