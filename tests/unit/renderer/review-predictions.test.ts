import { describe, expect, it } from 'vitest'
import { predictionGrid } from '../../../src/renderer/src/review/predictions'

const row = (clipId: number, au: number, probability: number, createdAt = 't1', frame = 5) => ({
  modelId: 1,
  clipId,
  frame,
  au,
  probability,
  createdAt,
})

describe('predictionGrid', () => {
  it('groups by clip with the AUs ascending', () => {
    const grid = predictionGrid([row(2, 12, 0.1), row(2, 1, 0.7), row(3, 4, 0.2, 't1', 9)])
    expect(grid.aus).toEqual([1, 4, 12])
    expect([...grid.byClip.keys()]).toEqual([2, 3])
    expect(grid.byClip.get(2)!.probabilities.get(1)).toBe(0.7)
    expect(grid.byClip.get(3)!.frame).toBe(9)
  })
  it('keeps the newest row when a clip was predicted twice', () => {
    const grid = predictionGrid([row(2, 1, 0.7, 't2', 8), row(2, 1, 0.2, 't1', 5)])
    expect(grid.byClip.get(2)!.probabilities.get(1)).toBe(0.7)
    expect(grid.byClip.get(2)!.frame).toBe(8)
  })
})
