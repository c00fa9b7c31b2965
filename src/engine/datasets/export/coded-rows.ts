import type { LibraryDb } from '../../db/open-library'
import { AppError } from '../../../shared/errors'
import type { AuIntensity, AuSide } from '../../../shared/facs'
import type { CoderKind } from '../sheets/coded-sheet'

/** One clip of a dataset as the exporters see it. */
export interface ExportClip {
  clipId: number
  subject: string
  name: string
  sourceKind: 'frames' | 'video'
  sourcePath: string
  fps: number
  firstFrame: number
  frameCount: number
  width: number
  height: number
  emotion: string | null
  /** Every coder's codes for the clip, by coder name. */
  codes: ExportCodes[]
}

/** One coder's codes for one clip. */
export interface ExportCodes {
  coder: string
  coderKind: CoderKind
  onset: number | null
  apex: number | null
  offset: number | null
  apexEstimated: boolean
  labels: { au: number; side: AuSide | null; intensity: AuIntensity | null }[]
}

/**
 * Every clip of a dataset with every coder's marker and labels, sorted by subject, clip and
 * coder (labels by AU and side), optionally only one coder's codes. An unknown dataset or
 * coder is a `not_found` error.
 */
export function loadDatasetClips(db: LibraryDb, dataset: string, coder?: string): ExportClip[] {
  const row = db.prepare('SELECT id FROM datasets WHERE name = ?').get(dataset) as
    { id: number } | undefined
  if (!row) throw new AppError('not_found', `No dataset named '${dataset}'`, { dataset })
  if (coder !== undefined && !db.prepare('SELECT 1 FROM coders WHERE name = ?').get(coder)) {
    throw new AppError('not_found', `No coder named '${coder}'`, { coder })
  }
  const clips = db
    .prepare(
      `SELECT c.id, s.code AS subject, c.name, c.source_kind, c.source_path, c.fps, c.first_frame,
              c.frame_count, c.width, c.height, c.emotion
         FROM clips c JOIN subjects s ON s.id = c.subject_id
        WHERE c.dataset_id = ?
        ORDER BY s.code, c.name`,
    )
    .all(row.id) as {
    id: number
    subject: string
    name: string
    source_kind: 'frames' | 'video'
    source_path: string
    fps: number
    first_frame: number
    frame_count: number
    width: number
    height: number
    emotion: string | null
  }[]
  const coderFilter = coder === undefined ? '' : 'AND k.name = @coder'
  const markers = db.prepare(
    `SELECT k.name AS coder, k.kind, m.onset, m.apex, m.offset, m.apex_estimated
       FROM markers m JOIN coders k ON k.id = m.coder_id
      WHERE m.clip_id = @clip ${coderFilter}`,
  )
  const labels = db.prepare(
    `SELECT k.name AS coder, k.kind, l.au, l.side, l.intensity
       FROM au_labels l JOIN coders k ON k.id = l.coder_id
      WHERE l.clip_id = @clip ${coderFilter}
      ORDER BY l.au, ifnull(l.side, '')`,
  )
  return clips.map((c) => {
    const params = coder === undefined ? { clip: c.id } : { clip: c.id, coder }
    const codes = new Map<string, ExportCodes>()
    const codesOf = (name: string, kind: CoderKind): ExportCodes => {
      let entry = codes.get(name)
      if (!entry) {
        entry = {
          coder: name,
          coderKind: kind,
          onset: null,
          apex: null,
          offset: null,
          apexEstimated: false,
          labels: [],
        }
        codes.set(name, entry)
      }
      return entry
    }
    for (const m of markers.all(params) as {
      coder: string
      kind: CoderKind
      onset: number | null
      apex: number | null
      offset: number | null
      apex_estimated: number
    }[]) {
      Object.assign(codesOf(m.coder, m.kind), {
        onset: m.onset,
        apex: m.apex,
        offset: m.offset,
        apexEstimated: m.apex_estimated === 1,
      })
    }
    for (const l of labels.all(params) as {
      coder: string
      kind: CoderKind
      au: number
      side: AuSide | null
      intensity: AuIntensity | null
    }[]) {
      codesOf(l.coder, l.kind).labels.push({ au: l.au, side: l.side, intensity: l.intensity })
    }
    return {
      clipId: c.id,
      subject: c.subject,
      name: c.name,
      sourceKind: c.source_kind,
      sourcePath: c.source_path,
      fps: c.fps,
      firstFrame: c.first_frame,
      frameCount: c.frame_count,
      width: c.width,
      height: c.height,
      emotion: c.emotion,
      codes: [...codes.values()].sort((a, b) =>
        a.coder < b.coder ? -1 : a.coder > b.coder ? 1 : 0,
      ),
    }
  })
}
