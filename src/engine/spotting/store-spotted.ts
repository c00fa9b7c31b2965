import path from 'node:path'
import { AppError } from '../../shared/errors'
import type { LibraryDb } from '../db/open-library'
import { auditedWrite } from '../db/queries/audit'
import { cropBoxOf } from '../signal/spotting/face-track'
import type { TrackBox } from '../signal/spotting/face-tracker'
import type { SpottedInterval } from '../signal/spotting/intervals'
import { DEFAULT_SPOTTING, type SpottingSettings } from '../signal/spotting/settings'
import type { SpottedVideo } from '../signal/spotting/spot-video'
import { framesForSeconds } from '../signal/time-scale'

/** The coder whose markers hold what the spotter found (read-only, like an imported sheet). */
export const SPOTTER_CODER = 'spotter'

/** A spotted recording to store. */
export interface SpottedRecordingInput {
  dataset: string
  subject: string
  video: string
  /**
   * The video's name in its clips' names (`<name>@<onset>-<offset>`), unique within the
   * subject: in a batch, its path inside the participant's folder (`day1/task.mp4`); the
   * file's name when not given.
   */
  videoName?: string
  fps: number
  frames: number
  width: number
  height: number
  intervals: readonly SpottedInterval[]
  /** Settings and face box, kept with the recording. */
  spotting: Record<string, unknown>
  /** Seconds of footage kept on each side of an interval, so a coder can widen it. Default 1. */
  contextSeconds?: number
  /**
   * The face box tracked to each decoded frame (0-based), when the face was detected: each
   * clip's crop is its box at the clip's apex, so head movement, not the first frame, places
   * it. Without it clips have no crop (whole frames are used).
   */
  track?: { boxAt(frame: number): TrackBox }
}

/**
 * What to store of a spotted video: its frames and intervals, the settings it was spotted
 * with together with the face box it started from, and its face track when the face was
 * detected (a centred square guessed without a face gives no crops).
 */
export function spottedRecordingInput(
  video: SpottedVideo,
  where: { dataset: string; subject: string; videoName?: string },
  settings: SpottingSettings = DEFAULT_SPOTTING,
): SpottedRecordingInput {
  return {
    ...where,
    video: video.file,
    fps: video.fps,
    frames: video.frames,
    width: video.width,
    height: video.height,
    intervals: video.intervals,
    spotting: { ...settings, face: video.face },
    track: video.face.source === 'detected' ? video.track : undefined,
  }
}

/** What storeSpottedRecording wrote. */
export interface StoredSpotting {
  datasetId: number
  recordingId: number
  clipIds: number[]
}

/**
 * Stores a spotted recording in one IMMEDIATE transaction, all or nothing: the dataset and
 * subject (made when missing), a `recordings` row, and per interval a video clip whose frames
 * are the recording's absolute numbers (1-based, decoded frame + 1) from onset − context to
 * offset + context, marked with the spotter's kind and score, cropped at the face track's box
 * at its apex (`input.track`; no crop without one), and the 'spotter' coder's markers at
 * onset, apex and offset (audited with source 'spotting'). The clips are named
 * `<video>@<onset>-<offset>`, the video by `videoName` or the file's name, made unique in the
 * subject (freeVideoName). A recording already stored in the dataset is a 'conflict' naming
 * the file.
 */
export function storeSpottedRecording(db: LibraryDb, input: SpottedRecordingInput): StoredSpotting {
  const video = path.resolve(input.video)
  const context = framesForSeconds(input.contextSeconds ?? 1, input.fps, 0)
  return auditedWrite(db, 'spotting', () => {
    const datasetId = getOrCreate(db, 'datasets', { name: input.dataset })
    const subjectId = getOrCreate(db, 'subjects', { dataset_id: datasetId, code: input.subject })
    const existing = db
      .prepare('SELECT id FROM recordings WHERE dataset_id = ? AND path = ?')
      .get(datasetId, video)
    if (existing) {
      throw new AppError(
        'conflict',
        `Dataset '${input.dataset}' already holds the spotting of ${video}`,
        { file: video, dataset: input.dataset },
      )
    }
    const recordingId = Number(
      db
        .prepare(
          `INSERT INTO recordings (dataset_id, subject_id, path, fps, frame_count, width, height, spotting)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          datasetId,
          subjectId,
          video,
          input.fps,
          input.frames,
          input.width,
          input.height,
          JSON.stringify(input.spotting),
        ).lastInsertRowid,
    )
    const spotter = spotterCoder(db)
    const wanted = input.videoName ?? path.basename(video)
    const label = freeVideoName(db, { datasetId, subjectId }, wanted)
    const clipIds = input.intervals.map((interval) =>
      insertCandidate(db, {
        datasetId,
        subjectId,
        recordingId,
        video,
        label,
        input,
        interval,
        context,
        spotter,
      }),
    )
    return { datasetId, recordingId, clipIds }
  })
}

function insertCandidate(
  db: LibraryDb,
  c: {
    datasetId: number
    subjectId: number
    recordingId: number
    video: string
    /** The video's name in the clips' names (freeVideoName). */
    label: string
    input: SpottedRecordingInput
    interval: SpottedInterval
    context: number
    spotter: number
  },
): number {
  const { interval, input } = c
  const first = Math.max(1, interval.onset + 1 - c.context)
  const last = Math.min(input.frames, interval.offset + 1 + c.context)
  const name = `${c.label}@${interval.onset + 1}-${interval.offset + 1}`
  const clipId = Number(
    db
      .prepare(
        `INSERT INTO clips (dataset_id, subject_id, name, source_kind, source_path, fps, frame_count,
           first_frame, width, height, recording_id, spotted_kind, spotted_score, crop)
         VALUES (?, ?, ?, 'video', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        c.datasetId,
        c.subjectId,
        name,
        c.video,
        input.fps,
        last - first + 1,
        first,
        input.width,
        input.height,
        c.recordingId,
        interval.kind,
        interval.score,
        input.track ? JSON.stringify(cropBoxOf(input.track.boxAt(interval.apex))) : null,
      ).lastInsertRowid,
  )
  const frame = db.prepare('INSERT INTO frames (clip_id, number, file) VALUES (?, ?, NULL)')
  for (let n = first; n <= last; n++) frame.run(clipId, n)
  db.prepare(
    'INSERT INTO markers (clip_id, coder_id, onset, apex, offset, apex_estimated) VALUES (?, ?, ?, ?, ?, 1)',
  ).run(clipId, c.spotter, interval.onset + 1, interval.apex + 1, interval.offset + 1)
  return clipId
}

/**
 * The name a recording's clips go by in its subject (`<name>@<onset>-<offset>`): `wanted`,
 * unless another recording's clips in the subject already go by it (two files `task.mp4` from
 * different folders spotted into one subject), then `wanted (2)`, `wanted (3)`…, so clip
 * names never collide and each recording's clips keep one readable name.
 */
function freeVideoName(
  db: LibraryDb,
  where: { datasetId: number; subjectId: number },
  wanted: string,
): string {
  const names = db
    .prepare(
      'SELECT name FROM clips WHERE dataset_id = ? AND subject_id = ? AND recording_id IS NOT NULL',
    )
    .pluck()
    .all(where.datasetId, where.subjectId) as string[]
  const taken = new Set(names.map((name) => name.slice(0, name.lastIndexOf('@'))))
  if (!taken.has(wanted)) return wanted
  for (let n = 2; ; n++) {
    if (!taken.has(`${wanted} (${n})`)) return `${wanted} (${n})`
  }
}

function spotterCoder(db: LibraryDb): number {
  const row = db.prepare('SELECT id FROM coders WHERE name = ?').get(SPOTTER_CODER) as
    { id: number } | undefined
  if (row) return row.id
  return Number(
    db.prepare(`INSERT INTO coders (name, kind) VALUES (?, 'import')`).run(SPOTTER_CODER)
      .lastInsertRowid,
  )
}

function getOrCreate(
  db: LibraryDb,
  table: 'datasets' | 'subjects',
  values: Record<string, string | number>,
): number {
  const columns = Object.keys(values)
  const where = columns.map((c) => `${c} = ?`).join(' AND ')
  const row = db.prepare(`SELECT id FROM ${table} WHERE ${where}`).get(...Object.values(values)) as
    { id: number } | undefined
  if (row) return row.id
  return Number(
    db
      .prepare(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      )
      .run(...Object.values(values)).lastInsertRowid,
  )
}
