import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { analyseLongVideo } from '../../../src/engine/batch/batch-spot'
import { CropSpill, spillBytesFor } from '../../../src/engine/batch/crop-spill'
import { freeBytes, sweepStaleSpills } from '../../../src/engine/batch/spill-space'
import type { MeasuredVideo } from '../../../src/engine/batch/video-length'
import { applyCrop } from '../../../src/engine/media/face/align'
import { writeLongRecording } from '../../../src/engine/datasets/synthetic/long-recording'
import { openLibrary, type LibraryDb } from '../../../src/engine/db/open-library'
import { locateFfmpeg, type FfmpegTools } from '../../../src/engine/media/ffmpeg-locate'
import { modelIdFor } from '../../../src/engine/ml/infer/predict-dataset'
import { modelGeometry } from '../../../src/engine/ml/model-geometry'
import { loadAuModel } from '../../../src/engine/ml/weights/tfjs-format'
import { AppError } from '../../../src/shared/errors'
import { tempDir } from '../../helpers/temp'
import { saveTinyModel } from './tiny-model'

const { dir, cleanup } = tempDir('microau-spill-space-')
afterAll(() => cleanup())

/** The id of a process that ran and has ended (so no live process owns it for now). */
function deadPid(): number {
  const run = spawnSync(process.execPath, ['-e', ''])
  return run.pid!
}

describe('sweepStaleSpills', () => {
  it("removes the spills of processes that are gone and keeps live ones' and others", () => {
    const folder = path.join(dir, 'library-folder')
    fs.mkdirSync(folder)
    const dead = deadPid()
    const stale = path.join(folder, `microau-spill-${dead}-Xy12ab`)
    fs.mkdirSync(stale)
    fs.writeFileSync(path.join(stale, 'crops.bin'), Buffer.alloc(3000))
    const live = new CropSpill(4, folder)
    const unowned = path.join(folder, 'microau-spill-Qw34cd')
    fs.mkdirSync(unowned)
    fs.writeFileSync(path.join(folder, 'library.sqlite'), '')
    try {
      const before = fs.readdirSync(folder)
      // This process's own spill carries its id.
      expect(before.filter((n) => n.startsWith(`microau-spill-${process.pid}-`))).toHaveLength(1)
      const swept = sweepStaleSpills(folder)
      expect(swept).toEqual([stale])
      expect(fs.readdirSync(folder).sort()).toEqual(
        before.filter((n) => n !== path.basename(stale)).sort(),
      )
      // The live spill still works.
      const frame = { width: 2, height: 2, data: new Uint8Array(12).fill(90) }
      live.append(frame, null)
      const whole = { x: 0, y: 0, width: 2, height: 2, angle: 0 }
      expect(live.crop(1)).toEqual(applyCrop(frame, whole, { width: 4, height: 4 }))
    } finally {
      live.dispose()
    }
    expect(sweepStaleSpills(folder)).toEqual([])
  })

  it('measures the free bytes of a real folder', () => {
    expect(freeBytes(dir)).toBeGreaterThan(0)
  })
})

describe('a long video whose spill would not fit on the disk', () => {
  const video = path.join(dir, 'lab', 'p01', 'interview.mp4')
  const modelDir = path.join(dir, 'model')
  const log = path.join(dir, 'ffmpeg-runs.log')
  let db: LibraryDb
  let tools: FfmpegTools
  let frames = 0

  beforeAll(async () => {
    const { truth } = await writeLongRecording({
      ...{ seed: 7, seconds: 6, fps: 50, width: 320, height: 240 },
      ...{ micro: 1, macro: 0, blinks: 0 },
      out: video,
    })
    frames = truth.frames
    await saveTinyModel(modelDir, ['1', '4'])
    const real = await locateFfmpeg()
    const script = path.join(dir, 'ffmpeg-logging.sh')
    fs.writeFileSync(script, `#!/bin/sh\necho "$*" >> '${log}'\nexec '${real.ffmpeg}' "$@"\n`)
    fs.chmodSync(script, 0o755)
    tools = { ...real, ffmpeg: script }
    db = openLibrary(path.join(dir, 'library.sqlite'))
  }, 120_000)
  afterAll(() => db?.close())

  it('is refused before it is read, naming the file and the bytes, and nothing is stored', async () => {
    const { model, sidecar } = await loadAuModel(modelDir)
    const datasetId = Number(
      db.prepare("INSERT INTO datasets (name) VALUES ('batch')").run().lastInsertRowid,
    )
    const modelId = modelIdFor(db, modelDir, sidecar)
    const side = modelGeometry(sidecar).resizeSize
    const needed = spillBytesFor(frames, side)
    const measured: MeasuredVideo = {
      ...{ file: video, subject: 'p01', name: 'interview.mp4', clip: 'interview' },
      ...{ subjectFromFile: false, frames, seconds: frames / 50, long: true },
    }
    const spillDir = path.join(dir, 'spill')
    fs.mkdirSync(spillDir)
    const asked: string[] = []
    const smallDisk = (folder: string) => (asked.push(folder), needed - 1)
    const options = { dataset: 'batch', tools, spillDir, freeBytes: smallDisk }
    const counts = () =>
      ['recordings', 'clips', 'markers', 'predictions', 'audit'].map(
        (table) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number,
      )
    const before = counts()
    try {
      const failed = await analyseLongVideo(
        db,
        datasetId,
        measured,
        { model, sidecar, modelId },
        options,
      )
        .then(() => null)
        .catch((error: unknown) => error)
      expect(failed).toBeInstanceOf(AppError)
      expect((failed as AppError).message).toBe(
        `Not enough free disk to analyse ${video}: its temporary face crops need ${needed} bytes ` +
          `(${(needed / 1e6).toFixed(0)} MB: ${frames} frames of ${side}×${side} pixels) in ` +
          `${spillDir}, where ${needed - 1} bytes (${((needed - 1) / 1e6).toFixed(0)} MB) are free.`,
      )
      expect((failed as AppError).details).toMatchObject({
        file: video,
        field: 'disk',
        neededBytes: needed,
        freeBytes: needed - 1,
      })
      expect(asked).toEqual([spillDir])
      expect(counts()).toEqual(before)
      expect(fs.existsSync(log)).toBe(false)
      expect(fs.readdirSync(spillDir)).toEqual([])
    } finally {
      model.dispose()
    }
  })
})
