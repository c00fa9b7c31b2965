import type { Locator } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/temp'
import { screenshot } from './browser'
import { openSession, type Session } from './session'
import { buildTrainedLibrary, type TrainedLibrary } from './trained-library'

/*
 * A coder reviews a model's predictions in browser mode: a synthetic CASME II release and a
 * tiny model trained on it by `microau train`; the Review screen predicts the clips, lists
 * where the model and the coder disagree, accepts the model's most confident AU into the
 * coder's labels (audited as coming from the model) and draws a Grad-CAM overlay.
 */

const { dir, cleanup } = tempDir()
let lib: TrainedLibrary
let session: Session

const JOB = { timeout: 150_000 }

/** Waits until the image (the Grad-CAM overlay) is there and has loaded. */
async function expectLoaded(image: Locator): Promise<void> {
  await image.waitFor(JOB)
  await expect
    .poll(
      () => image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      JOB,
    )
    .toBeGreaterThan(0)
}

beforeAll(async () => {
  lib = await buildTrainedLibrary(dir, { subjects: 4, clipsPerSubject: 2, seed: 3 })
  session = await openSession(lib.library)
})
afterAll(async () => {
  await session?.close()
  cleanup()
})

describe('Review in browser mode', () => {
  it('predicts the clips, queues disagreements, accepts one into the labels with an audit entry, and draws Grad-CAM', async () => {
    const { page, problems } = await session.openPage()
    await page.getByRole('button', { name: 'Review' }).click()

    // The model has not predicted the dataset yet: Predict runs the job from the screen.
    await page.getByText('has no predictions for').waitFor()
    expect(session.query('SELECT 1 FROM predictions')).toHaveLength(0)
    await page.getByRole('button', { name: 'Predict', exact: true }).click()
    await expect.poll(() => page.getByTestId('review-row').count(), JOB).toBe(8)
    const predictions = session.query<{ clipId: number; au: number; p: number }>(
      'SELECT clip_id AS clipId, au, probability AS p FROM predictions WHERE model_id = ?',
      lib.modelId,
    )
    const aus = [...new Set(predictions.map((r) => r.au))].sort((a, b) => a - b)
    expect(aus.length).toBeGreaterThan(0)
    expect(predictions).toHaveLength(8 * aus.length)
    const header = await page.getByTestId('review-table').locator('thead th').allTextContents()
    expect(header).toEqual(['Subject', 'Clip', ...aus.map((au) => `AU${au}`)])

    // A new coder has no labels: every AU the model says yes to is a disagreement.
    await page.getByRole('button', { name: 'New coder' }).click()
    await page.getByLabel("New coder's name").fill('Ann')
    await page.getByRole('button', { name: 'Add coder' }).click()
    await expect
      .poll(() => page.getByLabel('Coding as').locator('option:checked').textContent())
      .toBe('Ann')
    const ann = session.query<{ id: number }>("SELECT id FROM coders WHERE name = 'Ann'")[0].id

    // The threshold follows the slider's keys (0.01 a step); yes means p ≥ threshold.
    const sorted = predictions.map((r) => r.p).sort((a, b) => a - b)
    const steps = Math.floor(sorted[Math.floor(sorted.length / 2)] * 100)
    const threshold = steps / 100
    const slider = page.getByTestId('threshold')
    await slider.focus()
    await page.keyboard.press('Home')
    for (let i = 0; i < steps; i++) await page.keyboard.press('ArrowRight')
    await expect
      .poll(() => page.getByTestId('threshold-value').textContent())
      .toBe(threshold.toFixed(2))
    const yes = predictions.filter((r) => r.p >= threshold)
    expect(yes.length).toBeGreaterThan(0)
    expect(yes.length).toBeLessThan(predictions.length)
    await expect.poll(() => page.getByTestId('queue-count').textContent()).toBe(String(yes.length))
    expect(await page.locator('[data-verdict=model-only]').count()).toBe(yes.length)

    // The queue starts with the most confident disagreement: the highest probability here.
    const top = [...yes].sort((a, b) => b.p - a.p)[0]
    const [topClip] = session.query<{ subject: string; name: string }>(
      'SELECT s.code AS subject, c.name FROM clips c JOIN subjects s ON s.id = c.subject_id WHERE c.id = ?',
      top.clipId,
    )
    const current = page.getByTestId('queue-current')
    expect(await current.textContent()).toContain(`${topClip.subject} ${topClip.name}`)
    expect(await current.textContent()).toContain(`AU${top.au} `)

    // j and k step through the queue; a accepts the current item into Ann's labels.
    await page.keyboard.press('j')
    await expect.poll(() => current.textContent()).toContain(`2 of ${yes.length}`)
    await page.keyboard.press('k')
    await expect.poll(() => current.textContent()).toContain(`1 of ${yes.length}`)
    await page.keyboard.press('a')
    await page.getByTestId('review-notice').waitFor()
    await expect
      .poll(() => page.getByTestId('queue-count').textContent())
      .toBe(String(yes.length - 1))
    expect(
      session.query(
        'SELECT au, side, intensity FROM au_labels WHERE clip_id = ? AND coder_id = ?',
        top.clipId,
        ann,
      ),
    ).toEqual([{ au: top.au, side: null, intensity: null }])
    const audit = session.query<{ entity: string; action: string; source: string; after: string }>(
      'SELECT entity, action, source, after FROM audit WHERE coder_id = ? AND clip_id = ?',
      ann,
      top.clipId,
    )
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({
      entity: 'au_label',
      action: 'insert',
      source: `model:${lib.modelId}`,
    })
    expect(JSON.parse(audit[0].after)).toMatchObject({ au: top.au })
    expect(await page.locator('[data-verdict=both-yes]').count()).toBe(1)

    // g explains the current clip: a Grad-CAM job, then the overlay of the chosen AU.
    await page.keyboard.press('g')
    const overlay = page.getByTestId('grad-cam-overlay')
    await expectLoaded(overlay)
    const jobs = session.query<{ status: string }>(
      "SELECT status FROM jobs WHERE kind = 'ml.gradCam'",
    )
    expect(jobs).toEqual([{ status: 'succeeded' }])

    // After a reload (threshold back at 0.5) the predictions, Ann's label and the overlay stay.
    await page.reload()
    await expect.poll(() => page.getByTestId('review-row').count(), JOB).toBe(8)
    const annOnly = top.p >= 0.5 ? 'both-yes' : 'coder-only'
    await expect.poll(() => page.locator(`[data-verdict=${annOnly}]`).count()).toBe(1)
    await page
      .getByTestId('review-row')
      .filter({ hasText: topClip.subject })
      .getByRole('button', { name: topClip.name, exact: true })
      .click()
    await expectLoaded(overlay)

    await screenshot(page, 'review')
    expect(problems).toEqual([])
  }, 300_000)
})
