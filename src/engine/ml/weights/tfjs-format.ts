import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { tf } from '../tf'
import type { z } from 'zod'
import { AppError } from '../../../shared/errors'
import { AuModel } from '../model/au-model'
import {
  MODEL_FILES,
  MODEL_FORMAT,
  modelManifestSchema,
  modelSidecarSchema,
  type ModelManifest,
  type ModelSidecar,
} from './sidecar'

/** The three parts of a saved model, in memory. */
export interface SavedModel {
  manifest: ModelManifest
  weightData: ArrayBuffer
  sidecar: ModelSidecar
}

/** What the caller adds to a saved model besides its weights. */
export interface SaveInfo {
  preset: string
  training?: ModelSidecar['training']
  metrics?: ModelSidecar['metrics']
  /** ISO timestamp; now when left out. */
  savedAt?: string
}

/**
 * Encodes every weight of `model` (backbone, batch-norm statistics and AU head) in the tfjs
 * weights format: float32 values concatenated in Keras order plus a manifest of names and
 * shapes, and describes the model in the sidecar.
 */
export async function serializeAuModel(model: AuModel, info: SaveInfo): Promise<SavedModel> {
  const named = model.params.entries().map(([name, tensor]) => ({ name, tensor }))
  const { data, specs } = await tf.io.encodeWeights(named)
  const manifest: ModelManifest = {
    format: MODEL_FORMAT,
    generatedBy: 'MicroAU Studio',
    weightsManifest: [
      {
        paths: [MODEL_FILES.weights],
        weights: specs.map((s) => ({ name: s.name, shape: s.shape, dtype: 'float32' as const })),
      },
    ],
  }
  const sidecar: ModelSidecar = {
    format: MODEL_FORMAT,
    formatVersion: 1,
    preset: info.preset,
    config: model.config,
    auList: [...model.auList],
    training: info.training ?? null,
    metrics: info.metrics ?? null,
    savedAt: info.savedAt ?? new Date().toISOString(),
  }
  return { manifest, weightData: data, sidecar }
}

/**
 * Rebuilds a model from its saved parts. `source` names the origin in error messages.
 * Throws an `invalid_file` AppError when the weights do not fit the configuration.
 */
export function deserializeAuModel(saved: SavedModel, source = 'model'): AuModel {
  const specs = saved.manifest.weightsManifest[0].weights
  const expectedBytes = specs.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0)
  if (saved.weightData.byteLength !== expectedBytes) {
    throw new AppError(
      'invalid_file',
      `${source}: ${MODEL_FILES.weights} has ${saved.weightData.byteLength} bytes, the manifest describes ${expectedBytes}`,
      { source, bytes: saved.weightData.byteLength, expectedBytes },
    )
  }
  const tensors = tf.io.decodeWeights(saved.weightData, specs)
  try {
    return AuModel.fromWeights(saved.sidecar.config, saved.sidecar.auList, tensors)
  } catch (error) {
    if (!(error instanceof RangeError)) throw error
    throw new AppError(
      'invalid_file',
      `${source}: the weights do not fit the saved configuration: ${error.message}`,
      { source },
    )
  } finally {
    tf.dispose(tensors)
  }
}

/** Writes model.json, weights.bin and microau-model.json into `dir` (created if needed). */
export async function saveAuModel(dir: string, model: AuModel, info: SaveInfo): Promise<void> {
  const saved = await serializeAuModel(model, info)
  await mkdir(dir, { recursive: true })
  await writeFile(path.join(dir, MODEL_FILES.weights), new Uint8Array(saved.weightData))
  await writeFile(path.join(dir, MODEL_FILES.manifest), JSON.stringify(saved.manifest, null, 2))
  await writeFile(path.join(dir, MODEL_FILES.sidecar), JSON.stringify(saved.sidecar, null, 2))
}

async function readJson<T>(file: string, schema: z.ZodType<T>): Promise<T> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    throw new AppError('not_found', `Model file not found: ${file}`, { file })
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new AppError('invalid_file', `${file}: not JSON (${String(error)})`, { file })
  }
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new AppError(
      'invalid_file',
      `${file}: field "${issue.path.join('.')}" ${issue.message}`,
      { file, issues: parsed.error.issues },
    )
  }
  return parsed.data
}

/** Reads a folder written by {@link saveAuModel} and rebuilds the model, bit for bit. */
export async function loadAuModel(dir: string): Promise<{ model: AuModel; sidecar: ModelSidecar }> {
  const manifest = await readJson(path.join(dir, MODEL_FILES.manifest), modelManifestSchema)
  const sidecar = await readJson(path.join(dir, MODEL_FILES.sidecar), modelSidecarSchema)
  const weightsFile = path.join(dir, manifest.weightsManifest[0].paths[0])
  let bytes: Buffer
  try {
    bytes = await readFile(weightsFile)
  } catch {
    throw new AppError('not_found', `Model file not found: ${weightsFile}`, { file: weightsFile })
  }
  const weightData = Uint8Array.from(bytes).buffer
  return { model: deserializeAuModel({ manifest, weightData, sidecar }, dir), sidecar }
}
