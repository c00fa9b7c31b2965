import { spawnSync } from 'node:child_process'
import path from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateSyntheticDataset } from '../../src/engine/datasets/synthetic/generate'
import { formatDuration } from '../../src/renderer/src/lib/format'
import { CLI, trainTinyArgs } from '../helpers/cli'
import { tempDir } from '../helpers/temp'
import { screenshot } from './browser'
import { openSession, type Session } from './session'
import { SYNTHETIC_DATASET, buildSyntheticLibrary } from './synthetic-library'
import type { TrainedLibrary } from './trained-library'

/*
 * Screens that explain themselves (issue 15), on a library with a synthetic CASME II release
 * and a tiny model trained through the CLI: thumbnails after an import without a click, the
 * viewer's next / previous clip through the library's filtered list, the model page's
 * training facts, validation errors in a coder's words naming the field, and every screen
 * at 1280×800 and 1920×1080 with its primary action in view without scrolling.
 */

const { dir, cleanup } = tempDir()
let lib: TrainedLibrary
let session: Session
let page: Page
let problems: string[]

/**
 * buildTrainedLibrary's steps with a longer bound on the training: on a machine shared by
 * several test runs, `microau train` can take more than runMicroau's two minutes.
 */
async function trainedLibrary(): Promise<TrainedLibrary> {
  const built = await buildSyntheticLibrary(dir, {
    subjects: 4,
    clipsPerSubject: 2,
    seed: 3,
    size: 64,
  })
  const modelDir = path.join(dir, 'model')
  const args = [...trainTinyArgs({ db: built.library, out: modelDir, seed: 3 }), '--json']
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 900_000 })
  if (run.status !== 0) throw new Error(`microau train failed: ${run.stderr}`)
  const { modelId } = JSON.parse(run.stdout) as { modelId: number }
  return { ...built, modelId, modelDir }
}

beforeAll(async () => {
  lib = await trainedLibrary()
  session = await openSession(lib.library)
  ;({ page, problems } = await session.openPage())
  // Training through the CLI takes minutes on a busy machine.
}, 900_000)
afterAll(async () => {
  await session?.close()
  cleanup()
})

/** Opens a screen by its address, as a reload or a bookmark would. */
async function open(hash: string): Promise<void> {
  await page.goto(`${session.server.url}${hash}`)
}

/** The message the screen shows in an alert, once there is one. */
async function alertText(scope: Locator | Page): Promise<string> {
  const alert = scope.getByRole('alert').first()
  await alert.waitFor()
  return (await alert.textContent()) ?? ''
}

/** A message in a coder's words: no contract method, no schema wording. */
function expectPlain(message: string, field: RegExp): void {
  expect(message).toMatch(field)
  expect(message).not.toMatch(
    /Invalid input|[a-z]+\.[a-z]+[A-Z]?[a-zA-Z]*:|must be string|received/,
  )
}

describe('Screens that explain themselves', () => {
  it('fills the library’s cards in after an import without a click', async () => {
    const release = await generateSyntheticDataset({
      outDir: path.join(dir, 'second-release'),
      format: 'casme2',
      subjects: 2,
      clipsPerSubject: 2,
      seed: 21,
      size: 64,
    })
    await open('#/library')
    await page.getByRole('button', { name: 'Import…' }).click()
    const dialog = page.getByTestId('import-dialog')
    await dialog.getByRole('radio', { name: 'CASME II' }).check()
    // The dataset is named after the release, in the field, where it can be changed.
    const name = dialog.getByLabel('Dataset', { exact: true })
    expect(await name.inputValue()).toBe('CASME II')
    await name.fill('Second release')
    await dialog.getByLabel('Coding sheet', { exact: true }).fill(release.sheetPath)
    await dialog.getByLabel('Frames folder', { exact: true }).fill(release.outDir)
    await dialog.getByRole('button', { name: 'Start import' }).click()
    await dialog.getByTestId('import-report').waitFor({ timeout: 120_000 })
    await page.keyboard.press('Escape')

    await page.getByTestId('dataset').filter({ hasText: 'Second release' }).waitFor()
    const loaded =
      "[...document.querySelectorAll('[data-testid=clip-card] img')].filter((i) => i.complete && i.naturalWidth > 0).length"
    await expect.poll(() => page.evaluate(loaded), { timeout: 120_000 }).toBe(4)
    expect(await page.getByTestId('no-thumbnail').count()).toBe(0)
    // Nobody prepared frames: the engine's own thumbnails job did it, one frame per clip.
    const jobs = session.query<{ kind: string; status: string }>(
      "SELECT kind, status FROM jobs WHERE kind LIKE 'clips.%' ORDER BY id",
    )
    expect(jobs).toEqual([{ kind: 'clips.thumbnails', status: 'succeeded' }])
    const cached = session.query<{ n: number }>(
      `SELECT count(*) AS n FROM frames f JOIN clips c ON c.id = f.clip_id
       JOIN datasets d ON d.id = c.dataset_id WHERE d.name = 'Second release' AND f.cache_key IS NOT NULL`,
    )[0].n
    expect(cached).toBe(4)
    // AU codes are chips with their FACS names on hover.
    const chip = page.getByTestId('card-aus').locator('[title]').first()
    expect(await chip.getAttribute('title')).toMatch(/^AU\d+ [A-Z][a-z]/)
    await screenshot(page, 'screens-library-thumbnails')
  })

  it('moves through the library’s filtered list with Page Down / Page Up in the viewer', async () => {
    const sub02 = session
      .query<{ id: number }>(
        `SELECT c.id FROM clips c JOIN subjects s ON s.id = c.subject_id
         WHERE c.dataset_id = ? AND s.code = 'sub02' ORDER BY c.name`,
        lib.datasetId,
      )
      .map((r) => r.id)
    expect(sub02).toHaveLength(2)
    await open('#/library')
    await page.getByTestId('dataset').filter({ hasText: SYNTHETIC_DATASET }).click()
    await page
      .getByRole('search', { name: 'Filter clips' })
      .getByLabel('Subject')
      .selectOption('sub02')
    await expect.poll(() => page.getByTestId('clip-card').count()).toBe(2)
    await page.getByTestId('clip-card').first().click()

    const position = page.getByTestId('clip-position')
    // The viewer reads the list once the clip is open (slow on a busy machine).
    await expect
      .poll(() => position.textContent(), { timeout: 60_000 })
      .toBe('clip 1 of 2 (filtered)')
    expect(page.url()).toMatch(new RegExp(`#/clip/${sub02[0]}$`))
    await page.keyboard.press('PageDown')
    await expect.poll(() => page.url()).toMatch(new RegExp(`#/clip/${sub02[1]}$`))
    await expect
      .poll(() => position.textContent(), { timeout: 60_000 })
      .toBe('clip 2 of 2 (filtered)')
    // The end of the filtered list: no step into sub03.
    await page.keyboard.press('PageDown')
    expect(await page.getByRole('button', { name: 'Next ›' }).isDisabled()).toBe(true)
    expect(page.url()).toMatch(new RegExp(`#/clip/${sub02[1]}$`))
    await page.keyboard.press('PageUp')
    await expect.poll(() => page.url()).toMatch(new RegExp(`#/clip/${sub02[0]}$`))
    // Lanes carry their coders' names; the difference view names the frame it subtracts.
    await expect
      .poll(() => page.getByTestId('lane-name').allTextContents())
      .toContain('CASME II sheet')
    await page.keyboard.press('v')
    await expect
      .poll(() => page.getByTestId('difference-caption').textContent())
      .toMatch(/^Frame \d+ minus frame \d+ \((your onset|the first frame)\), brightened ×\d+/)
    // The button does the same.
    await page.getByRole('button', { name: 'Next ›' }).click()
    await expect.poll(() => page.url()).toMatch(new RegExp(`#/clip/${sub02[1]}$`))
    // Back in the library the filter is still on.
    await page.getByRole('button', { name: 'Back to the library' }).click()
    await expect.poll(() => page.getByTestId('clip-card').count()).toBe(2)
  })

  it('shows a model’s training facts on its own page', async () => {
    const [stored] = session.query<{ config: string; metrics: string; path: string }>(
      'SELECT config, metrics, path FROM models WHERE id = ?',
      lib.modelId,
    )
    const record = JSON.parse(stored.config) as {
      backend: string
      folds: number
      seed: number
      trainingMs: number
    }
    const metrics = JSON.parse(stored.metrics) as { auList: string[]; clips: number }
    await open('#/models')
    await page.getByRole('link', { name: 'tiny iicl' }).click()
    await expect.poll(() => page.url()).toMatch(new RegExp(`#/models/${lib.modelId}$`))
    const fact = (key: string) => page.getByTestId(`fact-${key}`).locator('dd').textContent()
    await page.getByTestId('model-facts').waitFor()
    expect(await fact('datasets')).toBe(
      `${SYNTHETIC_DATASET} (4 subjects, ${metrics.clips} clips, labels of CASME II sheet)`,
    )
    // The training's wall time, recorded by the job and shown in one duration format.
    expect(record.trainingMs).toBeGreaterThan(0)
    expect(await fact('trainingTime')).toBe(formatDuration(record.trainingMs))
    expect(await fact('clips')).toBe(`${metrics.clips} clips`)
    expect(await fact('folds')).toBe(`${record.folds}, subject-independent (seed ${record.seed})`)
    expect(await fact('backend')).toBe(record.backend)
    expect(await fact('path')).toBe(stored.path)
    expect(await fact('aus')).toMatch(/^AU\d+ [A-Z]/)
    expect(await fact('threshold')).toBe('0.5 for every AU')
    expect(await fact('loss')).toMatch(/BCE.*; λ [\d.]+, margin δ [\d.]+$/)
    const rows = page.getByTestId('per-au-table').locator('tbody tr')
    expect(await rows.count()).toBe(metrics.auList.length)
    // The compare view gives the same time and the clips per dataset.
    await open('#/models')
    await page.getByLabel('Compare tiny iicl').check()
    const compared = page.getByTestId('compare-facts')
    expect(await compared.getByTestId('compare-training-time').textContent()).toBe(
      formatDuration(record.trainingMs),
    )
    expect(await compared.locator('tbody td').nth(2).textContent()).toBe(
      `${SYNTHETIC_DATASET} (${metrics.clips} clips)`,
    )
    expect(problems).toEqual([])
  })

  it('reviews on a quiet grid with a legend of coders and the AUs the model leaves out', async () => {
    await open(`#/review/${lib.datasetId}/${lib.modelId}`)
    await page.getByRole('button', { name: 'Predict', exact: true }).click()
    const table = page.getByTestId('review-table')
    await table.waitFor({ timeout: 180_000 })
    // Every coder's mark is explained with the full name.
    await expect
      .poll(() => page.getByTestId('coder-legend').textContent())
      .toContain('CASME II sheet')
    // Cells are coloured only where model and coder disagree.
    const looks =
      await page.evaluate(`[...document.querySelectorAll('[data-verdict] button')].map((b) => {
      const s = getComputedStyle(b)
      return { verdict: b.parentElement.dataset.verdict, fill: s.backgroundColor, line: s.borderBottomColor }
    })`)
    const cells = looks as { verdict: string; fill: string; line: string }[]
    expect(cells.length).toBeGreaterThan(0)
    for (const cell of cells) {
      expect(cell.fill).toBe('rgba(0, 0, 0, 0)')
      const coloured = cell.line !== 'rgba(0, 0, 0, 0)'
      expect(coloured, cell.verdict).toBe(
        cell.verdict === 'model-only' || cell.verdict === 'coder-only',
      )
    }
    // People's AUs the model does not predict are listed apart.
    const [model] = session.query<{ metrics: string }>(
      'SELECT metrics FROM models WHERE id = ?',
      lib.modelId,
    )
    const modelAus = (JSON.parse(model.metrics) as { auList: string[] }).auList.map(Number)
    const coded = session
      .query<{ au: number }>(
        `SELECT DISTINCT l.au FROM au_labels l JOIN clips c ON c.id = l.clip_id
         WHERE c.dataset_id = ? ORDER BY l.au`,
        lib.datasetId,
      )
      .map((r) => r.au)
    const apart = coded.filter((au) => !modelAus.includes(au))
    expect(apart.length).toBeGreaterThan(0)
    const listed = await page.getByTestId('unpredicted-aus').locator('li').allTextContents()
    expect(listed.map((t) => Number(/^AU(\d+)/.exec(t)?.[1]))).toEqual(apart)
    await screenshot(page, 'screens-review-grid')
  })

  it('words every form’s validation errors for a coder, naming the field', async () => {
    await open('#/library')
    await page.getByLabel('New dataset name').fill('   ')
    await page.getByRole('button', { name: 'Create', exact: true }).click()
    expectPlain(await alertText(page), /^The name must not be empty\.$/)

    await page.getByRole('button', { name: `Rename ${SYNTHETIC_DATASET}` }).click()
    await page.getByLabel(`New name for ${SYNTHETIC_DATASET}`).fill('  ')
    await page.getByRole('button', { name: 'Save' }).click()
    expectPlain(await alertText(page), /^The name must not be empty\.$/)

    // The viewer's New coder form.
    await open(`#/clip/${session.query<{ id: number }>('SELECT id FROM clips LIMIT 1')[0].id}`)
    await page.getByRole('button', { name: 'New coder' }).click()
    await page.getByLabel("New coder's name").fill('  ')
    await page.getByRole('button', { name: 'Add coder' }).click()
    expectPlain(await alertText(page), /^The name must not be empty\.$/)

    // Models: renaming to nothing.
    await open('#/models')
    await page.getByRole('button', { name: 'Rename tiny iicl' }).click()
    await page.getByLabel('New name for tiny iicl').fill('  ')
    await page.getByRole('button', { name: 'Save' }).click()
    expectPlain(await alertText(page), /^The name must not be empty\.$/)

    // Import: a frames folder that is not there says so, not "not a folder".
    await open('#/library')
    await page.getByRole('button', { name: 'Import…' }).click()
    const dialog = page.getByTestId('import-dialog')
    await dialog.getByRole('radio', { name: 'Folder of frames' }).check()
    await dialog.getByLabel('Frame folder', { exact: true }).fill('relative/path')
    await dialog.getByRole('button', { name: 'Start import' }).click()
    expectPlain(
      (await dialog.locator('.field-error').first().textContent()) ?? '',
      /frames? folder/,
    )
    const missing = path.join(dir, 'no-such-folder')
    await dialog.getByLabel('Frame folder', { exact: true }).fill(missing)
    await dialog.getByRole('button', { name: 'Start import' }).click()
    const failed = dialog.locator('.message').filter({ hasText: /does not exist/ })
    await failed.waitFor({ timeout: 60_000 })
    const text = (await failed.textContent()) ?? ''
    expectPlain(text, new RegExp(`${missing}.*does not exist`))
    expect(text).not.toContain('not a folder')
    await page.keyboard.press('Escape')

    // Export: a file name without its folder.
    await page.getByRole('button', { name: 'Export…' }).click()
    const exporting = page.getByTestId('export-dialog')
    await exporting.getByLabel('Save as (.csv)', { exact: true }).fill('lab.csv')
    await exporting.getByRole('button', { name: 'Start export' }).click()
    expectPlain(
      (await exporting.locator('.field-error').first().textContent()) ?? '',
      /^Give the full path of the \.csv file to write/,
    )
    await page.keyboard.press('Escape')

    // Train: folds outside what cross-validation allows.
    await open('#/train')
    await page.getByRole('checkbox', { name: new RegExp(`^${SYNTHETIC_DATASET}`) }).check()
    await page.getByLabel('Folds', { exact: true }).fill('1')
    await page.getByRole('button', { name: 'Start training' }).click()
    expectPlain(
      (await page.locator('.field-error').first().textContent()) ?? '',
      /^Folds must be from 2 to 20/,
    )

    // Batch: a folder of videos that is not there.
    await open('#/batch')
    await page.getByLabel('Folder of videos', { exact: true }).fill(missing)
    await page.getByRole('button', { name: 'Start analysis' }).click()
    expectPlain(await alertText(page), new RegExp(`The folder ${missing} does not exist`))
  })

  /** Each screen, how to reach it, and its primary action. */
  const SCREENS: {
    name: string
    hash: () => string
    primary: (page: Page) => Locator
    open?: (page: Page) => Promise<void>
  }[] = [
    {
      name: 'library',
      hash: () => '#/library',
      primary: (p) => p.getByRole('button', { name: 'Import…' }),
    },
    {
      name: 'import-dialog',
      hash: () => '#/library',
      open: (p) => p.getByRole('button', { name: 'Import…' }).click(),
      primary: (p) => p.getByTestId('import-dialog').getByRole('button', { name: 'Start import' }),
    },
    {
      name: 'export-dialog',
      hash: () => '#/library',
      open: (p) => p.getByRole('button', { name: 'Export…' }).click(),
      primary: (p) => p.getByRole('button', { name: 'Start export' }),
    },
    {
      name: 'clip-viewer',
      hash: () =>
        `#/clip/${session.query<{ id: number }>('SELECT id FROM clips WHERE dataset_id = ? LIMIT 1', lib.datasetId)[0].id}`,
      primary: (p) => p.getByRole('button', { name: 'Set o' }),
    },
    {
      name: 'reliability',
      hash: () => `#/reliability/${lib.datasetId}`,
      primary: (p) => p.locator('main select').first(),
    },
    {
      name: 'train',
      hash: () => '#/train',
      primary: (p) => p.getByRole('button', { name: 'Start training' }),
    },
    {
      name: 'models',
      hash: () => '#/models',
      primary: (p) => p.getByRole('link', { name: 'tiny iicl' }),
    },
    {
      name: 'model',
      hash: () => `#/models/${lib.modelId}`,
      primary: (p) => p.getByTestId('fact-datasets').locator('dd'),
    },
    {
      name: 'review',
      hash: () => `#/review/${lib.datasetId}/${lib.modelId}`,
      primary: (p) => p.getByRole('button', { name: /^Predict/ }).first(),
    },
    {
      name: 'spotting',
      hash: () => `#/spotting/${lib.datasetId}`,
      primary: (p) => p.getByRole('button', { name: 'Import and spot a recording…' }),
    },
    {
      name: 'batch',
      hash: () => '#/batch',
      primary: (p) => p.getByRole('button', { name: 'Start analysis' }),
    },
  ]

  for (const [width, height] of [
    [1280, 800],
    [1920, 1080],
  ]) {
    it(`shows every screen’s primary action without scrolling at ${width}×${height}`, async () => {
      await page.setViewportSize({ width, height })
      for (const screen of SCREENS) {
        await open(screen.hash())
        await screen.open?.(page)
        const primary = screen.primary(page)
        await primary.waitFor()
        const box = await primary.boundingBox()
        expect(box, screen.name).not.toBeNull()
        const { x, y, width: w, height: h } = box!
        expect(
          {
            screen: screen.name,
            top: y >= 0,
            left: x >= 0,
            bottom: y + h <= height,
            right: x + w <= width,
          },
          `${screen.name}: ${JSON.stringify(box)}`,
        ).toEqual({ screen: screen.name, top: true, left: true, bottom: true, right: true })
        await screenshot(page, `screens-${screen.name}-${width}x${height}`)
      }
      expect(problems).toEqual([])
    })
  }
})
