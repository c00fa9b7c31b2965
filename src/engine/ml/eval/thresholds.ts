/**
 * Per-AU decision thresholds chosen without the test fold.
 *
 * Definition. For one AU, given probabilities s_i and labels y_i of clips whose subjects the
 * model never trained on, the chosen threshold is the t that maximises binary F1 of
 * "positive ⇔ s_i ≥ t". Candidates are the midpoints between consecutive distinct scores
 * (and just below the lowest / above the highest), so every distinct split is tried once;
 * ties go to the candidate closest to 0.5 (the paper's threshold). With no positive among
 * the clips F1 is undefined for every t, and the threshold stays 0.5.
 *
 * Inner split. For outer fold k of K, the thresholds come from a model trained on the folds
 * other than k and k+1 (mod K) and tested on fold k+1: subjects inside the training folds,
 * held out from that inner model, never the test fold k.
 */

/** The paper's threshold, kept when nothing better can be chosen. */
export const PAPER_THRESHOLD = 0.5

function f1At(scores: readonly number[], truth: readonly number[], t: number): number {
  let tp = 0
  let fp = 0
  let fn = 0
  for (let i = 0; i < scores.length; i++) {
    const predicted = scores[i] >= t
    if (predicted && truth[i] === 1) tp++
    else if (predicted) fp++
    else if (truth[i] === 1) fn++
  }
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn)
}

/** The F1-maximising threshold of one AU (see the file's definition). */
export function bestThreshold(scores: readonly number[], truth: readonly number[]): number {
  if (scores.length !== truth.length) {
    throw new RangeError(`${scores.length} scores for ${truth.length} labels`)
  }
  if (!truth.includes(1)) return PAPER_THRESHOLD
  const distinct = [...new Set(scores)].sort((a, b) => a - b)
  const candidates = [distinct[0] - 1e-6, distinct[distinct.length - 1] + 1e-6]
  for (let i = 1; i < distinct.length; i++) candidates.push((distinct[i - 1] + distinct[i]) / 2)
  let best = PAPER_THRESHOLD
  let bestF1 = -1
  for (const t of candidates) {
    const f1 = f1At(scores, truth, t)
    const closer = Math.abs(t - PAPER_THRESHOLD) < Math.abs(best - PAPER_THRESHOLD)
    if (f1 > bestF1 || (f1 === bestF1 && closer)) {
      best = t
      bestF1 = f1
    }
  }
  return Math.min(1, Math.max(0, best))
}

/** Held-out predictions: per clip the labels and the scores, in AU order. */
export interface ScoredClips {
  truth: readonly ArrayLike<number>[]
  scores: readonly ArrayLike<number>[]
}

/** One threshold per AU of `auCount`, each chosen on `held` (see {@link bestThreshold}). */
export function chooseThresholds(held: ScoredClips, auCount: number): number[] {
  return Array.from({ length: auCount }, (_, a) =>
    bestThreshold(
      held.scores.map((s) => s[a]),
      held.truth.map((t) => t[a]),
    ),
  )
}

/** The fold whose subjects choose the thresholds of outer fold `fold` (see the inner split). */
export function innerValidationFold(fold: number, folds: number): number {
  if (folds < 3) throw new RangeError(`an inner split needs at least 3 folds, got ${folds}`)
  return (fold + 1) % folds
}

/** A clip as the inner split sees it: its subject and its labels in AU order. */
export interface SplitClip {
  subjectKey: string
  labels: ArrayLike<number>
}

/**
 * The inner split of outer fold `fold`: `train`, the clips of the folds other than `fold`
 * and its inner validation fold, and `held`, the clips of the inner validation fold. The
 * test fold's clips are in neither.
 */
export function innerSplit<C extends SplitClip>(
  clips: readonly C[],
  foldOf: Readonly<Record<string, number>>,
  fold: number,
  folds: number,
): { train: C[]; held: C[] } {
  const inner = innerValidationFold(fold, folds)
  return {
    train: clips.filter((c) => foldOf[c.subjectKey] !== fold && foldOf[c.subjectKey] !== inner),
    held: clips.filter((c) => foldOf[c.subjectKey] === inner),
  }
}

/**
 * The thresholds of outer fold `fold`: `score` trains a model on the inner split's `train`
 * clips and returns its probabilities for the `held` clips (one row per clip, AU order);
 * each AU's threshold is chosen on those. Never sees the test fold.
 */
export async function foldThresholds<C extends SplitClip>(
  clips: readonly C[],
  foldOf: Readonly<Record<string, number>>,
  fold: number,
  folds: number,
  auCount: number,
  score: (train: C[], held: C[]) => Promise<number[][]>,
): Promise<number[]> {
  const { train, held } = innerSplit(clips, foldOf, fold, folds)
  const scores = await score(train, held)
  return chooseThresholds({ truth: held.map((c) => Array.from(c.labels)), scores }, auCount)
}
