import { AppError } from '../../../shared/errors'
import { Rng } from '../../datasets/synthetic/prng'
import { sampleBatches } from '../data/batch-sampler'
import { trainingBatch, type InputGeometry } from '../data/batch-tensors'
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

/**
 * Runs one SGD step on a batch of clips; returns the loss terms. The frames of all clips go
 * through the network as one batch (batch-norm statistics updated once per step).
 */
export function trainStep(
  run: Pick<TrainRun, 'model' | 'optimizer' | 'config' | 'geometry'>,
  batchClips: readonly TrainingClip[],
  rng: Rng,
  learningRate: number,
  positiveWeights: Float32Array | undefined,
): EpochLosses {
  const { model, optimizer, config } = run
  const needs = VARIANT_INPUTS[config.variant]
  const frames = { close: true, onset: needs.onset === 'required' }
  const batch = trainingBatch(batchClips, frames, run.geometry, rng)
  const n = batch.clipCount
  const kept: Partial<Record<LossTerm | 'total', tf.Scalar>> = {}
  const variables = model.params.trainableVariables()
  try {
    const { grads } = tf.variableGrads(() => {
      const out = model.apply(batch.input, { training: true })
      const part = (t: tf.Tensor2D, k: number) => t.slice([k * n, 0], [n, t.shape[1]])
      const outputs: BatchOutputs = {
        apex: { features: part(out.features, 0), logits: part(out.logits, 0) },
        close: { features: part(out.features, 1), logits: part(out.logits, 1) },
      }
      if (frames.onset) outputs.onset = { features: part(out.features, 2) }
      const loss = variantLoss(config.variant, outputs, batch.labels, {
        lambda: config.lambda,
        delta: config.margin,
        positiveWeights,
      })
      for (const [term, value] of Object.entries(loss.terms)) {
        kept[term as LossTerm] = tf.keep(value)
      }
      kept.total = tf.keep(loss.total)
      return loss.total
    }, variables)
    const named: Record<string, tf.Tensor> = {}
    const byId = new Map(model.params.entries().map(([name, v]) => [v.name, name]))
    for (const [id, g] of Object.entries(grads)) named[byId.get(id) ?? id] = g
    optimizer.apply(named, learningRate)
    const losses: EpochLosses = {}
    for (const [term, value] of Object.entries(kept)) {
      losses[term as LossTerm] = value.dataSync()[0]
    }
    return losses
  } finally {
    tf.dispose(Object.values(kept))
    tf.dispose([batch.input, batch.labels])
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
      const losses = trainStep(
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
