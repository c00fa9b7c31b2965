import fs from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { normaliseCell, readSheetFile } from '../../../src/engine/datasets/sheets/read-sheet'
import { parseCasme2Sheet } from '../../../src/engine/datasets/sheets/casme2-sheet'
import { tempDir } from '../../helpers/temp'
import { appError } from './fixtures'

let dir: string
let cleanup: () => void
beforeAll(() => {
  ;({ dir, cleanup } = tempDir('microau-sheet-'))
})
afterAll(() => cleanup())

describe('readSheetFile', () => {
  it('normalises rich text, formulas, hyperlinks, booleans, dates and errors of the first worksheet', async () => {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('codes')
    workbook.addWorksheet('other').getCell('A1').value = 'ignored'
    sheet.getCell('A1').value = 'Subject'
    sheet.getCell('B1').value = {
      richText: [{ text: 'File' }, { text: 'name', font: { bold: true } }],
    }
    sheet.getCell('A2').value = 1
    sheet.getCell('B2').value = { text: 'EP02_01f', hyperlink: 'https://example.org' }
    sheet.getCell('C2').value = { formula: 'A2+45', result: 46 }
    sheet.getCell('D2').value = { formula: 'NA()', result: { error: '#N/A' } }
    sheet.getCell('E2').value = true
    sheet.getCell('F2').value = new Date(Date.UTC(2014, 4, 8))
    sheet.getCell('G2').value = '   '
    sheet.getCell('A4').value = 'after a blank row'
    const file = path.join(dir, 'cells.xlsx')
    await workbook.xlsx.writeFile(file)
    const data = await readSheetFile(file)
    expect(data.file).toBe(file)
    expect(data.rows).toEqual([
      { row: 1, cells: ['Subject', 'Filename'] },
      { row: 2, cells: [1, 'EP02_01f', 46, '#N/A', 'TRUE', '2014-05-08T00:00:00.000Z', null] },
      { row: 4, cells: ['after a blank row'] },
    ])
  })

  it('reads CSV cells as text with the record number as row', async () => {
    const file = path.join(dir, 'codes.csv')
    fs.writeFileSync(file, 'Subject,Filename\r\n"1","EP02\r\n01f"\r\n,\r\n')
    expect((await readSheetFile(file)).rows).toEqual([
      { row: 1, cells: ['Subject', 'Filename'] },
      { row: 2, cells: ['1', 'EP02\r\n01f'] },
      { row: 3, cells: [null, null] },
    ])
  })

  it('reads a sheet whose frame numbers are formulas', async () => {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('Sheet1')
    sheet.addRow([
      'Subject',
      'Filename',
      null,
      'OnsetFrame',
      'ApexFrame',
      'OffsetFrame',
      null,
      'Action Units',
    ])
    sheet.addRow([
      1,
      'EP01',
      null,
      10,
      { formula: 'D2+2', result: 12 },
      14,
      null,
      { richText: [{ text: 'R12' }] },
    ])
    const file = path.join(dir, 'formulas.xlsx')
    await workbook.xlsx.writeFile(file)
    const parsed = parseCasme2Sheet(await readSheetFile(file))
    expect(parsed.rows[0]).toMatchObject({ apex: 12, labels: [{ au: 12, side: 'R' }] })
  })

  it('refuses missing files and unknown extensions', async () => {
    expect((await appError(() => readSheetFile(path.join(dir, 'none.xlsx')))).code).toBe(
      'not_found',
    )
    const odd = path.join(dir, 'codes.ods')
    fs.writeFileSync(odd, '')
    expect((await appError(() => readSheetFile(odd))).message).toBe(
      `${odd}: cannot read .ods sheets; save it as .xlsx or .csv`,
    )
  })
})

describe('normaliseCell', () => {
  it('turns empty and non-finite values into null and keeps text and numbers', () => {
    expect(normaliseCell(undefined)).toBeNull()
    expect(normaliseCell(Number.NaN)).toBeNull()
    expect(normaliseCell('')).toBeNull()
    expect(normaliseCell({ formula: 'A1' })).toBeNull()
    expect(normaliseCell(' 4+7 ')).toBe(' 4+7 ')
    expect(normaliseCell(12)).toBe(12)
    expect(normaliseCell({ sharedFormula: 'A1', result: 'x' } as ExcelJS.CellValue)).toBe('x')
  })
})
