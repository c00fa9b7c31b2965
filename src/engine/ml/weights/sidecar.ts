import { z } from 'zod'
import { modelConfigSchema } from '../model/config'

/** File names of a saved model folder. */
export const MODEL_FILES = {
  /** tfjs-style manifest: format and weightsManifest. */
  manifest: 'model.json',
  /** Weight values, float32 little-endian, in manifest order. */
  weights: 'weights.bin',
  /** What the weights are: preset, configuration, AUs, pre-processing, training, metrics. */
  sidecar: 'microau-model.json',
} as const

/** Value of the `format` field of our manifest and sidecar. */
export const MODEL_FORMAT = 'microau-au-model'

/** One weight of the tfjs weights manifest format (float32 only: all we write). */
export const weightEntrySchema = z.object({
  name: z.string().min(1),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.literal('float32'),
})

/** model.json: a tfjs weights manifest with one group stored in weights.bin. */
export const modelManifestSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  generatedBy: z.string(),
  weightsManifest: z
    .array(z.object({ paths: z.array(z.string()).length(1), weights: z.array(weightEntrySchema) }))
    .length(1),
})

/** Parsed model.json. */
export type ModelManifest = z.infer<typeof modelManifestSchema>

/**
 * microau-model.json. `config` carries the pixel pre-processing; `training` and `metrics`
 * are free JSON written by the trainer (e.g. variant, class-balanced BCE on/off, folds,
 * per-AU F1) and null when the model has not been trained or evaluated.
 */
export const modelSidecarSchema = z.strictObject({
  format: z.literal(MODEL_FORMAT),
  formatVersion: z.literal(1),
  preset: z.string().min(1),
  config: modelConfigSchema,
  auList: z.array(z.string().min(1)).min(1),
  training: z.record(z.string(), z.json()).nullable(),
  metrics: z.record(z.string(), z.json()).nullable(),
  /** ISO timestamp. */
  savedAt: z.string(),
})

/** Parsed microau-model.json. */
export type ModelSidecar = z.infer<typeof modelSidecarSchema>
