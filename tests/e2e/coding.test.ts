import fs from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/temp'
import { screenshot } from './browser'
import { stageDifference, stageSum } from './page-probes'
import { openSession, type Session } from './session'
import { buildSyntheticLibrary, SYNTHETIC_DATASET } from './synthetic-library'

/*
 * A coder's session in browser mode on a synthetic CASME II release imported by the real
 * importer: open a clip, step through it frame by frame, mark onset/apex/offset and AUs with
 * keys, undo and redo, reload, then a second coder codes the same clip differently and the
 * reliability views show the values worked out by hand below.
 */

const { dir, cleanup } = tempDir()
let session: Session
let clip: { id: number; firstFrame: number; frameCount: number }

function coderId(name: string): number {
  return session.query<{ id: number }>('SELECT id FROM coders WHERE name = ?', name)[0].id
}

function labelsOf(name: string) {
  return session.query(
    "SELECT au, side, intensity FROM au_labels WHERE clip_id = ? AND coder_id = ? ORDER BY au, ifnull(side, '')",
    clip.id,
    coderId(name),
  )
}

/** Bytes in which the stage differs from the cached frame `number` (0: identical). */
function frameDifference(page: Page, number: number): Promise<number> {
  const [{ key }] = session.query<{ key: string }>(
    'SELECT cache_key AS key FROM frames WHERE clip_id = ? AND number = ?',
    clip.id,
    number,
  )
  return stageDifference(page, key)
}

/** Waits until frame `number` is painted and shown as the current frame. */
async function expectFrame(page: Page, number: number): Promise<void> {
  await page.locator(`[data-testid=stage][data-frame="${number}"]`).waitFor()
  expect(await page.getByTestId('frame-number').textContent()).toBe(String(number))
}

async function press(page: Page, ...keys: string[]): Promise<void> {
  for (const key of keys) await page.keyboard.press(key)
}

/** Moves keyboard focus off form fields so the viewer's keys reach it. */
async function focusStage(page: Page): Promise<void> {
  await page.getByRole('img').first().click()
}

beforeAll(async () => {
  const built = await buildSyntheticLibrary(dir, { subjects: 2, clipsPerSubject: 2, seed: 7 })
  session = await openSession(built.library)
  // The hand calculations below rely on the dataset's AUs (the kappa's universe).
  expect(
    session.query<{ au: number }>('SELECT DISTINCT au FROM au_labels ORDER BY au').map((r) => r.au),
  ).toEqual([1, 2, 4, 6, 7, 12, 14, 15, 17])
  ;[clip] = session.query<typeof clip>(
    `SELECT c.id, c.first_frame AS firstFrame, c.frame_count AS frameCount
     FROM clips c JOIN subjects s ON s.id = c.subject_id WHERE s.code = 'sub01' AND c.name = 'EP01_04'`,
  )
})
afterAll(async () => {
  await session?.close()
  cleanup()
})

describe('the coder’s workstation in browser mode', () => {
  it('steps frame-exactly, saves markers and AUs at once, undoes, and shows the agreement of two coders', async () => {
    const { page, problems } = await session.openPage()
    const f0 = clip.firstFrame
    const last = f0 + clip.frameCount - 1

    // The library lists the release by subject, with each clip's status.
    await page.getByTestId('dataset').filter({ hasText: SYNTHETIC_DATASET }).waitFor()
    await expect.poll(() => page.getByTestId('clip-card').count()).toBe(4)
    expect(await page.getByRole('region', { name: 'Subject sub01' }).textContent()).toContain(
      '1 coder',
    )

    // Opening the clip prepares its frames (a job with a progress bar), then shows frame f0.
    await page.getByRole('button', { name: 'Open sub01 EP01_04' }).click()
    await expectFrame(page, f0)
    expect(await frameDifference(page, f0)).toBe(0)

    // Nobody is coding yet: the first coder introduces themself.
    await page.getByRole('button', { name: 'New coder' }).click()
    await page.getByLabel("New coder's name").fill('Ann')
    await page.getByRole('button', { name: 'Add coder' }).click()
    await expect
      .poll(() => page.getByLabel('Coding as').locator('option:checked').textContent())
      .toBe('Ann')
    await focusStage(page)

    // Stepping: the number shown and the pixels painted are exactly the frame's.
    await press(page, 'ArrowRight')
    await expectFrame(page, f0 + 1)
    expect(await frameDifference(page, f0 + 1)).toBe(0)
    expect(await frameDifference(page, f0)).toBeGreaterThan(0)
    await press(page, 'Shift+ArrowRight')
    await expectFrame(page, f0 + 11)
    expect(await frameDifference(page, f0 + 11)).toBe(0)
    await press(page, 'ArrowLeft')
    await expectFrame(page, f0 + 10)
    await press(page, 'End')
    await expectFrame(page, last)
    expect(await frameDifference(page, last)).toBe(0)
    await press(page, 'Home')
    await expectFrame(page, f0)

    // Playback at the chosen slow-down moves on by itself and stops on Space.
    await press(page, ' ')
    await expect
      .poll(async () => Number(await page.getByTestId('frame-number').textContent()))
      .toBeGreaterThan(f0 + 2)
    await press(page, ' ')
    await page.getByRole('button', { name: 'Play' }).waitFor()

    // Onset, apex, offset with o, a, f.
    await press(page, 'Home', ...Array(5).fill('ArrowRight'), 'o')
    await press(page, 'Shift+ArrowRight', 'a')
    await press(page, 'Shift+ArrowRight', ...Array(5).fill('ArrowRight'), 'f')
    await expect
      .poll(() => page.getByTestId('marker-offset').textContent())
      .toContain(String(f0 + 30))
    expect(await page.getByTestId('marker-onset').textContent()).toContain(String(f0 + 5))
    expect(await page.getByTestId('marker-apex').textContent()).toContain(String(f0 + 15))

    // AUs: number keys (1 = AU1, 6 = AU12), then side and intensity, then typed codes.
    await press(page, '1', '6')
    await page.getByLabel('Side of AU12').waitFor()
    await page.getByLabel('Side of AU12').selectOption('R')
    await page.getByLabel('Intensity of AU12').selectOption('B')
    await page.getByLabel('Type AUs').fill('L14A')
    await page.getByLabel('Type AUs').press('Enter')
    await page.getByLabel('Side of AU14').waitFor()
    await page.getByLabel('Type AUs').fill('X3')
    await page.getByLabel('Type AUs').press('Enter')
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toContain("'X3' is not an AU code")
    await screenshot(page, 'coding-viewer-typed-error')
    await page.getByLabel('Type AUs').fill('')
    await focusStage(page)
    const annLabels = [
      { au: 1, side: null, intensity: null },
      { au: 12, side: 'R', intensity: 'B' },
      { au: 14, side: 'L', intensity: 'A' },
    ]
    await expect.poll(() => labelsOf('Ann')).toEqual(annLabels)

    // Ctrl+Z takes back the last change (L14A) in the file; Ctrl+Shift+Z puts it back.
    await press(page, 'Control+z')
    await expect.poll(() => labelsOf('Ann')).toEqual(annLabels.slice(0, 2))
    await press(page, 'Control+Shift+z')
    await expect.poll(() => labelsOf('Ann')).toEqual(annLabels)
    const trail = session
      .query<{ step: string }>(
        "SELECT entity || ' ' || action || ' ' || source AS step FROM audit WHERE clip_id = ? AND coder_id = ? ORDER BY id",
        clip.id,
        coderId('Ann'),
      )
      .map((r) => r.step)
    expect(trail).toEqual([
      'marker insert manual', // o
      'marker update manual', // a
      'marker update manual', // f
      'au_label insert manual', // 1
      'au_label insert manual', // 6
      'au_label update manual', // side R
      'au_label update manual', // intensity B
      'au_label insert manual', // L14A
      'au_label delete undo',
      'au_label insert redo',
    ])
    await screenshot(page, 'coding-viewer-raw')

    // A reload (or a crash) loses nothing: the same clip opens with everything in place.
    await page.reload()
    await expectFrame(page, f0)
    expect(await page.getByTestId('marker-apex').textContent()).toContain(String(f0 + 15))
    expect(await page.getByLabel('Side of AU12').inputValue()).toBe('R')
    expect(await page.getByLabel('Intensity of AU14').inputValue()).toBe('A')
    expect(
      session.query(
        'SELECT onset, apex, offset FROM markers WHERE clip_id = ? AND coder_id = ?',
        clip.id,
        coderId('Ann'),
      ),
    ).toEqual([{ onset: f0 + 5, apex: f0 + 15, offset: f0 + 30 }])

    // Views: the difference at the onset frame is black, elsewhere it is not.
    await focusStage(page)
    await press(page, ...Array(5).fill('ArrowRight'), 'v')
    await page.locator('[data-testid=stage][data-mode="difference"]').waitFor()
    await expectFrame(page, f0 + 5)
    expect(await stageSum(page)).toBe(0)
    await press(page, 'Shift+ArrowRight')
    await expectFrame(page, f0 + 15)
    expect(await stageSum(page)).toBeGreaterThan(0)
    await screenshot(page, 'coding-viewer-difference')
    await press(page, 'v', 'z', 'z')
    await page.locator('[data-testid=stage][data-mode="side-by-side"]').waitFor()
    await screenshot(page, 'coding-viewer-side-by-side-eyes')
    await press(page, 'v', 'z', 'z')

    // A second coder codes the same clip differently: AU1 + AU4, onset f0+7, offset f0+30.
    await page.getByRole('button', { name: 'New coder' }).click()
    await page.getByLabel("New coder's name").fill('Bo')
    await page.getByRole('button', { name: 'Add coder' }).click()
    await expect
      .poll(() => page.getByLabel('Coding as').locator('option:checked').textContent())
      .toBe('Bo')
    await focusStage(page)
    await press(page, 'Home', ...Array(7).fill('ArrowRight'), 'o', 'Home')
    await press(page, 'Shift+ArrowRight', 'Shift+ArrowRight', 'Shift+ArrowRight', 'f', '1', '3')
    await expect
      .poll(() => labelsOf('Bo'))
      .toEqual([
        { au: 1, side: null, intensity: null },
        { au: 4, side: null, intensity: null },
      ])

    // By hand, Ann {1, 12, 14} against Bo {1, 4}: ratio 2·1 / (3 + 2) = 0.40. Over the nine
    // AUs of the dataset: both 1, Ann only 2, Bo only 1, neither 5; pₒ = 6/9,
    // pₑ = 3/9·2/9 + 6/9·7/9 = 48/81, κ = (54 − 48) / (81 − 48) = 6/33 = 0.18.
    // Spans [f0+5, f0+30] and [f0+7, f0+30]: IoU 24/26 = 0.92.
    const annBo = page
      .getByTestId('clip-agreement')
      .getByRole('row')
      .filter({ hasText: 'Ann – Bo' })
    await expect.poll(() => annBo.textContent()).toMatch(/0\.40\s*0\.18\s*0\.92/)
    await screenshot(page, 'coding-viewer-two-coders')

    // The Reliability screen, Ann and Bo only: the same values, to three decimals.
    await page.getByRole('navigation').getByRole('button', { name: 'Reliability' }).click()
    await page.getByTestId('reliability-pairs').waitFor()
    await page.getByLabel('CASME II sheet (sheet)').uncheck()
    const pair = page.getByTestId('reliability-pairs').getByRole('row').nth(1)
    await expect.poll(() => pair.textContent()).toMatch(/^AnnBo10\.4000\.182/)
    await screenshot(page, 'coding-reliability')
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('region', { name: 'Per pair of coders' })
        .getByRole('button', { name: 'Export CSV' })
        .click(),
    ])
    expect(download.suggestedFilename()).toBe(`${SYNTHETIC_DATASET} reliability pairs.csv`)
    const csv = fs.readFileSync(await download.path(), 'utf8').split('\r\n')
    expect(csv[1]).toMatch(
      /^Ann,Bo,1,0\.4,0\.181818,2,10,,,0,0,0\.923077,Fewer than 10 clips: ratio and κ rest on 1 clip coded by two\.$/,
    )

    // Back in the library the clip is now disputed (the three coders scored different AUs).
    await page.getByRole('navigation').getByRole('button', { name: 'Library' }).click()
    const card = page.getByRole('button', { name: 'Open sub01 EP01_04' })
    await expect.poll(() => card.textContent()).toContain('Disputed')

    // Preparing the other clips' frames is a job with a progress bar; then every card has
    // its thumbnail.
    await page.getByRole('button', { name: 'Prepare all frames of 3 clips' }).click()
    await page.getByRole('progressbar', { name: 'Preparing frames' }).waitFor()
    await screenshot(page, 'coding-library-preparing')
    await expect.poll(() => page.getByTestId('no-thumbnail').count(), { timeout: 60_000 }).toBe(0)
    const loaded =
      "[...document.querySelectorAll('[data-testid=clip-card] img')].filter((i) => i.naturalWidth > 0).length"
    await expect.poll(() => page.evaluate(loaded)).toBe(4)
    await screenshot(page, 'coding-library')
    expect(problems).toEqual([])
  })
})
