import type { CvMetrics } from './ml'

/** One fold × AU pair where a fold gave every test clip the same answer. */
export interface CollapsedPair {
  fold: number
  au: string
  /** `none`: no clip predicted positive; `all`: every clip predicted positive. */
  kind: 'none' | 'all'
}

/** The fold × AU pairs of `metrics` whose fold answered every test clip the same way. */
export function collapsedPairs(metrics: Pick<CvMetrics, 'perFold'>): CollapsedPair[] {
  return metrics.perFold.flatMap((f) => [
    ...f.ausWithoutPredictedPositives.map((au): CollapsedPair => ({
      fold: f.fold,
      au,
      kind: 'none',
    })),
    ...(f.ausOnlyPredictedPositive ?? []).map((au): CollapsedPair => ({
      fold: f.fold,
      au,
      kind: 'all',
    })),
  ])
}

/**
 * The collapse guard's notice, in words, or null when no fold collapsed. A fold that
 * predicts no positive (or only positives) for an AU has not separated that AU's clips at
 * all there: its F1 for the AU is 0 (or the all-positive floor 2b / (1 + b)) whatever the
 * clips show. Counted over fold × AU pairs at the paper's threshold 0.5.
 */
export function collapseNotice(metrics: Pick<CvMetrics, 'perFold' | 'auList'>): string | null {
  const pairs = collapsedPairs(metrics)
  if (pairs.length === 0) return null
  const total = metrics.perFold.length * metrics.auList.length
  const none = pairs.filter((p) => p.kind === 'none')
  const all = pairs.filter((p) => p.kind === 'all')
  const list = (ps: CollapsedPair[]) => ps.map((p) => `fold ${p.fold} AU ${p.au}`).join(', ')
  const parts = [
    none.length > 0 ? `predicted no clip positive in ${none.length} (${list(none)})` : null,
    all.length > 0 ? `predicted every clip positive in ${all.length} (${list(all)})` : null,
  ].filter((x): x is string => x !== null)
  return (
    `Collapse: of ${total} fold × AU pairs at threshold 0.5, the model ${parts.join(' and ')}. ` +
    'There it did not tell the clips apart, and the F1 of those AUs says nothing about what ' +
    'it learnt. More clips of those AUs, a pretrained start (the face preset) or the ' +
    'thresholds chosen on held-out subjects may help.'
  )
}
