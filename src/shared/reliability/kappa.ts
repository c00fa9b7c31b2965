import { cohenKappa, confusionCounts } from '../metrics'

/** Tooltip of Cohen's kappa columns (same words as the JSDoc of pairKappa). */
export const COHEN_KAPPA_DEFINITION =
  "Cohen's kappa = (pₒ − pₑ) / (1 − pₑ): how much more two coders agree than chance would make them, on yes/no decisions (AU scored or not). pₒ is the share of decisions they agree on, pₑ the agreement expected from how often each says yes. 1 = perfect, 0 = chance level, below 0 = worse than chance. Empty when undefined (both coders gave every decision the same answer)."

/** Tooltip of Fleiss' kappa columns (same words as the JSDoc of fleissKappa). */
export const FLEISS_KAPPA_DEFINITION =
  "Fleiss' kappa = (P̄ − P̄ₑ) / (1 − P̄ₑ): Cohen's idea for three or more coders. P̄ is the mean share of coder pairs that agree on a decision, P̄ₑ the agreement expected by chance from how often each answer is given overall. Only decisions every chosen coder made count. Empty when undefined."

/**
 * Cohen's kappa of two coders' yes/no decisions (1 = scored, 0 = not), from the shared
 * metrics: (pₒ − pₑ) / (1 − pₑ). Null when undefined (no decisions, or both coders gave
 * every decision the same single answer, so pₑ = 1).
 */
export function pairKappa(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  const kappa = cohenKappa(confusionCounts(a, b))
  return Number.isNaN(kappa) ? null : kappa
}

/**
 * Fleiss' kappa (Fleiss 1971) from a table of counts: `counts[i][j]` coders put item i in
 * category j, and every item was rated by the same number n ≥ 2 of coders. With N items,
 * P_i = (Σ_j counts[i][j]² − n) / (n(n − 1)), P̄ = mean P_i, p_j = Σ_i counts[i][j] / (N·n),
 * P̄ₑ = Σ_j p_j²: κ = (P̄ − P̄ₑ) / (1 − P̄ₑ). Null when there are no items, fewer than two
 * raters, or P̄ₑ = 1 (every rating fell in one category). Throws a RangeError when the items
 * have different numbers of ratings.
 */
export function fleissKappa(counts: readonly (readonly number[])[]): number | null {
  if (counts.length === 0) return null
  const raters = sum(counts[0])
  if (raters < 2) return null
  const totals = new Array<number>(counts[0].length).fill(0)
  let agreement = 0
  for (const [i, row] of counts.entries()) {
    if (sum(row) !== raters || row.length !== totals.length) {
      throw new RangeError(
        `item ${i} has ${sum(row)} ratings in ${row.length} categories, expected ${raters} in ${totals.length}`,
      )
    }
    let squares = 0
    row.forEach((count, j) => {
      squares += count * count
      totals[j] += count
    })
    agreement += (squares - raters) / (raters * (raters - 1))
  }
  const observed = agreement / counts.length
  const chance = totals.reduce((s, t) => s + (t / (counts.length * raters)) ** 2, 0)
  return chance === 1 ? null : (observed - chance) / (1 - chance)
}

/**
 * Fleiss' kappa of yes/no decisions: `decisions[c][i]` is 1 when coder c scored item i. Every
 * coder must have decided every item (equal lengths).
 */
export function binaryFleissKappa(decisions: readonly ArrayLike<number>[]): number | null {
  if (decisions.length === 0) return null
  const items = decisions[0].length
  const counts: number[][] = []
  for (let i = 0; i < items; i++) {
    let yes = 0
    for (const coder of decisions) {
      if (coder.length !== items) {
        throw new RangeError(`coders decided ${coder.length} and ${items} items`)
      }
      yes += coder[i]
    }
    counts.push([yes, decisions.length - yes])
  }
  return fleissKappa(counts)
}

function sum(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0)
}
