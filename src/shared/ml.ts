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

/**
 * What a run trains from a pretrained start: the whole network (what the preset leaves
 * unfrozen) or only the AU head on frozen features (the linear probe).
 */
export const ML_TRAIN_MODES = ['fine-tune', 'linear-probe'] as const

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

/**
 * What a batch row stands for: a micro- or macro-expression the spotter found in a long
 * video, or a short video taken whole as one clip ('clip').
 */
export type BatchRowKind = 'micro' | 'macro' | 'clip'

/** One event of a batch analysis: where it is in its video and the model's probability per AU. */
export interface BatchRow {
  clipId: number
  /** The participant (the video's folder, or its file name when the folder holds all). */
  subject: string
  /** The library clip holding the event. */
  clip: string
  /** The video the clip came from. */
  file: string | null
  /** The video's file name. */
  video: string
  kind: BatchRowKind
  /** Frames per second of the video (what frame numbers are converted to time with). */
  fps: number
  /** Absolute frame numbers in the video, 1-based: the event's first, peak and last frame. */
  onset: number | null
  /** Absolute frame number of the apex the prediction used. */
  apex: number | null
  offset: number | null
  /** 'coded' when a coder marked it, 'spotted' when the spotter or apex spotting found it. */
  apexSource: 'coded' | 'spotted' | null
  /** The spotter's score (robust z of the peak's contrast); null for a whole clip. */
  score: number | null
  /** Probability per AU, in the table's AU order. */
  probabilities: number[]
}

/** One participant's counts in a batch: events per kind and per AU the events showing it. */
export interface BatchParticipant {
  subject: string
  videos: number
  events: Record<BatchRowKind, number>
  /** Per AU in the table's order: events whose probability reaches the AU's threshold. */
  auCounts: number[]
}

/** The table of a batch analysis: one row per event, one probability column per AU. */
export interface BatchTable {
  datasetId: number
  modelId: number
  /** AU numbers as the model names them ('1', '4', …). */
  aus: string[]
  rows: BatchRow[]
  /** Per participant, in the rows' order. */
  participants: BatchParticipant[]
  /** The decision threshold per AU (p ≥ t is a yes) and where it comes from. */
  thresholds: DecisionThresholds
}

/** What a batch.analyze job answers: where its dataset and files are. */
export interface BatchResult {
  datasetId: number
  modelId: number
  /** Rows of the table (events and whole clips). */
  clips: number
  /** The table written as CSV and as XLSX (absolute paths). */
  csv: string
  xlsx: string
  /** The per-participant counts as CSV (absolute path; also the XLSX's second sheet). */
  participantsCsv: string
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
  /**
   * The row is the linear probe (the AU head fitted on the frozen pretrained backbone, the
   * same model for every variant) shown beside the fine-tuned variants.
   */
  linearProbe?: boolean
}

/** The name of an ablation row: its variant's, or the linear probe's. */
export function ablationRowLabel(row: Pick<AblationRow, 'variant' | 'linearProbe'>): string {
  return row.linearProbe ? 'Linear probe (head only)' : variantLabel(row.variant)
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
