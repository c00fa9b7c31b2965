import type { BatchParticipant, BatchRow, BatchRowKind } from './ml'

/** Where an event lies in time: seconds from the video's start, and its length. */
export interface EventTimes {
  onset: number | null
  apex: number | null
  offset: number | null
  /** (offset − onset + 1) / fps × 1000: the time the frames onset…offset cover, in ms. */
  durationMs: number | null
}

/**
 * Seconds from the video's start of a 1-based frame number: (frame − 1) / fps, the time the
 * frame is shown. Example: frame 201 at 200 fps → 1 s.
 */
export function frameSeconds(frame: number | null, fps: number): number | null {
  return frame === null || !(fps > 0) ? null : (frame - 1) / fps
}

/**
 * The onset, apex and offset of a row in seconds, and its duration in ms, counting both ends:
 * (offset − onset + 1) / fps × 1000. Example: onset 201, offset 260 at 200 fps → 300 ms.
 */
export function eventTimes(row: Pick<BatchRow, 'onset' | 'apex' | 'offset' | 'fps'>): EventTimes {
  const { onset, offset, fps } = row
  return {
    onset: frameSeconds(onset, fps),
    apex: frameSeconds(row.apex, fps),
    offset: frameSeconds(offset, fps),
    durationMs:
      onset === null || offset === null || !(fps > 0) ? null : ((offset - onset + 1) / fps) * 1000,
  }
}

/** 1 when the probability reaches the threshold (the AU is present), 0 below it, null unknown. */
export function auPresent(probability: number, threshold: number): 0 | 1 | null {
  if (!Number.isFinite(probability)) return null
  return probability >= threshold ? 1 : 0
}

/**
 * Per participant (in the rows' order of first appearance): the videos they have rows of,
 * their events per kind, and per AU how many of their events show it (probability ≥ the AU's
 * threshold; an unknown probability counts as not shown).
 */
export function participantCounts(
  rows: readonly BatchRow[],
  thresholds: readonly number[],
): BatchParticipant[] {
  const bySubject = new Map<string, BatchParticipant & { files: Set<string> }>()
  for (const row of rows) {
    let p = bySubject.get(row.subject)
    if (!p) {
      const events: Record<BatchRowKind, number> = { micro: 0, macro: 0, clip: 0 }
      p = {
        subject: row.subject,
        videos: 0,
        events,
        auCounts: thresholds.map(() => 0),
        files: new Set(),
      }
      bySubject.set(row.subject, p)
    }
    p.files.add(row.file ?? row.video)
    p.events[row.kind]++
    thresholds.forEach((t, a) => {
      if (auPresent(row.probabilities[a], t) === 1) p.auCounts[a]++
    })
  }
  return [...bySubject.values()].map(({ files, ...p }) => ({ ...p, videos: files.size }))
}
