/** Probability histograms for the Batch screen. */

/** Counts of values in equal bins over [0, 1]. */
export interface Histogram {
  /** bins + 1 edges, from 0 to 1. */
  edges: number[]
  counts: number[]
}

/**
 * A histogram of probabilities in `bins` equal bins over [0, 1]: bin i holds
 * i/bins ≤ p < (i+1)/bins, and the last bin also holds p = 1. Missing values (null, NaN)
 * and values outside [0, 1] are not counted.
 */
export function histogram(values: readonly (number | null)[], bins: number): Histogram {
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`bins must be a positive integer, not ${bins}`)
  const counts = new Array<number>(bins).fill(0)
  for (const value of values) {
    if (value === null || !Number.isFinite(value) || value < 0 || value > 1) continue
    counts[Math.min(bins - 1, Math.floor(value * bins))]++
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) => i / bins)
  return { edges, counts }
}

/** The middle of each bin. */
export function binCentres(h: Histogram): number[] {
  return h.counts.map((_, i) => (h.edges[i] + h.edges[i + 1]) / 2)
}
