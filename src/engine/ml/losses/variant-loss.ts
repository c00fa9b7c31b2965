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

/** The frames a variant feeds per clip and the frames it classifies. */
export interface VariantFrames {
  /** Onset frames are fed; only their features are used (a contrastive term). */
  onset: boolean
  /** Close-to-apex frames are fed (their features enter the contrastive term when it uses them). */
  close: boolean
  /** Close-to-apex frames are classified too: the L_AUs_c term of eq. 7. */
  bceClose: boolean
}

/**
 * Which frames each variant uses besides the apex, as the paper defines them (§2.1, §3).
 * Classifying close-to-apex frames belongs to IntraCL ("AUs in both apex and close-to-apex
 * frames are classified during training", §2.1), so only IntraCL and IICL carry L_AUs_c.
 * - baseline: SENet classifying apex frames only.
 * - intercl: the baseline plus L_NA, which compares apex frames only.
 * - cl: the Hadsell loss on apex pairs replaces IICL's terms; like InterCL it is added on
 *   the apex-only baseline, so it needs no other frame.
 * - tl: the FaceNet triplet loss needs the onset (a negative of its own clip) and the
 *   close-to-apex frame (the positive) as features; it does not classify close-to-apex
 *   frames, since that is part of IntraCL and not of the triplet loss.
 */
export const VARIANT_INPUTS: Readonly<Record<LossVariant, VariantFrames>> = {
  baseline: { onset: false, close: false, bceClose: false },
  intracl: { onset: true, close: true, bceClose: true },
  intercl: { onset: false, close: false, bceClose: false },
  iicl: { onset: true, close: true, bceClose: true },
  cl: { onset: false, close: false, bceClose: false },
  tl: { onset: true, close: true, bceClose: false },
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
 * The loss of a variant, with f = L2-normalised features and B = L_AUs(apex), plus
 * L_AUs(close) for the variants that classify close-to-apex frames (IntraCL, IICL):
 * - baseline: B
 * - intracl:  B + λ·(L_OA + L_OC + L_AC)
 * - intercl:  B + λ·L_NA
 * - iicl:     B + λ·(L_OA + L_OC + L_AC + L_NA)   (eq. 7)
 * - cl:       B + λ·CL (Hadsell, apex pairs, see hadsellContrastiveLoss)
 * - tl:       B + λ·TL (FaceNet, see tripletLoss)
 * labels: [N, M] of 0/1, the AUs of each clip (shared by its three frames). Throws when a
 * frame the variant needs is missing; frames it does not use are ignored (see
 * {@link VARIANT_INPUTS}). The caller owns the
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
  if (needs.onset && !outputs.onset) {
    throw new Error(`variant ${variant} needs onset features`)
  }
  if (needs.close && !outputs.close) {
    throw new Error(`variant ${variant} needs close-to-apex outputs`)
  }
  return tf.tidy(() => {
    const terms: Partial<Record<LossTerm, tf.Scalar>> = {}
    terms.bceApex = auBceLoss(outputs.apex.logits, labels, options.positiveWeights)
    if (needs.bceClose && outputs.close) {
      terms.bceClose = auBceLoss(outputs.close.logits, labels, options.positiveWeights)
    }
    const apex = l2Normalize(outputs.apex.features)
    const close = needs.close && outputs.close ? l2Normalize(outputs.close.features) : null
    const onset = needs.onset && outputs.onset ? l2Normalize(outputs.onset.features) : null
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
