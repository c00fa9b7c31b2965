import { describe, expect, it } from 'vitest'
import {
  coveredFrames,
  intervalIou,
  scoreSpotting,
} from '../../../src/engine/signal/spotting/megc-evaluation'

describe('intervalIou', () => {
  it('counts frames of closed intervals', () => {
    // [10,19] ∩ [15,24] = 15..19 (5 frames); union 10..24 (15 frames)
    expect(intervalIou({ onset: 10, offset: 19 }, { onset: 15, offset: 24 })).toBeCloseTo(1 / 3)
    expect(intervalIou({ onset: 0, offset: 9 }, { onset: 0, offset: 9 })).toBe(1)
    expect(intervalIou({ onset: 0, offset: 9 }, { onset: 10, offset: 19 })).toBe(0)
    // [0,9] inside [0,19]: 10 / 20
    expect(intervalIou({ onset: 0, offset: 9 }, { onset: 0, offset: 19 })).toBe(0.5)
  })
})

describe('scoreSpotting', () => {
  const coded = [
    { onset: 100, offset: 139 },
    { onset: 500, offset: 539 },
    { onset: 900, offset: 939 },
  ]

  it('counts a spotted interval with IoU ≥ 0.5 as a hit, once per coded interval', () => {
    const spotted = [
      { onset: 105, offset: 144 }, // IoU 35/45 = 0.78: TP
      { onset: 110, offset: 149 }, // second hit on the same expression: FP
      { onset: 520, offset: 599 }, // IoU 20/100 = 0.2: FP, and 500 is missed
      { onset: 2000, offset: 2039 }, // nothing there: FP
    ]
    const score = scoreSpotting(coded, spotted, 4000)
    expect(score).toMatchObject({ truePositives: 1, falsePositives: 3, falseNegatives: 2 })
    expect(score.precision).toBe(0.25)
    expect(score.recall).toBeCloseTo(1 / 3)
    // 2·1 / (2 + 3 + 2)
    expect(score.f1).toBeCloseTo(2 / 7)
    // frames 105..149, 520..599, 2000..2039: 45 + 80 + 40 = 165 of 4000
    expect(score.shareToWatch).toBeCloseTo(165 / 4000)
  })

  it('matches the best pair first', () => {
    const spotted = [
      { onset: 95, offset: 134 }, // IoU 35/45 with the first
      { onset: 100, offset: 139 }, // IoU 1 with the first
    ]
    const score = scoreSpotting([coded[0]], spotted, 1000)
    expect(score).toMatchObject({ truePositives: 1, falsePositives: 1, falseNegatives: 0 })
  })

  it('scores nothing spotted and nothing coded as zero, not NaN', () => {
    expect(scoreSpotting([], [], 100)).toMatchObject({ precision: 0, recall: 0, f1: 0 })
    expect(scoreSpotting(coded, [], 100).recall).toBe(0)
  })
})

describe('coveredFrames', () => {
  it('counts overlapping intervals once and clips them to the recording', () => {
    expect(
      coveredFrames(
        [
          { onset: 0, offset: 9 },
          { onset: 5, offset: 14 },
          { onset: 95, offset: 120 },
        ],
        100,
      ),
    ).toBe(15 + 5)
  })
})
