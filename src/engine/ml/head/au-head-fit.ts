import { fitLogistic } from './logistic-regression'
import { rowSpace, type RowSpace } from './row-space'
import { columnScale, standardise } from './standardise'

/** A dense AU head: logits = features · kernel + bias. */
export interface DenseHead {
  /** Row-major [featureSize, auCount]. */
  kernel: Float32Array
  bias: Float32Array
}

/** Options of {@link fitAuHead}. */
export interface AuHeadFitOptions {
  /** Ridge strength on standardised features (1, as scikit-learn's C = 1). */
  l2: number
  /** Weight each AU's positives by its negatives/positives (DOMAIN §1), else 1. */
  classBalanced: boolean
}

/** Positive weight of one AU: negatives / positives when balancing (1 without positives). */
function positiveWeightOf(labels: readonly Uint8Array[], au: number, balanced: boolean): number {
  const positives = labels.reduce((n, row) => n + (row[au] ? 1 : 0), 0)
  if (!balanced || positives === 0) return 1
  return (labels.length - positives) / positives
}

/**
 * Fits the AU head to frozen features: per AU, a logistic regression on the features
 * standardised with the training rows' own mean and standard deviation (a pretrained
 * backbone's features carry a large common offset next to small expression-driven
 * changes; without standardising, a head trained by a few SGD steps learns mostly that
 * offset and calls every clip alike). The standardisation is folded into the returned
 * kernel and bias, so the head works on raw features:
 * kernel[j][a] = β_a[j] / σ_j and bias[a] = b_a − Σ_j β_a[j]·μ_j / σ_j.
 * With more features than rows (a flattened feature map of a few dozen clips) each fit runs
 * in the rows' span (row-space.ts: the same optimum in at most n dimensions).
 */
export function fitAuHead(
  features: readonly ArrayLike<number>[],
  labels: readonly Uint8Array[],
  options: AuHeadFitOptions,
): DenseHead {
  if (features.length === 0 || features.length !== labels.length) {
    throw new RangeError(`fitAuHead: ${features.length} feature rows for ${labels.length} labels`)
  }
  const d = features[0].length
  const auCount = labels[0].length
  const scale = columnScale(features)
  const z = standardise(features, scale)
  const span = d > features.length ? rowSpace(z) : null
  const kernel = new Float32Array(d * auCount)
  const bias = new Float32Array(auCount)
  for (let au = 0; au < auCount; au++) {
    const y = labels.map((row) => (row[au] ? 1 : 0))
    const fit = fitLogistic(span ? span.coordinates : z, y, {
      l2: options.l2,
      positiveWeight: positiveWeightOf(labels, au, options.classBalanced),
    })
    const weights = span ? fromRowSpace(span, fit.weights, d) : fit.weights
    let b = fit.bias
    for (let j = 0; j < d; j++) {
      const w = weights[j] / scale.std[j]
      kernel[j * auCount + au] = w
      b -= w * scale.mean[j]
    }
    bias[au] = b
  }
  return { kernel, bias }
}

/** β = Q·γ: weights in the row-space basis mapped back to the d features. */
function fromRowSpace(span: RowSpace, gamma: Float64Array, d: number): Float64Array {
  const beta = new Float64Array(d)
  span.basis.forEach((q, k) => {
    for (let j = 0; j < d; j++) beta[j] += gamma[k] * q[j]
  })
  return beta
}
