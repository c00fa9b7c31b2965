import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCsv } from '../../../src/engine/datasets/sheets/csv'
import { generateSyntheticDataset } from '../../../src/engine/datasets/synthetic/generate'
import {
  writeLongRecording,
  type LongRecordingTruth,
} from '../../../src/engine/datasets/synthetic/long-recording'
import { runMicroau } from '../../helpers/cli'
import { tempDir } from '../../helpers/temp'
import { saveTinyModel } from '../batch/tiny-model'

/*
 * Must show 4: `microau batch` as a process on a folder of two participants' long synthetic
 * recordings (10 s at 50 fps, H.264, planted micro- and macro-expressions and blinks), p01
 * also holding a short cut clip: one row per spotted event (and one for the short clip), the
 * CSV parses with the event columns, and the per-participant counts add up.
 */

const AUS = ['1', '4', '12']
const FPS = 50
const { dir, cleanup } = tempDir('microau-batch-events-')
const folder = path.join(dir, 'lab')
const library = path.join(dir, 'lib.sqlite')
const modelDir = path.join(dir, 'model')
const out = path.join(dir, 'out')
const truths = new Map<string, LongRecordingTruth>()
let run: ReturnType<typeof runMicroau>

beforeAll(async () => {
  for (const [seed, who] of [
    [41, 'p01'],
    [42, 'p02'],
  ] as const) {
    const { truth } = await writeLongRecording({
      ...{ seed, seconds: 10, fps: FPS, width: 320, height: 240 },
      ...{ micro: 3, macro: 1, blinks: 1 },
      out: path.join(folder, who, 'interview.mp4'),
    })
    truths.set(who, truth)
  }
  const short = await generateSyntheticDataset({
    ...{ outDir: path.join(dir, 'cut'), subjects: 1, clipsPerSubject: 1, seed: 3 },
    ...{ format: 'video', size: 48, fps: 100 },
  })
  fs.copyFileSync(short.clips[0].video!, path.join(folder, 'p01', 'cut.mkv'))
  await saveTinyModel(modelDir, AUS)
  const args = ['batch', '--in', folder, '--model', modelDir, '--db', library, '--out', out]
  run = runMicroau([...args, '--json'], {}, 280_000)
}, 300_000)
afterAll(() => cleanup())

interface Stored {
  subject: string
  clipId: number
  kind: string | null
  onset: number | null
  apex: number | null
  offset: number | null
  score: number | null
}

function storedClips(): Stored[] {
  const db = new Database(library, { readonly: true })
  try {
    return db
      .prepare(
        `SELECT s.code AS subject, c.id AS clipId, c.spotted_kind AS kind, m.onset, m.apex,
                m.offset, c.spotted_score AS score
         FROM clips c JOIN subjects s ON s.id = c.subject_id
         LEFT JOIN markers m ON m.clip_id = c.id
           AND m.coder_id = (SELECT id FROM coders WHERE name = 'spotter')
         ORDER BY c.id`,
      )
      .all() as Stored[]
  } finally {
    db.close()
  }
}

const result = () =>
  JSON.parse(run.stdout) as { csv: string; participantsCsv: string; xlsx: string }
const csvOf = (file: string) => parseCsv(fs.readFileSync(file, 'utf8'), file)

describe('microau batch on long recordings', () => {
  it('gives one row per spotted event, with the event columns', () => {
    expect(run.stderr).not.toMatch(/Error/)
    expect(run.code).toBe(0)
    const [header, ...rows] = csvOf(result().csv)
    expect(header).toEqual([
      ...['Subject', 'Video', 'Kind', 'Onset Frame', 'Apex Frame', 'Offset Frame'],
      ...['Onset (s)', 'Apex (s)', 'Offset (s)', 'Duration (ms)', 'Score', 'Apex Source'],
      ...['Clip', 'File', 'AU1', 'AU4', 'AU12'],
      // The model chose no thresholds (no inner split), so 0.5 decides every AU.
      ...AUS.map((au) => `AU${au} present (p ≥ 0.5; default: the model chose none)`),
    ])
    const spotted = storedClips().filter((c) => c.kind !== null)
    const events = rows.filter((r) => r[2] !== 'clip')
    expect(events).toHaveLength(spotted.length)
    for (const who of ['p01', 'p02']) {
      expect(events.filter((r) => r[0] === who).length).toBeGreaterThan(0)
      // Each participant's planted micro-expressions are found (MEGC: IoU ≥ 0.5), at least one.
      const planted = truths.get(who)!.events.filter((e) => e.kind === 'micro')
      const found = planted.filter((p) =>
        events.some((r) => r[0] === who && iou(p, Number(r[3]) - 1, Number(r[5]) - 1) >= 0.5),
      )
      expect(found.length).toBeGreaterThan(0)
    }
    for (const row of events) {
      const [subject, video, kind, onset, apex, offset, onsetS, apexS, offsetS, ms] = row
      const stored = spotted.find((c) => c.subject === subject && c.onset === Number(onset))!
      expect([video, kind, Number(apex), Number(offset)]).toEqual([
        'interview.mp4',
        stored.kind,
        stored.apex,
        stored.offset,
      ])
      expect([onsetS, apexS, offsetS]).toEqual(
        [onset, apex, offset].map((f) => ((Number(f) - 1) / FPS).toFixed(3)),
      )
      expect(ms).toBe((((Number(offset) - Number(onset) + 1) / FPS) * 1000).toFixed(3))
      expect(row[10]).toBe(stored.score!.toFixed(3))
      AUS.forEach((_, a) => {
        const p = Number(row[14 + a])
        expect(p).toBeGreaterThanOrEqual(0)
        expect(p).toBeLessThanOrEqual(1)
        expect(row[17 + a]).toBe(p >= 0.5 ? '1' : '0')
      })
    }
  })

  it('keeps a short video as one clip with its apex, as before', () => {
    const [, ...rows] = csvOf(result().csv)
    const clips = rows.filter((r) => r[2] === 'clip')
    expect(clips.map((r) => [r[0], r[1], r[3], r[10]])).toEqual([['p01', 'cut.mkv', '1', '']])
    expect(Number(clips[0][4])).toBeGreaterThanOrEqual(1)
  })

  it('counts events per kind and AU occurrences per participant (CSV and XLSX sheet)', async () => {
    const [header, ...rows] = csvOf(result().csv)
    const [countsHeader, ...counts] = csvOf(result().participantsCsv)
    expect(countsHeader).toEqual([
      ...['Subject', 'Videos', 'Events', 'Micro', 'Macro', 'Clips'],
      ...['AU1 Events', 'AU4 Events', 'AU12 Events'],
    ])
    const expected = ['p01', 'p02'].map((who) => {
      const mine = rows.filter((r) => r[0] === who)
      const kind = (k: string) => mine.filter((r) => r[2] === k).length
      const present = AUS.map((au) => {
        const column = header.indexOf(`AU${au}`) + AUS.length
        return String(mine.filter((r) => r[column] === '1').length)
      })
      const videos = String(new Set(mine.map((r) => r[1])).size)
      const all = String(mine.length)
      return [
        who,
        videos,
        all,
        ...['micro', 'macro', 'clip'].map((k) => String(kind(k))),
        ...present,
      ]
    })
    expect(counts).toEqual(expected)
    expect(counts.map((c) => c[1])).toEqual(['2', '1'])

    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(result().xlsx)
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Batch', 'Participants'])
    const sheet = workbook.getWorksheet('Participants')!
    const cells: string[][] = []
    sheet.eachRow((row) => cells.push((row.values as unknown[]).slice(1).map(String)))
    expect(cells).toEqual([countsHeader, ...expected])
    expect(workbook.getWorksheet('Batch')!.rowCount).toBe(rows.length + 1)
  })
})

/** Intersection over union of a planted event (0-based frames) and a row's interval. */
function iou(planted: { onset: number; offset: number }, onset: number, offset: number): number {
  const overlap = Math.min(planted.offset, offset) - Math.max(planted.onset, onset) + 1
  const union = Math.max(planted.offset, offset) - Math.min(planted.onset, onset) + 1
  return Math.max(0, overlap) / union
}
