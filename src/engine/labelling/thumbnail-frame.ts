import type { CoderKind } from '../../shared/coding'
import type { StoredCodes } from '../db/queries/codes'

/**
 * The frame a clip's library card shows: the apex of the adjudicated layer, else of a person,
 * else of a sheet (lowest coder id first within a kind); with no apex, the middle frame.
 */
export function thumbnailFrame(
  clip: { firstFrame: number; frameCount: number },
  coded: readonly [number, StoredCodes][],
  kindOf: (id: number) => CoderKind,
): number {
  const rank: Record<CoderKind, number> = { adjudicated: 0, human: 1, import: 2 }
  const apexes = coded
    .filter(([, c]) => c.markers?.apex != null)
    .sort(([a], [b]) => rank[kindOf(a)] - rank[kindOf(b)] || a - b)
  return apexes[0]?.[1].markers?.apex ?? clip.firstFrame + Math.floor(clip.frameCount / 2)
}
