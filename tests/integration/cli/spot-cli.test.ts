import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  writeLongRecording,
  type LongRecordingTruth,
} from '../../../src/engine/datasets/synthetic/long-recording'
import { scoreSpotting } from '../../../src/engine/signal/spotting/megc-evaluation'
import { runMicroau } from '../../helpers/cli'
import { tempDir } from '../../helpers/temp'

/*
 * `microau spot` on a folder of two participants' long recordings (synthetic, 12 s at 50 fps,
 * H.264 with keyframes, planted micro- and macro-expressions and blinks), as a lab runs it:
 * JSON on stdout, and the candidates stored in a library with --db.
 */

const { dir, cleanup } = tempDir('microau-spot-')
const folder = path.join(dir, 'recordings')
const db = path.join(dir, 'lib.sqlite')
const truths = new Map<string, LongRecordingTruth>()
let run: ReturnType<typeof runMicroau>

beforeAll(async () => {
  for (const [seed, who] of [
    [21, 'p01'],
    [22, 'p02'],
  ] as const) {
    const { truth } = await writeLongRecording({
      seed,
      seconds: 12,
      fps: 50,
      width: 320,
      height: 240,
      micro: 3,
      macro: 1,
      blinks: 2,
      out: path.join(folder, who, 'interview.mp4'),
    })
    truths.set(`${who}/interview.mp4`, truth)
  }
  run = runMicroau(['spot', '--in', folder, '--json', '--db', db, '--dataset', 'Interviews'])
}, 300_000)
afterAll(() => cleanup())

interface SpotJson {
  videos: {
    file: string
    fps: number
    frames: number
    intervals: { onset: number; apex: number; offset: number; score: number; kind: string }[]
  }[]
}

describe('microau spot', () => {
  it('prints the issue’s JSON shape, one entry per video, files relative to the folder', () => {
    expect(run.stderr).not.toMatch(/Error/)
    expect(run.code).toBe(0)
    const out = JSON.parse(run.stdout) as SpotJson
    expect(Object.keys(out)).toEqual(['videos'])
    expect(out.videos.map((v) => [v.file, v.fps, v.frames])).toEqual([
      ['p01/interview.mp4', 50, 600],
      ['p02/interview.mp4', 50, 600],
    ])
    for (const v of out.videos) {
      for (const i of v.intervals) {
        expect(Object.keys(i)).toEqual(['onset', 'apex', 'offset', 'score', 'kind'])
        expect(['micro', 'macro']).toContain(i.kind)
        expect(i.onset <= i.apex && i.apex <= i.offset && i.offset < v.frames).toBe(true)
      }
    }
  })

  it('finds the planted micro-expressions and not the blinks (MEGC protocol)', () => {
    const out = JSON.parse(run.stdout) as SpotJson
    let tp = 0
    let fp = 0
    let coded = 0
    for (const v of out.videos) {
      const truth = truths.get(v.file)!
      const micro = truth.events.filter((e) => e.kind === 'micro')
      const score = scoreSpotting(
        micro,
        v.intervals.filter((i) => i.kind === 'micro'),
        v.frames,
      )
      tp += score.truePositives
      fp += score.falsePositives
      coded += micro.length
      const blinks = truth.events.filter((e) => e.kind === 'blink')
      expect(scoreSpotting(blinks, v.intervals, v.frames).truePositives).toBe(0)
    }
    const f1 = (2 * tp) / (tp + fp + coded)
    expect(f1).toBeGreaterThanOrEqual(0.6)
  })

  it('stores each interval as a spotted clip of its recording, for the queue', () => {
    const out = JSON.parse(run.stdout) as SpotJson
    const conn = new Database(db, { readonly: true })
    try {
      const recordings = conn
        .prepare(
          'SELECT r.path, s.code FROM recordings r JOIN subjects s ON s.id = r.subject_id ORDER BY r.path',
        )
        .all()
      expect(recordings).toEqual([
        { path: path.join(folder, 'p01', 'interview.mp4'), code: 'p01' },
        { path: path.join(folder, 'p02', 'interview.mp4'), code: 'p02' },
      ])
      const clips = conn
        .prepare(
          `SELECT m.onset - 1 AS onset, m.apex - 1 AS apex, m.offset - 1 AS offset, c.spotted_kind AS kind
           FROM clips c JOIN markers m ON m.clip_id = c.id JOIN coders k ON k.id = m.coder_id AND k.name = 'spotter'
           ORDER BY c.source_path, m.onset`,
        )
        .all()
      expect(clips).toEqual(
        out.videos.flatMap((v) =>
          v.intervals.map(({ onset, apex, offset, kind }) => ({ onset, apex, offset, kind })),
        ),
      )
      // A clip is cropped (the face track's box at its apex) exactly when the face was detected.
      const crops = conn
        .prepare(
          `SELECT c.crop, json_extract(r.spotting, '$.face.source') AS source,
             json_extract(r.spotting, '$.face.box.side') AS side
           FROM clips c JOIN recordings r ON r.id = c.recording_id`,
        )
        .all() as { crop: string | null; source: string; side: number }[]
      expect(crops.length).toBeGreaterThan(0)
      for (const { crop, source, side } of crops) {
        if (source === 'detected') expect(JSON.parse(crop!)).toMatchObject({ width: side })
        else expect(crop).toBeNull()
      }
    } finally {
      conn.close()
    }
  })
})
