/**
 * Which decision thresholds turn a model's probabilities into yes / no (p ≥ t), for Review
 * and Batch alike:
 * - by default the model's own: per AU, the thresholds its training chose on subjects held
 *   out inside the training folds, saved in its record as `thresholds` (see
 *   engine/ml/eval/thresholds.ts); an AU the record gives none gets 0.5;
 * - 0.5 for every AU when the record holds no chosen thresholds (trained without an inner
 *   split, whose record says `thresholdsChosenOn: 'none: …'`, or before thresholds existed);
 * - one value for every AU when the user sets it.
 */

/** The paper's threshold, used where a model chose none. */
export const DEFAULT_THRESHOLD = 0.5

/** The thresholds in use, one per AU of a list, and where they come from. */
export interface DecisionThresholds {
  /** Per AU, in the order of the AU list asked for. */
  values: number[]
  /** 'model': the model's chosen thresholds; 'default': 0.5 (none chosen); 'user': set. */
  source: 'model' | 'default' | 'user'
}

const isThreshold = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1

/**
 * The model's chosen thresholds from its training record (AU → threshold), or null when the
 * record holds none (no `thresholds`, or `thresholdsChosenOn` says none were chosen).
 */
export function chosenThresholdsOf(record: unknown): Record<string, number> | null {
  if (typeof record !== 'object' || record === null) return null
  const { thresholds, thresholdsChosenOn } = record as Record<string, unknown>
  if (typeof thresholdsChosenOn === 'string' && thresholdsChosenOn.startsWith('none')) return null
  if (typeof thresholds !== 'object' || thresholds === null) return null
  const chosen = Object.entries(thresholds).filter(([, v]) => isThreshold(v))
  return chosen.length > 0 ? (Object.fromEntries(chosen) as Record<string, number>) : null
}

/**
 * The thresholds in use for `aus` under a model's record: the user's `override` when given,
 * else the model's chosen ones, else 0.5 for every AU.
 */
export function decisionThresholds(
  record: unknown,
  aus: readonly string[],
  override?: number,
): DecisionThresholds {
  const chosen = chosenThresholdsOf(record)
  return {
    values: aus.map((au) => thresholdOf(chosen, au, override)),
    source: override !== undefined ? 'user' : chosen ? 'model' : 'default',
  }
}

/**
 * One AU's threshold: the user's `override` when given, else the model's chosen one
 * ({@link chosenThresholdsOf}), else 0.5.
 */
export function thresholdOf(
  chosen: Readonly<Record<string, number>> | null,
  au: string | number,
  override?: number,
): number {
  return override ?? chosen?.[String(au)] ?? DEFAULT_THRESHOLD
}

/** Where the thresholds in use come from, in words for a screen or a report. */
export function thresholdSourceText(source: DecisionThresholds['source']): string {
  if (source === 'model') return "the model's thresholds, chosen per AU on held-out subjects"
  if (source === 'user') return 'one threshold for every AU, set by the user'
  return '0.5 for every AU: the model has no chosen thresholds'
}
