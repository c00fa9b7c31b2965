/** Losses of IICL and of the variants the paper compares (DOMAIN §1). */
export { auBceLoss, classBalancedPositiveWeights } from './bce'
export {
  l2Normalize,
  maskedMean,
  noSharedAuMask,
  pairwiseSquaredDistances,
  rowSquaredDistances,
  upperPairs,
} from './embedding'
export { negativePairLoss } from './inter-contrastive'
export { apexCloseLoss, onsetApexLoss, onsetCloseLoss, separationLoss } from './intra-contrastive'
export { hadsellContrastiveLoss, tripletLoss } from './metric-learning'
export {
  LOSS_VARIANTS,
  VARIANT_INPUTS,
  variantLoss,
  type BatchOutputs,
  type FrameOutputs,
  type LossTerm,
  type LossVariant,
  type VariantLossOptions,
  type VariantFrames,
  type VariantLossResult,
} from './variant-loss'
