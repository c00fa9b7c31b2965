import type { LossVariant } from '../losses'

/** One row of the ablation table. */
export interface AblationRow {
  variant: LossVariant
  /** F1 per AU, in the table's AU order. */
  f1: number[]
  meanF1: number
  warnings: string[]
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

const VARIANT_LABELS: Record<LossVariant, string> = {
  baseline: 'Baseline',
  intracl: 'IntraCL',
  intercl: 'InterCL',
  iicl: 'IICL',
  cl: 'CL',
  tl: 'TL',
}

/**
 * The paper's Table 1/2 layout as a markdown table: AUs as columns and AVG last, a
 * "Number" row of positive clips, one row per variant, and the base rates.
 */
export function formatAblationTable(
  result: Pick<AblationResult, 'auList' | 'positives' | 'baseRates' | 'rows'>,
): string {
  const f = (x: number) => x.toFixed(2)
  const header = ['Methods', ...result.auList.map((au) => `AU${au}`), 'AVG']
  const lines = [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    `| Number | ${result.positives.join(' | ')} | |`,
    ...result.rows.map(
      (r) => `| ${VARIANT_LABELS[r.variant]} | ${r.f1.map(f).join(' | ')} | ${f(r.meanF1)} |`,
    ),
    `| Base rate | ${result.baseRates.map(f).join(' | ')} | ${f(result.baseRates.reduce((a, b) => a + b, 0) / Math.max(1, result.baseRates.length))} |`,
  ]
  return lines.join('\n')
}
