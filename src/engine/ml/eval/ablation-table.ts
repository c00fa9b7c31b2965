import { allPositiveF1OfRate } from '../../../shared/metrics'
import { ablationRowLabel, type AblationResult } from '../../../shared/ml'

/**
 * The paper's Table 1/2 layout as a markdown table: AUs as columns and AVG last, a
 * "Number" row of positive clips, one row per variant (and the linear probe's), the base rates and the F1 of the
 * always-positive predictor.
 */
export function formatAblationTable(
  result: Pick<AblationResult, 'auList' | 'positives' | 'baseRates' | 'rows'>,
): string {
  const f = (x: number) => x.toFixed(2)
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)
  // F1 of calling every clip positive, 2b / (1 + b): the floor a model has to beat.
  const allPositive = result.baseRates.map(allPositiveF1OfRate)
  const header = ['Methods', ...result.auList.map((au) => `AU${au}`), 'AVG']
  const lines = [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    `| Number | ${result.positives.join(' | ')} | |`,
    ...result.rows.map(
      (r) => `| ${ablationRowLabel(r)} | ${r.f1.map(f).join(' | ')} | ${f(r.meanF1)} |`,
    ),
    `| Base rate | ${result.baseRates.map(f).join(' | ')} | ${f(mean(result.baseRates))} |`,
    `| All positive | ${allPositive.map(f).join(' | ')} | ${f(mean(allPositive))} |`,
  ]
  return lines.join('\n')
}
