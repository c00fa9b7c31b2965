import type { Locator } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openLibrary } from '../../src/engine/db/open-library'
import { formatNumber } from '../../src/renderer/src/lib/format'
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
/** The thresholds the model's record holds (AU → threshold), see giveModelThresholds. */
let chosen: Record<string, number>

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

/**
 * Stores chosen thresholds in the model's training record, as a run with an inner split
 * does (engine/ml/train/training-run.ts; tests/integration/ml/thresholds-run.test.ts trains
 * one): the first AU at 0 (every clip a yes), the others at 1 (none below certainty), so
 * deciding at them differs from deciding at 0.5.
 */
function giveModelThresholds(): Record<string, number> {
  const db = openLibrary(lib.library)
  try {
    const row = db.prepare('SELECT config, metrics FROM models WHERE id = ?').get(lib.modelId) as {
      config: string
      metrics: string
    }
    const aus = (JSON.parse(row.metrics) as { auList: string[] }).auList
    const thresholds = Object.fromEntries(aus.map((au, i) => [au, i === 0 ? 0 : 1]))
    const config = {
      ...JSON.parse(row.config),
      thresholds,
      thresholdsChosenOn: 'per AU, the F1-maximising threshold on held-out subjects',
    }
    db.prepare('UPDATE models SET config = ? WHERE id = ?').run(JSON.stringify(config), lib.modelId)
    return thresholds
  } finally {
    db.close()
  }
}

/** A clip's subject code and name. */
function clipNames(clipId: number): { subject: string; name: string } {
  return session.query<{ subject: string; name: string }>(
    'SELECT s.code AS subject, c.name FROM clips c JOIN subjects s ON s.id = c.subject_id WHERE c.id = ?',
    clipId,
  )[0]
}

beforeAll(async () => {
  lib = await buildTrainedLibrary(dir, { subjects: 4, clipsPerSubject: 2, seed: 3 })
  chosen = giveModelThresholds()
  session = await openSession(lib.library)
  // Training through the CLI takes minutes on a busy machine.
}, 900_000)
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

    // By default the model's own thresholds decide, and the screen says so.
    const source = page.getByTestId('threshold-source')
    await expect.poll(() => source.textContent()).toContain("the model's thresholds")
    expect(await source.textContent()).toContain(
      aus.map((au) => `AU${au} ${formatNumber(chosen[String(au)])}`).join(', '),
    )
    expect(await page.getByTestId('threshold-value').textContent()).toBe("model's")
    const atModel = predictions.filter((r) => r.p >= chosen[String(r.au)])
    expect(atModel.length).not.toBe(predictions.filter((r) => r.p >= 0.5).length)
    await expect
      .poll(() => page.getByTestId('queue-count').textContent())
      .toBe(String(atModel.length))
    expect(await page.locator('[data-verdict=model-only]').count()).toBe(atModel.length)

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
      .toBe(formatNumber(threshold))
    expect(await source.textContent()).toContain('one threshold for every AU, set by the user')
    const yes = predictions.filter((r) => r.p >= threshold)
    expect(yes.length).toBeGreaterThan(0)
    expect(yes.length).toBeLessThan(predictions.length)
    await expect.poll(() => page.getByTestId('queue-count').textContent()).toBe(String(yes.length))
    expect(await page.locator('[data-verdict=model-only]').count()).toBe(yes.length)

    // The cursor stayed on the item it was on when the threshold moved; the queue's first item
    // is the most confident disagreement: the highest probability here.
    await page.getByRole('list', { name: 'Disagreement queue' }).getByRole('button').first().click()
    const byConfidence = [...yes].sort((a, b) => b.p - a.p)
    const top = byConfidence[0]
    const topClip = clipNames(top.clipId)
    const current = page.getByTestId('queue-current')
    expect(await current.textContent()).toContain(`${topClip.subject} ${topClip.name}`)
    expect(await current.textContent()).toContain(`AU${top.au} `)

    // j and k step through the queue; a accepts the current item into Ann's labels and moves
    // on to the next disagreement, which the detail panel then shows: the model's next most
    // confident yes, on whichever clip the trained model puts it (the accepted clip when
    // nothing is left).
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
    const shown = byConfidence[1] ?? top
    const shownClip = clipNames(shown.clipId)
    const explainTitle = page.locator('#explain-title')
    const titleWords = async () => (await explainTitle.textContent())?.split(/\s+/) ?? []
    await expect
      .poll(titleWords)
      .toEqual(expect.arrayContaining([shownClip.subject, shownClip.name]))

    // g explains the clip shown: a Grad-CAM job, then the overlay of the chosen AU.
    await page.keyboard.press('g')
    const overlay = page.getByTestId('grad-cam-overlay')
    await expectLoaded(overlay)
    expect(await overlay.getAttribute('alt')).toBe(`Grad-CAM of AU${shown.au} on ${shownClip.name}`)
    const jobs = session.query<{ status: string; input: string }>(
      "SELECT status, input FROM jobs WHERE kind = 'ml.gradCam'",
    )
    expect(jobs.map((j) => j.status)).toEqual(['succeeded'])
    expect(JSON.parse(jobs[0].input)).toMatchObject({ clipId: shown.clipId })

    // After a reload (back at the model's thresholds) the predictions, Ann's label and the
    // explained clip's overlay stay.
    await page.reload()
    await expect.poll(() => page.getByTestId('review-row').count(), JOB).toBe(8)
    const annOnly = top.p >= chosen[String(top.au)] ? 'both-yes' : 'coder-only'
    await expect.poll(() => page.locator(`[data-verdict=${annOnly}]`).count()).toBe(1)
    await page
      .getByTestId('review-row')
      .filter({ hasText: shownClip.subject })
      .getByRole('button', { name: shownClip.name, exact: true })
      .click()
    await expectLoaded(overlay)
    expect(await overlay.getAttribute('alt')).toContain(`on ${shownClip.name}`)

    await screenshot(page, 'review')
    expect(problems).toEqual([])
  }, 300_000)
})
