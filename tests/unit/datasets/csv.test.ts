import { describe, expect, it } from 'vitest'
import { parseCsv } from '../../../src/engine/datasets/sheets/csv'
import { formatCsv, formatReportCsv, spreadsheetSafe } from '../../../src/shared/csv'
import { AppError } from '../../../src/shared/errors'

describe('parseCsv (RFC 4180)', () => {
  it('reads plain records with CRLF, LF or CR line ends and no final empty record', () => {
    expect(parseCsv('a,b\r\nc,d\r\n', 'x.csv')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ])
    expect(parseCsv('a,b\nc,d', 'x.csv')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ])
    expect(parseCsv('a\rb\r', 'x.csv')).toEqual([['a'], ['b']])
  })

  it('reads quoted fields with delimiters, doubled quotes and line breaks', () => {
    expect(parseCsv('"a,b","say ""hi""","two\r\nlines"\r\n', 'x.csv')).toEqual([
      ['a,b', 'say "hi"', 'two\r\nlines'],
    ])
  })

  it('keeps empty fields, blank lines and trailing delimiters', () => {
    expect(parseCsv('1,,3\r\n\r\n4,', 'x.csv')).toEqual([['1', '', '3'], [''], ['4', '']])
    expect(parseCsv('""', 'x.csv')).toEqual([['']])
  })

  it('drops a byte-order mark', () => {
    expect(parseCsv('\uFEFFSubject,Filename\n', 'x.csv')).toEqual([['Subject', 'Filename']])
  })

  it('reads another delimiter when told', () => {
    expect(parseCsv('a;"b;c"', 'x.csv', ';')).toEqual([['a', 'b;c']])
  })

  it('names the file, row and column of a quote that never closes', () => {
    let caught: unknown
    try {
      parseCsv('a,b\nc,"d\n', 'codes.csv')
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(AppError)
    expect((caught as AppError).message).toBe(
      'codes.csv, row 2, column B: a quoted field is never closed',
    )
    expect((caught as AppError).details).toEqual({ file: 'codes.csv', row: 2, column: 'B' })
  })

  it('refuses a quote inside an unquoted field and text after a closing quote', () => {
    expect(() => parseCsv('ab"c', 'x.csv')).toThrow(
      /x\.csv, row 1, column A: a quote inside an unquoted field/,
    )
    expect(() => parseCsv('1,"b"c', 'x.csv')).toThrow(
      /row 1, column B: text after the closing quote/,
    )
  })
})

describe('formatCsv', () => {
  it('quotes only the fields that need it and ends records with CRLF', () => {
    expect(formatCsv([['a', 'b,c', 'd"e', 'f\ng', ' pad', 1, null, undefined]])).toBe(
      'a,"b,c","d""e","f\ng"," pad",1,,\r\n',
    )
  })

  it('round-trips through parseCsv', () => {
    const records = [
      ['Subject', 'Filename', '', 'Action Units'],
      ['sub01', 'EP02_01f', '', '1+2,"R12"'],
      ['x', 'multi\r\nline', 'tab\there', '  '],
    ]
    expect(parseCsv(formatCsv(records), 'x.csv')).toEqual(records)
  })
})

describe('CSV for spreadsheets', () => {
  it('turns text that would run as a formula into text, and leaves numbers alone', () => {
    expect(spreadsheetSafe('=HYPERLINK("http://x")')).toBe('\'=HYPERLINK("http://x")')
    expect(spreadsheetSafe('+1+1')).toBe("'+1+1")
    expect(spreadsheetSafe('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(spreadsheetSafe('-2+3')).toBe("'-2+3")
    expect(spreadsheetSafe('\tx')).toBe("'\tx")
    expect(spreadsheetSafe('-0.25')).toBe('-0.25')
    expect(spreadsheetSafe(-3)).toBe(-3)
    expect(spreadsheetSafe('sub01')).toBe('sub01')
    expect(spreadsheetSafe(null)).toBeNull()
  })
  it('writes reports with every field made safe, quoting as usual', () => {
    expect(
      formatReportCsv([
        ['clip', 'p'],
        ['=cmd|"/c calc"!A0', '0.5'],
      ]),
    ).toBe('clip,p\r\n"\'=cmd|""/c calc""!A0",0.5\r\n')
  })
})
