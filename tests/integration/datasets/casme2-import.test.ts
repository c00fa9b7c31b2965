import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { importCasme2 } from '../../../src/engine/datasets/import/casme2'
import type { ImportFlag } from '../../../src/engine/datasets/flags'
import {
  range,
  testLibrary,
  writeFrame,
  writeFrames,
  writeXlsx,
  type TestLibrary,
} from './fixtures'

const HEADER = [
  'Subject',
  'Filename',
  null,
  'OnsetFrame',
  'ApexFrame',
  'OffsetFrame',
  null,
  'Action Units',
  'Estimated Emotion',
]

/**
 * A CASME II release in miniature with the real sheet's quirks: two blank columns, '/'
 * apexes, single AUs stored as numbers, R12 and L10, a repeated row, a row whose offset lies
 * past the frames, zero padding that varies, stray Thumbs.db / .DS_Store / ._ files, a gap,
 * an empty frame file (its clip is skipped), a coded clip without folder and a folder
 * without row.
 */
async function casme2Release(root: string): Promise<{ sheet: string; raw: string }> {
  const raw = path.join(root, 'CASME2_RAW_selected')
  const img = (n: number) => `img${n}.jpg`
  writeFrames(path.join(raw, 'sub01', 'EP02_01f'), img, range(46, 50))
  writeFrames(path.join(raw, 'sub01', 'EP03_02'), img, [130, 131, 133, 134])
  writeFrames(
    path.join(raw, 'sub01', 'EP19_05f'),
    (n) => `img${String(n).padStart(4, '0')}.jpg`,
    range(90, 94),
  )
  writeFrames(path.join(raw, 'sub02', 'EP01_11f'), img, [21, 22, 23, 25])
  fs.writeFileSync(path.join(raw, 'sub02', 'EP01_11f', 'img24.jpg'), '')
  writeFrames(path.join(raw, 'sub02', 'EP01_12'), img, range(5, 7))
  writeFrames(path.join(raw, 'sub02', 'EP02_03'), img, [8, 9])
  writeFrames(path.join(raw, 'sub02', 'EP07_01'), img, range(10, 12))
  fs.writeFileSync(path.join(raw, 'sub01', '.DS_Store'), 'finder')
  fs.writeFileSync(path.join(raw, 'sub01', 'EP02_01f', 'Thumbs.db'), 'cache')
  fs.writeFileSync(path.join(raw, 'sub01', 'EP19_05f', '._img0090.jpg'), 'appledouble')
  const sheet = path.join(root, 'CASME2-coding-20140508.xlsx')
  await writeXlsx(sheet, [
    HEADER,
    [1, 'EP02_01f', null, 46, 48, 50, null, 12, 'happiness'],
    [1, 'EP03_02', null, 130, '/', 134, null, '4+7', 'disgust'],
    [1, 'EP19_05f', null, 90, 92, 96, null, 'L10+R12', 'others'],
    [2, 'EP01_11f', null, 21, 23, 25, null, 'R12', 'happiness'],
    [3, 'EP01_01', null, 1, 2, 3, null, '1+2+4', 'surprise'],
    [1, 'EP02_01f', null, 46, 48, 50, null, 12, 'happiness'],
    [2, 'EP01_12', null, 5, 6, 7, null, '12.0', 'others'],
    [2, 'EP02_03', null, 8, 9, 9, null, '4+X9', 'others'],
  ])
  return { sheet, raw }
}

let lib: TestLibrary
beforeEach(() => {
  lib = testLibrary()
})
afterEach(() => lib.cleanup())

function flagSummary(flags: ImportFlag[], root: string): string[] {
  return flags
    .map((f) =>
      [f.code, path.relative(root, f.file), f.row ?? '', f.column ?? '', f.clip ?? ''].join(' | '),
    )
    .sort()
}

describe('importCasme2', () => {
  it('imports a CASME II layout with exact counts and reports every quirk', async () => {
    const { sheet } = await casme2Release(lib.dir)
    const report = await importCasme2(lib.db, { sheet, framesRoot: lib.dir, dataset: 'CASME II' })
    expect(report).toMatchObject({
      dataset: 'CASME II',
      format: 'casme2',
      source: sheet,
      fps: 200,
      clips: 5,
      subjects: 2,
      frames: 19,
      markers: 5,
      labels: 7,
      coders: ['CASME II sheet'],
    })
    expect(flagSummary(report.flags, lib.dir)).toEqual(
      [
        'clip_not_in_sheet | CASME2_RAW_selected/sub02/EP07_01 |  |  | ',
        'duplicate_row | CASME2-coding-20140508.xlsx | 7 |  | sub01/EP02_01f',
        'marker_outside_frames | CASME2-coding-20140508.xlsx | 4 |  | sub01/EP19_05f',
        'missing_apex | CASME2-coding-20140508.xlsx | 3 | ApexFrame | sub01/EP03_02',
        'missing_clip_folder | CASME2-coding-20140508.xlsx | 6 |  | sub03/EP01_01',
        'missing_frames | CASME2-coding-20140508.xlsx | 3 |  | sub01/EP03_02',
        'stray_file | CASME2_RAW_selected/sub01/.DS_Store |  |  | ',
        'stray_file | CASME2_RAW_selected/sub01/EP02_01f/Thumbs.db |  |  | ',
        'stray_file | CASME2_RAW_selected/sub01/EP19_05f/._img0090.jpg |  |  | ',
        'unknown_au_token | CASME2-coding-20140508.xlsx | 9 | Action Units | sub02/EP02_03',
        'unreadable_image | CASME2_RAW_selected/sub02/EP01_11f/img24.jpg |  |  | ',
        'unreadable_image | CASME2-coding-20140508.xlsx | 5 |  | sub02/EP01_11f',
      ].sort(),
    )
    expect(report.flags.find((f) => f.code === 'marker_outside_frames')?.message).toMatch(
      /offset 96/,
    )
  })

  it('writes clips, frames, markers and labels as the sheet says', async () => {
    const { sheet, raw } = await casme2Release(lib.dir)
    await importCasme2(lib.db, { sheet, framesRoot: lib.dir, dataset: 'CASME II' })
    const clips = lib.db
      .prepare(
        `SELECT s.code, c.name, c.source_path, c.first_frame, c.frame_count, c.width, c.height, c.fps, c.emotion
           FROM clips c JOIN subjects s ON s.id = c.subject_id ORDER BY s.code, c.name`,
      )
      .all()
    expect(clips).toEqual(
      [
        ['sub01', 'EP02_01f', 46, 5, 'happiness'],
        ['sub01', 'EP03_02', 130, 4, 'disgust'],
        ['sub01', 'EP19_05f', 90, 5, 'others'],
        ['sub02', 'EP01_12', 5, 3, 'others'],
        ['sub02', 'EP02_03', 8, 2, 'others'],
      ].map(([code, name, first, count, emotion]) => ({
        code,
        name,
        source_path: path.join(raw, code as string, name as string),
        first_frame: first,
        frame_count: count,
        width: 64,
        height: 48,
        fps: 200,
        emotion,
      })),
    )
    const frames = lib.db
      .prepare(
        `SELECT f.number, f.file FROM frames f JOIN clips c ON c.id = f.clip_id WHERE c.name = 'EP19_05f' ORDER BY f.number`,
      )
      .all()
    expect(frames).toEqual(range(90, 94).map((n) => ({ number: n, file: `img00${n}.jpg` })))
    const markers = lib.db
      .prepare(
        `SELECT c.name, m.onset, m.apex, m.offset, m.apex_estimated FROM markers m JOIN clips c ON c.id = m.clip_id ORDER BY c.name`,
      )
      .all()
    expect(markers).toContainEqual({
      name: 'EP03_02',
      onset: 130,
      apex: null,
      offset: 134,
      apex_estimated: 0,
    })
    expect(markers).toContainEqual({
      name: 'EP19_05f',
      onset: 90,
      apex: 92,
      offset: 96,
      apex_estimated: 0,
    })
    const labels = lib.db
      .prepare(
        `SELECT c.name, l.au, l.side, l.intensity FROM au_labels l JOIN clips c ON c.id = l.clip_id ORDER BY c.name, l.au, l.side`,
      )
      .all()
    expect(labels).toEqual([
      { name: 'EP01_12', au: 12, side: null, intensity: null },
      { name: 'EP02_01f', au: 12, side: null, intensity: null },
      { name: 'EP02_03', au: 4, side: null, intensity: null },
      { name: 'EP03_02', au: 4, side: null, intensity: null },
      { name: 'EP03_02', au: 7, side: null, intensity: null },
      { name: 'EP19_05f', au: 10, side: 'L', intensity: null },
      { name: 'EP19_05f', au: 12, side: 'R', intensity: null },
    ])
    expect(lib.db.prepare('SELECT name, kind FROM coders').all()).toEqual([
      { name: 'CASME II sheet', kind: 'import' },
    ])
  })

  it("audits every write as 'import', restores the audit context and stores the report", async () => {
    const { sheet } = await casme2Release(lib.dir)
    const report = await importCasme2(lib.db, { sheet, framesRoot: lib.dir, dataset: 'CASME II' })
    const audit = lib.db
      .prepare('SELECT entity, source, count(*) AS n FROM audit GROUP BY entity, source')
      .all()
    expect(audit).toEqual([
      { entity: 'au_label', source: 'import', n: 7 },
      { entity: 'marker', source: 'import', n: 5 },
    ])
    expect(lib.db.prepare('SELECT source FROM audit_context').get()).toEqual({ source: 'manual' })
    const stored = lib.db.prepare('SELECT id, format, source, report FROM imports').get() as {
      id: number
      format: string
      source: string
      report: string
    }
    const { importId, ...rest } = report
    expect(stored.id).toBe(importId)
    expect([stored.format, stored.source]).toEqual(['casme2', sheet])
    expect(JSON.parse(stored.report)).toEqual(JSON.parse(JSON.stringify(rest)))
  })

  it('takes raw frames when cropped ones exist too (flagged), or the cropped ones on request', async () => {
    const { sheet } = await casme2Release(lib.dir)
    const cropped = path.join(lib.dir, 'Cropped', 'sub01', 'EP02_01f')
    for (const n of range(46, 50)) writeFrame(path.join(cropped, `reg_img${n}.jpg`), n, 32, 32)
    const rawReport = await importCasme2(lib.db, { sheet, framesRoot: lib.dir, dataset: 'raw' })
    expect(rawReport.flags.filter((f) => f.code === 'frames_variant')).toHaveLength(1)
    const croppedReport = await importCasme2(lib.db, {
      sheet,
      framesRoot: lib.dir,
      dataset: 'cropped',
      variant: 'cropped',
    })
    expect(croppedReport.clips).toBe(1)
    expect(croppedReport.flags.some((f) => f.code === 'frames_variant')).toBe(false)
    const clip = lib.db
      .prepare(
        `SELECT c.width, c.source_path FROM clips c JOIN datasets d ON d.id = c.dataset_id WHERE d.name = 'cropped'`,
      )
      .get()
    expect(clip).toEqual({ width: 32, source_path: cropped })
    const files = lib.db
      .prepare(
        `SELECT f.file FROM frames f JOIN clips c ON c.id = f.clip_id WHERE c.source_path = ?`,
      )
      .all(cropped)
    expect(files.map((f) => (f as { file: string }).file)).toEqual(
      range(46, 50).map((n) => `reg_img${n}.jpg`),
    )
  })

  it('accepts the folder of subject folders itself and a frame rate of choice', async () => {
    const { sheet, raw } = await casme2Release(lib.dir)
    const report = await importCasme2(lib.db, {
      sheet,
      framesRoot: raw,
      dataset: 'x',
      fps: 100,
      coder: 'Coder A',
    })
    expect(report).toMatchObject({ clips: 5, fps: 100, coders: ['Coder A'] })
    expect(lib.db.prepare('SELECT DISTINCT fps FROM clips').all()).toEqual([{ fps: 100 }])
  })
})
