import { auDisplayName } from '../../../shared/facs'
import { variantLabel, type ModelDetail } from '../../../shared/ml'
import { formatDuration, formatNumber, formatTimestamp, plural } from '../lib/format'

/** One fact of a model's record, as its page shows it. */
export interface RecordFact {
  /** The record's field (or fields) it comes from; also the fact's test id. */
  key: string
  label: string
  value: string
}

/** The fields the page shows by name; every other field of the record is listed raw. */
const SHOWN = new Set([
  'datasetIds',
  'datasetId',
  'labelLayers',
  'auCounts',
  'clipsPerDataset',
  'folds',
  'foldAssignment',
  'seed',
  'preset',
  'variant',
  'epochs',
  'batchSize',
  'learningRate',
  'learningRateStepEpochs',
  'learningRateDecay',
  'momentum',
  'resizeSize',
  'cropSize',
  'lambda',
  'margin',
  'classBalancedBce',
  'bce',
  'minPositives',
  'spottedApexes',
  'backend',
  'trainedAt',
  'trainingMs',
  'trainingRunsMs',
  'thresholds',
  'weightsFile',
])

type Json = Record<string, unknown>

function objectOf(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {}
}

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null)
const text = (v: unknown): string | null => (typeof v === 'string' ? v : null)

/** The datasets of a record: `datasetIds`, or the single `datasetId` of older records. */
export function recordDatasetIds(config: unknown): number[] {
  const record = objectOf(config)
  if (Array.isArray(record.datasetIds)) {
    return record.datasetIds.filter((id): id is number => typeof id === 'number')
  }
  return typeof record.datasetId === 'number' ? [record.datasetId] : []
}

/** Subjects per dataset, from the fold assignment's `<datasetId>/<subject>` keys. */
export function subjectsPerDataset(config: unknown): Map<number, number> {
  const counts = new Map<number, number>()
  for (const key of Object.keys(objectOf(objectOf(config).foldAssignment))) {
    const id = Number(key.split('/')[0])
    if (Number.isSafeInteger(id)) counts.set(id, (counts.get(id) ?? 0) + 1)
  }
  return counts
}

/** Clips per dataset as training recorded them (`clipsPerDataset`, keyed by dataset id). */
export function clipsPerDataset(config: unknown): Map<number, number> {
  const counts = new Map<number, number>()
  for (const [key, n] of Object.entries(objectOf(objectOf(config).clipsPerDataset))) {
    if (typeof n === 'number' && Number.isSafeInteger(Number(key))) counts.set(Number(key), n)
  }
  return counts
}

/**
 * "CASME II (26 subjects, 255 clips, labels of Ann)" for each dataset the model was trained
 * on; a count the record does not hold is left out.
 */
function datasetsFact(config: unknown, datasetName: (id: number) => string): string {
  const subjects = subjectsPerDataset(config)
  const clips = clipsPerDataset(config)
  const layers = Array.isArray(objectOf(config).labelLayers)
    ? (objectOf(config).labelLayers as unknown[]).map(objectOf)
    : []
  const parts = recordDatasetIds(config).map((id) => {
    const coder = text(objectOf(layers.find((l) => l.datasetId === id)?.coder).name)
    const n = subjects.get(id)
    const c = clips.get(id)
    const details = [
      n === undefined ? null : plural(n, 'subject'),
      c === undefined ? null : plural(c, 'clip'),
      coder ? `labels of ${coder}` : null,
    ].filter(Boolean)
    return `${datasetName(id)}${details.length > 0 ? ` (${details.join(', ')})` : ''}`
  })
  return parts.length > 0 ? parts.join(' + ') : 'not recorded'
}

/** "CASME II (8 clips) + SAMM (4 clips)": the datasets with their clip counts, for the compare view. */
export function datasetsWithClips(config: unknown, datasetName: (id: number) => string): string {
  const clips = clipsPerDataset(config)
  const parts = recordDatasetIds(config).map((id) => {
    const c = clips.get(id)
    return c === undefined ? datasetName(id) : `${datasetName(id)} (${plural(c, 'clip')})`
  })
  return parts.length > 0 ? parts.join(' + ') : '—'
}

/** A value of the record as the page shows it, or 'not recorded'. */
function shown(value: unknown): string {
  if (value === undefined || value === null) return 'not recorded'
  if (typeof value === 'number') return formatNumber(value)
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (typeof value === 'string') return value
  return JSON.stringify(value)
}

/**
 * Everything needed to cite a model, from its stored record (`config`) and metrics: the
 * facts by name, in the order a methods section gives them. Fields a newer record holds
 * that this list does not know come out in `otherFacts`.
 */
export function modelRecordFacts(
  model: ModelDetail,
  datasetName: (id: number) => string,
): RecordFact[] {
  const r = objectOf(model.config)
  const m = objectOf(model.metrics)
  const aus = Array.isArray(m.auList) ? m.auList.map(String) : Object.keys(objectOf(r.auCounts))
  const lr = num(r.learningRate)
  const step = num(r.learningRateStepEpochs)
  const decay = num(r.learningRateDecay)
  const fact = (key: string, label: string, value: string): RecordFact => ({ key, label, value })
  return [
    fact('datasets', 'Datasets', datasetsFact(r, datasetName)),
    fact('clips', 'Clips', num(m.clips) === null ? 'not recorded' : plural(num(m.clips)!, 'clip')),
    fact(
      'aus',
      'AUs',
      aus.length > 0 ? aus.map((au) => auDisplayName(Number(au))).join(', ') : 'not recorded',
    ),
    fact(
      'folds',
      'Folds',
      num(r.folds) === null
        ? 'not recorded'
        : `${num(r.folds)}, subject-independent (seed ${shown(r.seed)})`,
    ),
    fact('preset', 'Preset', model.preset),
    fact('variant', 'Variant', variantLabel(model.variant)),
    fact(
      'loss',
      'Loss options',
      `${shown(r.bce)}; λ ${shown(r.lambda)}, margin δ ${shown(r.margin)}`,
    ),
    fact(
      'schedule',
      'Training',
      `${num(r.epochs) === null ? 'epochs not recorded' : plural(num(r.epochs) ?? 0, 'epoch')}, batch ${shown(r.batchSize)} clips, SGD momentum ${shown(r.momentum)}, learning rate ${lr === null ? 'not recorded' : formatNumber(lr)}${step !== null && decay !== null ? ` × ${formatNumber(decay)} every ${plural(step, 'epoch')}` : ''}`,
    ),
    fact('input', 'Input', `resize ${shown(r.resizeSize)} px, crop ${shown(r.cropSize)} px`),
    fact('minPositives', 'AUs kept', `those with at least ${shown(r.minPositives)} positive clips`),
    fact('threshold', 'Threshold', thresholdsOf(r, m)),
    fact('weights', 'Starting weights', text(r.weightsFile) ?? 'none (trained from scratch)'),
    fact('backend', 'Backend', shown(r.backend)),
    fact(
      'trainedAt',
      'Trained',
      text(r.trainedAt) ? formatTimestamp(text(r.trainedAt)!) : formatTimestamp(model.createdAt),
    ),
    fact('trainingTime', 'Training time', trainingTime(r)),
    fact('spottedApexes', 'Apexes spotted', spottedText(num(r.spottedApexes))),
    fact('path', 'Files', model.path),
  ]
}

/** How many clips had their apex chosen by the spotter, in words. */
function spottedText(count: number | null): string {
  if (count === null) return 'not recorded'
  if (count === 0) return 'none: every clip had a coded apex'
  return `${plural(count, 'clip')} had no coded apex; the spotter chose it`
}

/**
 * Per-AU thresholds when the record holds them (one value when they are all the same), else
 * the one the metrics used.
 */
function thresholdsOf(record: Json, metrics: Json): string {
  const per = objectOf(record.thresholds)
  const entries = Object.entries(per).filter(([, v]) => typeof v === 'number')
  const values = new Set(entries.map(([, v]) => v))
  if (entries.length > 1 && values.size === 1) {
    return `${formatNumber(entries[0][1] as number)} for every AU`
  }
  if (entries.length > 0) {
    return entries
      .map(([au, v]) => `${auDisplayName(Number(au))}: ${formatNumber(v as number)}`)
      .join(', ')
  }
  const one = num(metrics.threshold)
  return one === null ? 'not recorded' : `${formatNumber(one)} for every AU`
}

/**
 * The training time the record holds (`trainingMs`: wall time summed over the job's runs,
 * see engine/ml/train/training-time.ts), saying so when it was resumed.
 */
export function trainingTime(config: unknown): string {
  const record = objectOf(config)
  const ms = num(record.trainingMs)
  if (ms === null) return 'not recorded'
  const runs = Array.isArray(record.trainingRunsMs) ? record.trainingRunsMs.length : 1
  return runs > 1 ? `${formatDuration(ms)} (${plural(runs, 'run')}: resumed)` : formatDuration(ms)
}

/** The record's fields this page does not name, raw, so no fact goes unseen. */
export function otherFacts(config: unknown): RecordFact[] {
  return Object.entries(objectOf(config))
    .filter(([key]) => !SHOWN.has(key))
    .map(([key, value]) => ({ key, label: key, value: shown(value) }))
}
