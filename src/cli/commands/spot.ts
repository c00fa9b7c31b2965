import fs from 'node:fs'
import path from 'node:path'
import { AppError } from '../../shared/errors'
import { findBatchVideos } from '../../engine/batch/batch-videos'
import { openLibrary } from '../../engine/db/open-library'
import type { FaceDetector } from '../../engine/media/face/detector'
import { createFaceApiDetector } from '../../engine/media/face/face-api-detector'
import { spotVideo, type SpottedVideo } from '../../engine/signal/spotting/spot-video'
import { DEFAULT_SPOTTING } from '../../engine/signal/spotting/settings'
import { spottedRecordingInput, storeSpottedRecording } from '../../engine/spotting/store-spotted'
import { requireString, UsageError, type Command, type CliIo, type OptionValues } from '../command'

/** One video to spot: where it is, how to name it in the output, and whose it is. */
interface SpotTarget {
  file: string
  shown: string
  subject: string
  /** Its name in the stored clips' names (the path inside the participant's folder). */
  videoName: string
}

/**
 * `microau spot`: finds micro- and macro-expression intervals in long videos (a file, or a
 * folder with a subfolder per participant), prints them, and with `--db` stores them as
 * spotted clips of their recordings for the coders' queue.
 */
export const spot: Command = {
  name: 'spot',
  summary: 'Spot micro- and macro-expressions in long videos (a file or a folder)',
  usage:
    '--in VIDEO_OR_FOLDER [--fps N] [--no-face-detection] [--threshold Z] [--db FILE [--dataset NAME]] [--json]',
  options: {
    in: { type: 'string' },
    fps: { type: 'string' },
    'no-face-detection': { type: 'boolean' },
    threshold: { type: 'string' },
    db: { type: 'string' },
    dataset: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(values, io) {
    const input = requireString(values, 'in')
    const fps = positiveNumber(values, 'fps')
    const threshold = positiveNumber(values, 'threshold') ?? DEFAULT_SPOTTING.threshold
    const targets = spotTargets(input)
    const detector = values['no-face-detection'] ? undefined : await faceDetector(io)
    const results: { target: SpotTarget; video: SpottedVideo }[] = []
    for (const target of targets) {
      io.stderr(`spot: ${target.shown}…\n`)
      const video = await spotVideo(target.file, {
        fps,
        detector,
        settings: { threshold },
        onProgress: (frames) => io.stderr(`spot: ${target.shown}: ${frames} frames\n`),
      })
      results.push({ target, video })
    }
    if (values.db !== undefined) store(values, results, threshold, io)
    printResults(values, results, io)
    return 0
  },
}

function positiveNumber(values: OptionValues, name: string): number | undefined {
  const raw = values[name]
  if (raw === undefined) return undefined
  const value = Number(raw)
  if (typeof raw !== 'string' || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`--${name} must be a positive number (got ${String(raw)})`)
  }
  return value
}

/** A video as given, or the videos of a folder (a subfolder per participant). */
function spotTargets(input: string): SpotTarget[] {
  const absolute = path.resolve(input)
  if (fs.existsSync(absolute) && fs.statSync(absolute).isDirectory()) {
    return findBatchVideos(absolute).map((v) => ({
      file: v.file,
      shown: path.relative(absolute, v.file),
      subject: v.subject,
      videoName: v.name,
    }))
  }
  if (!fs.existsSync(absolute)) {
    throw new AppError('not_found', `There is no file or folder ${absolute}`, { file: absolute })
  }
  const subject = path.basename(input, path.extname(input))
  return [{ file: absolute, shown: input, subject, videoName: path.basename(absolute) }]
}

/** The face detector, or none (the centred square) when it cannot load here. */
async function faceDetector(io: CliIo): Promise<FaceDetector | undefined> {
  try {
    return await createFaceApiDetector()
  } catch (error) {
    io.stderr(`spot: no face detector (${(error as Error).message}); using the centred square\n`)
    return undefined
  }
}

function store(
  values: OptionValues,
  results: { target: SpotTarget; video: SpottedVideo }[],
  threshold: number,
  io: CliIo,
): void {
  const db = openLibrary(path.resolve(requireString(values, 'db')))
  try {
    const dataset = typeof values.dataset === 'string' ? values.dataset : 'Spotted recordings'
    for (const { target, video } of results) {
      const stored = storeSpottedRecording(
        db,
        spottedRecordingInput(
          video,
          { dataset, subject: target.subject, videoName: target.videoName },
          { ...DEFAULT_SPOTTING, threshold },
        ),
      )
      io.stderr(
        `spot: ${target.shown}: ${stored.clipIds.length} spotted clips stored in '${dataset}'\n`,
      )
    }
  } finally {
    db.close()
  }
}

function printResults(
  values: OptionValues,
  results: { target: SpotTarget; video: SpottedVideo }[],
  io: CliIo,
): void {
  const videos = results.map(({ target, video }) => ({
    file: target.shown,
    fps: video.fps,
    frames: video.frames,
    intervals: video.intervals.map(({ onset, apex, offset, score, kind }) => ({
      onset,
      apex,
      offset,
      score: Math.round(score * 100) / 100,
      kind,
    })),
  }))
  if (values.json) {
    io.stdout(JSON.stringify({ videos }, null, 2) + '\n')
    return
  }
  for (const v of videos) {
    io.stdout(`${v.file}: ${v.frames} frames at ${v.fps} fps, ${v.intervals.length} intervals\n`)
    for (const i of v.intervals) {
      io.stdout(`  ${i.kind} ${i.onset}–${i.offset} (apex ${i.apex}), score ${i.score}\n`)
    }
  }
}
