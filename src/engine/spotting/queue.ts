import { AppError } from '../../shared/errors'
import type { SpotCandidate, SpotDecisionStatus, SpotFrames } from '../../shared/spotting'
import type { LibraryDb } from '../db/open-library'
import { auditedWrite } from '../db/queries/audit'
import { readMarkers } from '../db/queries/codes'
import { getCoder } from '../db/queries/coders'
import { setMarkers, type MarkerChange } from '../labelling/code-writes'
import { SPOTTER_CODER } from './store-spotted'

interface CandidateRow {
  clipId: number
  recordingId: number
  video: string
  subject: string
  fps: number
  kind: 'micro' | 'macro'
  score: number
  firstFrame: number
  frameCount: number
  sOnset: number
  sApex: number
  sOffset: number
  cOnset: number | null
  cApex: number | null
  cOffset: number | null
  hasMarkers: number
  status: 'accepted' | 'rejected' | null
}

/**
 * A coder's spotting queue: every spotted clip of a dataset (or of one recording, or one clip), in
 * recording and time order, with the spotter's interval, the coder's adjusted markers and
 * their decision.
 */
export function listSpotCandidates(
  db: LibraryDb,
  filter: { coderId: number; datasetId?: number; recordingId?: number; clipId?: number },
): SpotCandidate[] {
  getCoder(db, filter.coderId)
  const rows = db
    .prepare(
      `SELECT c.id AS clipId, r.id AS recordingId, r.path AS video, s.code AS subject, c.fps,
              c.spotted_kind AS kind, c.spotted_score AS score, c.first_frame AS firstFrame,
              c.frame_count AS frameCount,
              sm.onset AS sOnset, sm.apex AS sApex, sm.offset AS sOffset,
              cm.onset AS cOnset, cm.apex AS cApex, cm.offset AS cOffset,
              cm.clip_id IS NOT NULL AS hasMarkers, d.status
       FROM clips c
       JOIN recordings r ON r.id = c.recording_id
       JOIN subjects s ON s.id = c.subject_id
       JOIN coders sc ON sc.name = ?
       JOIN markers sm ON sm.clip_id = c.id AND sm.coder_id = sc.id
       LEFT JOIN markers cm ON cm.clip_id = c.id AND cm.coder_id = ?
       LEFT JOIN spot_decisions d ON d.clip_id = c.id AND d.coder_id = ?
       WHERE (? IS NULL OR c.dataset_id = ?) AND (? IS NULL OR r.id = ?) AND (? IS NULL OR c.id = ?)
       ORDER BY r.path, sm.onset, c.id`,
    )
    .all(
      SPOTTER_CODER,
      filter.coderId,
      filter.coderId,
      filter.datasetId ?? null,
      filter.datasetId ?? null,
      filter.recordingId ?? null,
      filter.recordingId ?? null,
      filter.clipId ?? null,
      filter.clipId ?? null,
    ) as CandidateRow[]
  return rows.map((row) => ({
    clipId: row.clipId,
    recordingId: row.recordingId,
    video: row.video,
    subject: row.subject,
    fps: row.fps,
    kind: row.kind,
    score: row.score,
    spotted: { onset: row.sOnset, apex: row.sApex, offset: row.sOffset },
    adjusted: row.hasMarkers
      ? definedOnly({ onset: row.cOnset, apex: row.cApex, offset: row.cOffset })
      : null,
    status: row.status ?? 'pending',
    firstFrame: row.firstFrame,
    lastFrame: row.firstFrame + row.frameCount - 1,
  }))
}

function definedOnly(frames: Record<keyof SpotFrames, number | null>): Partial<SpotFrames> {
  return Object.fromEntries(Object.entries(frames).filter(([, v]) => v !== null))
}

/**
 * Writes a coder's decision on a spotted clip: accepted, rejected, or pending (the decision
 * taken back). One row of `spot_decisions`, audited with source 'manual' by its triggers; a
 * decision that changes nothing writes nothing.
 */
export function decideSpot(
  db: LibraryDb,
  input: { clipId: number; coderId: number; status: SpotDecisionStatus },
): void {
  auditedWrite(db, 'manual', () => {
    spottedClip(db, input.clipId)
    decidingCoder(db, input.coderId)
    const now = db
      .prepare('SELECT status FROM spot_decisions WHERE clip_id = ? AND coder_id = ?')
      .pluck()
      .get(input.clipId, input.coderId) as SpotDecisionStatus | undefined
    if ((now ?? 'pending') === input.status) return
    if (input.status === 'pending') {
      db.prepare('DELETE FROM spot_decisions WHERE clip_id = ? AND coder_id = ?').run(
        input.clipId,
        input.coderId,
      )
    } else if (now === undefined) {
      db.prepare('INSERT INTO spot_decisions (clip_id, coder_id, status) VALUES (?, ?, ?)').run(
        input.clipId,
        input.coderId,
        input.status,
      )
    } else {
      db.prepare(
        `UPDATE spot_decisions SET status = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
         WHERE clip_id = ? AND coder_id = ?`,
      ).run(input.status, input.clipId, input.coderId)
    }
  })
}

/**
 * Moves a coder's onset, apex or offset of a spotted clip (the viewer's `markers.set`, one
 * audited row): a coder without markers on the clip starts from the spotter's interval, so
 * moving one marker leaves a whole interval. Frames must lie within the clip and keep
 * onset ≤ apex ≤ offset.
 */
export function adjustSpot(
  db: LibraryDb,
  input: { clipId: number; coderId: number } & Partial<SpotFrames>,
): void {
  spottedClip(db, input.clipId)
  const own = readMarkers(db, input.clipId, input.coderId)
  const spotter = spotterMarkers(db, input.clipId)
  const base = {
    onset: own?.onset ?? spotter.onset,
    apex: own?.apex ?? spotter.apex,
    offset: own?.offset ?? spotter.offset,
  }
  const next = {
    onset: input.onset ?? base.onset,
    apex: input.apex ?? base.apex,
    offset: input.offset ?? base.offset,
  }
  if (!(next.onset <= next.apex && next.apex <= next.offset)) {
    throw new AppError(
      'invalid_input',
      `Onset ${next.onset}, apex ${next.apex} and offset ${next.offset} of clip ${input.clipId} are out of order`,
      {
        field: input.onset !== undefined ? 'onset' : input.apex !== undefined ? 'apex' : 'offset',
        ...next,
      },
    )
  }
  const change: MarkerChange = own === null ? next : pick(input)
  setMarkers(db, input.clipId, input.coderId, change)
}

function pick(input: Partial<SpotFrames>): MarkerChange {
  const change: MarkerChange = {}
  for (const key of ['onset', 'apex', 'offset'] as const) {
    if (input[key] !== undefined) change[key] = input[key]
  }
  return change
}

function spottedClip(db: LibraryDb, clipId: number): void {
  const row = db.prepare('SELECT recording_id FROM clips WHERE id = ?').get(clipId) as
    { recording_id: number | null } | undefined
  if (!row) throw new AppError('not_found', `There is no clip with id ${clipId}.`, { clipId })
  if (row.recording_id === null) {
    throw new AppError('invalid_input', `Clip ${clipId} was not spotted in a recording.`, {
      field: 'clipId',
      clipId,
    })
  }
}

function decidingCoder(db: LibraryDb, coderId: number): void {
  const coder = getCoder(db, coderId)
  if (coder.kind === 'import') {
    throw new AppError('conflict', `"${coder.name}" is not a person and cannot decide.`, {
      coderId,
    })
  }
}

function spotterMarkers(db: LibraryDb, clipId: number): SpotFrames {
  return db
    .prepare(
      `SELECT m.onset, m.apex, m.offset FROM markers m JOIN coders c ON c.id = m.coder_id
       WHERE m.clip_id = ? AND c.name = ?`,
    )
    .get(clipId, SPOTTER_CODER) as SpotFrames
}

/** One audited spotting decision: who, when, from and to which status, and why. */
export interface SpotDecisionEntry {
  id: number
  at: string
  coderId: number
  clipId: number
  before: SpotDecisionStatus
  after: SpotDecisionStatus
  source: string
}

/** The audit trail of spotting decisions on a clip, oldest first. */
export function spotDecisionTrail(db: LibraryDb, clipId: number): SpotDecisionEntry[] {
  const rows = db
    .prepare(
      `SELECT id, at, coder_id AS coderId, clip_id AS clipId, before, after, source FROM audit
       WHERE clip_id = ? AND entity = 'spot_decision' ORDER BY id`,
    )
    .all(clipId) as {
    id: number
    at: string
    coderId: number
    clipId: number
    before: string | null
    after: string | null
    source: string
  }[]
  const status = (json: string | null): SpotDecisionStatus =>
    json === null ? 'pending' : (JSON.parse(json) as { status: SpotDecisionStatus }).status
  return rows.map((r) => ({ ...r, before: status(r.before), after: status(r.after) }))
}
