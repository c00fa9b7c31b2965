import type { PredictionRow } from '../../../shared/ml'

/** A model's predictions of one clip: the frame it looked at and the probability per AU. */
export interface ClipPrediction {
  clipId: number
  /** Absolute number of the (apex) frame the prediction used. */
  frame: number
  /** AU number → probability. */
  probabilities: Map<number, number>
}

/** One model's stored predictions grouped by clip, and the AUs it predicts (ascending). */
export interface PredictionGrid {
  aus: number[]
  byClip: Map<number, ClipPrediction>
}

/**
 * Groups prediction rows (of one model) by clip. A clip predicted twice keeps the newest
 * row of each AU (rows with the later createdAt, or the later row on a tie).
 */
export function predictionGrid(rows: readonly PredictionRow[]): PredictionGrid {
  const byClip = new Map<number, ClipPrediction>()
  const stamps = new Map<string, string>()
  const aus = new Set<number>()
  for (const row of rows) {
    aus.add(row.au)
    const key = `${row.clipId}:${row.au}`
    const seen = stamps.get(key)
    if (seen !== undefined && seen > row.createdAt) continue
    stamps.set(key, row.createdAt)
    let clip = byClip.get(row.clipId)
    if (!clip) {
      clip = { clipId: row.clipId, frame: row.frame, probabilities: new Map() }
      byClip.set(row.clipId, clip)
    }
    clip.frame = row.frame
    clip.probabilities.set(row.au, row.probability)
  }
  return { aus: [...aus].sort((a, b) => a - b), byClip }
}
