import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { analyseLongVideo } from '../../../src/engine/batch/batch-spot'
import type { MeasuredVideo } from '../../../src/engine/batch/video-length'
import { planLongRecording } from '../../../src/engine/datasets/synthetic/long-plan'
import { writeLongRecording } from '../../../src/engine/datasets/synthetic/long-recording'
import {
  LongRecordingRenderer,
  type PlacedFace,
} from '../../../src/engine/datasets/synthetic/long-render'
import { openLibrary, type LibraryDb } from '../../../src/engine/db/open-library'
import { decodeFrames } from '../../../src/engine/media/decode-frames'
import { applyCrop, type CropBox } from '../../../src/engine/media/face/align'
import type { FaceDetector } from '../../../src/engine/media/face/detector'
import { locateFfmpeg, type FfmpegTools } from '../../../src/engine/media/ffmpeg-locate'
import type { RgbImage } from '../../../src/engine/media/image-io'
import { framesInMemory } from '../../../src/engine/ml/data/clip-images'
import { magnifyKeyFrames } from '../../../src/engine/ml/data/magnified-frames'
import type { TrainingClip } from '../../../src/engine/ml/data/training-set'
import { modelIdFor } from '../../../src/engine/ml/infer/predict-dataset'
import { predictClipScores } from '../../../src/engine/ml/infer/predict-clips'
import { modelGeometry } from '../../../src/engine/ml/model-geometry'
import type { AuModel } from '../../../src/engine/ml/model/au-model'
import { loadAuModel } from '../../../src/engine/ml/weights/tfjs-format'
import type { ModelSidecar } from '../../../src/engine/ml/weights/sidecar'
import type { TrackBox } from '../../../src/engine/signal/spotting/face-tracker'
import { spotVideo } from '../../../src/engine/signal/spotting/spot-video'
import { tempDir } from '../../helpers/temp'
import { saveTinyModel } from './tiny-model'

/*
 * A long recording in batch is read once: one ffmpeg decode feeds the spotter and the crops its
 * events are predicted from. Against the two-pass way (the spotter on its own read, then a
 * second read of the RGB frames magnified in memory as a clip's are), spotting and every
 * event's probabilities must be the same; and each event's crop must follow the head's drift.
 */

const { dir, cleanup } = tempDir('microau-long-one-read-')
const video = path.join(dir, 'p01', 'recording.mp4')
const modelDir = path.join(dir, 'model')
const log = path.join(dir, 'ffmpeg-runs.log')
const RECORDING = { seed: 4, seconds: 8, fps: 50, width: 640, height: 480 }
const PLANNED = { ...RECORDING, micro: 2, macro: 0, blinks: 1 }
let face: PlacedFace
let frames = 0
let tools: FfmpegTools
let db: LibraryDb
let datasetId = 0
let model: AuModel
let sidecar: ModelSidecar
let modelId = 0

/** The real ffmpeg behind a script that logs each run's arguments: how often a video is decoded. */
function countingTools(real: FfmpegTools): FfmpegTools {
  const script = path.join(dir, 'ffmpeg-counting.sh')
  fs.writeFileSync(script, `#!/bin/sh\necho "$*" >> '${log}'\nexec '${real.ffmpeg}' "$@"\n`)
  fs.chmodSync(script, 0o755)
  return { ...real, ffmpeg: script }
}

/** The ffmpeg runs since the log was last emptied that decoded the test's video. */
function decodeRuns(): string[] {
  const lines = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n') : []
  return lines.filter((line) => line.includes(video) && line.includes('pipe:1'))
}

/** Finds the face where the generator put it, eyes on its eye line (a fixture, not face-api). */
function truthDetector(placed: PlacedFace): FaceDetector {
  const eyeY = placed.y + placed.eyeLevel * placed.side
  const face = {
    box: { x: placed.x, y: placed.y, width: placed.side, height: placed.side },
    score: 1,
    leftEye: { x: placed.x + 0.35 * placed.side, y: eyeY },
    rightEye: { x: placed.x + 0.65 * placed.side, y: eyeY },
  }
  return { name: 'truth', detect: async () => [face] }
}

const measured = (): MeasuredVideo => ({
  ...{ file: video, subject: 'p01', name: 'recording.mp4', clip: 'recording' },
  subjectFromFile: false,
  ...{ frames, seconds: frames / RECORDING.fps, long: true },
})

beforeAll(async () => {
  const written = await writeLongRecording({ ...PLANNED, out: video })
  face = written.truth.face
  frames = written.truth.frames
  await saveTinyModel(modelDir, ['1', '2', '4', '12'])
  ;({ model, sidecar } = await loadAuModel(modelDir))
  tools = countingTools(await locateFfmpeg())
  db = openLibrary(path.join(dir, 'library.sqlite'))
  datasetId = Number(
    db.prepare("INSERT INTO datasets (name) VALUES ('batch')").run().lastInsertRowid,
  )
  modelId = modelIdFor(db, modelDir, sidecar)
}, 300_000)
afterAll(() => {
  model?.dispose()
  db?.close()
  cleanup()
})

interface StoredEvent {
  clipId: number
  onset: number
  apex: number
  offset: number
  crop: string | null
}

function storedEvents(): StoredEvent[] {
  return db
    .prepare(
      `SELECT c.id AS clipId, m.onset, m.apex, m.offset, c.crop FROM clips c
       JOIN markers m ON m.clip_id = c.id WHERE c.dataset_id = ? ORDER BY m.onset`,
    )
    .all(datasetId) as StoredEvent[]
}

/** The two-pass way: a second read of every RGB frame, each event's frames magnified in memory. */
async function twoPassProbabilities(events: StoredEvent[], boxes: TrackBox[]) {
  const side = modelGeometry(sidecar).resizeSize
  const wanted = new Map<number, RgbImage>()
  for await (const f of decodeFrames(video)) {
    if (!events.some((e) => f.index >= e.onset && f.index <= e.apex)) continue
    const box = boxes[f.index - 1]
    const crop = { ...box, width: box.side, height: box.side }
    wanted.set(f.index, applyCrop(f, crop, { width: side, height: side }))
  }
  const clips: TrainingClip[] = []
  for (const e of events) {
    const numbers = Array.from({ length: e.apex - e.onset + 1 }, (_, i) => e.onset + i)
    const source = framesInMemory({ numbers, images: numbers.map((n) => wanted.get(n)!) })
    const apex = (await magnifyKeyFrames(source(), new Set([e.apex]))).get(e.apex)!
    clips.push({
      ...{ clipId: e.clipId, datasetId: 0, subjectId: 0, subject: '', subjectKey: '', name: '' },
      ...{ labels: new Uint8Array(4), onset: e.onset, apex: e.apex, apexEstimated: true },
      ...{ closeCandidates: [], frames: new Map([[e.apex, apex.data]]) },
    })
  }
  return predictClipScores(model, clips, modelGeometry(sidecar))
}

describe('a long video in batch', () => {
  it('is decoded once, spotted as the spotter alone spots it, predicted as two passes predict it', async () => {
    fs.rmSync(log, { force: true })
    const detector = truthDetector(face)
    const spillDir = path.join(dir, 'spill')
    fs.mkdirSync(spillDir)
    const predictor = { model, sidecar, modelId }
    const options = { dataset: 'batch', detector, tools, spillDir }
    const result = await analyseLongVideo(db, datasetId, measured(), predictor, options)
    // The spill of crops is gone once the events are predicted.
    expect(fs.readdirSync(spillDir)).toEqual([])
    // One decode of every frame (the split filtergraph), besides the face's first-frame read.
    const runs = decodeRuns()
    expect(runs.filter((r) => r.includes('-filter_complex'))).toHaveLength(1)
    expect(runs).toHaveLength(2)
    expect(result.frames).toBe(frames)

    const boxes: TrackBox[] = []
    const alone = await spotVideo(video, { detector, onTracked: (_, box) => boxes.push(box) })
    const events = storedEvents()
    expect(events.length).toBeGreaterThan(0)
    expect(result.events).toBe(events.length)
    expect(events.map((e) => [e.onset, e.apex, e.offset])).toEqual(
      alone.intervals.map((i) => [i.onset + 1, i.apex + 1, i.offset + 1]),
    )
    const expected = await twoPassProbabilities(events, boxes)
    const stored = db.prepare(
      'SELECT au, probability FROM predictions WHERE clip_id = ? AND model_id = ? ORDER BY au',
    )
    events.forEach((e, i) => {
      const got = stored.all(e.clipId, modelId) as { au: number; probability: number }[]
      expect(got.map((p) => p.au)).toEqual([1, 2, 4, 12])
      got.forEach((p, m) => expect(p.probability).toBeCloseTo(expected[i][m], 6))
    })
  }, 600_000)

  it("gives each event the crop where the head has drifted and rolled to at the event's apex", () => {
    const renderer = new LongRecordingRenderer(planLongRecording(PLANNED))
    const start = db
      .prepare('SELECT spotting FROM recordings WHERE dataset_id = ?')
      .pluck()
      .get(datasetId) as string
    const box = (JSON.parse(start) as { face: { box: TrackBox } }).face.box
    // The head turns about the face square's centre, which the box's centre turns about too.
    const head = { x: face.x + face.side / 2, y: face.y + face.side / 2 }
    const from = { x: box.x + box.side / 2 - head.x, y: box.y + box.side / 2 - head.y }
    const events = storedEvents()
    let largest = 0
    let worst = 0
    for (const e of events) {
      const crop = JSON.parse(e.crop!) as CropBox
      const { dx, dy, roll } = renderer.headPose(e.apex - 1)
      const [cos, sin] = [Math.cos((roll * Math.PI) / 180), Math.sin((roll * Math.PI) / 180)]
      const x = head.x + dx + cos * from.x - sin * from.y - box.side / 2
      const y = head.y + dy + sin * from.x + cos * from.y - box.side / 2
      largest = Math.max(largest, Math.hypot(x - box.x, y - box.y))
      worst = Math.max(worst, Math.hypot(crop.x - x, crop.y - y))
      expect(crop.width).toBeCloseTo(box.side, 6)
      expect(Math.abs(crop.angle - box.angle - roll)).toBeLessThan(0.25)
    }
    expect(worst).toBeLessThan(0.5)
    // The first frame's box would be this far off: the test tells the two apart.
    expect(largest).toBeGreaterThan(2)
  })

  it('does not read a recording again when a resumed batch finds its events predicted', async () => {
    fs.rmSync(log, { force: true })
    const result = await analyseLongVideo(
      db,
      datasetId,
      measured(),
      { model, sidecar, modelId },
      {
        ...{ dataset: 'batch', detector: truthDetector(face), tools },
      },
    )
    expect(decodeRuns()).toEqual([])
    expect(result.events).toBe(storedEvents().length)
  })

  it('reads once more, without storing the recording again, when its predictions are missing', async () => {
    const predictions = () =>
      db.prepare('SELECT clip_id, au, probability FROM predictions ORDER BY clip_id, au').all()
    const before = predictions()
    const clips = db.prepare('SELECT id, crop FROM clips ORDER BY id').all()
    db.prepare('DELETE FROM predictions').run()
    fs.rmSync(log, { force: true })
    const options = { dataset: 'batch', detector: truthDetector(face), tools }
    await analyseLongVideo(db, datasetId, measured(), { model, sidecar, modelId }, options)
    expect(decodeRuns().filter((r) => r.includes('-filter_complex'))).toHaveLength(1)
    expect(db.prepare('SELECT count(*) FROM recordings').pluck().get()).toBe(1)
    expect(db.prepare('SELECT id, crop FROM clips ORDER BY id').all()).toEqual(clips)
    expect(predictions()).toEqual(before)
  }, 600_000)
})
