import fs from 'node:fs/promises'
import path from 'node:path'
import { AppError } from '../../../shared/errors'
import type { JobContext, JobProgress } from '../../jobs/job-kind'
import { selectBackend, type BackendReport } from '../backend'
import type { InputGeometry } from '../data/batch-tensors'
import { loadTrainingSet, type TrainingClip, type TrainingSet } from '../data/training-set'
import type { CvMetrics } from '../../../shared/ml'
import { collapseNotice } from '../../../shared/collapse'
import {
  chosenThresholds,
  crossValidationMetrics,
  foldWarnings,
  type FoldPredictions,
} from '../eval/cv-metrics'
import { foldThresholds } from '../eval/thresholds'
import { subjectFolds, type FoldAssignment } from '../eval/subject-folds'
import { predictClipScores } from '../infer/predict-clips'
import type { TrainJobInput } from '../jobs/schemas'
import { AuModel } from '../model/au-model'
import { getPreset } from '../model/presets'
import type { ModelSidecar } from '../weights/sidecar'
import { saveAuModel } from '../weights/tfjs-format'
import { registerModel } from './model-registry'
import { freezeStages, startingModel } from './starting-model'
import { MomentumSgd } from './momentum-sgd'
import { clearCheckpoint, readCheckpoint, writeCheckpoint } from './checkpoint'
import { planMicroBatch } from './step-memory'
import { StepWorkerPool } from './step-workers/pool'
import {
  bceDescription,
  resolveTrainConfig,
  startsPretrained,
  type TrainConfig,
} from './train-config'
import { trainModel, type EpochLosses } from './train-model'
import { TrainingClock } from './training-time'
import { pathExists } from '../../files/path-exists'
import { fitHeadOnFeatures } from '../head/fit-head'
import { AU_HEAD } from '../model/architecture'

/**
 * Ridge strength of the head fitted on frozen features (standardised features, as
 * scikit-learn's C = 1); BENCHMARKS.md "Face-pretrained start" shows F1 barely moves
 * between 0.1 and 10 on the synthetic sets.
 */
const HEAD_FIT_RIDGE = 1

/** Files of a training folder besides the final model's. */
export const RUN_FILES = {
  crossValidation: 'cross-validation.json',
  checkpoint: 'checkpoint',
  folds: 'folds',
  predictions: 'predictions.json',
} as const

/**
 * What cross-validation.json holds: enough to re-evaluate the fold models later. The fold
 * assignment is keyed by subject key (`<datasetId>/<code>`, see subjectKey).
 */
export interface CrossValidationRecord {
  datasetIds: number[]
  labelLayers: TrainingSet['labelLayers']
  auList: string[]
  folds: number
  seed: number
  foldAssignment: FoldAssignment
  predictions: FoldPredictions[]
  metrics: CvMetrics
  config: TrainConfig
  /** Per AU, the final model's decision threshold (see chosenThresholds). */
  thresholds: Record<string, number>
  /** How the thresholds were chosen, in words. */
  thresholdsChosenOn: string
  /** Pooled metrics with each fold at its own inner-split thresholds (null without them). */
  metricsAtThresholds: CvMetrics | null
}

/** What an ml.train job answers. */
export interface TrainingResult {
  modelId: number | null
  outDir: string
  auList: string[]
  metrics: CvMetrics
  warnings: string[]
  bce: string
  backend: string
  config: TrainConfig
  thresholds: Record<string, number>
  thresholdsChosenOn: string
  metricsAtThresholds: CvMetrics | null
}

/** Hooks a caller (the ablation) may give a training run. */
export interface TrainingRunOptions {
  /** The backend already selected (skip selection). */
  backend?: BackendReport
  /** The clips already loaded (same datasets, coders and AU selection). */
  trainingSet?: TrainingSet
  /** Rewrites progress before it is reported (e.g. to add the variant). */
  mapProgress?: (progress: JobProgress) => JobProgress
}

function geometryOf(config: TrainConfig): InputGeometry {
  return {
    resizeSize: config.resizeSize,
    cropSize: config.cropSize,
    preprocessing: getPreset(config.preset).model.preprocessing,
  }
}

/** Fresh runs need an empty (or new) output folder; resumed runs trust what is there. */
export async function prepareOutDir(outDir: string, resuming: boolean): Promise<void> {
  if (!resuming && (await pathExists(outDir)) && (await fs.readdir(outDir)).length > 0) {
    throw new AppError('conflict', `${outDir} is not empty: give a new folder for the model`, {
      outDir,
    })
  }
  await fs.mkdir(outDir, { recursive: true })
}

/** JSON with NaN and ±Infinity written as null (the sidecar accepts JSON values only). */
export function jsonSafe<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

/** A JSON-safe copy typed as the free JSON the sidecar's training and metrics hold. */
export function jsonRecord(value: object): JsonRecord {
  return jsonSafe(value) as JsonRecord
}

/** The type of the sidecar's training and metrics. */
export type JsonRecord = NonNullable<ModelSidecar['training']>

/** Selects the backend a job asked for, for training. */
export function selectTrainingBackend(choice: TrainJobInput['backend']): Promise<BackendReport> {
  return selectBackend({ prefer: choice, purpose: 'training' })
}

/** Loads the pooled clips of a training input (magnified key frames resized for the preset). */
export function loadSetFor(
  input: Pick<TrainJobInput, 'datasetIds' | 'coder' | 'minPositives'>,
  config: TrainConfig,
  ctx: Pick<JobContext<unknown>, 'db' | 'frameCacheDir' | 'signal'>,
  report: (progress: JobProgress) => void,
): Promise<TrainingSet> {
  return loadTrainingSet(ctx.db, ctx.frameCacheDir, {
    datasetIds: input.datasetIds,
    coder: input.coder,
    minPositives: input.minPositives,
    resizeSize: config.resizeSize,
    signal: ctx.signal,
    onClip: (done, total, clip) =>
      report({ done, total, message: `Magnifying and preparing ${clip.subject}/${clip.name}` }),
  })
}

interface RunOneOptions {
  stream: string
  clips: readonly TrainingClip[]
  config: TrainConfig
  auList: string[]
  checkpointDir: string
  initSeed: number
  signal: AbortSignal
  onEpoch: (epoch: number, losses: EpochLosses) => void
  onStep: (epoch: number, step: number, steps: number, losses: EpochLosses, lr: number) => void
}

/**
 * Clips per micro-batch: the memory plan's (planMicroBatch, which refuses what cannot fit),
 * cut further so that every step worker has a micro-batch.
 */
function microBatchFor(config: TrainConfig, backend: string): number {
  const planned = planMicroBatch(config, backend)
  return Math.min(planned, Math.ceil(config.batchSize / config.stepWorkers))
}

/** The backbone's variables (every one but the AU head's) mapped to the backbone's rate scale. */
function backboneRateScales(names: Iterable<string>, scale: number): Map<string, number> {
  const backbone = [...names].filter((name) => !name.startsWith(`${AU_HEAD}/`))
  return new Map(backbone.map((name) => [name, scale]))
}

/** Fits the model's AU head on its backbone's present features of the clips (fit-head.ts). */
function fitHead(model: AuModel, o: RunOneOptions): void {
  fitHeadOnFeatures(model, o.clips, geometryOf(o.config), {
    l2: HEAD_FIT_RIDGE,
    classBalanced: o.config.classBalancedBce,
  })
}

/**
 * Trains one model (a fold's or the final one), from its checkpoint when there is one. A
 * pretrained start first gets its AU head fitted on the frozen features of these clips
 * (fit-head.ts): that is the whole of a linear probe, and where fine-tuning starts (LP-FT).
 * After fine-tuning a pretrained start the head is fitted again on the fine-tuned features,
 * so the model's head is the best linear one for the backbone it ships with (SGD on a
 * head fitted to near-separable features swings its logits; BENCHMARKS.md).
 */
async function trainOne(o: RunOneOptions): Promise<AuModel> {
  const checkpoint = await readCheckpoint(o.checkpointDir)
  let model: AuModel
  let startEpoch = 0
  if (checkpoint && checkpoint.meta.stream === o.stream) {
    model = checkpoint.model
    startEpoch = checkpoint.meta.epochsDone
  } else {
    if (checkpoint) {
      checkpoint.model.dispose()
      for (const t of Object.values(checkpoint.velocities)) t.dispose()
    }
    model = await startingModel(o.config, o.auList, o.initSeed)
    if (startsPretrained(o.config)) fitHead(model, o)
  }
  if (o.config.trainMode === 'linear-probe') {
    o.onEpoch(0, {})
    return model
  }
  freezeStages(model, o.config.frozenStages)
  const trainable = new Map(model.params.entries().filter(([, v]) => v.trainable))
  const optimizer = new MomentumSgd(
    o.config.momentum,
    trainable,
    backboneRateScales(trainable.keys(), o.config.backboneLearningRateScale),
  )
  if (checkpoint && checkpoint.meta.stream === o.stream) {
    optimizer.restore(checkpoint.velocities)
    for (const t of Object.values(checkpoint.velocities)) t.dispose()
  }
  const pool =
    o.config.stepWorkers > 1 ? await StepWorkerPool.start(o.config.stepWorkers, model) : undefined
  try {
    await trainModel({
      model,
      optimizer,
      pool,
      clips: o.clips,
      config: o.config,
      geometry: geometryOf(o.config),
      stream: o.stream,
      startEpoch,
      signal: o.signal,
      onStep: (r) => o.onStep(r.epoch, r.step, r.steps, r.losses, r.learningRate),
      onEpoch: async (epoch, losses) => {
        await writeCheckpoint(o.checkpointDir, model, optimizer, {
          stream: o.stream,
          epochsDone: epoch + 1,
          preset: o.config.preset,
        })
        o.onEpoch(epoch, losses)
      },
    })
  } catch (error) {
    model.dispose()
    throw error
  } finally {
    optimizer.dispose()
    await pool?.close()
  }
  if (startsPretrained(o.config)) fitHead(model, o)
  await clearCheckpoint(o.checkpointDir)
  return model
}

/**
 * Runs {@link trainAndRecord} timed (see TrainingClock): a run that stops early saves its
 * time in the job's state, so the resumed run's record adds it.
 */
export async function runTraining(
  input: TrainJobInput,
  ctx: JobContext<unknown>,
  options: TrainingRunOptions = {},
): Promise<TrainingResult> {
  const clock = new TrainingClock(ctx)
  try {
    return await trainAndRecord(input, ctx, options, clock)
  } catch (error) {
    clock.saveStopped()
    throw error
  }
}

/**
 * The ml.train job: loads the datasets' pooled clips (magnified key frames, spotted apexes),
 * assigns subjects (told apart per dataset) to folds, trains one model per fold and tests it on its held-out subjects,
 * pools the predictions (binary F1 per AU at 0.5), then trains the final model on every
 * clip. Checkpoints every epoch; a resumed job continues from the last checkpoint and
 * skips finished folds, ending with the same weights as an uninterrupted run.
 */
async function trainAndRecord(
  input: TrainJobInput,
  ctx: JobContext<unknown>,
  options: TrainingRunOptions,
  clock: TrainingClock,
): Promise<TrainingResult> {
  const resuming = ctx.resumeState !== undefined
  await prepareOutDir(input.outDir, resuming)
  if (!resuming) clock.save({ started: true })
  const map = options.mapProgress ?? ((p: JobProgress) => p)
  const report = (p: JobProgress) => ctx.progress(map(p))
  const backend = options.backend ?? (await selectTrainingBackend(input.backend))
  const resolved = resolveTrainConfig({
    preset: input.preset,
    variant: input.variant,
    seed: input.seed,
    weightsFile: input.weightsFile,
    overrides: input.overrides,
  })
  // Before any data is loaded: a step that overruns the wasm heap kills the backend.
  const config = { ...resolved, microBatch: microBatchFor(resolved, backend.name) }
  const set = options.trainingSet ?? (await loadSetFor(input, config, ctx, report))
  const { auList } = set
  const foldAssignment = subjectFolds(
    set.clips.map((c) => c.subjectKey),
    input.folds,
    input.seed,
  )
  // Each fold's thresholds come from an inner model (eval/thresholds.ts): run 2k is fold k's
  // model, run 2k + 1 its inner one; without an inner split run k is fold k's model.
  const inner = input.thresholds === 'inner-split' && input.folds >= 3
  const runOf = (fold: number, innerRun = false) => (inner ? 2 * fold + (innerRun ? 1 : 0) : fold)
  const runs = runOf(input.folds) + (input.finalModel ? 1 : 0)
  const totalEpochs = runs * config.epochs
  const checkpointDir = path.join(input.outDir, RUN_FILES.checkpoint)
  const foldF1: Record<string, number> = {}
  const stepLayout = `steps of ${config.batchSize} clips in micro-batches of ${config.microBatch}`
  const warnings: string[] = []
  let lastStepReport = 0
  const progress = (
    run: number,
    label: string,
    epoch: number,
    losses: EpochLosses,
    extra: Record<string, number> = {},
  ) => {
    const metrics: Record<string, number> = { ...extra, ...foldF1 }
    for (const [term, value] of Object.entries(losses))
      if (value !== undefined) metrics[term] = value
    const where = `${config.variant} · ${backend.name} · ${stepLayout}`
    report({
      done: run * config.epochs + epoch,
      total: totalEpochs,
      message:
        epoch >= config.epochs
          ? `${label} · ${where}`
          : `${label} · epoch ${epoch + 1}/${config.epochs} · ${where}`,
      metrics,
    })
  }
  const predictions: FoldPredictions[] = []
  for (let fold = 0; fold < input.folds; fold++) {
    const label = `fold ${fold + 1}/${input.folds}`
    const dir = path.join(input.outDir, RUN_FILES.folds, String(fold + 1))
    const file = path.join(dir, RUN_FILES.predictions)
    let result: FoldPredictions
    if (resuming && (await pathExists(file))) {
      result = JSON.parse(await fs.readFile(file, 'utf8')) as FoldPredictions
    } else {
      const train = set.clips.filter((c) => foldAssignment[c.subjectKey] !== fold)
      const test = set.clips.filter((c) => foldAssignment[c.subjectKey] === fold)
      const model = await trainOne({
        stream: `fold-${fold + 1}`,
        clips: train,
        config,
        auList,
        checkpointDir,
        initSeed: input.seed + 1000 * (fold + 1),
        signal: ctx.signal,
        onStep: (epoch, step, steps, losses, lr) => {
          const now = Date.now()
          if (now - lastStepReport < 500) return
          lastStepReport = now
          progress(runOf(fold), `${label} · step ${step + 1}/${steps}`, epoch, losses, {
            learningRate: lr,
          })
        },
        onEpoch: (epoch, losses) => {
          clock.save({ started: true, fold, epochsDone: epoch + 1 })
          progress(runOf(fold), label, epoch + 1, losses)
        },
      })
      try {
        const scores = predictClipScores(model, test, geometryOf(config), config.batchSize)
        result = {
          fold,
          clipIds: test.map((c) => c.clipId),
          truth: test.map((c) => Array.from(c.labels)),
          scores: scores.map((s) => Array.from(s)),
        }
        if (inner) {
          const innerLabel = `${label} · thresholds (inner split)`
          result.thresholds = await foldThresholds(
            set.clips,
            foldAssignment,
            fold,
            input.folds,
            auList.length,
            async (innerTrain, held) => {
              const innerModel = await trainOne({
                stream: `fold-${fold + 1}-inner`,
                clips: innerTrain,
                config,
                auList,
                checkpointDir,
                initSeed: input.seed + 1000 * (fold + 1) + 500,
                signal: ctx.signal,
                onStep: (epoch, step, steps, losses) => {
                  const now = Date.now()
                  if (now - lastStepReport < 500) return
                  lastStepReport = now
                  progress(
                    runOf(fold, true),
                    `${innerLabel} · step ${step + 1}/${steps}`,
                    epoch,
                    losses,
                  )
                },
                onEpoch: (epoch, losses) =>
                  progress(runOf(fold, true), innerLabel, epoch + 1, losses),
              })
              try {
                const heldScores = predictClipScores(
                  innerModel,
                  held,
                  geometryOf(config),
                  config.batchSize,
                )
                return heldScores.map((row) => Array.from(row))
              } finally {
                innerModel.dispose()
              }
            },
          )
        }
        await saveAuModel(dir, model, {
          preset: config.preset,
          training: jsonRecord({
            ...config,
            fold: fold + 1,
            testSubjects: subjectsOf(foldAssignment, fold),
          }),
        })
        await fs.writeFile(file, JSON.stringify(result))
      } finally {
        model.dispose()
      }
    }
    predictions.push(result)
    const foldReport = crossValidationMetrics([result], auList)
    foldF1[`foldF1_${fold + 1}`] = foldReport.meanF1
    warnings.push(...foldWarnings(result, auList))
    progress(
      runOf(fold, inner),
      `${label} done (F1 ${foldReport.meanF1.toFixed(3)})`,
      config.epochs,
      {},
    )
  }
  const metrics = crossValidationMetrics(predictions, auList)
  const chosen = chosenThresholds(predictions, auList, inner)
  const record: CrossValidationRecord = {
    datasetIds: set.datasetIds,
    labelLayers: set.labelLayers,
    auList,
    folds: input.folds,
    seed: input.seed,
    foldAssignment,
    predictions,
    metrics,
    config,
    ...chosen,
  }
  await fs.writeFile(
    path.join(input.outDir, RUN_FILES.crossValidation),
    JSON.stringify(jsonSafe(record)),
  )
  const training = jsonRecord({
    ...config,
    datasetIds: set.datasetIds,
    labelLayers: set.labelLayers,
    bce: bceDescription(config),
    folds: input.folds,
    foldAssignment,
    minPositives: input.minPositives,
    auCounts: set.auCounts,
    clipsPerDataset: clipsPerDataset(set),
    spottedApexes: set.spottedApexes,
    backend: backend.name,
    trainedAt: new Date().toISOString(),
    thresholds: chosen.thresholds,
    thresholdsChosenOn: chosen.thresholdsChosenOn,
    collapse: collapseNotice(metrics),
  })
  const storedMetrics = jsonRecord({
    ...metrics,
    bce: bceDescription(config),
    atChosenThresholds: chosen.metricsAtThresholds,
  })
  let modelId: number | null = null
  if (input.finalModel) {
    const run = runOf(input.folds)
    const model = await trainOne({
      stream: 'final',
      clips: set.clips,
      config,
      auList,
      checkpointDir,
      initSeed: input.seed,
      signal: ctx.signal,
      onStep: (epoch, step, steps, losses, lr) => {
        const now = Date.now()
        if (now - lastStepReport < 500) return
        lastStepReport = now
        progress(run, `final model · step ${step + 1}/${steps}`, epoch, losses, {
          learningRate: lr,
        })
      },
      onEpoch: (epoch, losses) => {
        clock.save({ started: true, fold: 'final', epochsDone: epoch + 1 })
        progress(run, 'final model', epoch + 1, losses)
      },
    })
    // The time is stamped last, once the final model is trained.
    const timed = { ...training, ...clock.time() }
    try {
      await saveAuModel(input.outDir, model, {
        preset: config.preset,
        training: timed,
        metrics: storedMetrics,
      })
    } finally {
      model.dispose()
    }
    if (input.register) {
      modelId = registerModel(ctx.db, {
        name: input.name ?? `${config.preset} ${config.variant}`,
        preset: config.preset,
        variant: config.variant,
        path: input.outDir,
        config: timed,
        metrics: storedMetrics,
      })
    }
  }
  report({ done: totalEpochs, total: totalEpochs, message: `mean F1 ${metrics.meanF1.toFixed(3)}` })
  return {
    modelId,
    outDir: input.outDir,
    auList,
    metrics,
    warnings,
    bce: bceDescription(config),
    backend: backend.name,
    config,
    ...chosen,
  }
}

/** Clips per dataset of a pooled set, keyed by dataset id (what the model page lists). */
export function clipsPerDataset(set: Pick<TrainingSet, 'clips'>): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const clip of set.clips) counts[clip.datasetId] = (counts[clip.datasetId] ?? 0) + 1
  return counts
}

function subjectsOf(assignment: FoldAssignment, fold: number): string[] {
  return Object.entries(assignment)
    .filter(([, f]) => f === fold)
    .map(([s]) => s)
    .sort()
}
