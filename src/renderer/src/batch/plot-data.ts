/** Data of the Batch screen's charts in uPlot's aligned-columns shape. */

/** Columns for uPlot: x first, then one array per series (null: nothing drawn there). */
export type Columns = [number[], ...(number | null)[][]]

/**
 * Grouped bars on a categorical x axis: group g (0-based) is centred on x = g + 1 and its
 * n bars sit side by side across `width` (in group units), bar s at
 * g + 1 + (s − (n − 1) / 2) · width / n. Each series gets values only at its own bars' x (null
 * elsewhere), so a bars path draws one bar per group and series, as wide as the x spacing.
 * `values[s][g]` is series s in group g.
 */
export function groupedBars(values: readonly (readonly (number | null)[])[], width = 0.8): Columns {
  const n = values.length
  const groups = n === 0 ? 0 : Math.max(...values.map((v) => v.length))
  const step = n === 0 ? 0 : width / n
  const x: number[] = []
  const ys: (number | null)[][] = values.map(() => [])
  for (let g = 0; g < groups; g++) {
    for (let s = 0; s < n; s++) {
      x.push(g + 1 + (s - (n - 1) / 2) * step)
      ys.forEach((column, t) => column.push(t === s ? (values[s][g] ?? null) : null))
    }
  }
  return [x, ...ys]
}
