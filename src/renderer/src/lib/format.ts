/*
 * The one date and number format of every screen (docs/ARCHITECTURE.md, "Screens"):
 * - Times are ISO 8601 in the user's own clock, to the minute: "2026-12-07 14:05".
 *   Stored times without a zone (SQLite's CURRENT_TIMESTAMP) are UTC.
 * - Numbers use a decimal point and no grouping: integers as they are, others with at most
 *   three decimals (trailing zeros dropped), magnitudes below 0.001 in scientific notation.
 * - Measures in tables (F1, precision, rates, kappa) always have three decimals, so their
 *   columns line up.
 * - Durations in seconds, minutes and hours, the largest two units: "42 s", "3 min 5 s",
 *   "2 h 7 min" (under 10 s with one decimal: "2.5 s").
 */

const pad = (n: number) => String(n).padStart(2, '0')

/** "2026-12-07 14:05" (local time) from an ISO or SQLite timestamp; the text itself if unreadable. */
export function formatTimestamp(stamp: string): string {
  const utc = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(stamp)
    ? `${stamp.replace(' ', 'T')}Z`
    : stamp
  const date = new Date(utc)
  if (Number.isNaN(date.getTime())) return stamp
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}`
  )
}

/** 12 → "12", 0.5 → "0.5", 0.12345 → "0.123", 0.0001 → "1e-4". */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  if (Number.isInteger(value)) return String(value)
  if (Math.abs(value) < 0.001) return value.toExponential(0)
  return value.toFixed(3).replace(/\.?0+$/, '')
}

/** A measure in a table column: 0.5 gives "0.500", null "—". */
export function formatMeasure(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '—' : value.toFixed(3)
}

/**
 * A table cell: a measure with three decimals ({@link formatMeasure}), any other number by
 * {@link formatNumber}, text as it is, and no value as "—".
 */
export function formatTableCell(cell: string | number | null, measure: boolean): string {
  if (typeof cell === 'string') return cell
  if (cell === null || !Number.isFinite(cell)) return '—'
  return measure ? formatMeasure(cell) : formatNumber(cell)
}

/** "1 clip", "2 clips", "0 clips": a count with its noun in the right number. */
export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`
}

/** 2_500 → "2.5 s", 185_000 → "3 min 5 s", 7_620_000 → "2 h 7 min" (milliseconds in). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—'
  if (ms < 9_950) return `${formatNumber(Math.round(ms / 100) / 10)} s`
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60)
    return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`
  const hours = Math.floor(minutes / 60)
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`
}
