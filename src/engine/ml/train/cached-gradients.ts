/**
 * Gradient caching (Gao, Zhang, Han & Callan, "Scaling Deep Contrastive Learning Batch Size
 * under Memory Limited Setup", 2021): the parameter gradient of a loss that couples every
 * clip of a batch (L_NA above all), computed with the memory of one micro-batch.
 *
 * 1. Every micro-batch goes forward without a gradient tape; only its features and logits
 *    are kept (a few kB per image instead of the tape's 0.7 GiB for SE-ResNet-50 at 224²).
 * 2. The full-batch loss and its gradient with respect to those features F and logits Z
 *    are computed once (cheap: [rows, features] matrices).
 * 3. Each micro-batch goes forward again with a tape and is back-propagated from its slice
 *    of ∂L/∂F and ∂L/∂Z: the gradient of Σ F·∂L/∂F + Σ Z·∂L/∂Z with ∂L/∂F, ∂L/∂Z held
 *    constant is, by the chain rule, that micro-batch's share of ∂L/∂θ. The shares add up
 *    to the full-batch gradient exactly when a micro-batch's outputs depend on its own
 *    images only.
 *
 * Batch norm is what could make them depend on other images; see {@link BatchNormMode}.
 * With one micro-batch no cache is needed and the loss is back-propagated directly.
 */
import type { ML_BATCH_NORM_MODES } from '../../../shared/ml'
import type { LossTerm, VariantLossResult } from '../losses'
import type { AuModel } from '../model/au-model'
import { isFaceResNet } from '../model/config'
import { updateMovingStatistics, type BatchStatisticsSink } from '../model/layers'
import { tf } from '../tf'
import { fullToMicroRows, microToFullRows, type MicroBatch } from './micro-batches'

/**
 * How batch norm behaves in a training step (a training option, docs/ARCHITECTURE.md):
 * - 'micro-batch': each micro-batch is normalised with its own batch statistics, which the
 *   gradient flows through, as in any training-mode batch norm; the moving statistics take
 *   one update per step, from the mean of the micro-batches' statistics. With one
 *   micro-batch this is ordinary batch norm over the whole batch.
 * - 'frozen': the moving statistics normalise every image (inference behaviour) and are
 *   not updated; γ and β still train. The usual choice when fine-tuning a pretrained
 *   backbone on small batches, and exact whatever the micro-batch size.
 */
export type BatchNormMode = (typeof ML_BATCH_NORM_MODES)[number]

/** What one cached-gradient step needs. */
export interface CachedStepInput {
  model: AuModel
  /** Network input of each micro-batch [kinds·count, H, W, 3], its clips' apex rows, then close, then onset. */
  inputs: readonly tf.Tensor4D[]
  parts: readonly MicroBatch[]
  /** Frame kinds per clip (1 to 3). */
  kinds: number
  /** The full-batch loss on features [kinds·N, D] and logits [kinds·N, M] in kind-major rows. */
  loss: (features: tf.Tensor2D, logits: tf.Tensor2D) => VariantLossResult
  batchNorm: BatchNormMode
}

/** Parameter gradients by parameter name, and the loss terms' values. */
export interface CachedStepResult {
  grads: Record<string, tf.Tensor>
  losses: Partial<Record<LossTerm | 'total', number>>
}

/** Batch statistics averaged over micro-batches, applied once as the step's update. */
export class StatisticsMean {
  private readonly sums = new Map<string, { mean: tf.Tensor; variance: tf.Tensor }>()
  private count = 0

  /** A sink for one micro-batch's forward pass. */
  next(): BatchStatisticsSink {
    this.count += 1
    return (layer, mean, variance) => {
      const old = this.sums.get(layer)
      this.sums.set(layer, {
        mean: tf.keep(old ? tf.add(old.mean, mean) : mean.clone()),
        variance: tf.keep(old ? tf.add(old.variance, variance) : variance.clone()),
      })
      if (old) tf.dispose([old.mean, old.variance])
    }
  }

  /** Updates every layer's moving statistics with the mean over the micro-batches. */
  apply(model: AuModel): void {
    // Only SE-ResNets have batch norm (the face ResNet's is folded into scale layers).
    const momentum = isFaceResNet(model.config) ? 0 : model.config.bnMomentum
    for (const [layer, sum] of this.sums) {
      tf.tidy(() =>
        updateMovingStatistics(model.params, layer, momentum, {
          mean: tf.div(sum.mean, this.count),
          variance: tf.div(sum.variance, this.count),
        }),
      )
      tf.dispose([sum.mean, sum.variance])
    }
    this.sums.clear()
  }
}

/** A sink that drops batch statistics (the second, taped pass of a micro-batch). */
export const discard: BatchStatisticsSink = () => undefined

function keepLosses(result: VariantLossResult, into: Partial<Record<string, tf.Scalar>>): void {
  for (const [term, value] of Object.entries(result.terms)) into[term] = tf.keep(value)
  into.total = tf.keep(result.total)
}

/** The values of the kept loss terms. */
export function readLosses(kept: Partial<Record<string, tf.Scalar>>): CachedStepResult['losses'] {
  const out: CachedStepResult['losses'] = {}
  for (const [term, value] of Object.entries(kept)) {
    if (value) out[term as LossTerm | 'total'] = value.dataSync()[0]
  }
  return out
}

function byParameterName(model: AuModel, grads: tf.NamedTensorMap): Record<string, tf.Tensor> {
  const names = new Map(model.params.entries().map(([name, v]) => [v.name, name]))
  const out: Record<string, tf.Tensor> = {}
  for (const [id, g] of Object.entries(grads)) out[names.get(id) ?? id] = g
  return out
}

/** Reorders rows with an index map (a gather, never taped here), as a 2-D tensor. */
function reorder(x: tf.Tensor2D, rows: Int32Array): tf.Tensor2D {
  return tf.tidy(() => tf.gather(x, tf.tensor1d(rows, 'int32')))
}

/** Clips of micro-batch k: its rows over the frame kinds (onset rows last, when fed). */
function clipsOf(input: CachedStepInput, k: number): number {
  return input.inputs[k].shape[0] / input.kinds
}

/**
 * Runs the loss and its gradient on the whole batch in one taped pass: what the cached
 * step reduces to with a single micro-batch.
 */
function directGradients(
  input: CachedStepInput,
  statistics: BatchStatisticsSink,
): CachedStepResult {
  const { model, batchNorm } = input
  const kept: Partial<Record<string, tf.Scalar>> = {}
  try {
    const { grads } = tf.variableGrads(() => {
      const out = model.apply(input.inputs[0], {
        training: batchNorm === 'micro-batch',
        statistics,
        onsetRows: clipsOf(input, 0),
      })
      const result = input.loss(out.features, out.logits)
      keepLosses(result, kept)
      return result.total
    }, model.params.trainableVariables())
    return { grads: byParameterName(model, grads), losses: readLosses(kept) }
  } finally {
    tf.dispose(Object.values(kept) as tf.Tensor[])
  }
}

/** Step 1: features and logits of every micro-batch, without a tape, in micro-major rows. */
function forwardWithoutTape(
  input: CachedStepInput,
  statistics: StatisticsMean,
): { features: tf.Tensor2D; logits: tf.Tensor2D } {
  const training = input.batchNorm === 'micro-batch'
  const outputs = input.inputs.map((x) =>
    tf.tidy(() => {
      const out = input.model.apply(x, {
        training,
        statistics: statistics.next(),
        onsetRows: x.shape[0] / input.kinds,
      })
      return { features: out.features, logits: out.logits }
    }),
  )
  try {
    return tf.tidy(() => ({
      features: tf.concat(outputs.map((o) => o.features)),
      logits: tf.concat(outputs.map((o) => o.logits)),
    }))
  } finally {
    tf.dispose(outputs)
  }
}

/**
 * Step 2: the full-batch loss and ∂L/∂F, ∂L/∂Z, returned in micro-major rows. F and Z are
 * held as variables so that an output the loss does not read (the features of the
 * baseline) gets a zero gradient instead of an error.
 */
export function lossGradients(
  input: CachedStepInput,
  micro: { features: tf.Tensor2D; logits: tf.Tensor2D },
  kept: Partial<Record<string, tf.Scalar>>,
): [tf.Tensor2D, tf.Tensor2D] {
  const toFull = fullToMicroRows(input.parts, input.kinds)
  const toMicro = microToFullRows(input.parts, input.kinds)
  const fullFeatures = reorder(micro.features, toFull)
  const fullLogits = reorder(micro.logits, toFull)
  const features = tf.variable(fullFeatures)
  const logits = tf.variable(fullLogits)
  try {
    return tf.tidy(() => {
      // the value is the kept total (freed by the caller)
      const { grads } = tf.variableGrads(() => {
        const result = input.loss(features, logits)
        keepLosses(result, kept)
        return result.total
      }, [features, logits])
      const gradient = (v: tf.Variable) =>
        reorder((grads[v.name] ?? tf.zerosLike(v)) as tf.Tensor2D, toMicro)
      return [gradient(features), gradient(logits)]
    })
  } finally {
    tf.dispose([features, logits, fullFeatures, fullLogits])
  }
}

/** Adds `grads` into `sums` (disposing what it replaces). */
function accumulate(sums: Record<string, tf.Tensor>, grads: Record<string, tf.Tensor>): void {
  for (const [name, g] of Object.entries(grads)) {
    const old = sums[name]
    sums[name] = old ? tf.add(old, g) : g
    if (old) tf.dispose([old, g])
  }
}

/** Step 3: each micro-batch back-propagated from its slice of the cached gradients. */
function microBatchGradients(
  input: CachedStepInput,
  dFeatures: tf.Tensor2D,
  dLogits: tf.Tensor2D,
): Record<string, tf.Tensor> {
  const { model, kinds } = input
  const training = input.batchNorm === 'micro-batch'
  const sums: Record<string, tf.Tensor> = {}
  input.parts.forEach((part, k) => {
    const rows = kinds * part.count
    const offset = kinds * part.start
    const df = dFeatures.slice([offset, 0], [rows, dFeatures.shape[1]])
    const dz = dLogits.slice([offset, 0], [rows, dLogits.shape[1]])
    const { value, grads } = tf.variableGrads(() => {
      const out = model.apply(input.inputs[k], {
        training,
        statistics: discard,
        onsetRows: clipsOf(input, k),
      })
      return tf.add(tf.mul(out.features, df).sum(), tf.mul(out.logits, dz).sum()) as tf.Scalar
    }, model.params.trainableVariables())
    tf.dispose([value, df, dz])
    accumulate(sums, byParameterName(model, grads))
  })
  return sums
}

/**
 * The parameter gradients of the full-batch loss by gradient caching (see the file's
 * comment), summed over the micro-batches, and the loss terms. Batch-norm moving
 * statistics are updated once, in 'micro-batch' mode. The caller applies the gradients
 * (and disposes them) and owns the inputs.
 */
export function cachedGradients(input: CachedStepInput): CachedStepResult {
  const statistics = new StatisticsMean()
  if (input.parts.length === 1) {
    const result = directGradients(input, statistics.next())
    statistics.apply(input.model)
    return result
  }
  const kept: Partial<Record<string, tf.Scalar>> = {}
  const micro = forwardWithoutTape(input, statistics)
  try {
    const [dFeatures, dLogits] = lossGradients(input, micro, kept)
    tf.dispose([micro.features, micro.logits])
    try {
      const grads = microBatchGradients(input, dFeatures, dLogits)
      statistics.apply(input.model)
      return { grads, losses: readLosses(kept) }
    } finally {
      tf.dispose([dFeatures, dLogits])
    }
  } finally {
    tf.dispose([micro.features, micro.logits, ...(Object.values(kept) as tf.Tensor[])])
  }
}
