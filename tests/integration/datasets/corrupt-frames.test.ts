import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { importCasme2 } from '../../../src/engine/datasets/import/casme2'
import { importCasme3 } from '../../../src/engine/datasets/import/casme3'
import { importFolderClip } from '../../../src/engine/datasets/import/folder-clip'
import { importMmew } from '../../../src/engine/datasets/import/mmew'
import { importSamm } from '../../../src/engine/datasets/import/samm'
import { importVideos } from '../../../src/engine/datasets/import/videos'
import { locateFfmpeg } from '../../../src/engine/media/ffmpeg-locate'
import type { ImportFlag } from '../../../src/engine/datasets/flags'
import { appError, range, testLibrary, writeFrames, writeXlsx, type TestLibrary } from './fixtures'

/*
 * Must-show of issue #12: in every importer's frame layout, a frame cut to its first 40 bytes
 * (a real JPEG's SOI and part of its headers) is flagged with its file, and its clip is not
 * imported; the other clips are.
 */

let lib: TestLibrary
beforeEach(() => {
  lib = testLibrary()
})
afterEach(() => lib.cleanup())

/** Cuts a frame file to its first 40 bytes, as an interrupted copy leaves it. */
function truncate(file: string): string {
  fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 40))
  return file
}

function clipNames(): string[] {
  return lib.db.prepare('SELECT name FROM clips ORDER BY name').pluck().all() as string[]
}

/** The flags about unreadable images: the per-file one and the skipped clip's. */
function unreadable(flags: ImportFlag[]) {
  return flags.filter((f) => f.code === 'unreadable_image')
}

function expectFlagged(flags: ImportFlag[], file: string, clip: string): void {
  const found = unreadable(flags)
  expect(found).toContainEqual(
    expect.objectContaining({ file, message: expect.stringMatching(/truncated/) }),
  )
  expect(found).toContainEqual(
    expect.objectContaining({
      clip,
      message: expect.stringContaining(`${path.basename(file)}); the clip is skipped`),
    }),
  )
}

describe('a truncated JPEG frame at import', () => {
  it('CASME II: flagged with its file, its clip skipped', async () => {
    const raw = path.join(lib.dir, 'CASME2_RAW_selected')
    writeFrames(path.join(raw, 'sub01', 'EP01_01'), (n) => `img${n}.jpg`, range(1, 5))
    writeFrames(path.join(raw, 'sub01', 'EP02_01'), (n) => `img${n}.jpg`, range(1, 5))
    const bad = truncate(path.join(raw, 'sub01', 'EP02_01', 'img3.jpg'))
    const sheet = path.join(lib.dir, 'CASME2-coding.xlsx')
    await writeXlsx(sheet, [
      [
        'Subject',
        'Filename',
        'OnsetFrame',
        'ApexFrame',
        'OffsetFrame',
        'Action Units',
        'Estimated Emotion',
      ],
      [1, 'EP01_01', 1, 3, 5, '12', 'happiness'],
      [1, 'EP02_01', 1, 3, 5, '4', 'disgust'],
    ])
    const report = await importCasme2(lib.db, { sheet, framesRoot: lib.dir, dataset: 'C' })
    expectFlagged(report.flags, bad, 'sub01/EP02_01')
    expect(clipNames()).toEqual(['EP01_01'])
  })

  it('SAMM: flagged with its file, its clip skipped', async () => {
    const samm = path.join(lib.dir, 'SAMM')
    writeFrames(path.join(samm, '006', '006_1_2'), (n) => `006_${n}.jpg`, range(100, 104))
    writeFrames(path.join(samm, '006', '006_1_3'), (n) => `006_${n}.jpg`, range(200, 204))
    const bad = truncate(path.join(samm, '006', '006_1_3', '006_204.jpg'))
    const sheet = path.join(lib.dir, 'SAMM_Micro_FACS_Codes_v2.xlsx')
    await writeXlsx(sheet, [
      [
        'Subject',
        'Filename',
        'Onset Frame',
        'Apex Frame',
        'Offset Frame',
        'Action Units',
        'Estimated Emotion',
      ],
      [6, '006_1_2', 100, 102, 104, 'R12', 'Happiness'],
      [6, '006_1_3', 200, 202, 204, '4', 'Anger'],
    ])
    const report = await importSamm(lib.db, { sheet, framesRoot: lib.dir, dataset: 'S' })
    expectFlagged(report.flags, bad, '006/006_1_3')
    expect(clipNames()).toEqual(['006_1_2'])
  })

  it('CAS(ME)³: flagged with its file, only the clip whose frames hold it skipped', async () => {
    const root = path.join(lib.dir, 'part_A')
    writeFrames(path.join(root, 'spNO.1', 'a', 'color'), (n) => `${n}.jpg`, range(100, 140))
    const bad = truncate(path.join(root, 'spNO.1', 'a', 'color', '135.jpg'))
    const sheet = path.join(lib.dir, 'cas(me)3_part_A_ME_label_JpgIndex_v2.xlsx')
    await writeXlsx(sheet, [
      ['Subject', 'Filename', 'Onset', 'Apex', 'Offset', 'AU', 'Objective class', 'emotion'],
      ['spNO.1', 'a', 100, 105, 110, '12', 1, 'happy'],
      ['spNO.1', 'a', 130, 135, 140, '4', 1, 'anger'],
    ])
    const report = await importCasme3(lib.db, { sheet, framesRoot: root, dataset: 'C3' })
    expectFlagged(report.flags, bad, 'spNO.1/a_130')
    expect(clipNames()).toEqual(['a_100'])
  })

  it('MMEW: flagged with its file, its clip skipped', async () => {
    const root = path.join(lib.dir, 'MMEW_Final')
    const happy = path.join(root, 'Micro_Expression', 'happiness', 'S01-01-001')
    const disgust = path.join(root, 'Micro_Expression', 'disgust', 'S02-06-003')
    writeFrames(happy, (n) => `${n}.jpg`, range(1, 6))
    writeFrames(disgust, (n) => `${n}.jpg`, range(1, 6))
    const bad = truncate(path.join(happy, '1.jpg'))
    const sheet = path.join(root, 'MMEW_Micro_Exp.xlsx')
    await writeXlsx(sheet, [
      [
        'Subject',
        'Filename',
        'OnsetFrame',
        'ApexFrame',
        'OffsetFrame',
        'Action Units',
        'Estimated Emotion',
      ],
      ['S01', 'S01-01-001', 1, 3, 6, 'AU12', 'happiness'],
      ['S02', 'S02-06-003', 1, 3, 6, 'AU4', 'disgust'],
    ])
    const report = await importMmew(lib.db, { sheet, framesRoot: root, dataset: 'M' })
    expectFlagged(report.flags, bad, 'S01/S01-01-001')
    expect(clipNames()).toEqual(['S02-06-003'])
  })

  it('a frame folder: refused as a whole, naming the file, writing nothing', async () => {
    const folder = path.join(lib.dir, 'take7')
    writeFrames(folder, (n) => `frame_${n}.jpg`, range(1, 6))
    truncate(path.join(folder, 'frame_4.jpg'))
    const before = lib.hash()
    const error = await appError(() => importFolderClip(lib.db, { folder, dataset: 'F' }))
    expect(error.message).toContain('frame_4.jpg')
    expect(error.message).toContain('cannot be decoded')
    expect(lib.hash()).toBe(before)
  })

  it('a video cut short: refused, naming the file, writing nothing', async () => {
    const { ffmpeg } = await locateFfmpeg()
    const whole = path.join(lib.dir, 'take.mp4')
    const made = spawnSync(ffmpeg, [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=200'],
      ...['-frames:v', '200', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', whole],
    ])
    expect(made.status, String(made.stderr)).toBe(0)
    // The header (moov, first with faststart) still lists 200 frames; half the data is gone.
    const cut = path.join(lib.dir, 'cut.mp4')
    const bytes = fs.readFileSync(whole)
    fs.writeFileSync(cut, bytes.subarray(0, bytes.length >> 1))
    const before = lib.hash()
    const error = await appError(() => importVideos(lib.db, { files: [whole, cut], dataset: 'V' }))
    expect(error.message).toContain(cut)
    expect(error.message).toMatch(/truncated or damaged: its header lists 200 frames but only \d+/)
    expect(lib.hash()).toBe(before)
    const report = await importVideos(lib.db, { files: [whole], dataset: 'V' })
    expect(report).toMatchObject({ clips: 1, frames: 200 })
  })
})
