import { createRequire } from 'node:module'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import { AppError } from '../../../shared/errors'
import { parameterName, type WeightName } from '../model/architecture'
import type { AuModel } from '../model/au-model'

const load = createRequire(import.meta.url)

/** The manifest of face-api's face-recognition weights, inside the installed package. */
export const FACE_API_RECOGNITION_MANIFEST = 'face_recognition_model-weights_manifest.json'

const quantizationSchema = z.object({
  dtype: z.literal('uint8'),
  scale: z.number(),
  min: z.number(),
})

const manifestSchema = z.array(
  z.object({
    paths: z.array(z.string().min(1)).min(1),
    weights: z.array(
      z.object({
        name: z.string().min(1),
        shape: z.array(z.number().int().nonnegative()),
        dtype: z.literal('float32'),
        quantization: quantizationSchema.optional(),
      }),
    ),
  }),
)

/** One weight of a tfjs manifest, decoded to float32. */
export interface DecodedWeight {
  shape: number[]
  values: Float32Array
}

/** Where the installed @vladmandic/face-api keeps its weights. */
export function faceApiModelDir(): string {
  return path.join(path.dirname(load.resolve('@vladmandic/face-api/package.json')), 'model')
}

/**
 * Decodes one stored weight: float32 as stored, or uint8 dequantized as tfjs does it,
 * value = q·scale + min (tfjs-core io_utils, per-tensor affine quantization).
 */
export function dequantize(
  bytes: Uint8Array,
  count: number,
  quantization: z.infer<typeof quantizationSchema> | undefined,
): Float32Array {
  if (!quantization) {
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + 4 * count))
  }
  const out = new Float32Array(count)
  for (let i = 0; i < count; i++) out[i] = bytes[i] * quantization.scale + quantization.min
  return out
}

function invalid(file: string, message: string): AppError {
  return new AppError('invalid_file', `${file}: ${message}`, { file })
}

/**
 * Reads a tfjs weights manifest and its .bin files (`dir`/`manifest`) into float32 values
 * by weight name. Throws an `invalid_file` AppError naming the file when the manifest does
 * not parse or the .bin files hold fewer bytes than it describes.
 */
export async function readTfjsWeights(
  dir: string,
  manifest: string,
): Promise<Map<string, DecodedWeight>> {
  const manifestFile = path.join(dir, manifest)
  const parsed = manifestSchema.safeParse(JSON.parse(await readFile(manifestFile, 'utf8')))
  if (!parsed.success)
    throw invalid(manifestFile, `not a tfjs weights manifest (${parsed.error.message})`)
  const weights = new Map<string, DecodedWeight>()
  for (const group of parsed.data) {
    const parts = await Promise.all(group.paths.map((p) => readFile(path.join(dir, p))))
    const data = new Uint8Array(Buffer.concat(parts))
    let offset = 0
    for (const w of group.weights) {
      const count = w.shape.reduce((a, b) => a * b, 1)
      const bytes = count * (w.quantization ? 1 : 4)
      if (offset + bytes > data.length) {
        throw invalid(path.join(dir, group.paths[0]), `ends before weight ${w.name}`)
      }
      const values = dequantize(data.subarray(offset, offset + bytes), count, w.quantization)
      weights.set(w.name, { shape: w.shape, values })
      offset += bytes
    }
  }
  return weights
}

const FACE_API_WEIGHT_NAMES: Record<string, WeightName> = {
  filters: 'kernel',
  bias: 'bias',
  weights: 'gamma',
  biases: 'beta',
}

/**
 * Our parameter name of a face-api weight: `<unit>/conv/filters` → `<unit>/conv/kernel`,
 * `…/conv/bias` → `…/conv/bias`, `<unit>/scale/weights` → `<unit>/scale/gamma`,
 * `…/scale/biases` → `…/scale/beta`; null for weights our backbone leaves out (the fc).
 */
export function ourParameterName(faceApiName: string): string | null {
  const cut = faceApiName.lastIndexOf('/')
  if (cut < 0) return null
  const weight = FACE_API_WEIGHT_NAMES[faceApiName.slice(cut + 1)]
  return weight ? parameterName(faceApiName.slice(0, cut), weight) : null
}

/** What loading the face-api weights did. */
export interface FaceApiLoadReport {
  manifest: string
  /** Backbone parameters set from the file. */
  loaded: number
  /** face-api weights the backbone does not use (its 256 → 128 fc). */
  unused: string[]
}

/**
 * Sets every backbone weight of a face-ResNet `model` from face-api's face-recognition
 * weights (dequantized), by name. The AU head keeps its own values. Throws an
 * `invalid_file` AppError when a backbone weight is missing or has another shape.
 */
export async function loadFaceApiWeights(
  model: AuModel,
  dir = faceApiModelDir(),
): Promise<FaceApiLoadReport> {
  const weights = await readTfjsWeights(dir, FACE_API_RECOGNITION_MANIFEST)
  const byOurName = new Map<string, DecodedWeight>()
  const unused: string[] = []
  for (const [name, w] of weights) {
    const ours = ourParameterName(name)
    if (ours) byOurName.set(ours, w)
    else unused.push(name)
  }
  const manifest = path.join(dir, FACE_API_RECOGNITION_MANIFEST)
  let loaded = 0
  for (const layer of model.layout.layers) {
    for (const spec of layer.weights) {
      const name = parameterName(layer.name, spec.name)
      const w = byOurName.get(name)
      if (!w) throw invalid(manifest, `has no weight for ${name}`)
      if (w.shape.join(',') !== spec.shape.join(',')) {
        throw invalid(
          manifest,
          `${name} is [${w.shape.join(', ')}], expected [${spec.shape.join(', ')}]`,
        )
      }
      model.params.assign(name, w.values)
      loaded++
    }
  }
  return { manifest, loaded, unused }
}
