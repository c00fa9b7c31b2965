/** Coder id → clip id → the AUs that coder scored on that clip. */
export type LabelsByCoder = ReadonlyMap<number, ReadonlyMap<number, ReadonlySet<number>>>

/** No labels. */
export const NO_LABELS: ReadonlyMap<number, ReadonlySet<number>> = new Map()

/**
 * Labels from answers to "which clips did this coder score this AU on": `queries[i]` asked
 * about one coder and AU, `clipIds[i]` is the answer. Every queried coder gets an entry.
 */
export function labelsFromQueries(
  queries: readonly { coderId: number; au: number }[],
  clipIds: readonly (readonly number[])[],
): LabelsByCoder {
  const labels = new Map<number, Map<number, Set<number>>>()
  queries.forEach(({ coderId, au }, i) => {
    let byClip = labels.get(coderId)
    if (!byClip) labels.set(coderId, (byClip = new Map()))
    for (const clipId of clipIds[i] ?? []) {
      let aus = byClip.get(clipId)
      if (!aus) byClip.set(clipId, (aus = new Set()))
      aus.add(au)
    }
  })
  return labels
}

/** The labels with one coder's AUs on one clip replaced (a new value; the old is untouched). */
export function withClipLabels(
  labels: LabelsByCoder,
  coderId: number,
  clipId: number,
  aus: readonly number[],
): LabelsByCoder {
  const next = new Map(labels)
  const byClip = new Map(labels.get(coderId) ?? [])
  byClip.set(clipId, new Set(aus))
  next.set(coderId, byClip)
  return next
}
