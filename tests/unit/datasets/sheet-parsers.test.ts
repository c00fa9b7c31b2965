import { describe, expect, it } from 'vitest'
import { parseCasme2Sheet } from '../../../src/engine/datasets/sheets/casme2-sheet'
import { parseCasme3Sheet } from '../../../src/engine/datasets/sheets/casme3-sheet'
import { parseMmewSheet } from '../../../src/engine/datasets/sheets/mmew-sheet'
import { parsePlainSheet } from '../../../src/engine/datasets/sheets/plain-sheet'
import { parseSammSheet } from '../../../src/engine/datasets/sheets/samm-sheet'
import {
  columnLetter,
  type SheetCell,
  type SheetData,
} from '../../../src/engine/datasets/sheets/sheet'
import { AppError } from '../../../src/shared/errors'

function sheet(rows: SheetCell[][], file = 'codes.xlsx', firstRow = 1): SheetData {
  return { file, rows: rows.map((cells, i) => ({ row: firstRow + i, cells })) }
}

const CASME2_HEADER = [
  'Subject',
  'Filename',
  null,
  'OnsetFrame',
  'ApexFrame',
  'OffsetFrame',
  null,
  'Action Units',
  'Estimated Emotion',
]

function thrown(fn: () => unknown): AppError {
  try {
    fn()
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected an AppError')
}

describe('parseCasme2Sheet', () => {
  const data = sheet([
    CASME2_HEADER,
    [1, 'EP02_01f', null, 46, 59, 86, null, 12, 'happiness'],
    [1, 'EP03_02', null, 130, '/', 160, null, '4+7', 'disgust'],
    [2, 'EP01_11f', null, 21, 36, 61, null, 'R12', 'happiness'],
    [17, 'EP05_09', null, '81', '91', '101', null, 'L10+1+2+4', 'others'],
    [],
    [1, 'EP02_01f', null, 46, 59, 86, null, 12, 'happiness'],
  ])

  it('finds columns by name past the two blank ones and normalises every row', () => {
    const parsed = parseCasme2Sheet(data)
    expect(parsed.headerRow).toBe(1)
    expect(
      parsed.rows.map((r) => [r.row, r.subject, r.clip, r.onset, r.apex, r.offset, r.emotion]),
    ).toEqual([
      [2, 'sub01', 'EP02_01f', 46, 59, 86, 'happiness'],
      [3, 'sub01', 'EP03_02', 130, null, 160, 'disgust'],
      [4, 'sub02', 'EP01_11f', 21, 36, 61, 'happiness'],
      [5, 'sub17', 'EP05_09', 81, 91, 101, 'others'],
    ])
    expect(parsed.rows.map((r) => r.labels.map((l) => `${l.side ?? ''}${l.au}`))).toEqual([
      ['12'],
      ['4', '7'],
      ['R12'],
      ['L10', '1', '2', '4'],
    ])
  })

  it("flags the '/' apex and the duplicate row, naming file, row and column", () => {
    const parsed = parseCasme2Sheet(data)
    expect(parsed.flags).toEqual([
      {
        file: 'codes.xlsx',
        row: 3,
        column: 'ApexFrame',
        clip: 'sub01/EP03_02',
        code: 'missing_apex',
        message: "No apex for sub01/EP03_02 ('/'); stored as unknown",
      },
      {
        file: 'codes.xlsx',
        row: 7,
        clip: 'sub01/EP02_01f',
        code: 'duplicate_row',
        message:
          'Row 7 codes sub01/EP02_01f again (first coded in row 2, identically); row 7 is skipped',
      },
    ])
  })

  it('says when a duplicate row differs', () => {
    const parsed = parseCasme2Sheet(
      sheet([
        CASME2_HEADER,
        [1, 'EP02', null, 1, 2, 3, null, 4, 'x'],
        [1, 'EP02', null, 1, 2, 3, null, 5, 'x'],
      ]),
    )
    expect(parsed.rows).toHaveLength(1)
    expect(parsed.flags[0].message).toMatch(/with different codes/)
  })

  it('flags unknown AU tokens, empty AU cells and repeated AUs', () => {
    const parsed = parseCasme2Sheet(
      sheet([
        CASME2_HEADER,
        [1, 'A', null, 1, 2, 3, null, '4+X9', null],
        [1, 'B', null, 1, 2, 3, null, null, null],
        [1, 'C', null, 1, 2, 3, null, '4+4', null],
      ]),
    )
    expect(parsed.flags.map((f) => [f.row, f.code, f.column])).toEqual([
      [2, 'unknown_au_token', 'Action Units'],
      [3, 'no_au_codes', 'Action Units'],
      [4, 'duplicate_au', 'Action Units'],
    ])
    expect(parsed.rows[0].labels.map((l) => l.au)).toEqual([4])
  })

  it('names the file, header row and column when a column is missing', () => {
    const error = thrown(() =>
      parseCasme2Sheet(
        sheet([['Subject', 'Filename', 'OnsetFrame', 'OffsetFrame', 'Action Units']]),
      ),
    )
    expect(error.code).toBe('invalid_file')
    expect(error.message).toBe("codes.xlsx, row 1: the header has no 'ApexFrame' column")
    expect(error.details).toEqual({ file: 'codes.xlsx', row: 1, column: 'ApexFrame' })
  })

  it('refuses a sheet without a header row', () => {
    expect(() => parseCasme2Sheet(sheet([[1, 2, 3]]))).toThrow(
      "codes.xlsx: no header row with 'Subject' and 'Filename' in the first 30 rows",
    )
  })

  it('names file, row and column of text in a frame column', () => {
    const error = thrown(() =>
      parseCasme2Sheet(
        sheet([CASME2_HEADER, [1, 'A', null, 1, 2, 3, null, 4, null], [1, 'B', null, 'x12', 2, 3]]),
      ),
    )
    expect(error.message).toBe(
      "codes.xlsx, row 3, column D (OnsetFrame): 'x12' is not a frame number",
    )
    expect(error.details).toEqual({
      file: 'codes.xlsx',
      row: 3,
      column: 'OnsetFrame',
      columnLetter: 'D',
      value: 'x12',
    })
  })

  it('names the offset column when the offset comes before the onset', () => {
    const error = thrown(() =>
      parseCasme2Sheet(sheet([CASME2_HEADER, [1, 'A', null, 90, 95, 80, null, 4]])),
    )
    expect(error.message).toBe(
      'codes.xlsx, row 2, column F (OffsetFrame): the offset (80) comes before the onset (90)',
    )
  })

  it('refuses absurd frame numbers: negative, fractional, huge, empty', () => {
    const row = (onset: SheetCell) =>
      sheet([CASME2_HEADER, [1, 'A', null, onset, 95, 100, null, 4]])
    expect(() => parseCasme2Sheet(row(-3))).toThrow(
      /row 2, column D \(OnsetFrame\): -3: frame numbers cannot be negative/,
    )
    expect(() => parseCasme2Sheet(row(12.5))).toThrow(/12\.5 is not a whole frame number/)
    expect(() => parseCasme2Sheet(row(123456789))).toThrow(
      /123456789 is not a plausible frame number/,
    )
    expect(() => parseCasme2Sheet(row(null))).toThrow(
      /row 2, column D \(OnsetFrame\): the frame number is empty/,
    )
  })

  it('refuses an empty Filename', () => {
    expect(() =>
      parseCasme2Sheet(sheet([CASME2_HEADER, [1, null, null, 1, 2, 3, null, 4]])),
    ).toThrow(/row 2, column B \(Filename\): the Filename is empty/)
  })
})

describe('parseSammSheet', () => {
  const preamble: SheetCell[][] = Array.from({ length: 13 }, (_, i) =>
    i === 0 ? ['SAMM Micro FACS Codes'] : [],
  )
  const header = [
    'Subject',
    'Filename',
    'Inducement Code',
    'Onset Frame',
    'Apex Frame',
    'Offset Frame',
    'Duration',
    'Micro',
    'Action Units',
    'Estimated Emotion',
    'Objective Classes',
    'Notes',
  ]
  const data = sheet([
    ...preamble,
    header,
    [6, '006_1_2', 1, 5562, 5588, 5605, 44, 'Micro', 'R12 + R15', 'Contempt', 3, null],
    ['011', '011_2_3', 2, 1000, 1050, 1040, 41, 'Micro', 'R14A', 'Other', 7, 'head movement'],
    [6, '006_1_3', 1, 100, 110, 120, 21, 'Micro', 'R12 or R14', 'Happiness', 1, null],
  ])

  it('finds the header on Excel row 14 below the preamble', () => {
    const parsed = parseSammSheet(data)
    expect(parsed.headerRow).toBe(14)
    expect(parsed.rows.map((r) => [r.row, r.subject, r.clip, r.onset, r.apex, r.offset])).toEqual([
      [15, '006', '006_1_2', 5562, 5588, 5605],
      [16, '011', '011_2_3', 1000, 1050, 1040],
      [17, '006', '006_1_3', 100, 110, 120],
    ])
    expect(parsed.rows[1].labels).toEqual([{ au: 14, side: 'R', intensity: 'A', token: 'R14A' }])
  })

  it('flags the apex outside the clip, the alternatives and the notes', () => {
    const flags = parseSammSheet(data).flags.map((f) => [f.row, f.code, f.column])
    expect(flags).toEqual([
      [16, 'apex_outside_clip', 'Apex Frame'],
      [16, 'sheet_note', 'Notes'],
      [17, 'au_alternative', 'Action Units'],
    ])
  })
})

describe('parseCasme3Sheet', () => {
  it('reads T and B prefixes and names clips after video and onset', () => {
    const parsed = parseCasme3Sheet(
      sheet([
        ['Subject', 'Filename', 'Onset', 'Apex', 'Offset', 'AU', 'Objective class', 'emotion'],
        ['spNO.1', 'a', 123, 130, 150, 'T18+B28', 'class1', 'disgust'],
        ['spNO.1', 'a', 400, 400, 420, 'L4', 'class1', 'anger'],
      ]),
    )
    expect(
      parsed.rows.map((r) => [r.subject, r.clip, r.labels.map((l) => `${l.side}${l.au}`)]),
    ).toEqual([
      ['spNO.1', 'a_123', ['T18', 'B28']],
      ['spNO.1', 'a_400', ['L4']],
    ])
    expect(parsed.flags).toEqual([])
  })
})

describe('parseMmewSheet', () => {
  it('reads the CASME II columns and reports remarks', () => {
    const parsed = parseMmewSheet(
      sheet([
        [...CASME2_HEADER, 'remarks'],
        ['S01', 'S01-01-001', null, 1, 10, 20, null, 'AU12', 'happiness', 'eyes closed at the end'],
      ]),
    )
    expect(parsed.rows[0].subject).toBe('S01')
    expect(parsed.rows[0].labels.map((l) => l.au)).toEqual([12])
    expect(parsed.flags.map((f) => [f.code, f.message])).toEqual([
      ['sheet_note', 'eyes closed at the end'],
    ])
  })
})

describe('parsePlainSheet', () => {
  const header = [...CASME2_HEADER, 'Coder', 'Coder Kind', 'Apex Estimated']

  it('reads coder, coder kind and apex estimated, one row per coder', () => {
    const parsed = parsePlainSheet(
      sheet([
        header,
        ['sub01', 'EP01', null, 1, 5, 9, null, '4+7', 'disgust', 'Ann', 'human', 1],
        ['sub01', 'EP01', null, 2, 6, 9, null, '4', 'disgust', 'Bob', null, 'FALSE'],
      ]),
    )
    expect(parsed.rows.map((r) => [r.coder, r.coderKind, r.apexEstimated, r.onset])).toEqual([
      ['Ann', 'human', true, 1],
      ['Bob', null, false, 2],
    ])
    expect(parsed.flags).toEqual([])
  })

  it('refuses an unknown coder kind and a bad apex-estimated cell', () => {
    const row = (kind: SheetCell, estimated: SheetCell) =>
      sheet([header, ['sub01', 'EP01', null, 1, 5, 9, null, '4', null, 'Ann', kind, estimated]])
    expect(() => parsePlainSheet(row('robot', 0))).toThrow(
      /row 2, column K \(Coder Kind\): 'robot' is not a coder kind/,
    )
    expect(() => parsePlainSheet(row('human', 'yes'))).toThrow(
      /row 2, column L \(Apex Estimated\): 'yes' is not 0 or 1/,
    )
  })
})

describe('columnLetter', () => {
  it('names columns as Excel does', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual([
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ])
  })
})
