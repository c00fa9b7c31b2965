import { AppError } from '../../../shared/errors'
import { columnLetter } from './sheet'

/**
 * RFC 4180 CSV: fields separated by a delimiter, records by CRLF (LF and CR alone are read
 * too), fields with a delimiter, quote or line break quoted, quotes inside doubled.
 */

/**
 * Splits CSV text into records of fields. A leading byte-order mark is dropped and a final
 * line break does not make an empty record. A quoted field that never closes, or a quote in
 * the middle of an unquoted field, is an `invalid_file` error naming the file, the record
 * (row) and the column.
 */
export function parseCsv(text: string, file: string, delimiter = ','): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let quoted = false
  let fieldStart = true
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  const fail = (message: string): never => {
    const row = records.length + 1
    const column = columnLetter(record.length)
    throw new AppError('invalid_file', `${file}, row ${row}, column ${column}: ${message}`, {
      file,
      row,
      column,
    })
  }
  const endField = () => {
    record.push(field)
    field = ''
    fieldStart = true
  }
  const endRecord = () => {
    endField()
    records.push(record)
    record = []
  }
  while (i < text.length) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
        const next = text[i + 1]
        if (next !== undefined && next !== delimiter && next !== '\r' && next !== '\n') {
          fail('text after the closing quote of a quoted field')
        }
      } else {
        field += ch
      }
      i++
      continue
    }
    if (ch === '"') {
      if (!fieldStart) fail('a quote inside an unquoted field (quote the whole field)')
      quoted = true
      fieldStart = false
    } else if (ch === delimiter) {
      endField()
    } else if (ch === '\r' || ch === '\n') {
      endRecord()
      if (ch === '\r' && text[i + 1] === '\n') i++
    } else {
      field += ch
      fieldStart = false
    }
    i++
  }
  if (quoted) fail('a quoted field is never closed')
  if (!fieldStart || record.length > 0) endRecord()
  return records
}
