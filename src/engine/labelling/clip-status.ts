import type { ClipStatus, CoderKind } from '../../shared/coding'
import type { StoredCodes } from '../db/queries/codes'

/** Whether a coder's codes on a clip say anything: a marker set or an AU scored. */
export function hasCoded(codes: StoredCodes): boolean {
  const m = codes.markers
  return codes.labels.length > 0 || (m !== null && (m.onset ?? m.apex ?? m.offset) !== null)
}

/**
 * Where a clip stands. 'adjudicated' once the adjudicated layer coded it; otherwise, among
 * the coders of other kinds who coded it: none → 'predicted' when a model scored it, else
 * 'unlabelled'; one → 'single'; several → 'disputed' when their AU sets (by number) differ,
 * else 'several'.
 */
export function clipStatus(
  codes: ReadonlyMap<number, StoredCodes>,
  kindOf: (coderId: number) => CoderKind,
  predicted: boolean,
): ClipStatus {
  const coded = [...codes].filter(([, c]) => hasCoded(c))
  if (coded.some(([id]) => kindOf(id) === 'adjudicated')) return 'adjudicated'
  if (coded.length === 0) return predicted ? 'predicted' : 'unlabelled'
  if (coded.length === 1) return 'single'
  const sets = coded.map(([, c]) => auKey(c))
  return sets.every((s) => s === sets[0]) ? 'several' : 'disputed'
}

function auKey(codes: StoredCodes): string {
  return [...new Set(codes.labels.map((l) => l.au))].sort((a, b) => a - b).join('+')
}
