import { formatReportCsv, type CsvValue } from '../csv'
import { auDisplayName } from '../facs'
import { AGREEMENT_RATIO_DEFINITION } from './agreement'
import {
  BOTH_SCORED_DEFINITION,
  FULL_RATIO_DEFINITION,
  INTENSITY_AGREEMENT_DEFINITION,
  MIN_CLIPS_DEFINITION,
  SIDE_AGREEMENT_DEFINITION,
  SIDE_RATIO_DEFINITION,
  fewClipsWarning,
} from './au-labels'
import { COHEN_KAPPA_DEFINITION, FLEISS_KAPPA_DEFINITION } from './kappa'
import type { ReliabilityReport } from './report'
import { IOU_DEFINITION, MEAN_DELTA_DEFINITION, type TimingDelta } from './timing'

/** A column of a reliability table: its header and, for measures, its definition. */
export interface ReliabilityColumn {
  label: string
  /** Shown as the header's tooltip and written nowhere else. */
  definition?: string
  /** Its numbers are measures (agreement, κ, IoU, mean deltas), shown with fixed decimals. */
  measure?: true
}

/** A cell: text, a number, or empty (the measure is undefined there). */
export type ReliabilityCell = string | number | null

/** One table of the reliability view, which is also one CSV file. */
export interface ReliabilityTable {
  /** Used in the CSV file name: 'pairs', 'aus', 'clips'. */
  name: string
  title: string
  columns: ReliabilityColumn[]
  rows: ReliabilityCell[][]
}

const CLIPS_BOTH = 'Clips coded by both coders of the pair.'
const CLIPS_TWO = 'Clips coded by at least two of the chosen coders.'

const ratio: ReliabilityColumn = {
  label: 'Agreement ratio',
  definition: AGREEMENT_RATIO_DEFINITION,
  measure: true,
}
const cohen: ReliabilityColumn = {
  label: "Cohen's κ",
  definition: COHEN_KAPPA_DEFINITION,
  measure: true,
}
const fleiss: ReliabilityColumn = {
  label: "Fleiss' κ",
  definition: FLEISS_KAPPA_DEFINITION,
  measure: true,
}
const warning: ReliabilityColumn = { label: 'Warning', definition: MIN_CLIPS_DEFINITION }

const iou: ReliabilityColumn = {
  label: 'Onset–offset IoU',
  definition: IOU_DEFINITION,
  measure: true,
}

function timingColumns(): ReliabilityColumn[] {
  return (['onset', 'apex', 'offset'] as const).flatMap((which) => [
    { label: `|Δ ${which}| frames`, definition: MEAN_DELTA_DEFINITION, measure: true },
    { label: `|Δ ${which}| ms`, definition: MEAN_DELTA_DEFINITION, measure: true },
  ])
}

function timingCells(row: {
  onset: TimingDelta | null
  apex: TimingDelta | null
  offset: TimingDelta | null
}): ReliabilityCell[] {
  return [row.onset, row.apex, row.offset].flatMap((d) => [d?.frames ?? null, d?.ms ?? null])
}

/** The one-row summary over all chosen coders. */
export function summaryTable(report: ReliabilityReport): ReliabilityTable {
  const s = report.summary
  return {
    name: 'summary',
    title: 'Summary',
    columns: [
      { label: 'Clips', definition: CLIPS_TWO },
      ratio,
      { ...cohen, label: "Cohen's κ (mean of pairs)" },
      fleiss,
      ...timingColumns(),
      iou,
      warning,
    ],
    rows: [
      [
        s.clips,
        s.agreementRatio,
        s.cohenKappa,
        s.fleissKappa,
        ...timingCells(s),
        s.iou,
        fewClipsWarning(s.clips, 0),
      ],
    ],
  }
}

/** One row per pair of coders. */
export function pairTable(
  report: ReliabilityReport,
  coderName: (id: number) => string,
): ReliabilityTable {
  return {
    name: 'pairs',
    title: 'Per pair of coders',
    columns: [
      { label: 'Coder A' },
      { label: 'Coder B' },
      { label: 'Clips', definition: CLIPS_BOTH },
      ratio,
      cohen,
      ...timingColumns(),
      iou,
      warning,
    ],
    rows: report.pairs.map((p) => [
      coderName(p.coderA),
      coderName(p.coderB),
      p.clips,
      p.agreementRatio,
      p.cohenKappa,
      ...timingCells(p),
      p.iou,
      fewClipsWarning(p.clips, 0),
    ]),
  }
}

/**
 * One row per AU: how many of the shared clips each coder scored it on, agreement on the AU
 * alone, with side, with side and intensity, kappas, side and intensity agreement, and the
 * warning where these rest on too few clips.
 */
export function auTable(
  report: ReliabilityReport,
  coderName: (id: number) => string,
): ReliabilityTable {
  return {
    name: 'aus',
    title: 'Per AU',
    columns: [
      { label: 'AU' },
      { label: 'Clips', definition: CLIPS_TWO },
      ...report.coderIds.map((id) => ({
        label: `Scored by ${coderName(id)}`,
        definition: `Clips ${coderName(id)} scored this AU on, of the clips coded by at least two of the chosen coders (the clips every other column counts).`,
      })),
      { ...ratio, label: 'Agreement ratio (AU)' },
      { label: 'Ratio with side', definition: SIDE_RATIO_DEFINITION, measure: true },
      { label: 'Ratio with side + intensity', definition: FULL_RATIO_DEFINITION, measure: true },
      cohen,
      fleiss,
      { label: 'Clips both scored', definition: BOTH_SCORED_DEFINITION },
      { label: 'Side agreement', definition: SIDE_AGREEMENT_DEFINITION, measure: true },
      { label: 'Intensity agreement', definition: INTENSITY_AGREEMENT_DEFINITION, measure: true },
      warning,
    ],
    rows: report.perAu.map((a) => [
      auDisplayName(a.au),
      a.clips,
      ...a.scoredBy,
      a.agreementRatio,
      a.withSide,
      a.withSideAndIntensity,
      a.cohenKappa,
      a.fleissKappa,
      a.bothScored,
      a.side,
      a.intensity,
      a.warning,
    ]),
  }
}

/** One row per clip coded by at least two of the coders. */
export function clipTable(
  report: ReliabilityReport,
  coderName: (id: number) => string,
): ReliabilityTable {
  return {
    name: 'clips',
    title: 'Per clip',
    columns: [
      { label: 'Clip' },
      { label: 'Coders' },
      ratio,
      cohen,
      fleiss,
      ...timingColumns(),
      iou,
    ],
    rows: report.perClip.map((c) => [
      c.label,
      c.coderIds.map(coderName).join(', '),
      c.agreementRatio,
      c.cohenKappa,
      c.fleissKappa,
      ...timingCells(c),
      c.iou,
    ]),
  }
}

/**
 * A table as CSV (RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or
 * line break quoted with inner quotes doubled). Numbers keep 6 decimals at most; an undefined
 * measure is an empty field.
 */
export function tableCsv(table: ReliabilityTable): string {
  const field = (cell: ReliabilityCell): CsvValue =>
    typeof cell === 'number' ? Number(cell.toFixed(6)) : cell
  return formatReportCsv([
    table.columns.map((c) => c.label),
    ...table.rows.map((r) => r.map(field)),
  ])
}
