import { AppError } from '../../../shared/errors'
import { Rng } from '../../datasets/synthetic/prng'
import { sampleBatches } from '../data/batch-sampler'
import {
  labelMatrix,
  trainingBatch,
  type BatchFrames,
  type InputGeometry,
} from '../data/batch-tensors'
import type { TrainingClip } from '../data/training-set'
import {
  classBalancedPositiveWeights,
  VARIANT_INPUTS,
  variantLoss,
  type BatchOutputs,
  type LossTerm,
} from '../losses'
import type { AuModel } from '../model/au-model'
import { tf } from '../tf'
import { cachedGradients, type CachedStepInput } from './cached-gradients'
import { microBatches } from './micro-batches'
import { parallelCachedGradients } from './parallel-gradients'
import type { StepWorkerPool } from './step-workers/pool'
import type { MomentumSgd } from './momentum-sgd'
import { learningRateAt } from './schedule'
import type { TrainConfig } from './train-config'

/** Mean loss terms of an epoch (unweighted terms plus `total`). */
export type EpochLosses = Partial<Record<LossTerm | 'total', number>>

/** What the trainer reports after each step. */
export interface StepReport {
  epoch: number
  step: number
  steps: number
  learningRate: number
  losses: EpochLosses
}

/** A training run of one model on a set of clips. */
export interface TrainRun {
  model: AuModel
  optimizer: MomentumSgd
  clips: readonly TrainingClip[]
  config: TrainConfig
  geometry: InputGeometry
  /** Names the random streams of this run (e.g. 'fold-2', 'final'), so runs differ. */
  stream: string
  /** First epoch to run (0, or the epoch after the last checkpoint). */
  startEpoch: number
  signal?: AbortSignal
  onStep?: (report: StepReport) => void
  /** Worker threads that run the micro-batches of each step in parallel; this thread when absent. */
  pool?: StepWorkerPool
  /** Called after every epoch (0-based) with its mean losses: checkpoint here. */
  onEpoch?: (epoch: number, losses: EpochLosses) => Promise<void> | void
}

/** Throws the 'cancelled' AppError when the signal has fired. */
export function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('cancelled', 'Training was cancelled.')
}

/** The random stream of one epoch: the same on a resumed run as on an uninterrupted one. */
export function epochRng(seed: number, stream: string, epoch: number): Rng {
  return Rng.from(seed, stream, 'epoch', epoch)
}

/** The loss of a variant on a batch's features and logits in kind-major rows. */
function batchLoss(
  config: TrainConfig,
  frames: BatchFrames,
  labels: tf.Tensor2D,
  positiveWeights: Float32Array | undefined,
): CachedStepInput['loss'] {
  const n = labels.shape[0]
  return (features, logits) => {
    const part = (t: tf.Tensor2D, k: number) => t.slice([k * n, 0], [n, t.shape[1]])
    const outputs: BatchOutputs = { apex: { features: part(features, 0), logits: part(logits, 0) } }
    if (frames.close) outputs.close = { features: part(features, 1), logits: part(logits, 1) }
    if (frames.onset) outputs.onset = { features: part(features, frames.close ? 2 : 1) }
    return variantLoss(config.variant, outputs, labels, {
      lambda: config.lambda,
      delta: config.margin,
      positiveWeights,
    })
  }
}

/**
 * Runs one SGD step on a batch of clips; returns the loss terms. The gradient is the
 * full-batch loss's, computed micro-batch by micro-batch with gradient caching
 * (cached-gradients.ts), `config.microBatch` clips at a time (the whole batch when null),
 * on the run's worker threads when it has a pool (parallel-gradients.ts). Each micro-batch
 * draws its crops and close-to-apex frames from `rng` in clip order, so the draws do not
 * depend on the micro-batch size.
 */
export async function trainStep(
  run: Pick<TrainRun, 'model' | 'optimizer' | 'config' | 'geometry' | 'pool'>,
  batchClips: readonly TrainingClip[],
  rng: Rng,
  learningRate: number,
  positiveWeights: Float32Array | undefined,
): Promise<EpochLosses> {
  const { model, optimizer, config } = run
  const { close } = VARIANT_INPUTS[config.variant]
  // A model that compares with the onset needs the onset frames whatever the variant.
  const onset = VARIANT_INPUTS[config.variant].onset || model.comparesWithOnset
  const frames = { close, onset }
  const parts = microBatches(batchClips.length, config.microBatch ?? batchClips.length)
  const inputs: tf.Tensor4D[] = []
  const labels = labelMatrix(batchClips)
  try {
    for (const p of parts) {
      const clips = batchClips.slice(p.start, p.start + p.count)
      const batch = trainingBatch(clips, frames, run.geometry, rng)
      batch.labels.dispose()
      inputs.push(batch.input)
    }
    const step: CachedStepInput = {
      model,
      inputs,
      parts,
      kinds: 1 + (close ? 1 : 0) + (onset ? 1 : 0),
      loss: batchLoss(config, frames, labels, positiveWeights),
      batchNorm: config.batchNorm,
    }
    const { grads, losses } =
      run.pool && parts.length > 1
        ? await parallelCachedGradients(run.pool, step)
        : cachedGradients(step)
    optimizer.apply(grads, learningRate)
    return losses
  } finally {
    tf.dispose([...inputs, labels])
  }
}

/**
 * Trains `model` on `clips` from `startEpoch` to config.epochs: each epoch shuffles the
 * clips into batches that keep negative pairs for L_NA (seeded per epoch), takes one SGD
 * step per batch at the step schedule's learning rate, checks the signal between steps, and
 * calls onEpoch at the end (checkpoint). Class-balanced BCE weights come from these clips.
 */
export async function trainModel(run: TrainRun): Promise<void> {
  const { clips, config } = run
  if (clips.length < 2) {
    throw new AppError('invalid_input', `Training needs at least 2 clips, got ${clips.length}`)
  }
  const labels = clips.map((c) => c.labels)
  const positiveWeights = config.classBalancedBce
    ? classBalancedPositiveWeights(labels, labels[0].length)
    : undefined
  for (let epoch = run.startEpoch; epoch < config.epochs; epoch++) {
    const rng = epochRng(config.seed, run.stream, epoch)
    const batches = sampleBatches(labels, config.batchSize, rng.fork('batches'))
    const crops = rng.fork('crops')
    const learningRate = learningRateAt(config, epoch)
    const sums: Record<string, number> = {}
    for (const [step, members] of batches.entries()) {
      checkCancelled(run.signal)
      const losses = await trainStep(
        run,
        members.map((i) => clips[i]),
        crops,
        learningRate,
        positiveWeights,
      )
      for (const [term, value] of Object.entries(losses)) sums[term] = (sums[term] ?? 0) + value
      run.onStep?.({ epoch, step, steps: batches.length, learningRate, losses })
      // Lets a cancel message from the host reach the signal between steps.
      await new Promise((resolve) => setImmediate(resolve))
    }
    const means: EpochLosses = {}
    for (const [term, sum] of Object.entries(sums)) means[term as LossTerm] = sum / batches.length
    checkCancelled(run.signal)
    await run.onEpoch?.(epoch, means)
  }
}
