/** Per-column mean and standard deviation of a feature matrix (rows of equal length). */
export interface ColumnScale {
  mean: Float64Array
  /** Population standard deviation; 1 where a column is constant (it then stays 0 after centring). */
  std: Float64Array
}

/** Mean and population standard deviation of every column of `rows`. */
export function columnScale(rows: readonly ArrayLike<number>[]): ColumnScale {
  if (rows.length === 0) throw new RangeError('columnScale needs at least one row')
  const d = rows[0].length
  const mean = new Float64Array(d)
  const std = new Float64Array(d)
  for (const row of rows) for (let j = 0; j < d; j++) mean[j] += row[j] / rows.length
  for (const row of rows) for (let j = 0; j < d; j++) std[j] += (row[j] - mean[j]) ** 2
  for (let j = 0; j < d; j++) {
    const sd = Math.sqrt(std[j] / rows.length)
    std[j] = sd > 1e-12 ? sd : 1
  }
  return { mean, std }
}

/** `rows` centred and scaled column by column: (x − mean) / std. */
export function standardise(
  rows: readonly ArrayLike<number>[],
  scale: ColumnScale,
): Float64Array[] {
  return rows.map((row) => {
    const z = new Float64Array(row.length)
    for (let j = 0; j < row.length; j++) z[j] = (row[j] - scale.mean[j]) / scale.std[j]
    return z
  })
}
