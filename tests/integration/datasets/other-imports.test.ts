import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { importCasme3 } from '../../../src/engine/datasets/import/casme3'
import { importFolderClip } from '../../../src/engine/datasets/import/folder-clip'
import { importDataset } from '../../../src/engine/datasets/import/import-dataset'
import { importMmew } from '../../../src/engine/datasets/import/mmew'
import { importVideos } from '../../../src/engine/datasets/import/videos'
import { generateSyntheticDataset } from '../../../src/engine/datasets/synthetic/generate'
import { appError, range, testLibrary, writeFrames, writeXlsx, type TestLibrary } from './fixtures'

let lib: TestLibrary
beforeEach(() => {
  lib = testLibrary()
})
afterEach(() => lib.cleanup())

describe('importCasme3', () => {
  it('cuts one clip per row out of the long recording, T and B prefixes kept, at 30 fps', async () => {
    const root = path.join(lib.dir, 'part_A')
    writeFrames(path.join(root, 'spNO.1', 'a', 'color'), (n) => `${n}.jpg`, range(100, 160))
    writeFrames(path.join(root, 'spNO.2', 'b', 'color'), (n) => `${n}.jpg`, range(0, 10))
    const sheet = path.join(lib.dir, 'cas(me)3_part_A_ME_label_JpgIndex_v2.xlsx')
    await writeXlsx(sheet, [
      ['Subject', 'Filename', 'Onset', 'Apex', 'Offset', 'AU', 'Objective class', 'emotion'],
      ['spNO.1', 'a', 110, 115, 130, 'T18+B28', 1, 'disgust'],
      ['spNO.1', 'a', 140, 140, 150, 'L4+R4', 1, 'anger'],
      ['spNO.1', 'a', 140, 141, 155, '12', 2, 'happy'],
    ])
    const report = await importCasme3(lib.db, { sheet, framesRoot: root, dataset: 'CAS(ME)3' })
    expect(report).toMatchObject({
      format: 'casme3',
      fps: 30,
      clips: 2,
      subjects: 1,
      frames: 32,
      labels: 4,
    })
    expect(
      report.flags.map((f) => [
        f.code,
        f.row ?? null,
        f.file === sheet ? 'sheet' : path.relative(root, f.file),
      ]),
    ).toEqual([
      ['duplicate_row', 4, 'sheet'],
      ['clip_not_in_sheet', null, 'spNO.2/b/color'],
    ])
    const clips = lib.db
      .prepare('SELECT name, first_frame, frame_count, fps FROM clips ORDER BY name')
      .all()
    expect(clips).toEqual([
      { name: 'a_110', first_frame: 110, frame_count: 21, fps: 30 },
      { name: 'a_140', first_frame: 140, frame_count: 11, fps: 30 },
    ])
    const labels = lib.db.prepare('SELECT au, side FROM au_labels ORDER BY au, side').all()
    expect(labels).toEqual([
      { au: 4, side: 'L' },
      { au: 4, side: 'R' },
      { au: 18, side: 'T' },
      { au: 28, side: 'B' },
    ])
  })
})

describe('importMmew', () => {
  it('finds clip folders by name under the emotion folders, at 90 fps, with remarks flagged', async () => {
    const root = path.join(lib.dir, 'MMEW_Final')
    writeFrames(
      path.join(root, 'Micro_Expression', 'happiness', 'S01-01-001'),
      (n) => `${n}.jpg`,
      range(1, 20),
    )
    writeFrames(
      path.join(root, 'Micro_Expression', 'disgust', 'S02-06-003'),
      (n) => `${n}.jpg`,
      range(1, 12),
    )
    writeFrames(
      path.join(root, 'Micro_Expression', 'anger', 'S02-07-001'),
      (n) => `${n}.jpg`,
      range(1, 5),
    )
    writeFrames(
      path.join(root, 'Micro_Expression', 'fear', 'S02-07-001'),
      (n) => `${n}.jpg`,
      range(1, 5),
    )
    const sheet = path.join(root, 'MMEW_Micro_Exp.xlsx')
    const header = [
      'Subject',
      'Filename',
      null,
      'OnsetFrame',
      'ApexFrame',
      'OffsetFrame',
      null,
      'Action Units',
      'Estimated Emotion',
      'remarks',
    ]
    await writeXlsx(sheet, [
      header,
      ['S01', 'S01-01-001', null, 2, 8, 18, null, 'AU6+AU12', 'happiness', null],
      ['S02', 'S02-06-003', null, 1, 5, 11, null, '4+9', 'disgust', 'glasses'],
      ['S02', 'S02-07-001', null, 1, 2, 4, null, '4', 'anger', null],
    ])
    const report = await importMmew(lib.db, { sheet, framesRoot: root, dataset: 'MMEW' })
    expect(report).toMatchObject({ format: 'mmew', fps: 90, clips: 2, subjects: 2, labels: 4 })
    expect(report.flags.map((f) => [f.code, f.row ?? null])).toEqual([
      ['sheet_note', 3],
      ['ambiguous_clip_folder', 4],
      ['clip_not_in_sheet', null],
      ['clip_not_in_sheet', null],
    ])
    expect(lib.db.prepare('SELECT name, fps, frame_count FROM clips ORDER BY name').all()).toEqual([
      { name: 'S01-01-001', fps: 90, frame_count: 20 },
      { name: 'S02-06-003', fps: 90, frame_count: 12 },
    ])
  })
})

describe('importFolderClip', () => {
  it('imports one folder of frames as one uncoded clip, flagging what it had to assume', async () => {
    const folder = path.join(lib.dir, 'take7')
    writeFrames(folder, (n) => `frame_${String(n).padStart(6, '0')}.jpg`, range(1, 3))
    writeFrames(folder, (n) => `${n}.jpg`, range(4, 6))
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'x')
    const report = await importFolderClip(lib.db, { folder, dataset: 'mine' })
    expect(report).toMatchObject({
      format: 'folder',
      clips: 1,
      subjects: 1,
      frames: 6,
      markers: 0,
      fps: 200,
    })
    expect(report.flags.map((f) => f.code)).toEqual([
      'subject_assumed',
      'fps_assumed',
      'stray_file',
    ])
    const withSubject = await importFolderClip(lib.db, {
      folder,
      dataset: 'mine2',
      subject: 'P1',
      clip: 'smile',
      fps: 100,
    })
    expect(withSubject.flags.map((f) => f.code)).toEqual(['stray_file'])
    expect(
      lib.db
        .prepare(
          "SELECT c.name, s.code, c.fps FROM clips c JOIN subjects s ON s.id = c.subject_id WHERE c.name = 'smile'",
        )
        .get(),
    ).toEqual({
      name: 'smile',
      code: 'P1',
      fps: 100,
    })
  })

  it('refuses a folder without frames', async () => {
    const folder = path.join(lib.dir, 'empty')
    fs.mkdirSync(folder)
    fs.writeFileSync(path.join(folder, 'Thumbs.db'), '')
    const before = lib.hash()
    const error = await appError(() => importFolderClip(lib.db, { folder, dataset: 'x' }))
    expect(error.message).toMatch(/empty cannot be imported: .* has no frame files/)
    expect(lib.hash()).toBe(before)
  })
})

describe('importVideos and video sheets', () => {
  it('probes videos into uncoded clips, and reads a CSV sheet whose clips are videos', async () => {
    const synthetic = await generateSyntheticDataset({
      outDir: path.join(lib.dir, 'syn'),
      subjects: 1,
      clipsPerSubject: 2,
      seed: 3,
      format: 'video',
      size: 32,
    })
    const files = synthetic.clips.map((c) => c.video!)
    const report = await importVideos(lib.db, { files, dataset: 'videos', subject: 'P1' })
    const frames = synthetic.clips.reduce((n, c) => n + c.frameCount, 0)
    expect(report).toMatchObject({
      format: 'videos',
      clips: 2,
      subjects: 1,
      frames,
      fps: null,
      flags: [],
    })
    const clips = lib.db
      .prepare('SELECT name, source_kind, fps, width, first_frame, frame_count FROM clips')
      .all()
    expect(clips).toEqual(
      synthetic.clips.map((c) => ({
        name: c.name,
        source_kind: 'video',
        fps: 200,
        width: 32,
        first_frame: 1,
        frame_count: c.frameCount,
      })),
    )
    const sheet = await importDataset(lib.db, {
      format: 'csv',
      sheet: synthetic.sheetPath,
      frames: synthetic.framesRoot,
      dataset: 'coded',
    })
    expect(sheet).toMatchObject({ clips: 2, markers: 2, frames })
    const markers = lib.db
      .prepare(
        `SELECT m.onset, m.apex, m.offset FROM markers m JOIN clips c ON c.id = m.clip_id ORDER BY c.name`,
      )
      .all()
    expect(markers).toEqual(
      synthetic.clips.map((c) => ({ onset: c.onset, apex: c.apex, offset: c.offset })),
    )
  })

  it('fails on a file that is not a video, naming it, and writes nothing', async () => {
    const file = path.join(lib.dir, 'clip.mp4')
    fs.writeFileSync(file, 'not a video')
    const before = lib.hash()
    const error = await appError(() => importVideos(lib.db, { files: [file], dataset: 'v' }))
    expect(error.message).toContain(file)
    expect(lib.hash()).toBe(before)
  })
})

describe('importDataset', () => {
  it('asks for what the format needs', async () => {
    expect(
      (
        await appError(() =>
          importDataset(lib.db, { format: 'casme2', frames: lib.dir, dataset: 'x' }),
        )
      ).message,
    ).toBe('The casme2 import needs a sheet')
    expect(
      (
        await appError(() =>
          importDataset(lib.db, { format: 'folder', frames: ['a', 'b'], dataset: 'x' }),
        )
      ).message,
    ).toBe('The folder import takes one frames folder')
    expect(
      (
        await appError(() =>
          importDataset(lib.db, { format: 'videos', frames: ['a.mp4'], dataset: 'x', fps: 30 }),
        )
      ).code,
    ).toBe('invalid_input')
  })

  it('runs the format importer', async () => {
    const folder = path.join(lib.dir, 'clip')
    writeFrames(folder, (n) => `img${n}.jpg`, range(1, 4))
    const report = await importDataset(lib.db, {
      format: 'folder',
      frames: folder,
      dataset: 'x',
      fps: 50,
    })
    expect(report).toMatchObject({ format: 'folder', frames: 4, fps: 50 })
  })
})
