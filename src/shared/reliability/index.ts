/** Coder reliability: agreement ratio, kappas, timing differences, and their tables. */
export { AGREEMENT_RATIO_DEFINITION, agreementRatio } from './agreement'
export {
  COHEN_KAPPA_DEFINITION,
  FLEISS_KAPPA_DEFINITION,
  binaryFleissKappa,
  fleissKappa,
  pairKappa,
} from './kappa'
export {
  IOU_DEFINITION,
  MEAN_DELTA_DEFINITION,
  framesToMs,
  intervalIoU,
  meanAbsoluteDifference,
  type FrameMarkers,
  type TimingDelta,
} from './timing'
export {
  BOTH_SCORED_DEFINITION,
  FULL_RATIO_DEFINITION,
  INTENSITY_AGREEMENT_DEFINITION,
  MIN_CLIPS,
  MIN_CLIPS_DEFINITION,
  SIDE_AGREEMENT_DEFINITION,
  SIDE_RATIO_DEFINITION,
  auLabelAgreement,
  fewClipsWarning,
  type AuComparison,
  type AuLabelAgreement,
  type AuMark,
} from './au-labels'
export {
  reliabilityReport,
  type AuReliability,
  type ClipReliabilityRow,
  type CodedClip,
  type PairReliability,
  type ReliabilityClip,
  type ReliabilityReport,
} from './report'
export {
  auTable,
  clipTable,
  pairTable,
  summaryTable,
  tableCsv,
  type ReliabilityCell,
  type ReliabilityColumn,
  type ReliabilityTable,
} from './tables'
