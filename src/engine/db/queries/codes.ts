import type { AuCode, ClipLabel, Markers } from '../../../shared/coding'
import type { AuIntensity, AuSide } from '../../../shared/facs'
import type { LibraryDb } from '../open-library'

/*
 * Markers and AU labels, one coder and one clip at a time (and a dataset's labels to read). Every write here fires the audit
 * triggers, so callers run them inside auditedWrite (which names the source).
 */

interface MarkerRow {
  onset: number | null
  apex: number | null
  offset: number | null
  apex_estimated: number
}

interface LabelRow {
  coder_id: number
  au: number
  side: AuSide | null
  intensity: AuIntensity | null
}

function toMarkers(row: MarkerRow): Markers {
  return {
    onset: row.onset,
    apex: row.apex,
    offset: row.offset,
    apexEstimated: row.apex_estimated === 1,
  }
}

/** A coder's markers on a clip, or null when they have none. */
export function readMarkers(db: LibraryDb, clipId: number, coderId: number): Markers | null {
  const row = db
    .prepare(
      'SELECT onset, apex, offset, apex_estimated FROM markers WHERE clip_id = ? AND coder_id = ?',
    )
    .get(clipId, coderId) as MarkerRow | undefined
  return row ? toMarkers(row) : null
}

/** Stores a coder's markers on a clip: one insert, or one update of the existing row. */
export function writeMarkers(db: LibraryDb, clipId: number, coderId: number, m: Markers): void {
  const values = [m.onset, m.apex, m.offset, m.apexEstimated ? 1 : 0, clipId, coderId]
  const updated = db
    .prepare(
      `UPDATE markers SET onset = ?, apex = ?, offset = ?, apex_estimated = ?,
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
       WHERE clip_id = ? AND coder_id = ?`,
    )
    .run(...values)
  if (updated.changes === 0) {
    db.prepare(
      `INSERT INTO markers (onset, apex, offset, apex_estimated, clip_id, coder_id)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(...values)
  }
}

/** Removes a coder's markers from a clip; true when there were some. */
export function deleteMarkers(db: LibraryDb, clipId: number, coderId: number): boolean {
  return (
    db.prepare('DELETE FROM markers WHERE clip_id = ? AND coder_id = ?').run(clipId, coderId)
      .changes > 0
  )
}

const LABEL_ORDER = "ORDER BY au, ifnull(side, '')"

/** A coder's AU labels on a clip, by AU then side. */
export function readLabels(db: LibraryDb, clipId: number, coderId: number): AuCode[] {
  return (
    db
      .prepare(
        `SELECT au, side, intensity FROM au_labels WHERE clip_id = ? AND coder_id = ? ${LABEL_ORDER}`,
      )
      .all(clipId, coderId) as AuCode[]
  ).map(({ au, side, intensity }) => ({ au, side, intensity }))
}

/** Every label of a dataset's clips, of the given coders (all when absent). */
export function listDatasetLabels(
  db: LibraryDb,
  datasetId: number,
  coderIds?: readonly number[],
): ClipLabel[] {
  const coders = coderIds ? `AND l.coder_id IN (${coderIds.map(() => '?').join(', ')})` : ''
  return db
    .prepare(
      `SELECT l.clip_id AS clipId, l.coder_id AS coderId, l.au, l.side, l.intensity
       FROM au_labels l JOIN clips c ON c.id = l.clip_id
       WHERE c.dataset_id = ? ${coders}
       ORDER BY l.clip_id, l.coder_id, l.au, ifnull(l.side, '')`,
    )
    .all(datasetId, ...(coderIds ?? [])) as ClipLabel[]
}

/** The label of one AU on one side (null: both sides), if the coder has it. */
export function findLabel(
  db: LibraryDb,
  clipId: number,
  coderId: number,
  au: number,
  side: AuSide | null,
): AuCode | undefined {
  return db
    .prepare(
      `SELECT au, side, intensity FROM au_labels
       WHERE clip_id = ? AND coder_id = ? AND au = ? AND ifnull(side, '') = ifnull(?, '')`,
    )
    .get(clipId, coderId, au, side) as AuCode | undefined
}

/** Adds a label. */
export function insertLabel(db: LibraryDb, clipId: number, coderId: number, code: AuCode): void {
  db.prepare(
    'INSERT INTO au_labels (clip_id, coder_id, au, side, intensity) VALUES (?, ?, ?, ?, ?)',
  ).run(clipId, coderId, code.au, code.side, code.intensity)
}

/** Changes the label found by AU and side into `code`; true when it existed. */
export function updateLabel(
  db: LibraryDb,
  clipId: number,
  coderId: number,
  from: Pick<AuCode, 'au' | 'side'>,
  code: AuCode,
): boolean {
  return (
    db
      .prepare(
        `UPDATE au_labels SET au = ?, side = ?, intensity = ?,
           updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
         WHERE clip_id = ? AND coder_id = ? AND au = ? AND ifnull(side, '') = ifnull(?, '')`,
      )
      .run(code.au, code.side, code.intensity, clipId, coderId, from.au, from.side).changes > 0
  )
}

/** Removes the label found by AU and side; true when it existed. */
export function deleteLabel(
  db: LibraryDb,
  clipId: number,
  coderId: number,
  label: Pick<AuCode, 'au' | 'side'>,
): boolean {
  return (
    db
      .prepare(
        `DELETE FROM au_labels
         WHERE clip_id = ? AND coder_id = ? AND au = ? AND ifnull(side, '') = ifnull(?, '')`,
      )
      .run(clipId, coderId, label.au, label.side).changes > 0
  )
}

/** One coder's codes on one clip, as stored. */
export interface StoredCodes {
  markers: Markers | null
  labels: AuCode[]
}

/** Every coder's markers and labels on the given clips: clip id → coder id → codes. */
export function readCodesOfClips(
  db: LibraryDb,
  clipIds: readonly number[],
): Map<number, Map<number, StoredCodes>> {
  const result = new Map<number, Map<number, StoredCodes>>()
  const entry = (clipId: number, coderId: number): StoredCodes => {
    const byCoder = result.get(clipId) ?? new Map<number, StoredCodes>()
    result.set(clipId, byCoder)
    const codes = byCoder.get(coderId) ?? { markers: null, labels: [] }
    byCoder.set(coderId, codes)
    return codes
  }
  const markers = db.prepare(
    `SELECT coder_id, onset, apex, offset, apex_estimated FROM markers WHERE clip_id = ?
     ORDER BY coder_id`,
  )
  const labels = db.prepare(
    `SELECT coder_id, au, side, intensity FROM au_labels WHERE clip_id = ?
     ORDER BY coder_id, au, ifnull(side, '')`,
  )
  for (const clipId of clipIds) {
    for (const row of markers.all(clipId) as (MarkerRow & { coder_id: number })[]) {
      entry(clipId, row.coder_id).markers = toMarkers(row)
    }
    for (const row of labels.all(clipId) as LabelRow[]) {
      entry(clipId, row.coder_id).labels.push({
        au: row.au,
        side: row.side,
        intensity: row.intensity,
      })
    }
  }
  return result
}
