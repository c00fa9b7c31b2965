import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { batchHeader, batchRecords } from '../../../src/shared/batch-table'
import { uniqueDatasetName } from '../../../src/engine/batch/batch-import'
import { batchOutDir, defaultBatchParent } from '../../../src/engine/batch/batch-input'
import { resumedBatch } from '../../../src/engine/batch/batch-job'
import { writeImport } from '../../../src/engine/datasets/import/write-import'
import { findBatchVideos } from '../../../src/engine/batch/batch-videos'
import { openLibrary } from '../../../src/engine/db/open-library'
import { AppError } from '../../../src/shared/errors'
import type { BatchTable } from '../../../src/shared/ml'
import { tempDir } from '../../helpers/temp'

const { dir, cleanup } = tempDir()
afterAll(() => cleanup())

function touch(...parts: string[]): string {
  const file = path.join(dir, ...parts)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, '')
  return file
}

function thrown(work: () => unknown): AppError {
  try {
    work()
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected an AppError')
}

describe('findBatchVideos', () => {
  it('takes each subfolder as a participant and a loose video as its own, in natural order', () => {
    touch('lab', 'p10', 'take2.MP4')
    touch('lab', 'p10', 'take10.mkv')
    touch('lab', 'p2', 'take1.avi')
    touch('lab', 'p2', 'notes.txt')
    touch('lab', 'p2', '.hidden.mp4')
    touch('lab', 'p2', '.hidden', 'ignored.mp4')
    touch('lab', '.cache', 'ignored.mp4')
    touch('lab', 'solo.mov')
    touch('lab', 'readme.md')
    const found = findBatchVideos(path.join(dir, 'lab'))
    expect(found.map((v) => [v.subject, v.clip, v.subjectFromFile])).toEqual([
      ['p2', 'take1', false],
      ['p10', 'take2', false],
      ['p10', 'take10', false],
      ['solo', 'solo', true],
    ])
    expect(found[1].file).toBe(path.join(dir, 'lab', 'p10', 'take2.MP4'))
    expect(found.map((v) => v.name)).toEqual(['take1.avi', 'take2.MP4', 'take10.mkv', 'solo.mov'])
  })

  it("finds videos in a participant's session folders, named by their path inside it", () => {
    const day1 = touch('sessions', 'P01', 'day1', 'task.mp4')
    const day2 = touch('sessions', 'P01', 'day2', 'task.mp4')
    touch('sessions', 'P01', 'day2', 'camera b', 'task.mp4')
    touch('sessions', 'P01', 'baseline.mkv')
    // A link back to the participant's folder is not walked again.
    fs.symlinkSync(
      path.join(dir, 'sessions', 'P01'),
      path.join(dir, 'sessions', 'P01', 'day2', 'up'),
    )
    const found = findBatchVideos(path.join(dir, 'sessions'))
    expect(found.map((v) => [v.subject, v.name, v.clip])).toEqual([
      ['P01', 'baseline.mkv', 'baseline'],
      ['P01', 'day1/task.mp4', 'day1/task'],
      ['P01', 'day2/camera b/task.mp4', 'day2/camera b/task'],
      ['P01', 'day2/task.mp4', 'day2/task'],
    ])
    expect(found[1].file).toBe(day1)
    expect(found[3].file).toBe(day2)
  })

  it('follows symbolic links to videos and participant folders', () => {
    const shared = touch('share', 'p03-take1.mp4')
    touch('share', 'p04', 'take1.mkv')
    fs.mkdirSync(path.join(dir, 'linked', 'p03'), { recursive: true })
    fs.symlinkSync(shared, path.join(dir, 'linked', 'p03', 'take1.mp4'))
    fs.symlinkSync(path.join(dir, 'share', 'p04'), path.join(dir, 'linked', 'p04'))
    fs.symlinkSync(path.join(dir, 'share', 'gone.mp4'), path.join(dir, 'linked', 'broken.mp4'))
    const found = findBatchVideos(path.join(dir, 'linked'))
    expect(found.map((v) => [v.subject, v.clip])).toEqual([
      ['p03', 'take1'],
      ['p04', 'take1'],
    ])
  })

  it('names the folder that is missing, not a folder or without videos, and clips that clash', () => {
    const missing = path.join(dir, 'nowhere')
    expect(thrown(() => findBatchVideos(missing))).toMatchObject({
      code: 'not_found',
      message: `The folder ${missing} does not exist.`,
    })
    const file = touch('plain.mp4')
    expect(thrown(() => findBatchVideos(file)).message).toBe(`${file} is not a folder.`)
    touch('empty', 'p01', 'notes.txt')
    expect(thrown(() => findBatchVideos(path.join(dir, 'empty'))).message).toMatch(
      /^There is no video \(\.mkv, \.mp4, \.avi, \.mov\) in .*empty or its subfolders\.$/,
    )
    const a = touch('clash', 'p01', 'a.mp4')
    const b = touch('clash', 'p01', 'a.mkv')
    expect(thrown(() => findBatchVideos(path.join(dir, 'clash'))).message).toBe(
      `${a} and ${b} would both be clip p01/a.`,
    )
  })
})

describe('batch table files', () => {
  const table: BatchTable = {
    datasetId: 1,
    modelId: 2,
    aus: ['4', '12'],
    rows: [
      {
        clipId: 7,
        subject: 'p01',
        clip: 'take1.mp4@201-260',
        file: '/lab/p01/take1.mp4',
        video: 'take1.mp4',
        kind: 'micro',
        fps: 200,
        onset: 201,
        apex: 231,
        offset: 260,
        apexSource: 'spotted',
        score: 6.54321,
        probabilities: [0.123456, Number.NaN],
      },
    ],
    participants: [],
    thresholds: { values: [0.1, 0.5], source: 'model' },
  }

  it('writes the event columns, then AU<n> and the decisions naming their thresholds; values rounded for the CSV', () => {
    expect(batchHeader(table)).toEqual([
      ...['Subject', 'Video', 'Kind', 'Onset Frame', 'Apex Frame', 'Offset Frame'],
      ...['Onset (s)', 'Apex (s)', 'Offset (s)', 'Duration (ms)', 'Score', 'Apex Source'],
      ...['Clip', 'File', 'AU4', 'AU12'],
      "AU4 present (p ≥ 0.1; model's threshold)",
      "AU12 present (p ≥ 0.5; model's threshold)",
    ])
    // 200 fps: frame 201 is shown at 1 s, 231 at 1.15 s, 260 at 1.295 s; 60 frames are 300 ms.
    expect(batchRecords(table, 4)).toEqual([
      [
        ...['p01', 'take1.mp4', 'micro', 201, 231, 260],
        ...['1.000', '1.150', '1.295', '300.000', '6.543', 'spotted'],
        ...['take1.mp4@201-260', '/lab/p01/take1.mp4', '0.1235', null, 1, null],
      ],
    ])
    const full = batchRecords(table)[0]
    expect([full[6], full[9], full[10], full[14]]).toEqual([1, 300, 6.54321, 0.123456])
  })

  it('writes each batch into a folder of its own, beside the library unless one is chosen', () => {
    const at = new Date('2025-03-04T05:06:07.089Z')
    expect(batchOutDir(defaultBatchParent('/libs/lab.sqlite'), 'Lab: day 1/2', at)).toBe(
      path.join('/libs/lab.sqlite.batch', '2025-03-04T05-06-07-089Z-Lab_ day 1_2'),
    )
    expect(batchOutDir('/results', 'Lab', at)).toBe(
      path.join('/results', '2025-03-04T05-06-07-089Z-Lab'),
    )
  })

  it('picks a free dataset name', () => {
    const db = openLibrary(path.join(dir, 'names.sqlite'))
    try {
      expect(uniqueDatasetName(db, 'Lab')).toBe('Lab')
      db.prepare("INSERT INTO datasets (name) VALUES ('Lab'), ('Lab (2)')").run()
      expect(uniqueDatasetName(db, 'Lab')).toBe('Lab (3)')
    } finally {
      db.close()
    }
  })
})

describe('resuming a batch', () => {
  it('finds what the job imported even when its saved state never reached the host', () => {
    const db = openLibrary(path.join(dir, 'resume.sqlite'))
    try {
      const plan = { format: 'videos' as const, source: '/lab', fps: null, clips: [], flags: [] }
      const ours = writeImport(db, { ...plan, dataset: 'Lab', jobId: 7 })
      writeImport(db, { ...plan, dataset: 'Other', jobId: 8 })
      expect(resumedBatch(db, 7, undefined)).toEqual({ datasetId: ours.datasetId, dataset: 'Lab' })
      expect(resumedBatch(db, 9, undefined)).toBeUndefined()
      const saved = { datasetId: ours.datasetId, dataset: 'Lab', outDir: '/out/x' }
      expect(resumedBatch(db, 7, saved)).toBe(saved)
      // Its dataset deleted meanwhile: the job starts over.
      db.prepare('DELETE FROM datasets WHERE id = ?').run(ours.datasetId)
      expect(resumedBatch(db, 7, saved)).toBeUndefined()
      expect(resumedBatch(db, 7, undefined)).toBeUndefined()
    } finally {
      db.close()
    }
  })
})
