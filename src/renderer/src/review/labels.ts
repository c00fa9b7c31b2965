import type { ClipLabel } from '../../../shared/coding'

/** Coder id → clip id → the AUs that coder scored on that clip. */
export type LabelsByCoder = ReadonlyMap<number, ReadonlyMap<number, ReadonlySet<number>>>

/** No labels. */
export const NO_LABELS: ReadonlyMap<number, ReadonlySet<number>> = new Map()

/**
 * Labels grouped by coder and clip, from the rows `labels.list` answers (a label scored on
 * both sides counts once). Every coder of `coderIds` gets an entry, with or without labels.
 */
export function labelsByCoder(
  rows: readonly Pick<ClipLabel, 'clipId' | 'coderId' | 'au'>[],
  coderIds: readonly number[],
): LabelsByCoder {
  const labels = new Map<number, Map<number, Set<number>>>(coderIds.map((id) => [id, new Map()]))
  for (const { clipId, coderId, au } of rows) {
    const byClip = labels.get(coderId)
    if (!byClip) continue
    let aus = byClip.get(clipId)
    if (!aus) byClip.set(clipId, (aus = new Set()))
    aus.add(au)
  }
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
