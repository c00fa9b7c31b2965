import type { DecisionThresholds } from './decision-thresholds'

/** Model, prediction and backend records as the contract carries them. */

/** The training variants (the paper's Table 1 and 2 rows). */
export const ML_VARIANTS = ['baseline', 'intracl', 'intercl', 'iicl', 'cl', 'tl'] as const

/** A training variant. */
export type MlVariant = (typeof ML_VARIANTS)[number]

/** The variants as the paper names them. */
export const ML_VARIANT_LABELS: Record<MlVariant, string> = {
  baseline: 'Baseline',
  intracl: 'IntraCL',
  intercl: 'InterCL',
  iicl: 'IICL',
  cl: 'CL',
  tl: 'TL',
}

/** The paper's name of a variant ('iicl' → 'IICL'); an unknown name passes through. */
export function variantLabel(variant: string): string {
  return Object.prototype.hasOwnProperty.call(ML_VARIANT_LABELS, variant)
    ? ML_VARIANT_LABELS[variant as MlVariant]
    : variant
}

/**
 * How batch norm trains (engine/ml/train/cached-gradients.ts): each micro-batch's own
 * statistics, or the moving statistics frozen (for fine-tuning pretrained weights).
 */
export const ML_BATCH_NORM_MODES = ['micro-batch', 'frozen'] as const

/** The model presets. */
export const ML_PRESETS = ['paper', 'laptop', 'tiny', 'face'] as const

/** Tensor backends a job may ask for. */
export const ML_BACKENDS = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const

/** A model of the library (models table). */
export interface ModelSummary {
  id: number
  name: string
  preset: string
  variant: string
  /** The model folder. */
  path: string
  /** Pooled mean binary F1 of its cross-validation, when evaluated. */
  meanF1: number | null
  createdAt: string
}

/** A model with its training record and metrics. */
export interface ModelDetail extends ModelSummary {
  /** Training settings, dataset, coder, fold assignment, BCE used, backend. */
  config: unknown
  /** Cross-validation results: per AU F1, precision, recall, base rate, kappa; per fold. */
  metrics: unknown
}

/** One stored prediction: a model's probability of one AU on one clip's apex frame. */
export interface PredictionRow {
  modelId: number
  clipId: number
  frame: number
  au: number
  probability: number
  createdAt: string
}

/** Which tensor backend the engine gets, and why the others were not used. */
export interface BackendInfo {
  name: string
  reason: string
  threads: number
  attempts: { name: string; ok: boolean; reason: string }[]
}

/** One clip of a batch analysis: where its apex is and the model's probability per AU. */
export interface BatchRow {
  clipId: number
  /** The participant (the video's folder, or its file name when the folder holds all). */
  subject: string
  clip: string
  /** The video the clip came from. */
  file: string | null
  /** Absolute frame number of the apex the prediction used. */
  apex: number | null
  /** 'coded' when a coder marked it, 'spotted' when apex spotting found it. */
  apexSource: 'coded' | 'spotted' | null
  /** Probability per AU, in the table's AU order. */
  probabilities: number[]
}

/** The table of a batch analysis: one row per clip, one probability column per AU. */
export interface BatchTable {
  datasetId: number
  modelId: number
  /** AU numbers as the model names them ('1', '4', …). */
  aus: string[]
  rows: BatchRow[]
  /** The decision threshold per AU (p ≥ t is a yes) and where it comes from. */
  thresholds: DecisionThresholds
}

/** What a batch.analyze job answers: where its dataset and files are. */
export interface BatchResult {
  datasetId: number
  modelId: number
  clips: number
  /** The table written as CSV and as XLSX (absolute paths). */
  csv: string
  xlsx: string
  /** The one threshold asked for every AU; absent when the model's own were used. */
  threshold?: number
}

/** One AU of a cross-validation report (JSON-safe: kappa is null when undefined). */
export interface AuMetrics {
  au: string
  f1: number
  precision: number
  recall: number
  baseRate: number
  kappa: number | null
  positives: number
  predictedPositives: number
  allPositiveF1: number
}

/** Results of a cross-validation, stored with the model (models.metrics and the sidecar). */
export interface CvMetrics {
  protocol: string
  threshold: number
  folds: number
  clips: number
  auList: string[]
  /** Mean binary F1 over the AUs, predictions of all folds pooled. */
  meanF1: number
  meanAllPositiveF1: number
  perAu: AuMetrics[]
  perFold: {
    fold: number
    clips: number
    meanF1: number
    ausWithoutPredictedPositives: string[]
    /** AUs the fold called positive on every test clip (absent in older records). */
    ausOnlyPredictedPositive?: string[]
  }[]
  /** e.g. "fold 2 predicts no positive for AU 14". */
  warnings: string[]
}

/** One row of the ablation table. */
export interface AblationRow {
  variant: MlVariant
  /** F1 per AU, in the table's AU order. */
  f1: number[]
  meanF1: number
  warnings: string[]
  /** The collapse guard's notice in words (shared/collapse.ts), null when none collapsed. */
  collapse?: string | null
  /** Mean F1 with each fold at its inner-split thresholds (null without them). */
  meanF1AtThresholds?: number | null
}

/** What an ml.ablation job answers: the paper's Table 1 layout plus context. */
export interface AblationResult {
  preset: string
  folds: number
  seed: number
  epochs: number
  bce: string
  backend: string
  auList: string[]
  /** Positive clips per AU (the paper's "Number" row). */
  positives: number[]
  /** Share of positive clips per AU. */
  baseRates: number[]
  rows: AblationRow[]
  outDir: string
}
