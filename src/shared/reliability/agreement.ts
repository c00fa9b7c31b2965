/**
 * Tooltip of every column that reports the FACS agreement ratio (same words as the JSDoc of
 * agreementRatio below).
 */
export const AGREEMENT_RATIO_DEFINITION =
  'FACS agreement ratio = 2·|A∩B| / (|A| + |B|): twice the number of AUs both coders scored, divided by the number of AUs each scored, added up. AUs are compared by number; side and intensity are ignored. 1 = the same AUs, 0 = no AU in common. Empty when neither coder scored an AU.'

/**
 * The FACS agreement ratio of two coders (Ekman & Friesen): 2·|A∩B| / (|A| + |B|), where A
 * and B are the sets of AU numbers each scored (side and intensity ignored, repeats counted
 * once). 1 when the sets are equal, 0 when they share nothing; null when both are empty
 * (0/0: there is nothing to agree on). The same formula over sets of clip ids gives the
 * per-AU ratio of a dataset (2·clips both scored the AU / clips each scored it).
 */
export function agreementRatio(a: Iterable<number>, b: Iterable<number>): number | null {
  const setA = new Set(a)
  const setB = new Set(b)
  const total = setA.size + setB.size
  if (total === 0) return null
  let both = 0
  for (const value of setA) if (setB.has(value)) both++
  return (2 * both) / total
}
