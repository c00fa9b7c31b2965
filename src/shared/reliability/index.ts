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
  formatCell,
  pairTable,
  summaryTable,
  tableCsv,
  type ReliabilityCell,
  type ReliabilityColumn,
  type ReliabilityTable,
} from './tables'
