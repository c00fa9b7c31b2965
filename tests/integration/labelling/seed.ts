import type { LibraryDb } from '../../../src/engine/db/open-library'

/**
 * Writes a dataset with clips straight into a library, for tests of the labelling engine
 * that need rows but no frames on disk: each clip gets `frames` frames from `firstFrame`.
 */
export function seedClips(
  db: LibraryDb,
  dataset: string,
  clips: {
    subject: string
    name: string
    firstFrame?: number
    frames?: number
    emotion?: string
  }[],
): number[] {
  const datasetId = Number(
    db.prepare('INSERT INTO datasets (name) VALUES (?)').run(dataset).lastInsertRowid,
  )
  const subjects = new Map<string, number>()
  return clips.map((clip) => {
    let subjectId = subjects.get(clip.subject)
    if (subjectId === undefined) {
      subjectId = Number(
        db
          .prepare('INSERT INTO subjects (dataset_id, code) VALUES (?, ?)')
          .run(datasetId, clip.subject).lastInsertRowid,
      )
      subjects.set(clip.subject, subjectId)
    }
    const first = clip.firstFrame ?? 46
    const count = clip.frames ?? 40
    const clipId = Number(
      db
        .prepare(
          `INSERT INTO clips (dataset_id, subject_id, name, source_kind, source_path, fps, frame_count,
             first_frame, width, height, emotion) VALUES (?, ?, ?, 'frames', ?, 200, ?, ?, 640, 480, ?)`,
        )
        .run(
          datasetId,
          subjectId,
          clip.name,
          `/data/${clip.subject}/${clip.name}`,
          count,
          first,
          clip.emotion ?? null,
        ).lastInsertRowid,
    )
    const frame = db.prepare('INSERT INTO frames (clip_id, number, file) VALUES (?, ?, ?)')
    for (let n = first; n < first + count; n++) frame.run(clipId, n, `img${n}.jpg`)
    return clipId
  })
}
