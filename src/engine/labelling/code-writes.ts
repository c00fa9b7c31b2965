import type { AuCode, Markers } from '../../shared/coding'
import { AppError } from '../../shared/errors'
import { auDisplayName, isKnownAu, type AuSide } from '../../shared/facs'
import type { LibraryDb } from '../db/open-library'
import { auditedWrite } from '../db/queries/audit'
import { getClipRecord, hasFrame, type ClipRecord } from '../db/queries/clip-frames'
import {
  deleteLabel,
  findLabel,
  insertLabel,
  readLabels,
  readMarkers,
  updateLabel,
  writeMarkers,
} from '../db/queries/codes'
import { getCoder } from '../db/queries/coders'

/*
 * The coder's edits. Each call changes at most one row (so one undo step is one change), in
 * one transaction whose audit entries carry the source 'manual' (or the source the caller
 * names, e.g. 'model:<id>' when a prediction is accepted). A call that would change nothing
 * writes nothing.
 */

const MANUAL = 'manual'

/** Which markers a call sets: a frame number, null to clear, absent to keep. */
export type MarkerChange = Partial<Pick<Markers, 'onset' | 'apex' | 'offset'>>

/** Sets some of a coder's markers on a clip; each frame must be one of the clip's frames. */
export function setMarkers(
  db: LibraryDb,
  clipId: number,
  coderId: number,
  change: MarkerChange,
): void {
  auditedWrite(db, MANUAL, () => {
    const clip = editableClip(db, clipId, coderId)
    for (const which of ['onset', 'apex', 'offset'] as const) {
      const frame = change[which]
      if (typeof frame === 'number' && !hasFrame(db, clipId, frame)) {
        throw new AppError(
          'invalid_input',
          `Frame ${frame} is not a frame of clip ${clip.subject}/${clip.name} (frames ${clip.firstFrame}–${clip.firstFrame + clip.frameCount - 1}), so it cannot be the ${which}.`,
          { field: which, frame, clipId },
        )
      }
    }
    const before = readMarkers(db, clipId, coderId)
    const after: Markers = {
      onset: change.onset !== undefined ? change.onset : (before?.onset ?? null),
      apex: change.apex !== undefined ? change.apex : (before?.apex ?? null),
      offset: change.offset !== undefined ? change.offset : (before?.offset ?? null),
      // A coder who sets the apex has coded it.
      apexEstimated: change.apex !== undefined ? false : (before?.apexEstimated ?? false),
    }
    const unchanged = before
      ? before.onset === after.onset &&
        before.apex === after.apex &&
        before.offset === after.offset &&
        before.apexEstimated === after.apexEstimated
      : after.onset === null && after.apex === null && after.offset === null
    if (!unchanged) writeMarkers(db, clipId, coderId, after)
  })
}

/**
 * Scores an AU (adds it, or changes its side or intensity). `fromSide` names the side the
 * label has now when the call moves it to another side; without it the label is found by
 * `code.side`.
 */
export function setLabel(
  db: LibraryDb,
  clipId: number,
  coderId: number,
  code: AuCode,
  fromSide?: AuSide | null,
): void {
  auditedWrite(db, MANUAL, () => {
    editableClip(db, clipId, coderId)
    checkAu(code.au)
    const currentSide = fromSide === undefined ? code.side : fromSide
    const current = findLabel(db, clipId, coderId, code.au, currentSide)
    if (currentSide !== code.side && findLabel(db, clipId, coderId, code.au, code.side)) {
      throw new AppError(
        'conflict',
        `${auDisplayName(code.au)} is already scored on ${sideWords(code.side)}.`,
        { au: code.au, side: code.side },
      )
    }
    if (!current) insertLabel(db, clipId, coderId, code)
    else if (current.side !== code.side || current.intensity !== code.intensity) {
      updateLabel(db, clipId, coderId, current, code)
    }
  })
}

/** Removes the label of an AU on one side (null: both sides), if there is one. */
export function removeLabel(
  db: LibraryDb,
  clipId: number,
  coderId: number,
  au: number,
  side: AuSide | null,
): void {
  auditedWrite(db, MANUAL, () => {
    editableClip(db, clipId, coderId)
    deleteLabel(db, clipId, coderId, { au, side })
  })
}

/**
 * Scores an AU on both sides with no intensity (the "add" of {@link toggleLabel}) unless the
 * coder already scored it on any side; audited with `source`. Returns whether it wrote.
 */
export function addLabel(
  db: LibraryDb,
  clipId: number,
  coderId: number,
  au: number,
  source: string = MANUAL,
): boolean {
  return auditedWrite(db, source, () => {
    editableClip(db, clipId, coderId)
    checkAu(au)
    if (readLabels(db, clipId, coderId).some((l) => l.au === au)) return false
    insertBothSides(db, clipId, coderId, au)
    return true
  })
}

/**
 * The number keys' action: scores an AU on both sides when the coder has not scored it, or
 * removes it when they have. An AU scored on several sides is removed side by side instead.
 */
export function toggleLabel(db: LibraryDb, clipId: number, coderId: number, au: number): void {
  auditedWrite(db, MANUAL, () => {
    editableClip(db, clipId, coderId)
    checkAu(au)
    const existing = readLabels(db, clipId, coderId).filter((l) => l.au === au)
    if (existing.length === 0) insertBothSides(db, clipId, coderId, au)
    else if (existing.length === 1) deleteLabel(db, clipId, coderId, existing[0])
    else {
      throw new AppError(
        'conflict',
        `${auDisplayName(au)} is scored on ${existing.map((l) => sideWords(l.side)).join(' and ')}: remove each in the AU panel.`,
        { au },
      )
    }
  })
}

/** The clip, after checking that the coder may edit codes (import sheets are read-only). */
export function editableClip(db: LibraryDb, clipId: number, coderId: number): ClipRecord {
  const coder = getCoder(db, coderId)
  const clip = getClipRecord(db, clipId)
  if (coder.kind === 'import') {
    throw new AppError(
      'conflict',
      `"${coder.name}" holds the codes of an imported sheet and cannot be edited. Code as yourself, or in an adjudicated layer.`,
      { coderId },
    )
  }
  return clip
}

function insertBothSides(db: LibraryDb, clipId: number, coderId: number, au: number): void {
  insertLabel(db, clipId, coderId, { au, side: null, intensity: null })
}

function checkAu(au: number): void {
  if (!isKnownAu(au)) {
    throw new AppError('invalid_input', `FACS has no AU ${au}.`, { field: 'au', au })
  }
}

const SIDE_WORDS: Record<AuSide, string> = {
  L: 'the left side',
  R: 'the right side',
  T: 'the top',
  B: 'the bottom',
}

function sideWords(side: AuSide | null): string {
  return side === null ? 'both sides' : SIDE_WORDS[side]
}
