import path from 'node:path'
import { z } from 'zod'
import { ML_BACKENDS, ML_BATCH_NORM_MODES, ML_PRESETS, ML_VARIANTS } from '../../../shared/ml'
import { datasetIdsSchema, idSchema } from '../../../shared/schemas'

/** Job kind names (kept here, free of TensorFlow.js, so the engine can start jobs cheaply). */
export const ML_JOB_KINDS = {
  train: 'ml.train',
  ablation: 'ml.ablation',
  evaluate: 'ml.evaluate',
  predict: 'ml.predict',
  gradCam: 'ml.gradCam',
} as const

/** The variants, for schemas. */
export const variantSchema = z.enum(ML_VARIANTS)
/** The presets, for schemas. */
export const presetSchema = z.enum(ML_PRESETS)

/** Overrides of a preset's training defaults a caller may give. */
export const trainOverridesSchema = z
  .object({
    epochs: z.number().int().min(1).max(1000).optional(),
    batchSize: z.number().int().min(2).max(256).optional(),
    learningRate: z.number().positive().max(10).optional(),
    classBalancedBce: z.boolean().optional(),
    /**
     * `linear-probe` trains only the AU head on the frozen pretrained backbone;
     * `fine-tune` (the default) trains what the preset leaves unfrozen.
     */
    trainMode: z.enum(['fine-tune', 'linear-probe']).optional(),
    /** Clips per micro-batch of the cached-gradient step (default: as many as fit). */
    microBatch: z.number().int().min(1).max(256).optional(),
    /** Batch-norm statistics in training (default: frozen with pretrained weights). */
    batchNorm: z.enum(ML_BATCH_NORM_MODES).optional(),
    /** Worker threads running a step's micro-batches in parallel (default 1: none). */
    stepWorkers: z.number().int().min(1).max(16).optional(),
  })
  .strict()

const id = idSchema
const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => path.isAbsolute(p), 'must be an absolute path')

/** Which tensor backend a job asks for ('auto': the best that works). */
export const backendChoiceSchema = z.enum(ML_BACKENDS)

/** Where labels come from: a coder id or name; each dataset's default layer when left out. */
export const coderChoiceSchema = z.union([id, z.string().min(1).max(200)])

/**
 * Input of the ml.train job: cross-validation on the pooled clips of the datasets, then (by
 * default) a final model on all of them.
 */
export const trainJobInputSchema = z
  .object({
    datasetIds: datasetIdsSchema,
    preset: presetSchema,
    variant: variantSchema,
    folds: z.number().int().min(2).max(20).default(4),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(0),
    overrides: trainOverridesSchema.default({}),
    weightsFile: absolutePath.nullable().default(null),
    /** The model folder (checkpoints, fold models, final model). */
    outDir: absolutePath,
    name: z.string().trim().min(1).max(200).optional(),
    coder: coderChoiceSchema.optional(),
    minPositives: z.number().int().min(1).max(100_000).default(15),
    /**
     * Per-AU decision thresholds: `inner-split` chooses each fold's on subjects held out
     * inside its training folds (one more model per fold; needs 3 folds or more) and the
     * final model's on the pooled out-of-fold predictions; `paper` keeps 0.5.
     */
    thresholds: z.enum(['inner-split', 'paper']).default('inner-split'),
    /** Train a model on all clips after the folds (what `predict` uses). */
    finalModel: z.boolean().default(true),
    /** Add the model to the library's models table. */
    register: z.boolean().default(true),
    backend: backendChoiceSchema.default('auto'),
  })
  .strict()

/** Parsed ml.train input. */
export type TrainJobInput = z.output<typeof trainJobInputSchema>

/** Input of the ml.ablation job: several variants on the same folds and seeds. */
export const ablationJobInputSchema = trainJobInputSchema
  .omit({ variant: true, finalModel: true, register: true, name: true })
  .extend({ variants: z.array(variantSchema).min(1).max(6) })
  .strict()

/** Parsed ml.ablation input. */
export type AblationJobInput = z.output<typeof ablationJobInputSchema>

/**
 * A run input stored before runs pooled datasets (`datasetId: n`) reads as
 * `datasetIds: [n]`, so a job interrupted then can still be resumed.
 */
function upgradeStoredRunInput(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
  const { datasetId, ...rest } = value as Record<string, unknown>
  return datasetId === undefined || 'datasetIds' in rest
    ? value
    : { ...rest, datasetIds: [datasetId] }
}

/** The ml.train input as a worker reads it from the jobs table (older rows upgraded). */
export const storedTrainJobInputSchema = z.preprocess(upgradeStoredRunInput, trainJobInputSchema)

/** The ml.ablation input as a worker reads it from the jobs table (older rows upgraded). */
export const storedAblationJobInputSchema = z.preprocess(
  upgradeStoredRunInput,
  ablationJobInputSchema,
)

/** Input of the ml.evaluate job: recompute a model's cross-validation from its fold models. */
export const evaluateJobInputSchema = z
  .object({ modelDir: absolutePath, backend: backendChoiceSchema.default('auto') })
  .strict()

/** Input of the ml.predict job: AU probabilities of a dataset's clips, stored in predictions. */
export const predictJobInputSchema = z
  .object({
    modelDir: absolutePath,
    datasetId: id,
    clipIds: z.array(id).min(1).max(100_000).optional(),
    backend: backendChoiceSchema.default('auto'),
  })
  .strict()

/** Input of the ml.gradCam job: class activation maps of a clip's apex, as PNG overlays. */
export const gradCamJobInputSchema = z
  .object({
    modelDir: absolutePath,
    clipId: id,
    aus: z.array(z.string().min(1).max(3)).min(1).max(50).optional(),
    backend: backendChoiceSchema.default('auto'),
  })
  .strict()
