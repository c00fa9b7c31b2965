import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { importCasme2 } from '../../../src/engine/datasets/import/casme2'
import { importPlainCsv } from '../../../src/engine/datasets/import/plain-csv'
import { appError, range, testLibrary, writeFrames, writeXlsx, type TestLibrary } from './fixtures'

const HEADER = [
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
const GOOD_ROWS = [
  [1, 'EP01', null, 10, 12, 14, null, '4+7', 'disgust'],
  [1, 'EP02', null, 20, 22, 24, null, 12, 'happiness'],
]

let lib: TestLibrary
let framesRoot: string
beforeEach(async () => {
  lib = testLibrary()
  framesRoot = path.join(lib.dir, 'CASME2_RAW_selected')
  writeFrames(path.join(framesRoot, 'sub01', 'EP01'), (n) => `img${n}.jpg`, range(10, 14))
  writeFrames(path.join(framesRoot, 'sub01', 'EP02'), (n) => `img${n}.jpg`, range(20, 24))
  // the library already holds an import, which must survive every failed one untouched
  const sheet = path.join(lib.dir, 'good.xlsx')
  await writeXlsx(sheet, [HEADER, ...GOOD_ROWS])
  await importCasme2(lib.db, { sheet, framesRoot: lib.dir, dataset: 'first' })
})
afterEach(() => lib.cleanup())

async function failingImport(rows: (string | number | null)[][]) {
  const sheet = path.join(lib.dir, 'CASME2-coding-bad.xlsx')
  await writeXlsx(sheet, rows)
  const before = lib.hash()
  const error = await appError(() =>
    importCasme2(lib.db, { sheet, framesRoot: lib.dir, dataset: 'second' }),
  )
  expect(lib.hash()).toBe(before)
  return { error, sheet }
}

describe('a malformed sheet fails with the file, row and column and leaves the library as it was', () => {
  it('missing column', async () => {
    const header = HEADER.map((h) => (h === 'ApexFrame' ? null : h))
    const { error, sheet } = await failingImport([header, ...GOOD_ROWS])
    expect(error.code).toBe('invalid_file')
    expect(error.message).toBe(`${sheet}, row 1: the header has no 'ApexFrame' column`)
    expect(error.details).toEqual({ file: sheet, row: 1, column: 'ApexFrame' })
  })

  it('text in a frame column', async () => {
    const { error, sheet } = await failingImport([
      HEADER,
      ...GOOD_ROWS,
      [1, 'EP03', null, 'ten', 12, 14, null, '4'],
    ])
    expect(error.message).toBe(
      `${sheet}, row 4, column D (OnsetFrame): 'ten' is not a frame number`,
    )
    expect(error.details).toMatchObject({
      file: sheet,
      row: 4,
      column: 'OnsetFrame',
      columnLetter: 'D',
      value: 'ten',
    })
  })

  it('onset after offset', async () => {
    const { error, sheet } = await failingImport([
      HEADER,
      [1, 'EP01', null, 14, 12, 10, null, '4'],
      ...GOOD_ROWS,
    ])
    expect(error.message).toBe(
      `${sheet}, row 2, column F (OffsetFrame): the offset (10) comes before the onset (14)`,
    )
  })

  it('an absurd frame number', async () => {
    const { error } = await failingImport([
      HEADER,
      ...GOOD_ROWS,
      [1, 'EP03', null, 10, 12, 99999999999, null, '4'],
    ])
    expect(error.message).toMatch(
      /row 4, column F \(OffsetFrame\): 99999999999 is not a plausible frame number/,
    )
  })

  it('a CSV quote that never closes', async () => {
    const sheet = path.join(lib.dir, 'codes.csv')
    fs.writeFileSync(
      sheet,
      'Subject,Filename,OnsetFrame,ApexFrame,OffsetFrame,Action Units\r\nsub01,"EP01,10,12,14,4\r\n',
    )
    const before = lib.hash()
    const error = await appError(() =>
      importPlainCsv(lib.db, { sheet, framesRoot, dataset: 'second' }),
    )
    expect(error.message).toBe(`${sheet}, row 2, column B: a quoted field is never closed`)
    expect(lib.hash()).toBe(before)
  })

  it('a sheet that is not a workbook, or in the old .xls format', async () => {
    const sheet = path.join(lib.dir, 'broken.xlsx')
    fs.writeFileSync(sheet, 'not a zip')
    const before = lib.hash()
    expect(
      (await appError(() => importCasme2(lib.db, { sheet, framesRoot: lib.dir, dataset: 's' })))
        .message,
    ).toMatch(/broken\.xlsx is not a readable xlsx workbook/)
    const xls = path.join(lib.dir, 'CASME2_label_Ver_2.xls')
    fs.writeFileSync(xls, 'binary')
    const old = await appError(() =>
      importCasme2(lib.db, { sheet: xls, framesRoot: lib.dir, dataset: 's' }),
    )
    expect([old.code, old.message]).toEqual([
      'unsupported',
      `${xls}: cannot read .xls sheets; save it as .xlsx or .csv`,
    ])
    expect(lib.hash()).toBe(before)
  })
})

describe('a failure inside the transaction rolls everything back', () => {
  it('importing the same codes into the same dataset again is a conflict and writes nothing', async () => {
    // a new clip first (written, then rolled back), then one the dataset already has
    writeFrames(path.join(framesRoot, 'sub01', 'EP03'), (n) => `img${n}.jpg`, range(30, 34))
    const sheet = path.join(lib.dir, 'again.xlsx')
    await writeXlsx(sheet, [HEADER, [1, 'EP03', null, 30, 31, 34, null, 14, 'x'], ...GOOD_ROWS])
    const before = lib.hash()
    const error = await appError(() =>
      importCasme2(lib.db, { sheet, framesRoot: lib.dir, dataset: 'first' }),
    )
    expect(error.code).toBe('conflict')
    expect(error.message).toBe(
      `${sheet}, row 3: coder 'CASME II sheet' has already coded sub01/EP01 in dataset 'first'`,
    )
    expect(lib.hash()).toBe(before)
  })

  it('a coder name taken by a human coder is a conflict', async () => {
    lib.db.prepare("INSERT INTO coders (name, kind) VALUES ('Ann', 'human')").run()
    const sheet = path.join(lib.dir, 'good.xlsx')
    const before = lib.hash()
    const error = await appError(() =>
      importCasme2(lib.db, { sheet, framesRoot: lib.dir, dataset: 'other', coder: 'Ann' }),
    )
    expect(error.message).toMatch(
      /the coder name 'Ann' belongs to a coder of kind 'human', not 'import'/,
    )
    expect(lib.hash()).toBe(before)
  })

  it('a bad frame rate or a missing frames folder fails before anything is read', async () => {
    const sheet = path.join(lib.dir, 'good.xlsx')
    const bad = await appError(() =>
      importCasme2(lib.db, { sheet, framesRoot: lib.dir, dataset: 'o', fps: 0 }),
    )
    expect(bad.message).toBe('The frame rate must be a positive number, not 0')
    const missing = await appError(() =>
      importCasme2(lib.db, { sheet, framesRoot: path.join(lib.dir, 'nope'), dataset: 'o' }),
    )
    expect(missing.code).toBe('not_found')
  })
})
