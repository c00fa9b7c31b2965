import type { MethodInput } from '../../../shared/api'
import { ML_BACKENDS, ML_VARIANTS } from '../../../shared/ml'
import { PRESET_FACTS, type PresetName } from './presets'

/** What the Train form holds (text fields stay strings until the request is built). */
export interface TrainForm {
  /** The datasets whose clips are pooled, in the order they were ticked. */
  datasetIds: number[]
  /** Labels of this coder in every dataset; null: each dataset's adjudicated or import layer. */
  coderId: number | null
  preset: PresetName
  /** Fine-tune or linear probe; empty: the preset's default (PRESET_FACTS). */
  trainMode: '' | 'fine-tune' | 'linear-probe'
  /** 'train': one variant, a model; 'ablation': several variants on the same folds. */
  mode: 'train' | 'ablation'
  variant: (typeof ML_VARIANTS)[number]
  variants: (typeof ML_VARIANTS)[number][]
  folds: string
  /** Empty: the preset's epochs. */
  epochs: string
  seed: string
  /** Empty: the preset's batch size. */
  batchSize: string
  minPositives: string
  /** Absolute path of a keras-vggface SENET50 .h5 file; empty for none. */
  weightsFile: string
  backend: (typeof ML_BACKENDS)[number]
  /** Model name; empty: "<preset> <variant>". */
  name: string
}

/**
 * A fresh form: the face preset (pretrained on faces, ships with the app; a linear probe by
 * default, the best start measured when no VGGFace2 weights are at hand: BENCHMARKS.md,
 * "Face-pretrained start"), IICL, 4 folds, seed 0, AUs with ≥ 15 positive clips.
 */
export function defaultForm(): TrainForm {
  return {
    datasetIds: [],
    coderId: null,
    preset: 'face',
    trainMode: '',
    mode: 'train',
    variant: 'iicl',
    variants: ['baseline', 'intracl', 'intercl', 'iicl'],
    folds: '4',
    epochs: '',
    seed: '0',
    batchSize: '',
    minPositives: '15',
    weightsFile: '',
    backend: 'auto',
    name: '',
  }
}

/** A request the engine accepts, or the first problem, naming the field. */
export type BuiltRequest =
  | { ok: true; method: 'ml.train'; input: MethodInput<'ml.train'> }
  | { ok: true; method: 'ml.ablation'; input: MethodInput<'ml.ablation'> }
  | { ok: false; field: keyof TrainForm; message: string }

type IntResult = { ok: true; value: number | undefined } | { ok: false; message: string }

/** A whole number in [min, max] from a text field; undefined for an empty optional field. */
export function parseInteger(text: string, min: number, max: number, optional: boolean): IntResult {
  const trimmed = text.trim()
  if (trimmed === '') {
    return optional ? { ok: true, value: undefined } : { ok: false, message: 'is required' }
  }
  if (!/^\d+$/.test(trimmed))
    return { ok: false, message: `must be a whole number, not "${trimmed}"` }
  const value = Number(trimmed)
  if (value < min || value > max) return { ok: false, message: `must be from ${min} to ${max}` }
  return { ok: true, value }
}

const LIMITS = {
  folds: [2, 20, false, 'Folds'],
  epochs: [1, 1000, true, 'Epochs'],
  seed: [0, 2 ** 31 - 1, false, 'Seed'],
  batchSize: [2, 256, true, 'Batch size'],
  minPositives: [1, 100_000, false, 'Minimum positives'],
} as const

/** The ml.train or ml.ablation request of a form (the contract's limits checked here first). */
export function buildRequest(form: TrainForm): BuiltRequest {
  if (form.datasetIds.length === 0)
    return { ok: false, field: 'datasetIds', message: 'Choose at least one dataset.' }
  const numbers: Partial<Record<keyof typeof LIMITS, number>> = {}
  for (const [field, [min, max, optional, label]] of Object.entries(LIMITS) as [
    keyof typeof LIMITS,
    (typeof LIMITS)[keyof typeof LIMITS],
  ][]) {
    const parsed = parseInteger(form[field], min, max, optional)
    if (!parsed.ok) return { ok: false, field, message: `${label} ${parsed.message}.` }
    numbers[field] = parsed.value
  }
  const weightsFile = form.weightsFile.trim()
  if (weightsFile !== '' && !/^(\/|[A-Za-z]:[\\/])/.test(weightsFile)) {
    return {
      ok: false,
      field: 'weightsFile',
      message: `Pretrained weights must be an absolute path, not "${weightsFile}".`,
    }
  }
  if (weightsFile !== '' && !/\.h5$/i.test(weightsFile)) {
    return { ok: false, field: 'weightsFile', message: `Pretrained weights must be an .h5 file.` }
  }
  if (resolvedTrainMode(form) === 'linear-probe' && !startsPretrained(form)) {
    return {
      ok: false,
      field: 'trainMode',
      message: `A linear probe needs pretrained weights: choose the face preset, or give a weights file.`,
    }
  }
  const common = {
    datasetIds: [...form.datasetIds],
    preset: form.preset,
    ...(form.trainMode ? { trainMode: form.trainMode } : {}),
    folds: numbers.folds,
    seed: numbers.seed,
    epochs: numbers.epochs,
    batchSize: numbers.batchSize,
    minPositives: numbers.minPositives,
    backend: form.backend,
    ...(weightsFile ? { weightsFile } : {}),
    ...(form.coderId !== null ? { coderId: form.coderId } : {}),
  }
  if (form.mode === 'ablation') {
    if (form.variants.length === 0) {
      return { ok: false, field: 'variants', message: 'Pick at least one variant to compare.' }
    }
    const variants = ML_VARIANTS.filter((v) => form.variants.includes(v))
    return { ok: true, method: 'ml.ablation', input: { ...common, variants } }
  }
  const name = form.name.trim()
  return {
    ok: true,
    method: 'ml.train',
    input: { ...common, variant: form.variant, ...(name ? { name } : {}) },
  }
}

/** Clips per step a run will use: the field's, else the preset's. */
export function effectiveBatchSize(form: TrainForm): number {
  const parsed = parseInteger(form.batchSize, 2, 256, true)
  return parsed.ok && parsed.value !== undefined
    ? parsed.value
    : PRESET_FACTS[form.preset].batchSize
}

/** Whether a run of the form starts from pretrained weights (the face preset's, or a file). */
export function startsPretrained(form: Pick<TrainForm, 'preset' | 'weightsFile'>): boolean {
  return form.preset === 'face' || form.weightsFile.trim() !== ''
}

/** What a run of the form trains: the form's choice, else its preset's default. */
export function resolvedTrainMode(
  form: Pick<TrainForm, 'preset' | 'trainMode'>,
): 'fine-tune' | 'linear-probe' {
  return form.trainMode || PRESET_FACTS[form.preset].trainMode
}

/** Epochs a run will use: the field's, else the preset's; a linear probe's one head fit. */
export function effectiveEpochs(form: TrainForm): number {
  if (resolvedTrainMode(form) === 'linear-probe') return 1
  const parsed = parseInteger(form.epochs, 1, 1000, true)
  return parsed.ok && parsed.value !== undefined ? parsed.value : PRESET_FACTS[form.preset].epochs
}

/** The form's datasets with `id` ticked or unticked (the others keep their order). */
export function toggleDataset(ids: readonly number[], id: number): number[] {
  return ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]
}

/** The dataset ids of an ml.train / ml.ablation job's stored input, or null when it has none. */
export function jobDatasetIds(input: unknown): number[] | null {
  const ids = (input as { datasetIds?: unknown } | null)?.datasetIds
  return Array.isArray(ids) && ids.length > 0 && ids.every((x) => typeof x === 'number')
    ? (ids as number[])
    : null
}

/** The names of datasets, in the given order ("dataset 7" for one the library no longer has). */
export function datasetNames(
  ids: readonly number[],
  datasets: readonly { id: number; name: string }[],
): string[] {
  return ids.map((id) => datasets.find((d) => d.id === id)?.name ?? `dataset ${id}`)
}

const text = (value: unknown): string | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined

/**
 * The form of a job found again after a reload, read from the job's stored input (the
 * engine's ml.train / ml.ablation job input: overrides hold epochs and batch size, coder
 * the coder id). Fields the input does not hold keep the form's values.
 */
export function formFromJob(kind: string, input: unknown, base: TrainForm): TrainForm {
  if (typeof input !== 'object' || input === null) return base
  const i = input as Record<string, unknown>
  const overrides = (
    typeof i.overrides === 'object' && i.overrides !== null ? i.overrides : {}
  ) as Record<string, unknown>
  const pick = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T =>
    allowed.includes(value as T) ? (value as T) : fallback
  const variants = Array.isArray(i.variants)
    ? ML_VARIANTS.filter((v) => (i.variants as unknown[]).includes(v))
    : base.variants
  return {
    ...base,
    datasetIds: jobDatasetIds(input) ?? base.datasetIds,
    coderId: typeof i.coder === 'number' ? i.coder : null,
    preset: pick(i.preset, Object.keys(PRESET_FACTS) as PresetName[], base.preset),
    trainMode: pick(overrides.trainMode, ['fine-tune', 'linear-probe'] as const, '' as const),
    mode: kind === 'ml.ablation' ? 'ablation' : 'train',
    variant: pick(i.variant, ML_VARIANTS, base.variant),
    variants,
    folds: text(i.folds) ?? base.folds,
    epochs: text(overrides.epochs) ?? '',
    seed: text(i.seed) ?? base.seed,
    batchSize: text(overrides.batchSize) ?? '',
    minPositives: text(i.minPositives) ?? base.minPositives,
    weightsFile: typeof i.weightsFile === 'string' ? i.weightsFile : '',
    backend: pick(i.backend, ML_BACKENDS, base.backend),
    name: typeof i.name === 'string' ? i.name : '',
  }
}
