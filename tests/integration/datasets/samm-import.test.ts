import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { importSamm } from '../../../src/engine/datasets/import/samm'
import { range, testLibrary, writeFrames, writeXlsx, type TestLibrary } from './fixtures'

const HEADER = [
  'Subject',
  'Filename',
  'Inducement Code',
  'Onset Frame',
  'Apex Frame',
  'Offset Frame',
  'Duration',
  'Micro',
  'Action Units',
  'Estimated Emotion',
  'Objective Classes',
  'Notes',
]

/** SAMM in miniature: 13 rows of preamble, header on row 14, R12 + R15, R14A, 'or', an apex past the offset. */
async function sammRelease(root: string): Promise<string> {
  const samm = path.join(root, 'SAMM')
  writeFrames(
    path.join(samm, '006', '006_1_2'),
    (n) => `006_${String(n).padStart(5, '0')}.jpg`,
    range(5562, 5566),
  )
  writeFrames(
    path.join(samm, '006', '006_1_3'),
    (n) => `006_${String(n).padStart(4, '0')}.jpg`,
    range(100, 104),
  )
  writeFrames(path.join(samm, '011', '011_2_3'), (n) => `011_${n}.jpg`, range(1000, 1004))
  const sheet = path.join(root, 'SAMM_Micro_FACS_Codes_v2.xlsx')
  const preamble: (string | null)[][] = [
    ['SAMM: Spontaneous Micro-Facial Movement Dataset'],
    [],
    ['FACS coded by three certified coders'],
    ...Array.from({ length: 10 }, (): (string | null)[] => []),
  ]
  await writeXlsx(sheet, [
    ...preamble,
    HEADER,
    [6, '006_1_2', 1, 5562, 5564, 5566, 5, 'Micro', 'R12 + R15', 'Contempt', 3, null],
    [
      '011',
      '011_2_3',
      2,
      1000,
      1010,
      1004,
      5,
      'Micro',
      'R14A',
      'Other',
      7,
      'head turns at the end',
    ],
    [6, '006_1_3', 1, 100, 102, 104, 5, 'Micro', 'R12 or R14', 'Happiness', 1, null],
  ])
  return sheet
}

let lib: TestLibrary
beforeEach(() => {
  lib = testLibrary()
})
afterEach(() => lib.cleanup())

describe('importSamm', () => {
  it('imports the SAMM layout with exact counts and reports every quirk', async () => {
    const sheet = await sammRelease(lib.dir)
    const report = await importSamm(lib.db, { sheet, framesRoot: lib.dir, dataset: 'SAMM' })
    expect(report).toMatchObject({
      format: 'samm',
      fps: 200,
      clips: 3,
      subjects: 2,
      frames: 15,
      markers: 3,
      labels: 5,
    })
    expect(report.flags.map((f) => [f.code, f.row, f.column, f.clip])).toEqual([
      ['apex_outside_clip', 16, 'Apex Frame', '011/011_2_3'],
      ['sheet_note', 16, 'Notes', '011/011_2_3'],
      ['au_alternative', 17, 'Action Units', '006/006_1_3'],
      ['marker_outside_frames', 16, undefined, '011/011_2_3'],
    ])
    expect(report.flags[1].message).toBe('head turns at the end')
  })

  it('stores sides and intensities, subjects as their folders', async () => {
    const sheet = await sammRelease(lib.dir)
    await importSamm(lib.db, { sheet, framesRoot: path.join(lib.dir, 'SAMM'), dataset: 'SAMM' })
    const labels = lib.db
      .prepare(
        `SELECT s.code, c.name, l.au, l.side, l.intensity FROM au_labels l JOIN clips c ON c.id = l.clip_id
           JOIN subjects s ON s.id = c.subject_id ORDER BY c.name, l.au`,
      )
      .all()
    expect(labels).toEqual([
      { code: '006', name: '006_1_2', au: 12, side: 'R', intensity: null },
      { code: '006', name: '006_1_2', au: 15, side: 'R', intensity: null },
      { code: '006', name: '006_1_3', au: 12, side: 'R', intensity: null },
      { code: '006', name: '006_1_3', au: 14, side: 'R', intensity: null },
      { code: '011', name: '011_2_3', au: 14, side: 'R', intensity: 'A' },
    ])
    const marker = lib.db
      .prepare(
        `SELECT onset, apex, offset FROM markers m JOIN clips c ON c.id = m.clip_id WHERE c.name = '011_2_3'`,
      )
      .get()
    expect(marker).toEqual({ onset: 1000, apex: 1010, offset: 1004 })
    expect(
      lib.db.prepare('SELECT first_frame, frame_count FROM clips ORDER BY name').all(),
    ).toEqual([
      { first_frame: 5562, frame_count: 5 },
      { first_frame: 100, frame_count: 5 },
      { first_frame: 1000, frame_count: 5 },
    ])
    expect(lib.db.prepare('SELECT name, kind FROM coders').all()).toEqual([
      { name: 'SAMM sheet', kind: 'import' },
    ])
  })
})
