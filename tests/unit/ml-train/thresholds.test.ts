import { describe, expect, it } from 'vitest'
import {
  bestThreshold,
  chooseThresholds,
  foldThresholds,
  innerSplit,
  innerValidationFold,
  PAPER_THRESHOLD,
} from '../../../src/engine/ml/eval/thresholds'

describe('bestThreshold', () => {
  it('picks the midpoint that maximises F1 (worked example)', () => {
    // Scores 0.1, 0.2, 0.3, 0.4 with labels 0, 1, 1, 0: cutting at 0.15 keeps 2 TP, 1 FP
    // (F1 0.8); at 0.25, 1 TP 1 FP 1 FN (0.5); at 0.35, 0 TP. Best: 0.15.
    expect(bestThreshold([0.1, 0.2, 0.3, 0.4], [0, 1, 1, 0])).toBeCloseTo(0.15, 10)
  })

  it('keeps 0.5 when the clips hold no positive, and breaks ties towards 0.5', () => {
    expect(bestThreshold([0.1, 0.9], [0, 0])).toBe(PAPER_THRESHOLD)
    // Perfectly separated at any cut between 0.2 and 0.8: every such cut scores F1 = 1;
    // the candidates are 0.5 (the midpoint) and the outer ones, so 0.5 wins.
    expect(bestThreshold([0.2, 0.8], [0, 1])).toBeCloseTo(0.5, 10)
  })

  it('moves low for a model whose positives all score below 0.5', () => {
    expect(bestThreshold([0.05, 0.1, 0.3, 0.35], [0, 0, 1, 1])).toBeCloseTo(0.2, 10)
  })

  it('chooses one threshold per AU column', () => {
    const t = chooseThresholds(
      {
        truth: [
          [1, 0],
          [0, 1],
        ],
        scores: [
          [0.9, 0.1],
          [0.2, 0.3],
        ],
      },
      2,
    )
    expect(t[0]).toBeCloseTo(0.55, 10)
    expect(t[1]).toBeCloseTo(0.2, 10)
  })
})

describe('thresholds chosen on the inner split never see the test fold', () => {
  // Four folds, one subject each; fold 0 is the test fold, fold 1 its inner validation fold.
  const foldOf = { s0: 0, s1: 1, s2: 2, s3: 3 }
  // One AU. Inner validation (s1): positives score 0.30, 0.32, negatives 0.10, 0.12, so the
  // best cut is 0.21. The test fold (s0) is built to pull it: its 2 positives score 0.9 and
  // its 6 negatives 0.5, so with s0 included the best cut would rise to 0.7 (F1 4/6 against
  // 8/14 at 0.21).
  const clip = (subjectKey: string, label: number, score: number) => ({
    subjectKey,
    labels: [label],
    score,
  })
  const clips = [
    clip('s0', 1, 0.9),
    clip('s0', 1, 0.9),
    ...Array.from({ length: 6 }, () => clip('s0', 0, 0.5)),
    clip('s1', 1, 0.3),
    clip('s1', 1, 0.32),
    clip('s1', 0, 0.1),
    clip('s1', 0, 0.12),
    clip('s2', 1, 0.8),
    clip('s3', 0, 0.2),
  ]
  type Clip = (typeof clips)[number]

  it('splits the training folds into inner train and held-out subjects, never the test fold', () => {
    expect(innerValidationFold(0, 4)).toBe(1)
    expect(innerValidationFold(3, 4)).toBe(0)
    const { train, held } = innerSplit(clips, foldOf, 0, 4)
    expect(new Set(train.map((c) => c.subjectKey))).toEqual(new Set(['s2', 's3']))
    expect(new Set(held.map((c) => c.subjectKey))).toEqual(new Set(['s1']))
    expect(() => innerValidationFold(0, 2)).toThrow(RangeError)
  })

  it('gives the threshold of the inner held-out subjects, whatever the test labels say', async () => {
    const seen: Clip[] = []
    const score = (train: Clip[], held: Clip[]) => {
      seen.push(...train, ...held)
      return Promise.resolve(held.map((c) => [c.score]))
    }
    const [t] = await foldThresholds(clips, foldOf, 0, 4, 1, score)
    expect(t).toBeCloseTo(0.21, 10)
    expect(seen.some((c) => c.subjectKey === 's0')).toBe(false)
    // Had the test fold leaked into the choice, the threshold would have moved.
    const leaked = chooseThresholds(
      {
        truth: clips.filter((c) => c.subjectKey <= 's1').map((c) => c.labels),
        scores: clips.filter((c) => c.subjectKey <= 's1').map((c) => [c.score]),
      },
      1,
    )
    expect(leaked[0]).not.toBeCloseTo(t, 3)
  })
})
