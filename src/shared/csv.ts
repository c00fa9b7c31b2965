/**
 * Writing RFC 4180 CSV, for every CSV the app produces (engine files and renderer downloads
 * alike): fields separated by a delimiter, records ended by CRLF, a field holding the
 * delimiter, a quote, a line break or leading/trailing spaces quoted, quotes inside doubled.
 */

/** A value written to CSV: null and undefined become empty fields. */
export type CsvValue = string | number | null | undefined

/**
 * Writes records as RFC 4180 text with CRLF line ends; fields holding the delimiter, a
 * quote, a line break or leading/trailing spaces are quoted.
 */
export function formatCsv(records: readonly (readonly CsvValue[])[], delimiter = ','): string {
  return records
    .map((r) => r.map((v) => formatField(v, delimiter)).join(delimiter) + '\r\n')
    .join('')
}

function formatField(value: CsvValue, delimiter: string): string {
  if (value === null || value === undefined) return ''
  const text = String(value)
  const needsQuotes =
    text.includes(delimiter) ||
    text.includes('"') ||
    text.includes('\n') ||
    text.includes('\r') ||
    text.trim() !== text
  return needsQuotes ? `"${text.replaceAll('"', '""')}"` : text
}

/** Text a spreadsheet would run as a formula: it starts with =, +, -, @, a tab or a CR. */
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * A value made safe to open in a spreadsheet (OWASP's CSV-injection advice): text that would
 * start a formula gets a leading apostrophe, which spreadsheets show as text. Numbers, and
 * text that is a number ("-0.25"), are left as they are.
 */
export function spreadsheetSafe(value: CsvValue): CsvValue {
  if (typeof value !== 'string' || !FORMULA_START.test(value)) return value
  return value.trim() !== '' && Number.isFinite(Number(value)) ? value : `'${value}`
}

/**
 * CSV for people to open in a spreadsheet (reports, tables, batch results): every text
 * field through {@link spreadsheetSafe}. Files the app reads back (dataset sheets) use
 * {@link formatCsv} so their values survive the round trip.
 */
export function formatReportCsv(records: readonly (readonly CsvValue[])[]): string {
  return formatCsv(records.map((r) => r.map(spreadsheetSafe)))
}
