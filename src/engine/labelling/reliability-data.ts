import type { CoderKind } from '../../shared/coding'
import {
  reliabilityReport,
  type ReliabilityClip,
  type ReliabilityReport,
} from '../../shared/reliability'
import type { LibraryDb } from '../db/open-library'
import { datasetAus, getClipRecord } from '../db/queries/clip-frames'
import { readCodesOfClips, type StoredCodes } from '../db/queries/codes'
import { getCoder, listCoders } from '../db/queries/coders'
import { getDataset } from '../db/queries/datasets'
import { readLibraryClips } from '../db/queries/library'
import { hasCoded } from './clip-status'

/**
 * The reliability of coders on one clip. Without `coderIds`: every coder who coded it
 * except the adjudicated layer (it settles disagreements, it is not a rater).
 */
export function clipReliability(
  db: LibraryDb,
  clipId: number,
  coderIds?: readonly number[],
): ReliabilityReport {
  const clip = getClipRecord(db, clipId)
  return report(db, [clip], clip.datasetId, coderIds)
}

/** The reliability of coders over a dataset's clips (same choice of coders as above). */
export function datasetReliability(
  db: LibraryDb,
  datasetId: number,
  coderIds?: readonly number[],
): ReliabilityReport {
  getDataset(db, datasetId)
  return report(db, readLibraryClips(db, datasetId), datasetId, coderIds)
}

function report(
  db: LibraryDb,
  clips: readonly { id: number; subject: string; name: string; fps: number }[],
  datasetId: number,
  coderIds: readonly number[] | undefined,
): ReliabilityReport {
  for (const id of coderIds ?? []) getCoder(db, id)
  const codes = readCodesOfClips(
    db,
    clips.map((c) => c.id),
  )
  const reliabilityClips: ReliabilityClip[] = clips.map((clip) => ({
    clipId: clip.id,
    label: `${clip.subject}/${clip.name}`,
    fps: clip.fps,
    codes: [...(codes.get(clip.id) ?? new Map<number, StoredCodes>())]
      .filter(([, c]) => hasCoded(c))
      .map(([coderId, c]) => ({
        coderId,
        aus: c.labels.map((l) => l.au),
        labels: c.labels,
        markers: {
          onset: c.markers?.onset ?? null,
          apex: c.markers?.apex ?? null,
          offset: c.markers?.offset ?? null,
        },
      })),
  }))
  const raters = new Set<CoderKind>(['human', 'import'])
  const chosen =
    coderIds ??
    listCoders(db)
      .filter((c) => raters.has(c.kind))
      .map((c) => c.id)
      .filter((id) => reliabilityClips.some((clip) => clip.codes.some((c) => c.coderId === id)))
  return reliabilityReport(reliabilityClips, chosen, datasetAus(db, datasetId))
}
