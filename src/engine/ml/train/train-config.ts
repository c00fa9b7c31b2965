import type { z } from 'zod'
import type { trainOverridesSchema } from '../jobs/schemas'
import type { LossVariant } from '../losses'
import { AppError } from '../../../shared/errors'
import { describeBackbone } from '../model/backbone'
import { getPreset, type ModelPreset, type TrainingDefaults } from '../model/presets'
import type { BatchNormMode } from './cached-gradients'

/** Everything one training run follows; stored with the model. */
export interface TrainConfig extends TrainingDefaults {
  preset: ModelPreset['name']
  variant: LossVariant
  seed: number
  /** Where the starting weights came from: a Keras .h5 file, or null (from scratch). */
  weightsFile: string | null
  /** Pretrained weights the preset loads itself (face-api's for `face`), or null. */
  pretrained: ModelPreset['pretrained']
  /**
   * Clips per micro-batch of the cached-gradient step; null until the run picks the largest
   * that fits its backend's memory (`planMicroBatch`).
   */
  microBatch: number | null
  /** Batch-norm statistics in training (see BatchNormMode). */
  batchNorm: BatchNormMode
  /** Worker threads that run a step's micro-batches in parallel (1: this thread only). */
  stepWorkers: number
}

/** Whether a run starts from pretrained weights (the preset's own or a given file). */
export function startsPretrained(config: Pick<TrainConfig, 'weightsFile' | 'pretrained'>): boolean {
  return config.weightsFile !== null || config.pretrained === 'face-api-recognition'
}

/**
 * A preset's training defaults with the caller's overrides. Class-balanced BCE defaults to
 * on for a model trained from scratch and off for one that starts from pretrained weights
 * (DOMAIN §1: plain BCE collapses to "no AU" without pretraining); the face preset, whose
 * backbone learnt identities, not AUs, keeps it on. A linear probe freezes every stage,
 * fits the head once on frozen features (one epoch, no SGD) and needs pretrained weights (an `invalid_input` AppError otherwise). The learning-rate step
 * follows the epoch count when the caller shortens or lengthens training (÷10 half way, as
 * the paper's 40 of 80). Batch norm defaults to frozen statistics with pretrained weights
 * (fine-tuning on micro-batches of a few clips) and to each micro-batch's statistics from
 * scratch.
 */
export function resolveTrainConfig(options: {
  preset: string
  variant: LossVariant
  seed: number
  weightsFile?: string | null
  overrides?: z.infer<typeof trainOverridesSchema>
}): TrainConfig {
  const preset = getPreset(options.preset)
  const o = options.overrides ?? {}
  const weightsFile = options.weightsFile ?? null
  const pretrained = preset.pretrained
  const trainMode = o.trainMode ?? preset.training.trainMode
  if (trainMode === 'linear-probe' && !startsPretrained({ weightsFile, pretrained })) {
    throw new AppError(
      'invalid_input',
      `A linear probe needs pretrained weights: the ${preset.name} preset starts from random ` +
        'weights here (choose the face preset, or give a weights file)',
      { preset: preset.name, trainMode },
    )
  }
  // A linear probe's one "epoch" is its head fit (fit-head.ts); it takes no SGD steps.
  const epochs = trainMode === 'linear-probe' ? 1 : (o.epochs ?? preset.training.epochs)
  const stepRatio = preset.training.learningRateStepEpochs / preset.training.epochs
  return {
    ...preset.training,
    epochs,
    learningRateStepEpochs: Math.max(1, Math.round(epochs * stepRatio)),
    batchSize: o.batchSize ?? preset.training.batchSize,
    learningRate: o.learningRate ?? preset.training.learningRate,
    classBalancedBce: o.classBalancedBce ?? weightsFile === null,
    frozenStages:
      trainMode === 'linear-probe'
        ? describeBackbone(preset.model).units.length
        : preset.training.frozenStages,
    microBatch: o.microBatch ?? null,
    stepWorkers: o.stepWorkers ?? 1,
    batchNorm:
      o.batchNorm ?? (startsPretrained({ weightsFile, pretrained }) ? 'frozen' : 'micro-batch'),
    preset: preset.name,
    variant: options.variant,
    seed: options.seed,
    weightsFile,
    pretrained,
    trainMode,
  }
}

/** One line for reports: which BCE a run used, and why it matters. */
export function bceDescription(config: Pick<TrainConfig, 'classBalancedBce'>): string {
  return config.classBalancedBce
    ? 'class-balanced BCE (positives weighted by negatives/positives of the training folds)'
    : 'plain BCE (as the paper)'
}
