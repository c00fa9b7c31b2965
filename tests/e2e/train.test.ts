import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importDataset } from '../../src/engine/datasets/import/import-dataset'
import { generateSyntheticDataset } from '../../src/engine/datasets/synthetic/generate'
import { openLibrary } from '../../src/engine/db/open-library'
import { formatMeasure } from '../../src/renderer/src/lib/format'
import { collapseNotice } from '../../src/shared/collapse'
import type { CvMetrics } from '../../src/shared/ml'
import { tempDir } from '../helpers/temp'
import { screenshot } from './browser'
import { openSession, type Session } from './session'

/*
 * The Train view and the model registry in browser mode with the real engine: the tiny
 * preset trains on two small synthetic datasets of one library (both with subjects sub01,
 * sub02, …) picked in the form (wasm, 2 folds); the loss chart
 * moves with the job's progress events; Cancel stops it, a reload finds it again, Resume
 * carries it on from its checkpoint to the end; the results table shows the numbers the
 * library stored. Then the Models screen renames, compares and deletes models.
 */

const { dir, cleanup } = tempDir()
let session: Session
/** The two datasets the runs pool, by name. */
const DATASETS = ['Synthetic training set', 'Second synthetic set'] as const

interface StoredMetrics {
  auList: string[]
  meanF1: number
  perAu: { au: string; f1: number; baseRate: number; positives: number; allPositiveF1: number }[]
  perFold: CvMetrics['perFold']
}

function storedModel(id: number): { name: string; metrics: StoredMetrics } {
  const [row] = session.query<{ name: string; metrics: string }>(
    'SELECT name, metrics FROM models WHERE id = ?',
    id,
  )
  return { name: row.name, metrics: JSON.parse(row.metrics) as StoredMetrics }
}

/** Number of x points of a chart (UPlotChart's data-points). */
async function points(page: Page, chart: string): Promise<number> {
  const value = await page.getByTestId(chart).locator('[data-points]').getAttribute('data-points')
  return Number(value)
}

/** Text and data-value of the cells of one row of a results table. */
async function rowCells(page: Page, table: string, label: string) {
  const row = page
    .getByTestId(table)
    .locator('tbody tr')
    .filter({
      has: page.getByRole('rowheader', { name: label, exact: true }),
    })
  return row.locator('td').evaluateAll((cells) =>
    cells.map((c) => ({
      au: c.getAttribute('data-au'),
      text: c.textContent?.trim() ?? '',
      value: c.getAttribute('data-value'),
    })),
  )
}

/** The table's F1 row of a method equals the stored metrics, rounded as the paper rounds. */
async function expectF1Row(page: Page, table: string, label: string, metrics: StoredMetrics) {
  const cells = await rowCells(page, table, label)
  const byAu = Object.fromEntries(metrics.perAu.map((a) => [a.au, a]))
  expect(cells.map((c) => c.au)).toEqual([...metrics.auList, 'mean'])
  for (const cell of cells) {
    const stored = cell.au === 'mean' ? metrics.meanF1 : byAu[cell.au!].f1
    expect(Number(cell.value)).toBe(stored)
    expect(cell.text).toBe(formatMeasure(stored))
  }
}

async function fillForm(page: Page, fields: { variant: string; epochs: string; name: string }) {
  await page.getByLabel('Preset', { exact: true }).selectOption('tiny')
  await page.getByLabel('Variant', { exact: true }).selectOption(fields.variant)
  await page.getByLabel('Folds', { exact: true }).fill('2')
  await page.getByLabel('Epochs', { exact: true }).fill(fields.epochs)
  await page.getByLabel('Batch size', { exact: true }).fill('2')
  await page.getByLabel('Min. positives', { exact: true }).fill('2')
  await page.getByLabel('Backend', { exact: true }).selectOption('wasm')
  await page.getByLabel('One variant (a model)').check()
  await page.getByLabel('Model name', { exact: true }).fill(fields.name)
}

beforeAll(async () => {
  const library = path.join(dir, 'library.sqlite')
  const db = openLibrary(library)
  try {
    for (const [i, name] of DATASETS.entries()) {
      const release = await generateSyntheticDataset({
        outDir: path.join(dir, `release-${i + 1}`),
        format: 'casme2',
        subjects: i === 0 ? 4 : 2,
        clipsPerSubject: i === 0 ? 3 : 2,
        seed: 11 + i,
        size: 48,
      })
      await importDataset(db, {
        format: 'casme2',
        sheet: release.sheetPath,
        frames: release.framesRoot,
        dataset: name,
      })
    }
  } finally {
    db.close()
  }
  session = await openSession(library)
})
afterAll(async () => {
  await session?.close()
  cleanup()
})

describe('Train view and model registry in browser mode', () => {
  it('trains, cancels, resumes after a reload, finishes with the stored numbers, and manages the models', async () => {
    const { page, problems } = await session.openPage()
    await page.getByRole('button', { name: 'Train', exact: true }).click()
    await expect.poll(() => page.getByTestId('backend-line').textContent()).toMatch(/Backend: \w/)
    // Both datasets: the first one listed is ticked already, the other is ticked here.
    const datasets = page.getByRole('group', { name: 'Datasets' })
    for (const name of DATASETS) await datasets.getByLabel(name).check()
    await fillForm(page, { variant: 'iicl', epochs: '3', name: 'smoke iicl' })
    await expect.poll(() => page.getByTestId('time-estimate').textContent()).toMatch(/about \d+ s/)
    await page.getByRole('button', { name: 'Start training' }).click()

    // Progress events move the loss chart: one point, then more.
    const job = page.getByTestId('train-job')
    await job.waitFor()
    const jobId = Number(await job.getAttribute('data-job-id'))
    await expect.poll(() => points(page, 'loss-chart'), { timeout: 120_000 }).toBeGreaterThan(0)
    const first = await points(page, 'loss-chart')
    // New points go into the same uPlot (a rebuild would drop legend toggles and zoom): the
    // chart element marked now is still there, and uPlot holds every point.
    const plot = page.getByTestId('loss-chart').locator('.uplot')
    await plot.evaluate((el) => el.setAttribute('data-probe', 'first'))
    await expect.poll(() => points(page, 'loss-chart'), { timeout: 60_000 }).toBeGreaterThan(first)
    expect(await plot.getAttribute('data-probe')).toBe('first')
    const chart = page.getByTestId('loss-chart').locator('[data-points]')
    await expect
      .poll(
        async () =>
          (await chart.getAttribute('data-drawn')) === (await chart.getAttribute('data-points')),
      )
      .toBe(true)
    await page.evaluate('window.scrollTo(0, 0)')
    await screenshot(page, 'train-running')

    // Cancel: the job stops and says so.
    await page.getByRole('button', { name: 'Cancel' }).click()
    await page
      .locator('[data-testid=train-job][data-status=cancelled]')
      .waitFor({ timeout: 60_000 })
    expect(
      session.query<{ status: string }>('SELECT status FROM jobs WHERE id = ?', jobId),
    ).toEqual([{ status: 'cancelled' }])
    expect(session.query('SELECT id FROM models')).toEqual([])

    // A reload finds the job again; Resume carries it on and the chart moves again.
    await page.reload()
    await page.locator(`[data-testid=train-job][data-job-id="${jobId}"]`).waitFor()
    await page.locator('[data-testid=train-job][data-status=cancelled]').waitFor()
    await page.getByText('the charts show only the reports that arrived since').waitFor()
    const before = await points(page, 'loss-chart')
    await page.getByRole('button', { name: 'Resume' }).click()
    await expect
      .poll(() => points(page, 'loss-chart'), { timeout: 120_000 })
      .toBeGreaterThan(before)
    await page
      .locator('[data-testid=train-job][data-status=succeeded]')
      .waitFor({ timeout: 240_000 })
    expect(await points(page, 'fold-chart')).toBe(2)

    // The results table shows what the library stored for the model, trained on both.
    const [{ id: modelId, config }] = session.query<{ id: number; config: string }>(
      'SELECT id, config FROM models',
    )
    const datasetIds = session.query<{ id: number }>(
      `SELECT id FROM datasets WHERE name IN (${DATASETS.map(() => '?').join(', ')}) ORDER BY id`,
      ...DATASETS,
    )
    expect(datasetIds).toHaveLength(2)
    const storedIds = (JSON.parse(config) as { datasetIds: number[] }).datasetIds
    expect([...storedIds].sort((x, y) => x - y)).toEqual(datasetIds.map((d) => d.id))
    for (const name of DATASETS) {
      await expect.poll(() => page.getByTestId('results-heading').textContent()).toContain(name)
    }
    const stored = storedModel(modelId).metrics
    await page.getByTestId('results-table').waitFor()
    await expectF1Row(page, 'results-table', 'IICL', stored)
    const byAu = (cells: { au: string | null }[]) =>
      cells.filter((c) => c.au !== 'mean').map((c) => stored.perAu.find((a) => a.au === c.au)!)
    const number = await rowCells(page, 'results-table', 'Number')
    expect(number.map((c) => c.text)).toEqual([
      ...byAu(number).map((a) => String(a.positives)),
      '—',
    ])
    const rates = await rowCells(page, 'results-table', 'Base rate')
    expect(rates.slice(0, -1).map((c) => c.text)).toEqual(
      byAu(rates).map((a) => formatMeasure(a.baseRate)),
    )
    const allPositive = await rowCells(page, 'results-table', 'All positive')
    byAu(allPositive).forEach((a, i) => {
      expect(Number(allPositive[i].value)).toBeCloseTo(a.allPositiveF1, 12)
      expect(allPositive[i].text).toBe(formatMeasure(a.allPositiveF1))
    })
    // The collapse guard: a tiny model on 16 clips gives some fold one answer for an AU,
    // and the screen says so in words next to the table, as computed from the stored metrics.
    const notice = collapseNotice(stored)
    expect(notice).not.toBeNull()
    expect(notice).toMatch(
      /^Collapse: of \d+ fold × AU pairs at threshold 0\.5, the model predicted/,
    )
    await expect.poll(() => page.getByTestId('collapse-notice').textContent()).toBe(notice)
    await page.evaluate('window.scrollTo(0, 0)')
    await screenshot(page, 'train-finished')

    // A second, shorter model to compare with.
    await fillForm(page, { variant: 'baseline', epochs: '1', name: 'smoke baseline' })
    await page.getByRole('button', { name: 'Start training' }).click()
    await page
      .locator(`[data-testid=train-job][data-status=succeeded]:not([data-job-id="${jobId}"])`)
      .waitFor({ timeout: 240_000 })

    // An ablation of two variants: the paper's Table 1 layout with the job's numbers.
    const secondJob = Number(await page.getByTestId('train-job').getAttribute('data-job-id'))
    await page.getByLabel('Ablation: compare variants').check()
    const variants = page.getByRole('group', { name: 'Variants to compare' })
    await variants.getByLabel('IntraCL').uncheck()
    await variants.getByLabel('IICL').uncheck()
    await page.getByRole('button', { name: 'Start the ablation' }).click()
    await page
      .locator(`[data-testid=train-job][data-status=succeeded]:not([data-job-id="${secondJob}"])`)
      .waitFor({ timeout: 240_000 })
    const ablationId = Number(await page.getByTestId('train-job').getAttribute('data-job-id'))
    const [ablation] = session.query<{ kind: string; result: string }>(
      'SELECT kind, result FROM jobs WHERE id = ?',
      ablationId,
    )
    expect(ablation.kind).toBe('ml.ablation')
    const result = JSON.parse(ablation.result) as {
      auList: string[]
      positives: number[]
      rows: { variant: string; f1: number[]; meanF1: number }[]
    }
    expect(result.rows.map((r) => r.variant)).toEqual(['baseline', 'intercl'])
    for (const [label, row] of [
      ['Baseline', result.rows[0]],
      ['InterCL', result.rows[1]],
    ] as const) {
      const cells = await rowCells(page, 'results-table', label)
      expect(cells.map((c) => Number(c.value))).toEqual([...row.f1, row.meanF1])
      expect(cells.map((c) => c.text)).toEqual([...row.f1, row.meanF1].map(formatMeasure))
    }
    const ablationNumber = await rowCells(page, 'results-table', 'Number')
    expect(ablationNumber.map((c) => c.text)).toEqual([...result.positives.map(String), '—'])
    await page.evaluate('window.scrollTo(0, 0)')
    await screenshot(page, 'train-ablation')
    expect(session.query('SELECT id FROM models')).toHaveLength(2)

    // Models: rename inline (saved in the library), compare side by side, delete.
    await page.getByRole('button', { name: 'Models', exact: true }).click()
    await page.getByTestId('model-row').nth(1).waitFor()
    await page.getByRole('button', { name: 'Rename smoke iicl' }).click()
    await page.getByLabel('New name for smoke iicl').fill('IICL pilot')
    await page.getByLabel('New name for smoke iicl').press('Enter')
    await page.getByTestId('model-row').filter({ hasText: 'IICL pilot' }).waitFor()
    expect(storedModel(modelId).name).toBe('IICL pilot')

    const [{ id: secondId }] = session.query<{ id: number }>(
      'SELECT id FROM models WHERE id <> ?',
      modelId,
    )
    await page.getByLabel('Compare IICL pilot').check()
    await page.getByLabel('Compare smoke baseline').check()
    await page.getByTestId('compare-table').waitFor()
    await expectF1Row(page, 'compare-table', 'IICL pilot', stored)
    await expectF1Row(page, 'compare-table', 'smoke baseline', storedModel(secondId).metrics)
    await screenshot(page, 'models')

    await page.getByRole('button', { name: 'Delete smoke baseline' }).click()
    await page
      .getByTestId('delete-model')
      .getByRole('button', { name: 'Delete', exact: true })
      .click()
    await expect.poll(() => page.getByTestId('model-row').count()).toBe(1)
    expect(session.query<{ id: number }>('SELECT id FROM models')).toEqual([{ id: modelId }])
    expect(problems).toEqual([])
  }, 600_000)
})
