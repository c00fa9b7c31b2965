import { existsSync } from 'node:fs'
import path from 'node:path'
import h5wasm, { type Dataset, type Group, type OutputData } from 'h5wasm/node'
import { AppError } from '../../../shared/errors'
import { parameterName, type LayerSpec, type WeightName } from '../model/architecture'
import type { AuModel } from '../model/au-model'

const KNOWN_WEIGHT_NAMES: ReadonlySet<string> = new Set<WeightName>([
  'kernel',
  'bias',
  'gamma',
  'beta',
  'moving_mean',
  'moving_variance',
])

/** One way in which a weights file does not fit the model. */
export interface LayerMismatch {
  layer: string
  /** The weight concerned, when the problem is one weight. */
  weight?: WeightName
  problem: 'missing_layer' | 'weight_count' | 'weight_order' | 'shape' | 'dtype'
  expected: string
  actual: string
}

/** What an import did. */
export interface KerasImportReport {
  file: string
  /** 'model_weights' for a whole saved model, '/' for a save_weights file. */
  weightsGroup: string
  kerasVersion: string | null
  /** Model layers whose weights were replaced. */
  loadedLayers: string[]
  /** Layers with weights in the file that the model lacks (e.g. the VGGFace2 classifier). */
  ignoredLayers: string[]
}

function toStrings(value: OutputData | null): string[] | null {
  if (value === null) return []
  if (typeof value === 'string') return [value]
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[]
  // h5py stores an empty Python list as an empty float64 array.
  if (ArrayBuffer.isView(value) && 'length' in value && value.length === 0) return []
  return null
}

/**
 * A list-of-strings attribute as Keras writes it. Keras 2 splits attributes larger than
 * HDF5's 64 kB header limit into `name0`, `name1`, ... (save_attributes_to_hdf5_group).
 */
function stringListAttribute(node: Group, name: string): string[] | null {
  const attrs = node.attrs
  if (name in attrs) return toStrings(attrs[name].value)
  if (!(`${name}0` in attrs)) return null
  const out: string[] = []
  for (let k = 0; `${name}${k}` in attrs; k++) {
    const part = toStrings(attrs[`${name}${k}`].value)
    if (part === null) return null
    out.push(...part)
  }
  return out
}

function scalarStringAttribute(node: Group, name: string): string | null {
  const attrs = node.attrs
  if (!(name in attrs)) return null
  const value = attrs[name].value
  return typeof value === 'string' ? value : null
}

function invalidFile(
  file: string,
  message: string,
  details: Record<string, unknown> = {},
): AppError {
  return new AppError('invalid_file', `${path.basename(file)}: ${message}`, { file, ...details })
}

function shapeText(shape: readonly number[] | null): string {
  return `[${(shape ?? []).join(', ')}]`
}

/** `conv1/7x7_s2/bn/gamma:0` → `gamma` (the tail Keras gives a weight of a layer). */
function weightBaseName(stored: string): string {
  return (stored.split('/').pop() ?? stored).replace(/:\d+$/, '')
}

interface PendingWeight {
  parameter: string
  values: Float32Array
}

function readLayer(
  root: Group,
  layer: LayerSpec,
  mismatches: LayerMismatch[],
  pending: PendingWeight[],
): void {
  const group = root.get(layer.name)
  const storedNames =
    group instanceof h5wasm.Group ? stringListAttribute(group, 'weight_names') : null
  if (!(group instanceof h5wasm.Group) || storedNames === null) {
    mismatches.push({
      layer: layer.name,
      problem: 'missing_layer',
      expected: 'a layer group with weight_names',
      actual: 'nothing',
    })
    return
  }
  const expectedNames = layer.weights.map((w) => w.name)
  if (storedNames.length !== layer.weights.length) {
    mismatches.push({
      layer: layer.name,
      problem: 'weight_count',
      expected: `${layer.weights.length} weights (${expectedNames.join(', ')})`,
      actual: `${storedNames.length} weights (${storedNames.join(', ')})`,
    })
    return
  }
  // Keras matches a layer's weights by position; the names only guard against a reordering.
  layer.weights.forEach((spec, k) => {
    const stored = storedNames[k]
    const base = weightBaseName(stored)
    if (KNOWN_WEIGHT_NAMES.has(base) && base !== spec.name) {
      mismatches.push({
        layer: layer.name,
        weight: spec.name,
        problem: 'weight_order',
        expected: spec.name,
        actual: stored,
      })
      return
    }
    const dataset = group.get(stored) as Dataset | null
    const shape = dataset instanceof h5wasm.Dataset ? dataset.shape : null
    if (!(dataset instanceof h5wasm.Dataset) || shapeText(shape) !== shapeText(spec.shape)) {
      mismatches.push({
        layer: layer.name,
        weight: spec.name,
        problem: 'shape',
        expected: shapeText(spec.shape),
        actual: dataset instanceof h5wasm.Dataset ? shapeText(shape) : 'no dataset',
      })
      return
    }
    const value = dataset.value
    if (!(value instanceof Float32Array || value instanceof Float64Array)) {
      mismatches.push({
        layer: layer.name,
        weight: spec.name,
        problem: 'dtype',
        expected: 'float32 or float64',
        actual: String(dataset.dtype),
      })
      return
    }
    pending.push({
      parameter: parameterName(layer.name, spec.name),
      values: value instanceof Float32Array ? value : Float32Array.from(value),
    })
  })
}

function describeMismatch(m: LayerMismatch): string {
  const what = m.weight ? `layer "${m.layer}" weight ${m.weight}` : `layer "${m.layer}"`
  switch (m.problem) {
    case 'missing_layer':
      return `${what} is missing`
    case 'shape':
      return `${what} has shape ${m.actual}, expected ${m.expected}`
    default:
      return `${what}: expected ${m.expected}, found ${m.actual}`
  }
}

/**
 * Loads a Keras 2 HDF5 weights file (keras-vggface `rcmalli_vggface_tf_senet50.h5` or its
 * `_notop` variant, or any file saved with save_weights / model.save) into the backbone of
 * `model`, layer by layer by name. The file's layout: attribute `layer_names` on the root
 * (save_weights) or on group `model_weights` (model.save); group `<layer>` with attribute
 * `weight_names`; dataset `<layer>/<weight name>` per weight, e.g.
 * `conv1/7x7_s2/conv1/7x7_s2/kernel:0`. Kernels are [kh, kw, in, out] in Keras and tfjs
 * alike, so values are copied without transposition. Layers the model lacks (the
 * classifier) are ignored; the AU head keeps its values. Nothing is written unless every
 * backbone layer matches: otherwise an `invalid_file` AppError lists each missing or
 * mis-shaped layer with expected and actual shapes (details.mismatches).
 */
export async function importKerasH5(model: AuModel, file: string): Promise<KerasImportReport> {
  if (!existsSync(file)) {
    throw new AppError('not_found', `Weights file not found: ${file}`, { file })
  }
  await h5wasm.ready
  let h5: InstanceType<typeof h5wasm.File>
  try {
    h5 = new h5wasm.File(file, 'r')
  } catch (error) {
    throw invalidFile(file, 'not a readable HDF5 file', { cause: String(error) })
  }
  // h5wasm reports a file HDF5 cannot open with a negative id instead of throwing.
  if (h5.file_id < 0n) throw invalidFile(file, 'not a readable HDF5 file')
  try {
    const nested = h5.get('model_weights')
    const root = nested instanceof h5wasm.Group ? nested : h5
    const layerNames = stringListAttribute(root, 'layer_names')
    if (layerNames === null) {
      throw invalidFile(
        file,
        'not a Keras 2 weights file (no layer_names attribute on the root or model_weights)',
      )
    }
    const mismatches: LayerMismatch[] = []
    const pending: PendingWeight[] = []
    const fileLayers = new Set(layerNames)
    for (const layer of model.layout.layers) {
      if (!fileLayers.has(layer.name)) {
        mismatches.push({
          layer: layer.name,
          problem: 'missing_layer',
          expected: 'present',
          actual: 'absent from layer_names',
        })
        continue
      }
      readLayer(root, layer, mismatches, pending)
    }
    if (mismatches.length > 0) {
      const shown = mismatches.slice(0, 3).map(describeMismatch).join('; ')
      const more = mismatches.length > 3 ? ` (and ${mismatches.length - 3} more)` : ''
      throw invalidFile(
        file,
        `${mismatches.length} layer problem(s) against the model: ${shown}${more}`,
        { mismatches },
      )
    }
    for (const w of pending) model.params.assign(w.parameter, w.values)
    const modelLayers = new Set(model.layout.layers.map((l) => l.name))
    const ignoredLayers = layerNames.filter((name) => {
      if (modelLayers.has(name)) return false
      const group = root.get(name)
      const weights =
        group instanceof h5wasm.Group ? stringListAttribute(group, 'weight_names') : null
      return weights !== null && weights.length > 0
    })
    return {
      file,
      weightsGroup: root === h5 ? '/' : 'model_weights',
      kerasVersion: scalarStringAttribute(root, 'keras_version'),
      loadedLayers: model.layout.layers.map((l) => l.name),
      ignoredLayers,
    }
  } finally {
    h5.close()
  }
}
