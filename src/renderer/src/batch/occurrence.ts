import type { BatchTable } from '../../../shared/ml'

/** How often each AU occurs per participant. */
export interface Occurrence {
  /** Participants in the table's order of first appearance. */
  subjects: string[]
  /** Clips per participant. */
  clips: number[]
  /**
   * shares[a][s]: of participant s's clips with a probability for AU a, the share with
   * p ≥ the AU's threshold (null when the participant has no such clip).
   */
  shares: (number | null)[][]
}

/**
 * AU occurrence per participant: for each AU and participant, the share of the
 * participant's clips where the model's probability reaches the AU's threshold (the table's:
 * the model's chosen thresholds, else 0.5; see shared/decision-thresholds.ts). Missing
 * probabilities (null, NaN) are left out of both counts.
 */
export function occurrenceBySubject(table: BatchTable): Occurrence {
  const subjects: string[] = []
  const index = new Map<string, number>()
  for (const row of table.rows) {
    if (!index.has(row.subject)) {
      index.set(row.subject, subjects.length)
      subjects.push(row.subject)
    }
  }
  const clips = subjects.map(() => 0)
  const yes = table.aus.map(() => subjects.map(() => 0))
  const known = table.aus.map(() => subjects.map(() => 0))
  for (const row of table.rows) {
    const s = index.get(row.subject)!
    clips[s]++
    row.probabilities.forEach((p, a) => {
      if (p === null || !Number.isFinite(p)) return
      known[a][s]++
      if (p >= table.thresholds.values[a]) yes[a][s]++
    })
  }
  const shares = yes.map((counts, a) =>
    counts.map((count, s) => (known[a][s] === 0 ? null : count / known[a][s])),
  )
  return { subjects, clips, shares }
}
