import type { Job } from '../../../shared/domain'

/**
 * The live charts of a training job, built from its progress reports. A training job
 * reports after every epoch (the epoch's mean loss terms) and at most every 0.5 s within
 * an epoch (the last step's terms and `learningRate`); `done` counts finished epochs over
 * all models (folds, then the final model; variants one after the other in an ablation)
 * and the message names the step ("… step 3/7 …"). Fold F1 arrives as `foldF1_<n>` once
 * fold n has been tested.
 */

/** The loss terms a job may report, in legend order, with what each measures. */
export const LOSS_TERMS: readonly { key: string; label: string; definition: string }[] = [
  { key: 'total', label: 'total', definition: 'The loss minimised: BCE + λ × the variant’s terms' },
  { key: 'bceApex', label: 'BCE apex', definition: 'AU binary cross-entropy on apex frames' },
  {
    key: 'bceClose',
    label: 'BCE close',
    definition: 'AU binary cross-entropy on close-to-apex frames',
  },
  { key: 'oa', label: 'L_OA', definition: 'Intra-contrastive: onset pushed away from apex' },
  { key: 'oc', label: 'L_OC', definition: 'Intra-contrastive: onset pushed away from close' },
  { key: 'ac', label: 'L_AC', definition: 'Intra-contrastive: apex pulled towards close' },
  { key: 'na', label: 'L_NA', definition: 'Inter-contrastive: clips sharing no AU pushed apart' },
  { key: 'cl', label: 'CL', definition: 'Hadsell contrastive loss on apex pairs' },
  { key: 'tl', label: 'TL', definition: 'FaceNet triplet loss' },
]

/** Loss terms over training progress: x in epochs done, one column per term seen. */
export interface LossHistory {
  /** Epochs done over all models when the report came, with the step's fraction. */
  x: number[]
  /** Per term key, one value per x (null where a report did not carry the term). */
  terms: Record<string, (number | null)[]>
}

/** Fold F1 as it comes in: per series (the variant in an ablation), fold → mean F1. */
export type FoldF1 = Record<string, Record<number, number>>

/** An empty history. */
export function emptyHistory(): LossHistory {
  return { x: [], terms: {} }
}

/** The step fraction a progress message names ("step 3/7" → 3/7), or 0. */
export function stepFraction(message: string | undefined): number {
  const match = /\bstep (\d+)\/(\d+)\b/.exec(message ?? '')
  if (!match) return 0
  const [step, steps] = [Number(match[1]), Number(match[2])]
  return steps > 0 ? Math.min(1, step / steps) : 0
}

/** Where a report sits on the x axis: epochs done plus the step's share of the next one. */
export function reportX(progress: NonNullable<Job['progress']>): number {
  const fraction = stepFraction(progress.message)
  // A step report of the epoch's last step would land on the epoch's end; keep it below.
  return progress.done + Math.min(fraction, 0.999)
}

/**
 * The history with one report added. Reports without loss terms (data preparation) are
 * left out. A report at or before the last x (a resumed job restarts from its last
 * checkpoint) drops the points after it, so the curve continues from the checkpoint.
 */
export function addReport(history: LossHistory, progress: Job['progress']): LossHistory {
  if (!progress?.metrics) return history
  const present = LOSS_TERMS.filter((t) => typeof progress.metrics?.[t.key] === 'number')
  if (present.length === 0) return history
  const x = reportX(progress)
  let keep = history.x.length
  while (keep > 0 && history.x[keep - 1] >= x) keep--
  const terms: Record<string, (number | null)[]> = {}
  const keys = new Set([...Object.keys(history.terms), ...present.map((t) => t.key)])
  for (const key of keys) {
    const old = history.terms[key] ?? new Array<number | null>(history.x.length).fill(null)
    const value = progress.metrics[key]
    terms[key] = [...old.slice(0, keep), typeof value === 'number' ? value : null]
  }
  return { x: [...history.x.slice(0, keep), x], terms }
}

/** The series name of a report: the variant an ablation is training, else `fallback`. */
export function seriesOf(message: string | undefined, fallback: string): string {
  const match = /^(\w+) \(\d+\/\d+\)/.exec(message ?? '')
  return match ? match[1] : fallback
}

/** Fold F1 with a report's `foldF1_<n>` values merged in. */
export function addFoldF1(folds: FoldF1, progress: Job['progress'], fallback: string): FoldF1 {
  if (!progress?.metrics) return folds
  const series = seriesOf(progress.message, fallback)
  let changed = false
  const next: Record<number, number> = { ...(folds[series] ?? {}) }
  for (const [key, value] of Object.entries(progress.metrics)) {
    const match = /^foldF1_(\d+)$/.exec(key)
    if (match && next[Number(match[1])] !== value) {
      next[Number(match[1])] = value
      changed = true
    }
  }
  return changed ? { ...folds, [series]: next } : folds
}

/** Chart columns of fold F1: x = fold numbers, then one column per series. */
export function foldColumns(folds: FoldF1): {
  x: number[]
  series: string[]
  y: (number | null)[][]
} {
  const series = Object.keys(folds)
  const x = [...new Set(series.flatMap((s) => Object.keys(folds[s]).map(Number)))].sort(
    (a, b) => a - b,
  )
  return { x, series, y: series.map((s) => x.map((f) => folds[s][f] ?? null)) }
}
