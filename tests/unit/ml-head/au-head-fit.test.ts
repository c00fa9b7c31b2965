import { describe, expect, it } from 'vitest'
import { fitAuHead } from '../../../src/engine/ml/head/au-head-fit'
import { fitLogistic } from '../../../src/engine/ml/head/logistic-regression'
import { columnScale, standardise } from '../../../src/engine/ml/head/standardise'
import { Rng } from '../../../src/engine/datasets/synthetic/prng'

/** Features like a pretrained backbone's: a large common offset, a small expression signal. */
function offsetFeatures(seed: number, n: number) {
  const rng = Rng.from(seed, 'head')
  const labels: Uint8Array[] = []
  const features: Float32Array[] = []
  for (let i = 0; i < n; i++) {
    const au1 = rng.next() < 0.3 ? 1 : 0
    const au2 = rng.next() < 0.5 ? 1 : 0
    labels.push(Uint8Array.from([au1, au2]))
    features.push(
      Float32Array.from([
        1.16 + 0.05 * au1 + 0.01 * rng.normal(),
        1.16 + 0.05 * au2 + 0.01 * rng.normal(),
        1.16 + 0.01 * rng.normal(),
      ]),
    )
  }
  return { features, labels }
}

const logit = (
  head: ReturnType<typeof fitAuHead>,
  row: ArrayLike<number>,
  au: number,
  k: number,
) => {
  let z = head.bias[au]
  for (let j = 0; j < row.length; j++) z += row[j] * head.kernel[j * k + au]
  return z
}

describe('fitAuHead', () => {
  it('separates AUs carried by small changes on a large common offset', () => {
    const { features, labels } = offsetFeatures(1, 80)
    const head = fitAuHead(features, labels, { l2: 1, classBalanced: true })
    for (let au = 0; au < 2; au++) {
      const wrong = features.filter(
        (row, i) => logit(head, row, au, 2) > 0 !== (labels[i][au] === 1),
      )
      expect(wrong.length).toBeLessThan(4)
    }
  })

  it('folds the standardisation into the head: raw-feature logits equal the standardised fit', () => {
    const { features, labels } = offsetFeatures(2, 50)
    const head = fitAuHead(features, labels, { l2: 1, classBalanced: false })
    const z = standardise(features, columnScale(features))
    const fit = fitLogistic(
      z,
      labels.map((l) => l[1]),
      { l2: 1, positiveWeight: 1 },
    )
    for (let i = 0; i < features.length; i++) {
      const expected = z[i].reduce((s, v, j) => s + v * fit.weights[j], fit.bias)
      expect(logit(head, features[i], 1, 2)).toBeCloseTo(expected, 3)
    }
  })

  it('balances classes per AU: the rare AU is predicted for its positives', () => {
    const { features, labels } = offsetFeatures(3, 60)
    const plain = fitAuHead(features, labels, { l2: 50, classBalanced: false })
    const balanced = fitAuHead(features, labels, { l2: 50, classBalanced: true })
    const positives = features.filter((_, i) => labels[i][0] === 1)
    const hits = (head: typeof plain) => positives.filter((r) => logit(head, r, 0, 2) > 0).length
    expect(hits(balanced)).toBeGreaterThan(hits(plain))
  })
})
