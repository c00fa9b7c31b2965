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
