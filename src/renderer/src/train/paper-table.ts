import { allPositiveF1OfRate } from '../../../shared/metrics'
import { ablationRowLabel, type AblationResult, type CvMetrics } from '../../../shared/ml'
import { formatTableCell } from '../lib/format'

/**
 * The paper's Table 1/2 layout (Li & Zhao, ICMI 2021): AUs as columns and the average last;
 * a "Number" row of positive clips, one F1 row per method, the base rates and the F1 of
 * the always-positive predictor. Every number the ResultsTable shows comes from here.
 */

/** Definitions shown next to the numbers (tooltips). */
export const DEFINITIONS = {
  number: 'Number of clips labelled with the AU (positives) among the clips evaluated.',
  f1:
    'Binary F1 of the AU at threshold 0.5 = 2·TP / (2·TP + FP + FN), computed once over the ' +
    'test predictions of all folds pooled (subject-independent cross-validation); 0 when the ' +
    'AU was never predicted and never present. AVG: arithmetic mean of the per-AU F1.',
  baseRate:
    'Base rate b = positives / clips, the share of clips labelled with the AU. AVG: mean over AUs.',
  allPositive:
    'F1 of predicting every clip positive: 2b / (1 + b) with b the base rate. A model below ' +
    'this has learned less than "always yes". AVG: mean over AUs.',
} as const

/** What a row holds, which decides how its cells are written. */
export type RowKind = 'count' | 'f1' | 'rate'

/** One row of the table. */
export interface PaperRow {
  /** 'Number', a method or model name, 'Base rate', 'All positive'. */
  label: string
  kind: RowKind
  /** One value per AU column; null where this row has no value for the AU. */
  cells: (number | null)[]
  /** The AVG column; null where the paper leaves it empty (the Number row). */
  mean: number | null
  definition: string
}

/** A table in the paper's layout. */
export interface PaperTable {
  /** AU numbers as the model names them ('1', '4', …), the column order. */
  aus: string[]
  rows: PaperRow[]
}

/** A method's per-AU F1 for a table: a variant of an ablation or a trained model. */
export interface MethodF1 {
  label: string
  metrics: CvMetrics
}

/** Arithmetic mean; null for no values. */
export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length
}

/**
 * How a cell is written, in lib/format's table format: counts as integers, F1 and rates as
 * measures with three decimals (the paper prints two), no value as "—".
 */
export function formatCell(value: number | null, kind: RowKind): string {
  if (kind === 'count') return formatTableCell(value === null ? null : Math.round(value), false)
  return formatTableCell(value, true)
}

function contextRows(
  positives: readonly (number | null)[],
  baseRates: readonly (number | null)[],
  suffix = '',
): { head: PaperRow; tail: PaperRow[] } {
  const known = (xs: readonly (number | null)[]) => xs.filter((x): x is number => x !== null)
  const allPositive = baseRates.map((b) => (b === null ? null : allPositiveF1OfRate(b)))
  return {
    head: {
      label: `Number${suffix}`,
      kind: 'count',
      cells: [...positives],
      mean: null,
      definition: DEFINITIONS.number,
    },
    tail: [
      {
        label: `Base rate${suffix}`,
        kind: 'rate',
        cells: [...baseRates],
        mean: mean(known(baseRates)),
        definition: DEFINITIONS.baseRate,
      },
      {
        label: `All positive${suffix}`,
        kind: 'f1',
        cells: allPositive,
        mean: mean(known(allPositive)),
        definition: DEFINITIONS.allPositive,
      },
    ],
  }
}

/** The AU columns of several methods: the first one's order, then AUs only later ones have. */
export function unionAus(lists: readonly (readonly string[])[]): string[] {
  const out: string[] = []
  for (const list of lists) for (const au of list) if (!out.includes(au)) out.push(au)
  return out
}

function column<T>(
  metrics: CvMetrics,
  aus: readonly string[],
  pick: (a: CvMetrics['perAu'][number]) => T,
): (T | null)[] {
  return aus.map((au) => {
    const found = metrics.perAu.find((a) => a.au === au)
    return found ? pick(found) : null
  })
}

function sameValues(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

/**
 * The table of one or more methods evaluated by cross-validation (a training run, or
 * models compared). The F1 AVG of a method is its stored mean F1 (the mean over its own
 * AUs). Number, Base rate and All positive come once when every method was evaluated on
 * the same clips (same positives and base rates), else once per method, named.
 */
export function tableFromMethods(methods: readonly MethodF1[]): PaperTable {
  const aus = unionAus(methods.map((m) => m.metrics.auList))
  if (methods.length === 0) return { aus, rows: [] }
  const f1Rows: PaperRow[] = methods.map((m) => ({
    label: m.label,
    kind: 'f1',
    cells: column(m.metrics, aus, (a) => a.f1),
    mean: m.metrics.meanF1,
    definition: DEFINITIONS.f1,
  }))
  const positives = methods.map((m) => column(m.metrics, aus, (a) => a.positives))
  const rates = methods.map((m) => column(m.metrics, aus, (a) => a.baseRate))
  const shared =
    positives.every((p) => sameValues(p, positives[0])) &&
    rates.every((r) => sameValues(r, rates[0]))
  if (shared) {
    const { head, tail } = contextRows(positives[0], rates[0])
    return { aus, rows: [head, ...f1Rows, ...tail] }
  }
  const context = methods.map((m, i) => contextRows(positives[i], rates[i], ` (${m.label})`))
  return {
    aus,
    rows: [...context.map((c) => c.head), ...f1Rows, ...context.flatMap((c) => c.tail)],
  }
}

/** The table of an ablation: its variants on the same folds and seeds, as the paper's Table 1. */
export function tableFromAblation(result: AblationResult): PaperTable {
  const aus = [...result.auList]
  const { head, tail } = contextRows(result.positives, result.baseRates)
  const rows: PaperRow[] = result.rows.map((r) => ({
    label: ablationRowLabel(r),
    kind: 'f1',
    cells: [...r.f1],
    mean: r.meanF1,
    definition: DEFINITIONS.f1,
  }))
  return { aus, rows: [head, ...rows, ...tail] }
}
