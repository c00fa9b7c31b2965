import { tf } from '../tf'
import { auBceLoss } from './bce'
import { l2Normalize } from './embedding'
import { negativePairLoss } from './inter-contrastive'
import { apexCloseLoss, onsetApexLoss, onsetCloseLoss } from './intra-contrastive'
import { hadsellContrastiveLoss, tripletLoss } from './metric-learning'

/** The training variants the paper compares. */
export const LOSS_VARIANTS = ['baseline', 'intracl', 'intercl', 'iicl', 'cl', 'tl'] as const

/** A training variant. */
export type LossVariant = (typeof LOSS_VARIANTS)[number]

/**
 * Which frames a variant needs besides the apex. 'optional' close-to-apex frames add their
 * BCE term when given, so passing them for every variant makes the variants differ only
 * in their contrastive term (the paper's eq. 7 minus the terms a variant leaves out).
 */
export const VARIANT_INPUTS: Readonly<
  Record<LossVariant, { onset: 'required' | 'unused'; close: 'required' | 'optional' }>
> = {
  baseline: { onset: 'unused', close: 'optional' },
  intracl: { onset: 'required', close: 'required' },
  intercl: { onset: 'unused', close: 'optional' },
  iicl: { onset: 'required', close: 'required' },
  cl: { onset: 'unused', close: 'optional' },
  tl: { onset: 'required', close: 'required' },
}

/** Model outputs for one kind of frame of the batch (one row per clip). */
export interface FrameOutputs {
  /** Pooled features [N, D], not normalised. */
  features: tf.Tensor2D
  /** AU logits [N, M]. */
  logits: tf.Tensor2D
}

/** Outputs of the clips of a batch, row i of each belonging to clip i. */
export interface BatchOutputs {
  apex: FrameOutputs
  close?: FrameOutputs
  /** Onset logits are never used. */
  onset?: Pick<FrameOutputs, 'features'>
}

/** Weights and margins of {@link variantLoss}. */
export interface VariantLossOptions {
  /** λ of the contrastive terms (0.1). */
  lambda?: number
  /** δ of L_OA, L_OC and L_NA (1). */
  delta?: number
  /** m of the Hadsell contrastive loss, on Euclidean distance (1). */
  contrastiveMargin?: number
  /** α of the triplet loss, on squared distance (0.2). */
  tripletMargin?: number
  /** Per-AU positive weights of the BCE (class-balanced BCE); plain BCE when left out. */
  positiveWeights?: Float32Array
}

/** Names of the terms a variant loss reports. */
export type LossTerm = 'bceApex' | 'bceClose' | 'oa' | 'oc' | 'ac' | 'na' | 'cl' | 'tl'

/** Total loss and the unweighted terms it was made of. */
export interface VariantLossResult {
  total: tf.Scalar
  terms: Partial<Record<LossTerm, tf.Scalar>>
}

/**
 * The loss of a variant, with f = L2-normalised features and B = L_AUs(apex) (+ L_AUs(close)
 * when close-to-apex outputs are given):
 * - baseline: B
 * - intracl:  B + λ·(L_OA + L_OC + L_AC)
 * - intercl:  B + λ·L_NA
 * - iicl:     B + λ·(L_OA + L_OC + L_AC + L_NA)   (eq. 7)
 * - cl:       B + λ·CL (Hadsell, apex pairs, see hadsellContrastiveLoss)
 * - tl:       B + λ·TL (FaceNet, see tripletLoss)
 * labels: [N, M] of 0/1, the AUs of each clip (shared by its three frames). Throws when a
 * frame the variant needs is missing (see {@link VARIANT_INPUTS}). The caller owns the
 * returned tensors; inside optimizer.minimize return `total` and the terms are freed.
 */
export function variantLoss(
  variant: LossVariant,
  outputs: BatchOutputs,
  labels: tf.Tensor2D,
  options: VariantLossOptions = {},
): VariantLossResult {
  const lambda = options.lambda ?? 0.1
  const delta = options.delta ?? 1
  const needs = VARIANT_INPUTS[variant]
  if (needs.onset === 'required' && !outputs.onset) {
    throw new Error(`variant ${variant} needs onset features`)
  }
  if (needs.close === 'required' && !outputs.close) {
    throw new Error(`variant ${variant} needs close-to-apex outputs`)
  }
  return tf.tidy(() => {
    const terms: Partial<Record<LossTerm, tf.Scalar>> = {}
    terms.bceApex = auBceLoss(outputs.apex.logits, labels, options.positiveWeights)
    if (outputs.close) {
      terms.bceClose = auBceLoss(outputs.close.logits, labels, options.positiveWeights)
    }
    const apex = l2Normalize(outputs.apex.features)
    const close = outputs.close ? l2Normalize(outputs.close.features) : null
    const onset = outputs.onset ? l2Normalize(outputs.onset.features) : null
    const intra = variant === 'intracl' || variant === 'iicl'
    const inter = variant === 'intercl' || variant === 'iicl'
    if (intra && onset && close) {
      terms.oa = onsetApexLoss(onset, apex, delta)
      terms.oc = onsetCloseLoss(onset, close, delta)
      terms.ac = apexCloseLoss(apex, close)
    }
    if (inter) terms.na = negativePairLoss(apex, labels, delta)
    if (variant === 'cl') terms.cl = hadsellContrastiveLoss(apex, labels, options.contrastiveMargin)
    if (variant === 'tl' && onset && close) {
      terms.tl = tripletLoss(onset, apex, close, labels, options.tripletMargin)
    }
    const supervised = terms.bceClose ? tf.add(terms.bceApex, terms.bceClose) : terms.bceApex
    const contrastive = [terms.oa, terms.oc, terms.ac, terms.na, terms.cl, terms.tl].filter(
      (t): t is tf.Scalar => t !== undefined,
    )
    const total =
      contrastive.length === 0
        ? supervised
        : tf.add(supervised, tf.mul(lambda, tf.addN(contrastive)))
    return { total: total as tf.Scalar, terms }
  })
}
