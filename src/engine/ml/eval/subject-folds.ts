import { AppError } from '../../../shared/errors'
import { Rng } from '../../datasets/synthetic/prng'

/**
 * Fold of every subject (0-based), keyed by {@link subjectKey} (records written before
 * training pooled datasets key by subject code).
 */
export type FoldAssignment = Record<string, number>

/**
 * The key that tells subjects apart across pooled datasets: `<datasetId>/<subject code>`.
 * Two datasets may both have a 'sub01'; they are different people and may land in
 * different folds, while all clips of one of them stay in one fold.
 */
export function subjectKey(datasetId: number, subject: string): string {
  return `${datasetId}/${subject}`
}

/**
 * Subject-independent k-fold assignment of `clipSubjects` (one subject key per clip): every
 * subject's clips go to one fold. Subjects are
 * placed largest first (ties in a seeded order) into the fold with the fewest clips so far,
 * so folds hold about the same number of clips. Throws when there are fewer subjects than
 * folds.
 */
export function subjectFolds(
  clipSubjects: readonly string[],
  folds: number,
  seed: number,
): FoldAssignment {
  const counts = new Map<string, number>()
  for (const s of clipSubjects) counts.set(s, (counts.get(s) ?? 0) + 1)
  if (!Number.isInteger(folds) || folds < 2) {
    throw new AppError('invalid_input', `Cross-validation needs at least 2 folds, got ${folds}`)
  }
  if (counts.size < folds) {
    throw new AppError(
      'invalid_input',
      `${folds}-fold subject-independent cross-validation needs at least ${folds} subjects; the data has ${counts.size}`,
      { folds, subjects: counts.size },
    )
  }
  const order = Rng.from(seed, 'folds')
    .shuffle([...counts.keys()].sort())
    .sort((a, b) => counts.get(b)! - counts.get(a)!)
  const sizes = new Array<number>(folds).fill(0)
  const assignment: FoldAssignment = {}
  for (const subject of order) {
    let fold = 0
    for (let f = 1; f < folds; f++) if (sizes[f] < sizes[fold]) fold = f
    assignment[subject] = fold
    sizes[fold] += counts.get(subject)!
  }
  return assignment
}
