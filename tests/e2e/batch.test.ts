import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  generateSyntheticDataset,
  type SyntheticDataset,
} from '../../src/engine/datasets/synthetic/generate'
import { writeLongRecording } from '../../src/engine/datasets/synthetic/long-recording'
import { BATCH_HEADER } from '../../src/shared/batch-table'
import { tempDir } from '../helpers/temp'
import { screenshot } from './browser'
import { openSession, type Session } from './session'
import { buildTrainedLibrary, type TrainedLibrary } from './trained-library'

/*
 * A lab runs a folder of videos through a model in browser mode: a tiny model trained by
 * `microau train` on a synthetic release, and a second synthetic set written as videos (one
 * subfolder per participant). The Batch screen imports, crops, spots and predicts them in one
 * job, shows the table and the plots, and the CSV it wrote has one row per clip.
 */

const { dir, cleanup } = tempDir()
let lib: TrainedLibrary
let videos: SyntheticDataset
let session: Session

const JOB = { timeout: 170_000 }
/** The screen's fixed columns, before one per AU. */
const TABLE_HEADER = ['Subject', 'Video', 'Kind', 'Frames', 'Apex (s)', 'Duration (ms)', 'Score']
const FPS = 50

/** Splits RFC 4180 CSV text without quoted commas into rows of fields. */
function csvRows(text: string): string[][] {
  return text
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) => line.split(','))
}

beforeAll(async () => {
  lib = await buildTrainedLibrary(dir, { subjects: 4, clipsPerSubject: 2, seed: 3 })
  videos = await generateSyntheticDataset({
    outDir: path.join(dir, 'lab'),
    format: 'video',
    subjects: 3,
    clipsPerSubject: 2,
    seed: 21,
    size: 96,
  })
  for (const [seed, who] of [
    [51, 'p01'],
    [52, 'p02'],
  ] as const) {
    await writeLongRecording({
      ...{ seed, seconds: 10, fps: FPS, width: 320, height: 240, micro: 3, macro: 1, blinks: 1 },
      out: path.join(dir, 'interviews', who, 'interview.mp4'),
    })
  }
  session = await openSession(lib.library)
  // Training through the CLI takes minutes on a busy machine.
}, 900_000)
afterAll(async () => {
  await session?.close()
  cleanup()
})

describe('Batch analysis in browser mode', () => {
  it('analyses a folder of videos into a table, plots and a CSV with one row per clip', async () => {
    const { page, problems } = await session.openPage()
    await page.getByRole('button', { name: 'Batch analysis' }).click()
    await page.getByText('No batch analysis yet.').waitFor()

    // A folder that is not there is refused at once, naming it.
    const folder = page.getByLabel('Folder of videos', { exact: true })
    const missing = path.join(dir, 'no-such-folder')
    await folder.fill(missing)
    await page.getByRole('button', { name: 'Start analysis' }).click()
    await page.getByText(`The folder ${missing} does not exist.`).waitFor()
    expect(session.query("SELECT 1 FROM jobs WHERE kind = 'batch.analyze'")).toHaveLength(0)

    // The folder of videos and the library's model; dataset name and output folder default.
    await folder.fill(videos.framesRoot)
    await expect
      .poll(() => page.getByLabel('Model', { exact: true }).locator('option:checked').textContent())
      .toContain(`#${lib.modelId}`)
    await page.getByRole('button', { name: 'Start analysis' }).click()
    await page.getByTestId('job-progress').waitFor()

    // One row per video in the table once the job is done.
    const clips = videos.clips.length
    await expect.poll(() => page.getByTestId('batch-row').count(), JOB).toBe(clips)
    const [job] = session.query<{ status: string; result: string }>(
      "SELECT status, result FROM jobs WHERE kind = 'batch.analyze'",
    )
    expect(job.status).toBe('succeeded')
    const result = JSON.parse(job.result) as { datasetId: number; csv: string; xlsx: string }
    expect(await page.getByTestId('batch-csv-path').textContent()).toBe(result.csv)
    expect(await page.getByTestId('batch-xlsx-path').textContent()).toBe(result.xlsx)
    expect(fs.existsSync(result.xlsx)).toBe(true)

    // The CSV: a header with a column per AU of the model, one row per clip, a probability in
    // every AU column.
    const aus = session
      .query<{ au: number }>(
        'SELECT DISTINCT p.au FROM predictions p JOIN clips c ON c.id = p.clip_id WHERE c.dataset_id = ? ORDER BY p.au',
        result.datasetId,
      )
      .map((r) => r.au)
    expect(aus.length).toBeGreaterThan(0)
    const [header, ...rows] = csvRows(fs.readFileSync(result.csv, 'utf8'))
    expect(header).toEqual([
      ...BATCH_HEADER,
      ...aus.map((au) => `AU${au}`),
      // The trained model chose no thresholds (two folds, no inner split): 0.5 decides.
      ...aus.map((au) => `AU${au} present (p ≥ 0.5; default: the model chose none)`),
    ])
    expect(rows).toHaveLength(clips)
    const clipAt = header.indexOf('Clip')
    expect(rows.map((r) => `${r[0]}/${r[clipAt]}`).sort()).toEqual(
      videos.clips.map((c) => `${c.subject}/${c.name}`).sort(),
    )
    // Short videos: each is one clip, as a batch always made.
    expect(new Set(rows.map((r) => r[2]))).toEqual(new Set(['clip']))
    for (const row of rows) {
      const probabilities = row
        .slice(BATCH_HEADER.length, BATCH_HEADER.length + aus.length)
        .map(Number)
      expect(probabilities).toHaveLength(aus.length)
      for (const p of probabilities) {
        expect(p).toBeGreaterThanOrEqual(0)
        expect(p).toBeLessThanOrEqual(1)
      }
      expect(row.slice(BATCH_HEADER.length + aus.length)).toEqual(
        probabilities.map((p) => (p >= 0.5 ? '1' : '0')),
      )
    }
    const tableHeader = await page
      .getByTestId('batch-table')
      .locator('thead tr')
      .first()
      .locator('th')
      .allTextContents()
    expect(tableHeader).toEqual([...TABLE_HEADER, ...aus.map((au) => `AU${au}`)])
    // The screen says which thresholds decide: a row of them, and where they come from.
    expect(await page.getByTestId('batch-threshold-row').locator('td').allTextContents()).toEqual(
      aus.map(() => '0.5'),
    )
    expect(await page.getByTestId('batch-thresholds').textContent()).toContain(
      '0.5 for every AU: the model has no chosen thresholds',
    )

    // The plots: grouped bars (AUs × participants) and a histogram of 10 bins per AU.
    const occurrence = page.getByTestId('occurrence-chart').locator('[data-points]')
    expect(Number(await occurrence.getAttribute('data-points'))).toBe(
      aus.length * videos.subjects.length,
    )
    const histograms = page.getByTestId('histograms').locator('[data-points]')
    expect(await histograms.count()).toBe(aus.length)
    expect(await histograms.first().getAttribute('data-points')).toBe('10')
    expect(await page.locator('[data-testid=occurrence-chart] canvas').count()).toBe(1)

    // Download CSV gives the same table as the file the engine wrote.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ])
    const downloaded = path.join(dir, 'downloaded.csv')
    await download.saveAs(downloaded)
    expect(csvRows(fs.readFileSync(downloaded, 'utf8'))).toEqual([header, ...rows])

    // The result survives a reload.
    await page.reload()
    await expect.poll(() => page.getByTestId('batch-row').count(), JOB).toBe(clips)
    expect(await page.getByTestId('batch-csv-path').textContent()).toBe(result.csv)

    await page.getByTestId('batch-results').evaluate((el) => el.scrollIntoView({ block: 'start' }))
    await screenshot(page, 'batch')

    // Review these clips opens Review on the batch's dataset with the model that analysed it.
    const names = new Map(
      session
        .query<{ id: number; name: string }>('SELECT id, name FROM datasets')
        .map((d) => [d.id, d.name]),
    )
    const other = [...names.keys()].find((id) => id !== result.datasetId)!
    await page.getByRole('link', { name: 'Review these clips' }).click()
    // (A select inside its label: its accessible name goes on with the chosen option.)
    const select = (label: string) => page.getByRole('combobox', { name: new RegExp(`^${label}`) })
    const shown = (label: string) => select(label).locator('option:checked').textContent()
    await expect.poll(() => shown('Dataset')).toBe(names.get(result.datasetId))
    await expect.poll(() => shown('Model')).toContain(`#${lib.modelId}`)
    expect(await page.evaluate('location.hash')).toBe(`#/review/${result.datasetId}/${lib.modelId}`)
    await expect.poll(() => page.getByTestId('review-row').count(), JOB).toBe(clips)
    // Another dataset, then Back: the address and the screen go back together.
    await select('Dataset').selectOption(String(other))
    await expect.poll(() => page.evaluate('location.hash')).toBe(`#/review/${other}/${lib.modelId}`)
    await page.goBack()
    await expect.poll(() => shown('Dataset')).toBe(names.get(result.datasetId))
    await expect.poll(() => page.getByTestId('review-row').count(), JOB).toBe(clips)
    await page.goForward()
    await expect.poll(() => shown('Dataset')).toBe(names.get(other))
    expect(problems).toEqual([])
  }, 300_000)

  it('shows one row per spotted event of long recordings, and the counts per participant', async () => {
    const { page, problems } = await session.openPage()
    await page.getByRole('button', { name: 'Batch analysis' }).click()
    await page.getByLabel('Folder of videos', { exact: true }).fill(path.join(dir, 'interviews'))
    await page.getByLabel('Dataset name (optional)').fill('Interviews')
    await page.getByRole('button', { name: 'Start analysis' }).click()
    await page.getByTestId('job-progress').waitFor()
    // Progress names the recording being spotted (and its frames, every 500).
    await page.getByText(/Spotting p0\d\/interview\.mp4/).waitFor(JOB)

    const [dataset] = session.query<{ id: number }>(
      "SELECT id FROM datasets WHERE name = 'Interviews'",
    )
    await expect
      .poll(
        () =>
          session.query("SELECT 1 FROM jobs WHERE kind = 'batch.analyze' AND status = 'succeeded'")
            .length,
        JOB,
      )
      .toBe(2)
    const events = session.query<{ subject: string; kind: string; onset: number; offset: number }>(
      `SELECT s.code AS subject, c.spotted_kind AS kind, m.onset, m.offset FROM clips c
       JOIN subjects s ON s.id = c.subject_id JOIN markers m ON m.clip_id = c.id
       JOIN coders k ON k.id = m.coder_id AND k.name = 'spotter'
       WHERE c.dataset_id = ? ORDER BY s.code, m.onset`,
      dataset.id,
    )
    expect(events.length).toBeGreaterThan(1)
    // The screen switches to the new analysis when its job is done: rows of events only.
    const spotted = page.locator('[data-testid=batch-row]:not([data-kind=clip])')
    await expect.poll(() => spotted.count(), JOB).toBe(events.length)
    const rows = page.getByTestId('batch-row')
    expect(await rows.count()).toBe(events.length)
    // In subject and time order: subject, video, kind and the onset–apex–offset frames.
    for (const [i, e] of events.entries()) {
      const cells = await rows.nth(i).locator('td, th').allTextContents()
      expect(cells.slice(0, 3)).toEqual([e.subject, 'interview.mp4', e.kind])
      expect(cells[3]).toMatch(new RegExp(`^${e.onset}–\\d+\\*?–${e.offset}$`))
      expect(cells[5]).toBe((((e.offset - e.onset + 1) / FPS) * 1000).toFixed(3))
    }
    const participants = page.getByTestId('participant-row')
    expect(await participants.count()).toBe(2)
    for (const [i, who] of ['p01', 'p02'].entries()) {
      const cells = await participants.nth(i).locator('td, th').allTextContents()
      const mine = events.filter((e) => e.subject === who)
      const kind = (k: string) => String(mine.filter((e) => e.kind === k).length)
      expect(cells.slice(0, 5)).toEqual([who, '1', kind('micro'), kind('macro'), '0'])
    }
    await page.getByTestId('batch-results').evaluate((el) => el.scrollIntoView({ block: 'start' }))
    await screenshot(page, 'batch-events')
    expect(problems).toEqual([])
  }, 300_000)
})
