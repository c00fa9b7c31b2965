import { tf } from '../../../src/engine/ml/tf'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  LOSS_VARIANTS,
  variantLoss,
  type BatchOutputs,
  type LossVariant,
} from '../../../src/engine/ml/losses'

const m = (rows: number[][]) => tf.tensor2d(rows)
const value = (s: tf.Tensor) => s.dataSync()[0]
const LN2 = Math.log(2)
const LN3 = Math.log(3)
const LN4 = Math.log(4)

beforeAll(async () => {
  await tf.setBackend('cpu')
})

// Two clips sharing no AU. Features are scaled on purpose: the losses must normalise them to
// onset [1,0],[0,1]; apex [0.6,0.8],[0,1]; close [0.8,0.6],[−1,0].
function batch(): { outputs: BatchOutputs; labels: tf.Tensor2D } {
  return {
    outputs: {
      onset: {
        features: m([
          [3, 0],
          [0, 3],
        ]),
      },
      apex: {
        features: m([
          [1.2, 1.6],
          [0, 2],
        ]),
        logits: m([
          [0, LN3],
          [LN3, -LN3],
        ]),
      },
      close: {
        features: m([
          [4, 3],
          [-5, 0],
        ]),
        logits: m([
          [0, 0],
          [0, 0],
        ]),
      },
    },
    labels: m([
      [1, 0],
      [0, 1],
    ]),
  }
}

// Hand values on the normalised features:
// BCE apex: (ln 2 + ln 4 + ln 4 + ln 4) / 4; BCE close: ln 2 (all logits 0)
const BCE_APEX = (LN2 + 3 * LN4) / 4
const B = BCE_APEX + LN2
// L_OA: d = 0.8, 0 -> mean(0.2, 1) = 0.6; L_OC: d = 0.4, 2 -> mean(0.6, 0) = 0.3
// L_AC: d = 0.08, 2 -> 1.04; L_NA: one negative pair, d = 0.4 -> 0.6
const OA = 0.6
const OC = 0.3
const AC = 1.04
const NA = 0.6
// CL: one dissimilar pair at D = √0.4 -> ½(1 − √0.4)²
const CL = 0.5 * (1 - Math.sqrt(0.4)) ** 2
// TL (α 0.2): onset triplets max(0, 0.08 − 0.8 + 0.2) = 0, max(0, 2 − 0 + 0.2) = 2.2;
// apex triplets max(0, 0.08 − 0.4 + 0.2) = 0, max(0, 2 − 0.4 + 0.2) = 1.8 -> 4 / 4
const TL = 1

// Only IntraCL and IICL classify close-to-apex frames (paper §2.1); the others classify apex
// frames only.
const EXPECTED: Record<LossVariant, number> = {
  baseline: BCE_APEX,
  intracl: B + 0.1 * (OA + OC + AC),
  intercl: BCE_APEX + 0.1 * NA,
  iicl: B + 0.1 * (OA + OC + AC + NA),
  cl: BCE_APEX + 0.1 * CL,
  tl: BCE_APEX + 0.1 * TL,
}

describe('variantLoss', () => {
  for (const variant of LOSS_VARIANTS) {
    it(`${variant}: total matches the hand-computed value`, () => {
      const { outputs, labels } = batch()
      const { total } = variantLoss(variant, outputs, labels)
      expect(value(total)).toBeCloseTo(EXPECTED[variant], 5)
    })
  }

  it('reports the unweighted terms of IICL', () => {
    const { outputs, labels } = batch()
    const { terms } = variantLoss('iicl', outputs, labels)
    expect(Object.keys(terms).sort()).toEqual(['ac', 'bceApex', 'bceClose', 'na', 'oa', 'oc'])
    expect(value(terms.bceApex!)).toBeCloseTo(BCE_APEX, 5)
    expect(value(terms.bceClose!)).toBeCloseTo(LN2, 5)
    expect(value(terms.oa!)).toBeCloseTo(OA, 5)
    expect(value(terms.oc!)).toBeCloseTo(OC, 5)
    expect(value(terms.ac!)).toBeCloseTo(AC, 5)
    expect(value(terms.na!)).toBeCloseTo(NA, 5)
  })

  it('uses lambda and delta from the options', () => {
    const { outputs, labels } = batch()
    // δ = 0.5: L_OA = mean(0, 0.5), L_OC = mean(0.1, 0), L_NA = 0.1
    const { total } = variantLoss('iicl', outputs, labels, { lambda: 1, delta: 0.5 })
    expect(value(total)).toBeCloseTo(B + 0.25 + 0.05 + AC + 0.1, 5)
  })

  it('baseline is the apex BCE alone, whatever other frames it is given', () => {
    const { outputs, labels } = batch()
    const alone = variantLoss('baseline', { apex: outputs.apex }, labels)
    const given = variantLoss('baseline', outputs, labels)
    expect(value(alone.total)).toBeCloseTo(BCE_APEX, 5)
    expect(value(given.total)).toBeCloseTo(BCE_APEX, 5)
    expect(Object.keys(given.terms)).toEqual(['bceApex'])
  })

  it('classifies close-to-apex frames in IntraCL and IICL only', () => {
    const { outputs, labels } = batch()
    // close logits 0 -> ln 3 at the positive cell (0,0): L_AUs_c falls by (ln 2 − ln(1 + 1/3))/4
    const shifted = {
      ...outputs,
      close: {
        ...outputs.close!,
        logits: m([
          [LN3, 0],
          [0, 0],
        ]),
      },
    }
    const drop = (LN2 - Math.log(4 / 3)) / 4
    for (const variant of LOSS_VARIANTS) {
      const before = value(variantLoss(variant, outputs, labels).total)
      const after = value(variantLoss(variant, shifted, labels).total)
      const classifiesClose = variant === 'intracl' || variant === 'iicl'
      expect(before - after, variant).toBeCloseTo(classifiesClose ? drop : 0, 5)
    }
  })

  it('passes class-balanced weights to both BCE terms', () => {
    const { outputs, labels } = batch()
    const w = new Float32Array([2, 1])
    // only positive (label 1) cells change: apex (0,0) ln 2 -> 2 ln 2; close (0,0) ln 2 -> 2 ln 2
    const { total } = variantLoss('iicl', outputs, labels, { positiveWeights: w })
    expect(value(total)).toBeCloseTo(EXPECTED.iicl + LN2 / 4 + LN2 / 4, 5)
  })

  it('refuses variants whose frames are missing', () => {
    const { outputs, labels } = batch()
    expect(() => variantLoss('iicl', { apex: outputs.apex, close: outputs.close }, labels)).toThrow(
      /needs onset/,
    )
    expect(() => variantLoss('tl', { apex: outputs.apex, onset: outputs.onset }, labels)).toThrow(
      /needs close-to-apex/,
    )
  })

  it('gives finite gradients to every feature and logit input', () => {
    const { outputs, labels } = batch()
    const f = (onset: tf.Tensor, apex: tf.Tensor, close: tf.Tensor, apexLogits: tf.Tensor) =>
      variantLoss(
        'iicl',
        {
          onset: { features: onset as tf.Tensor2D },
          apex: { features: apex as tf.Tensor2D, logits: apexLogits as tf.Tensor2D },
          close: { features: close as tf.Tensor2D, logits: outputs.close!.logits },
        },
        labels,
      ).total
    const grads = tf.grads(f)([
      outputs.onset!.features,
      outputs.apex.features,
      outputs.close!.features,
      outputs.apex.logits,
    ])
    for (const g of grads) expect([...g.dataSync()].every(Number.isFinite)).toBe(true)
    // the apex logits get the BCE gradient (σ(z) − y)/(N·M): (0.5 − 1)/4 at (0,0)
    expect(grads[3].dataSync()[0]).toBeCloseTo(-0.125, 5)
  })
})
