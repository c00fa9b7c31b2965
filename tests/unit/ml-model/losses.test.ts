import { tf } from '../../../src/engine/ml/tf'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  apexCloseLoss,
  auBceLoss,
  classBalancedPositiveWeights,
  hadsellContrastiveLoss,
  l2Normalize,
  negativePairLoss,
  noSharedAuMask,
  onsetApexLoss,
  onsetCloseLoss,
  tripletLoss,
} from '../../../src/engine/ml/losses'

const m = (rows: number[][]) => tf.tensor2d(rows)
const value = (s: tf.Tensor) => s.dataSync()[0]
const LN2 = Math.log(2)
const LN3 = Math.log(3)
const LN4 = Math.log(4)

let tensorsBefore = 0
beforeAll(async () => {
  await tf.setBackend('cpu')
})
beforeEach(() => {
  tensorsBefore = tf.memory().numTensors
})

// Unit vectors used throughout; squared distances:
// ‖[1,0] − [0.6,0.8]‖² = 0.16 + 0.64 = 0.8      ‖[1,0] − [0.8,0.6]‖² = 0.04 + 0.36 = 0.4
// ‖[0.6,0.8] − [0.8,0.6]‖² = 0.08               ‖[0.6,0.8] − [0,1]‖² = 0.36 + 0.04 = 0.4
// ‖[1,0] − [0,1]‖² = 2                          ‖[0,1] − [−1,0]‖² = 2

describe('l2Normalize', () => {
  it('scales rows to unit length and leaves a zero row at zero', () => {
    const n = l2Normalize(
      m([
        [3, 4],
        [0, 0],
        [0, -2],
      ]),
    )
    expect([...n.dataSync()]).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6), 0, 0, 0, -1])
  })
})

describe('intra-contrastive losses', () => {
  const onset = () =>
    m([
      [1, 0],
      [0, 1],
    ])
  const apex = () =>
    m([
      [0.6, 0.8],
      [0, 1],
    ])
  const close = () =>
    m([
      [0.8, 0.6],
      [-1, 0],
    ])

  it('L_OA = mean(max(0, 1 − 0.8), max(0, 1 − 0)) = 0.6', () => {
    expect(value(onsetApexLoss(onset(), apex()))).toBeCloseTo(0.6, 6)
  })

  it('L_OA with margin 0.5: mean(0, 0.5) = 0.25', () => {
    expect(value(onsetApexLoss(onset(), apex(), 0.5))).toBeCloseTo(0.25, 6)
  })

  it('L_OC = mean(max(0, 1 − 0.4), max(0, 1 − 2)) = 0.3', () => {
    expect(value(onsetCloseLoss(onset(), close()))).toBeCloseTo(0.3, 6)
  })

  it('L_AC = mean(0.08, 2) = 1.04', () => {
    expect(value(apexCloseLoss(apex(), close()))).toBeCloseTo(1.04, 6)
  })

  it('leaves no tensor behind', () => {
    const inputs = [onset(), apex(), close()]
    const before = tf.memory().numTensors
    const losses = [
      onsetApexLoss(inputs[0], inputs[1]),
      onsetCloseLoss(inputs[0], inputs[2]),
      apexCloseLoss(inputs[1], inputs[2]),
    ]
    expect(tf.memory().numTensors).toBe(before + 3)
    tf.dispose([...losses, ...inputs])
    expect(tf.memory().numTensors).toBe(tensorsBefore)
  })
})

describe('L_NA (inter-contrastive)', () => {
  const apex = () =>
    m([
      [1, 0],
      [0.6, 0.8],
      [0, 1],
    ])

  it('marks pairs without a shared AU, both ways, never the diagonal', () => {
    const mask = noSharedAuMask(
      m([
        [1, 0],
        [0, 1],
        [1, 1],
        [0, 0],
      ]),
    )
    expect(mask.arraySync()).toEqual([
      [0, 1, 0, 1],
      [1, 0, 0, 1],
      [0, 0, 0, 1],
      [1, 1, 1, 0],
    ])
  })

  it('one negative pair (0, 1) of distance 0.8: L_NA = 0.2', () => {
    const labels = m([
      [1, 0],
      [0, 1],
      [1, 1],
    ])
    expect(value(negativePairLoss(apex(), labels))).toBeCloseTo(0.2, 6)
  })

  it('no negative pair (K = 0): L_NA = 0 with zero, finite gradients', () => {
    const labels = m([
      [1, 0],
      [1, 1],
      [1, 0],
    ])
    expect(value(negativePairLoss(apex(), labels))).toBe(0)
    const grad = tf.grad((a: tf.Tensor) => negativePairLoss(a as tf.Tensor2D, labels))(apex())
    expect([...grad.dataSync()].every((g) => g === 0)).toBe(true)
  })

  it('every pair negative: mean over K = 3 of (0.2, 0, 0.6) = 0.8 / 3', () => {
    const labels = m([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ])
    expect(value(negativePairLoss(apex(), labels))).toBeCloseTo(0.8 / 3, 6)
  })

  it('a clip with no AU label is a negative of every clip', () => {
    const labels = m([
      [1, 0],
      [1, 1],
      [0, 0],
    ])
    // pairs (0,2): distance 2 -> 0, (1,2): 0.4 -> 0.6; K = 2
    expect(value(negativePairLoss(apex(), labels))).toBeCloseTo(0.3, 6)
  })
})

describe('auBceLoss', () => {
  const logits = () =>
    m([
      [0, LN3],
      [LN3, -LN3],
    ])
  const labels = () =>
    m([
      [1, 1],
      [0, 0],
    ])

  it('matches −[y log p + (1 − y) log(1 − p)] averaged over samples and AUs', () => {
    // p = 0.5, 0.75, 0.75, 0.25 -> ln 2, −ln 0.75, −ln 0.25, −ln 0.75
    const expected = (LN2 + -Math.log(0.75) + LN4 + -Math.log(0.75)) / 4
    expect(value(auBceLoss(logits(), labels()))).toBeCloseTo(expected, 5)
    expect(expected).toBeCloseTo(0.663701, 5)
  })

  it('weights the positive term per AU', () => {
    const w = new Float32Array([3, 0.5])
    const expected = (3 * LN2 + 0.5 * -Math.log(0.75) + LN4 + -Math.log(0.75)) / 4
    expect(value(auBceLoss(logits(), labels(), w))).toBeCloseTo(expected, 5)
  })

  it('stays finite and exact for confident mistakes', () => {
    expect(value(auBceLoss(m([[100, -100]]), m([[0, 1]])))).toBeCloseTo(100, 3)
  })

  it('rejects a weight vector of the wrong length', () => {
    expect(() => auBceLoss(logits(), labels(), new Float32Array([1]))).toThrow(RangeError)
  })
})

describe('classBalancedPositiveWeights', () => {
  it('is negatives / positives per AU', () => {
    const w = classBalancedPositiveWeights(
      [
        [1, 0],
        [0, 1],
        [0, 1],
        [0, 1],
        [0, 0],
      ],
      2,
    )
    expect(w[0]).toBeCloseTo(4, 6)
    expect(w[1]).toBeCloseTo(2 / 3, 6)
  })

  it('is 1 for an AU without positives or without negatives', () => {
    expect([
      ...classBalancedPositiveWeights(
        [
          [0, 1],
          [0, 1],
        ],
        2,
      ),
    ]).toEqual([1, 1])
  })

  it('rejects rows of the wrong width', () => {
    expect(() => classBalancedPositiveWeights([[1, 0, 1]], 2)).toThrow(RangeError)
  })
})

describe('hadsellContrastiveLoss (CL)', () => {
  const apex = () =>
    m([
      [1, 0],
      [0.6, 0.8],
      [0, 1],
    ])

  it('similar pairs pay ½D², dissimilar pairs ½max(0, m − D)², averaged over pairs', () => {
    // (0,1) dissimilar, D = √0.8 -> ½(1 − √0.8)²; (0,2) dissimilar, D = √2 > 1 -> 0;
    // (1,2) share AU 2 -> ½·0.4
    const labels = m([
      [1, 0],
      [0, 1],
      [0, 1],
    ])
    const expected = (0.5 * (1 - Math.sqrt(0.8)) ** 2 + 0 + 0.2) / 3
    expect(value(hadsellContrastiveLoss(apex(), labels))).toBeCloseTo(expected, 6)
    expect(expected).toBeCloseTo(0.0685243, 6)
  })

  it('uses the margin given', () => {
    const labels = m([
      [1, 0],
      [1, 1],
      [0, 1],
    ])
    // (0,1) similar ½·0.8, (0,2) dissimilar ½(1.5 − √2)², (1,2) similar ½·0.4
    const expected = (0.4 + 0.5 * (1.5 - Math.SQRT2) ** 2 + 0.2) / 3
    expect(value(hadsellContrastiveLoss(apex(), labels, 1.5))).toBeCloseTo(expected, 6)
  })

  it('has finite gradients when two dissimilar features coincide', () => {
    const labels = m([
      [1, 0],
      [0, 1],
    ])
    const grad = tf.grad((a: tf.Tensor) => hadsellContrastiveLoss(a as tf.Tensor2D, labels))(
      m([
        [1, 0],
        [1, 0],
      ]),
    )
    expect([...grad.dataSync()].every(Number.isFinite)).toBe(true)
  })

  it('is 0 for a batch of one', () => {
    expect(value(hadsellContrastiveLoss(m([[1, 0]]), m([[1]])))).toBe(0)
  })
})

describe('tripletLoss (TL)', () => {
  const onset = () =>
    m([
      [0, 1],
      [0.8, 0.6],
    ])
  const apex = () =>
    m([
      [1, 0],
      [0.6, 0.8],
    ])
  const close = () =>
    m([
      [0.8, 0.6],
      [0, 1],
    ])

  it('anchor apex, positive close, negatives onset and no-shared-AU apexes', () => {
    // d(a,p) = 0.4, 0.4; d(a,onset) = 2, 0.08; d(a0,a1) = 0.8; α = 0.5
    // onset triplets: max(0, 0.4 − 2 + 0.5) = 0, max(0, 0.4 − 0.08 + 0.5) = 0.82
    // apex triplets (0→1, 1→0): max(0, 0.4 − 0.8 + 0.5) = 0.1 each; 4 triplets
    const labels = m([
      [1, 0],
      [0, 1],
    ])
    expect(value(tripletLoss(onset(), apex(), close(), labels, 0.5))).toBeCloseTo(1.02 / 4, 6)
  })

  it('only onset negatives when every clip shares an AU', () => {
    const labels = m([
      [1, 0],
      [1, 1],
    ])
    expect(value(tripletLoss(onset(), apex(), close(), labels, 0.5))).toBeCloseTo(0.41, 6)
  })

  it('uses FaceNet α = 0.2 by default', () => {
    const labels = m([
      [1, 0],
      [0, 1],
    ])
    // onset: 0, 0.4 − 0.08 + 0.2 = 0.52; apex: 0.4 − 0.8 + 0.2 < 0 twice
    expect(value(tripletLoss(onset(), apex(), close(), labels))).toBeCloseTo(0.13, 6)
  })
})
