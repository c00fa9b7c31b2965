import fs from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCsv } from '../../src/engine/datasets/sheets/csv'
import {
  generateSyntheticDataset,
  type SyntheticDataset,
} from '../../src/engine/datasets/synthetic/generate'
import { tempDir } from '../helpers/temp'
import { screenshot } from './browser'
import { openSession, type Session } from './session'

/*
 * Getting data in and out through the Library screen in browser mode, with the real engine:
 * a synthetic CASME II release whose sheet has one row without frames is imported through
 * the Import dialog (paths typed and picked in the folder browser), the import report shows
 * and downloads the flagged row, the dataset appears, the Export dialog writes a CSV whose
 * rows are the dataset's codes and ELAN files, and a broken import says why in words and
 * changes nothing.
 */

const { dir, cleanup } = tempDir()
const library = path.join(dir, 'library.sqlite')
const DATASET = 'Transfer study'
let release: SyntheticDataset
/** The sheet row (1-based, as Excel shows it) that codes a clip with no frames on disk. */
let badRow: number
let session: Session

/** Row counts of every table an import writes (the jobs table is not one of them). */
function importedRows(): Record<string, number> {
  const tables = ['datasets', 'subjects', 'clips', 'frames', 'markers', 'au_labels', 'imports']
  return Object.fromEntries(
    tables.map((t) => [t, session.query<{ n: number }>(`SELECT count(*) AS n FROM ${t}`)[0].n]),
  )
}

beforeAll(async () => {
  release = await generateSyntheticDataset({
    outDir: path.join(dir, 'release'),
    format: 'casme2',
    subjects: 2,
    clipsPerSubject: 2,
    seed: 11,
    size: 64,
  })
  // One more sheet row, for a clip whose frames folder does not exist: the importer must
  // flag it (missing_clip_folder) and skip it, not fail and not guess.
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.readFile(release.sheetPath)
  const sheet = workbook.worksheets[0]
  sheet.addRow([2, 'EP99_01', null, 10, 20, 30, null, 12, 'happiness'])
  badRow = sheet.rowCount
  await workbook.xlsx.writeFile(release.sheetPath)
  session = await openSession(library)
})
afterAll(async () => {
  await session?.close()
  cleanup()
})

/** The Import dialog's field with this exact label. */
const field = (page: Page, label: string) =>
  page.getByTestId('import-dialog').getByLabel(label, { exact: true })

describe('Import and export in the Library screen', () => {
  it('imports a release with a flagged row, downloads the report, exports a CSV, and refuses a broken import in words', async () => {
    const { page, problems } = await session.openPage()
    await expect.poll(() => page.getByText('No datasets yet').isVisible()).toBe(true)

    // The dialog opens with focus inside it; the sentence follows the chosen format.
    await page.getByRole('button', { name: 'Import…' }).click()
    const dialog = page.getByTestId('import-dialog')
    await dialog.waitFor()
    expect(await page.evaluate("!!document.activeElement?.closest('dialog')")).toBe(true)
    await dialog.getByRole('radio', { name: 'Folder of frames' }).check()
    await expect
      .poll(() => dialog.getByTestId('format-description').textContent())
      .toContain('One clip from one folder')
    expect(await field(page, 'Coding sheet').count()).toBe(0)
    await dialog.getByRole('radio', { name: 'CASME II' }).check()
    await expect
      .poll(() => dialog.getByTestId('format-description').textContent())
      .toContain('CASME II release')

    // Starting with nothing filled in says what is missing and sends nothing.
    const jobsBefore = session.query<{ n: number }>('SELECT count(*) AS n FROM jobs')[0].n
    await dialog.getByRole('button', { name: 'Start import' }).click()
    await dialog.getByText('Choose the coding sheet.').waitFor()
    await dialog.getByText('Choose the frames folder.').waitFor()
    expect(session.query<{ n: number }>('SELECT count(*) AS n FROM jobs')[0].n).toBe(jobsBefore)

    // The frames folder typed, the sheet picked in the folder browser, which opens beside it
    // and shows only folders and sheets.
    await field(page, 'Frames folder').fill(release.outDir)
    await dialog.getByRole('button', { name: 'Browse for coding sheet' }).click()
    const picker = page.getByTestId('folder-browser').filter({ hasText: 'Choose: Coding sheet' })
    await picker.getByRole('list', { name: `Contents of ${release.outDir}` }).waitFor()
    await expect
      .poll(() =>
        picker.getByTestId('browser-entry').evaluateAll((els) => els.map((e) => e.dataset.name)),
      )
      .toEqual(['CASME2_RAW_selected', 'CASME2-coding-synthetic.xlsx'])
    await screenshot(page, 'transfer-folder-browser')
    // Keyboard: the first entry has focus; ↓ moves to the sheet, Enter picks it.
    await expect
      .poll(() => page.evaluate("document.activeElement?.getAttribute('data-name')"))
      .toBe('CASME2_RAW_selected')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await expect.poll(() => field(page, 'Coding sheet').inputValue()).toBe(release.sheetPath)
    expect(await picker.isVisible()).toBe(false)

    // The browser also goes into folders and up again.
    await dialog.getByRole('button', { name: 'Browse for frames folder' }).click()
    const framesPicker = page
      .getByTestId('folder-browser')
      .filter({ hasText: 'Choose: Frames folder' })
    await framesPicker.getByRole('button', { name: /^CASME2_RAW_selected\// }).click()
    await framesPicker.getByRole('button', { name: /^sub01\// }).waitFor()
    await framesPicker.getByRole('button', { name: 'Up to the folder above' }).click()
    await framesPicker.getByRole('list', { name: `Contents of ${release.outDir}` }).waitFor()
    await framesPicker.getByRole('button', { name: 'Choose this folder' }).click()
    expect(await field(page, 'Frames folder').inputValue()).toBe(release.outDir)
    // Escape closes only the browser on top, not the Import dialog under it.
    await dialog.getByRole('button', { name: 'Browse for frames folder' }).click()
    await framesPicker.getByRole('list', { name: `Contents of ${release.outDir}` }).waitFor()
    await page.keyboard.press('Escape')
    await expect.poll(() => framesPicker.isVisible()).toBe(false)
    expect(await dialog.isVisible()).toBe(true)
    expect(await field(page, 'Frames folder').inputValue()).toBe(release.outDir)

    await field(page, 'Dataset').fill(DATASET)
    await screenshot(page, 'transfer-import-dialog')

    // The import runs as a job with a progress bar, then shows its report.
    await dialog.getByRole('button', { name: 'Start import' }).click()
    await dialog.getByRole('progressbar', { name: 'Importing' }).waitFor()
    const report = dialog.getByTestId('import-report')
    await report.waitFor({ timeout: 120_000 })
    const flagged = report.getByRole('row').filter({ hasText: 'missing_clip_folder' })
    await expect.poll(() => flagged.count()).toBe(1)
    const cells = await flagged.getByRole('cell').allTextContents()
    expect(cells[0]).toContain('No frames for this row')
    expect(cells.slice(2)).toEqual([
      'CASME2-coding-synthetic.xlsx',
      String(badRow),
      '',
      'sub02/EP99_01',
    ])
    expect(await report.textContent()).toContain(`${DATASET}: 4 clips of 2 subjects`)
    await screenshot(page, 'transfer-import-report')

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      report.getByRole('button', { name: 'Download CSV' }).click(),
    ])
    expect(download.suggestedFilename()).toBe(`${DATASET} casme2 import flags.csv`)
    const csv = parseCsv(fs.readFileSync(await download.path(), 'utf8'), 'flags.csv')
    expect(csv[0]).toEqual(['code', 'message', 'file', 'row', 'column', 'clip'])
    const stored = session.query<{ report: string }>('SELECT report FROM imports')
    expect(stored).toHaveLength(1)
    const storedFlags = (JSON.parse(stored[0].report) as { flags: unknown[] }).flags
    expect(csv).toHaveLength(storedFlags.length + 1)
    expect(csv).toContainEqual([
      'missing_clip_folder',
      expect.stringContaining('EP99_01'),
      release.sheetPath,
      String(badRow),
      '',
      'sub02/EP99_01',
    ])

    // Face crop of the imported clips runs from the report (a job); what it says is what
    // the library holds.
    const faceCrop = dialog.getByTestId('face-crop')
    await faceCrop.getByRole('button', { name: 'Crop faces of 4 clips' }).click()
    const cropStatus = faceCrop.getByRole('status').filter({ hasText: 'clips cropped' })
    await cropStatus.waitFor({ timeout: 120_000 })
    const cropped = session.query<{ n: number }>(
      'SELECT count(*) AS n FROM clips WHERE crop IS NOT NULL',
    )[0].n
    expect(await cropStatus.textContent()).toContain(`${cropped} of 4 clips cropped.`)
    expect(await faceCrop.getByRole('listitem').count()).toBe(4 - cropped)

    // Escape closes the dialog; the library now lists the dataset with its clips.
    await page.keyboard.press('Escape')
    expect(await dialog.isVisible()).toBe(false)
    await page.getByTestId('dataset').filter({ hasText: DATASET }).waitFor()
    await expect.poll(() => page.getByTestId('clip-card').count()).toBe(4)

    // Past imports keep their report.
    await page.getByRole('button', { name: 'Import reports' }).click()
    const reports = page.getByTestId('import-reports-dialog')
    await reports.getByTestId('import-list').getByRole('row').nth(1).waitFor()
    expect(await reports.getByTestId('import-list').getByRole('row').count()).toBe(2)
    await expect
      .poll(() => reports.getByTestId('import-flags').getByRole('row').count())
      .toBe(storedFlags.length + 1)
    await reports.getByRole('button', { name: 'Close', exact: true }).click()

    // Export as CSV to a folder that does not exist yet.
    const out = path.join(dir, 'exports', 'transfer.csv')
    await page.getByRole('button', { name: 'Export…' }).click()
    const exporter = page.getByTestId('export-dialog')
    await exporter.getByRole('radio', { name: /^CSV sheet/ }).check()
    await expect
      .poll(() => exporter.getByLabel('Dataset', { exact: true }).inputValue())
      .toBe(DATASET)
    await exporter.getByLabel('Save as (.csv)', { exact: true }).fill(out)
    await exporter.getByRole('button', { name: 'Start export' }).click()
    const done = exporter.getByTestId('export-done')
    await done.waitFor({ timeout: 120_000 })
    expect(await done.textContent()).toContain(`Wrote 4 rows to ${out}.`)
    await screenshot(page, 'transfer-export-dialog')

    const rows = parseCsv(fs.readFileSync(out, 'utf8'), out)
    expect(rows[0].slice(0, 2)).toEqual(['Subject', 'Filename'])
    const expected = session.query<{
      subject: string
      name: string
      onset: number
      apex: number | null
      offset: number
      coder: string
    }>(
      `SELECT s.code AS subject, c.name, m.onset, m.apex, m.offset, k.name AS coder
       FROM clips c JOIN subjects s ON s.id = c.subject_id JOIN markers m ON m.clip_id = c.id
       JOIN coders k ON k.id = m.coder_id ORDER BY s.code, c.name`,
    )
    expect(expected).toHaveLength(4)
    const exported = rows
      .slice(1)
      .map((r) => [r[0], r[1], r[3], r[4], r[5], r[9]].join('|'))
      .sort()
    expect(exported).toEqual(
      expected.map((e) => [e.subject, e.name, e.onset, e.apex ?? '/', e.offset, e.coder].join('|')),
    )
    expect(exported).toEqual(
      release.clips
        .map((c) => [c.subject, c.name, c.onset, c.sheetApex, c.offset, 'CASME II sheet'].join('|'))
        .sort(),
    )

    // The same dialog offers ELAN: one .eaf per clip, a tier for the sheet's coder.
    const elan = path.join(dir, 'exports', 'elan')
    await exporter.getByRole('radio', { name: /^ELAN/ }).check()
    await exporter.getByLabel('Folder to write into', { exact: true }).fill(elan)
    await exporter.getByRole('button', { name: 'Export again' }).click()
    await expect
      .poll(() => done.textContent(), { timeout: 120_000 })
      .toContain(`Wrote 4 ELAN files under ${elan}.`)
    const eafs = fs.readdirSync(elan, { recursive: true, encoding: 'utf8' })
    expect(eafs.filter((f) => f.endsWith('.eaf'))).toHaveLength(4)
    const first = path.join(
      elan,
      eafs.find((f) => f.endsWith('.eaf'))!,
    )
    expect(fs.readFileSync(first, 'utf8')).toContain('TIER_ID="CASME II sheet"')
    await page.keyboard.press('Escape')

    // A sheet that is not there: the job fails with a sentence naming it, nothing is written.
    const before = importedRows()
    const missing = path.join(dir, 'nowhere', 'CASME2-coding.xlsx')
    await page.getByRole('button', { name: 'Import…' }).click()
    await dialog.getByRole('button', { name: 'Import more' }).click()
    await field(page, 'Coding sheet').fill(missing)
    await field(page, 'Dataset').fill('Broken import')
    await dialog.getByRole('button', { name: 'Start import' }).click()
    await expect
      .poll(() => dialog.getByRole('status').first().textContent(), { timeout: 120_000 })
      .toBe(`The import failed: Sheet ${missing} does not exist`)
    await screenshot(page, 'transfer-import-error')
    expect(importedRows()).toEqual(before)
    expect(session.query('SELECT name FROM datasets')).toEqual([{ name: DATASET }])

    // The ELAN files come back through the dialog, the sheet's tier mapped to a coder.
    await dialog.getByRole('radio', { name: 'ELAN (.eaf)' }).check()
    await field(page, 'ELAN files').fill(elan)
    await field(page, 'Tiers to coders (optional)').fill('CASME II sheet = Sheet coder')
    await field(page, 'Dataset').fill('From ELAN')
    await screenshot(page, 'transfer-import-elan')
    await dialog.getByRole('button', { name: 'Start import' }).click()
    await dialog.getByTestId('import-report').waitFor({ timeout: 120_000 })
    const markersOf = (dataset: string) =>
      session.query(
        `SELECT s.code, c.name, m.onset, m.apex, m.offset FROM markers m
           JOIN clips c ON c.id = m.clip_id JOIN subjects s ON s.id = c.subject_id
           JOIN datasets d ON d.id = c.dataset_id WHERE d.name = ? ORDER BY s.code, c.name`,
        dataset,
      )
    expect(markersOf('From ELAN')).toEqual(markersOf(DATASET))
    expect(
      session.query(
        'SELECT DISTINCT k.name FROM markers m JOIN coders k ON k.id = m.coder_id JOIN clips c ON c.id = m.clip_id JOIN datasets d ON d.id = c.dataset_id WHERE d.name = ?',
        'From ELAN',
      ),
    ).toEqual([{ name: 'Sheet coder' }])

    expect(problems).toEqual([])
  })
})
