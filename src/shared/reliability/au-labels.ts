import type { AuIntensity, AuSide } from '../facs'

/*
 * Agreement on one AU with and without its side and intensity (FACS practice: L12 against
 * R12 agrees on the AU, not on the side), and the warning for statistics that rest on too
 * few clips. Each definition below is the tooltip of its column, in the same words as the
 * function's JSDoc.
 */

/** One AU label as reliability reads it: side null = both sides, intensity null = none. */
export interface AuMark {
  au: number
  side: AuSide | null
  intensity: AuIntensity | null
}

/** Two coders' labels of one AU on one clip both coded (an empty list: not scored). */
export interface AuComparison {
  a: readonly AuMark[]
  b: readonly AuMark[]
}

/** Agreement of one pair of coders on one AU beyond its number. */
export interface AuLabelAgreement {
  /** Clips both coders scored the AU on. */
  bothScored: number
  /** Agreement ratio counting a clip as agreed only when the sides agree too. */
  withSide: number | null
  /** … only when sides and intensities agree too. */
  withSideAndIntensity: number | null
  /** Share of the clips both scored where the sides agree. */
  side: number | null
  /** Share of the clips both scored where the intensities agree. */
  intensity: number | null
}

/**
 * The fewest clips a per-AU statistic may rest on without a warning. Why 10: with n clips a
 * coder's yes/no on the AU is n decisions, and the standard error of kappa is about
 * √(pₒ(1 − pₒ) / n) / (1 − pₑ); for a typical pₒ = 0.8, pₑ = 0.5 that is 0.25 at n = 10, a
 * 95 % interval of ±0.5 that already spans "fair" to "almost perfect". Below 10 one clip
 * moves a ratio by more than 0.1, so the number says little.
 */
export const MIN_CLIPS = 10

/** Tooltip of the warning column (same words as MIN_CLIPS' JSDoc, shortened). */
export const MIN_CLIPS_DEFINITION = `Statistics that rest on fewer than ${MIN_CLIPS} clips. With ${MIN_CLIPS} clips a kappa's 95 % interval is already about ±0.5 (pₒ 0.8, pₑ 0.5), and one clip moves a ratio by 0.1; with fewer the number says little.`

/** Tooltip of the "with side" ratio (same words as the JSDoc of auLabelAgreement). */
export const SIDE_RATIO_DEFINITION =
  'Agreement ratio with side = 2·(clips both coders scored the AU on with the same sides) / (clips each scored it on). As the agreement ratio, but L12 against R12 is a disagreement. The sides of an AU on a clip are the set the coder gave it (both sides, L, R, T, B).'

/** Tooltip of the "with side and intensity" ratio. */
export const FULL_RATIO_DEFINITION =
  'Agreement ratio with side and intensity = 2·(clips both coders scored the AU on with the same sides and the same intensity on each side) / (clips each scored it on). R12B against R12C is a disagreement.'

/** Tooltip of the side agreement column. */
export const SIDE_AGREEMENT_DEFINITION =
  'Side agreement = of the clips both coders scored the AU on, the share where they gave it the same sides (both sides, L, R, T, B). Empty when no clip was scored by both.'

/** Tooltip of the intensity agreement column. */
export const INTENSITY_AGREEMENT_DEFINITION =
  'Intensity agreement = of the clips both coders scored the AU on, the share where they gave it the same intensity letters (A–E, or none), sides aside. Empty when no clip was scored by both.'

/** Tooltip of the clips-both-scored column. */
export const BOTH_SCORED_DEFINITION =
  'Clips on which both coders of a pair scored the AU, added up over the pairs (with two coders: the clips both scored it on). Side and intensity agreement rest on these.'

/**
 * One pair's agreement on an AU over the clips both coded. With A and B the clips each coder
 * scored the AU on and S the clips both scored it on with the same sides (the set of sides
 * of the coder's labels of the AU), F those also with the same intensity per side, and I the
 * clips both scored with the same intensity letters (sides aside):
 * withSide = 2·|S| / (|A| + |B|), withSideAndIntensity = 2·|F| / (|A| + |B|),
 * side = |S| / |A∩B|, intensity = |I| / |A∩B|; null where the denominator is 0.
 */
export function auLabelAgreement(comparisons: readonly AuComparison[]): AuLabelAgreement {
  let scored = 0
  let both = 0
  let sameSide = 0
  let sameAll = 0
  let sameIntensity = 0
  for (const { a, b } of comparisons) {
    scored += (a.length > 0 ? 1 : 0) + (b.length > 0 ? 1 : 0)
    if (a.length === 0 || b.length === 0) continue
    both++
    if (sidesOf(a) === sidesOf(b)) sameSide++
    if (fullOf(a) === fullOf(b)) sameAll++
    if (intensitiesOf(a) === intensitiesOf(b)) sameIntensity++
  }
  const share = (n: number, of: number) => (of === 0 ? null : n / of)
  return {
    bothScored: both,
    withSide: share(2 * sameSide, scored),
    withSideAndIntensity: share(2 * sameAll, scored),
    side: share(sameSide, both),
    intensity: share(sameIntensity, both),
  }
}

/**
 * The warning of a per-AU row, or null: which statistics rest on fewer than MIN_CLIPS clips
 * (`shared`: clips coded by at least two coders, under the ratio and kappas; `bothScored`:
 * clips both coders scored the AU on, under side and intensity agreement, not warned when 0
 * since those columns are then empty).
 */
export function fewClipsWarning(shared: number, bothScored: number): string | null {
  const parts: string[] = []
  if (shared < MIN_CLIPS) parts.push(`ratio and κ rest on ${clips(shared)} coded by two`)
  if (bothScored > 0 && bothScored < MIN_CLIPS) {
    parts.push(`side and intensity on ${clips(bothScored)} both scored`)
  }
  return parts.length === 0 ? null : `Fewer than ${MIN_CLIPS} clips: ${parts.join('; ')}.`
}

function clips(n: number): string {
  return `${n} clip${n === 1 ? '' : 's'}`
}

function sidesOf(marks: readonly AuMark[]): string {
  return marks
    .map((m) => m.side ?? 'both')
    .sort()
    .join(',')
}

function intensitiesOf(marks: readonly AuMark[]): string {
  return marks
    .map((m) => m.intensity ?? '-')
    .sort()
    .join(',')
}

function fullOf(marks: readonly AuMark[]): string {
  return marks
    .map((m) => `${m.side ?? 'both'}${m.intensity ?? '-'}`)
    .sort()
    .join(',')
}
