import { describe, expect, it } from 'vitest'
import { Rng } from '../../../src/engine/datasets/synthetic/prng'
import {
  hasNegativePair,
  isNegativePair,
  sampleBatches,
} from '../../../src/engine/ml/data/batch-sampler'

/** 10 clips with AU1 (and AU2 on some), 2 with AU4 only: the only negative pairs are AU4–rest. */
const RARE: number[][] = [
  ...Array.from({ length: 10 }, (_, i) => [1, i % 2, 0]),
  [0, 0, 1],
  [0, 0, 1],
]

describe('the batch sampler', () => {
  it('defines negative pairs as label vectors with a zero dot product', () => {
    expect(isNegativePair([1, 0, 1], [0, 1, 0])).toBe(true)
    expect(isNegativePair([1, 1, 0], [0, 1, 0])).toBe(false)
    expect(isNegativePair([0, 0, 0], [1, 1, 1])).toBe(true)
  })

  it('puts every clip in exactly one batch and is deterministic by seed', () => {
    const a = sampleBatches(RARE, 4, new Rng(1))
    expect(a.flat().sort((x, y) => x - y)).toEqual(RARE.map((_, i) => i))
    expect(sampleBatches(RARE, 4, new Rng(1))).toEqual(a)
    expect(sampleBatches(RARE, 4, new Rng(2))).not.toEqual(a)
  })

  it('gives every batch a negative pair when the data allows it, for any seed', () => {
    for (let seed = 0; seed < 200; seed++) {
      // 2 batches of 6: each can get one of the two AU4 clips.
      for (const batch of sampleBatches(RARE, 6, new Rng(seed))) {
        expect(hasNegativePair(batch, RARE)).toBe(true)
      }
      // 3 batches of 4 but only 2 AU4 clips: exactly two batches can have a pair.
      const three = sampleBatches(RARE, 4, new Rng(seed))
      expect(three.filter((b) => hasNegativePair(b, RARE))).toHaveLength(2)
    }
  })

  it('merges a last batch of one clip into the one before', () => {
    const batches = sampleBatches(RARE.slice(0, 9), 4, new Rng(3))
    expect(batches.map((b) => b.length)).toEqual([4, 5])
  })
})
