import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/temp'
import { screenshot } from './browser'
import { stageDifference } from './page-probes'
import { openSession, type Session } from './session'
import { buildSyntheticLibrary } from './synthetic-library'

/*
 * The magnified view and apex spotting in browser mode: `m` magnifies the clip (a job with
 * a progress bar) and shows the cached magnified frames, pixel for pixel; "Spot the apex"
 * computes the curve, drawn on the timeline with the suggested apex, and `s` goes there.
 */

const { dir, cleanup } = tempDir()
let session: Session
let clip: { id: number; subject: string; name: string; firstFrame: number }

function rawKey(number: number): string {
  return session.query<{ key: string }>(
    'SELECT cache_key AS key FROM frames WHERE clip_id = ? AND number = ?',
    clip.id,
    number,
  )[0].key
}

function magnifiedKey(number: number): string {
  return session.query<{ key: string }>(
    'SELECT cache_key AS key FROM magnified_frames WHERE clip_id = ? AND number = ?',
    clip.id,
    number,
  )[0].key
}

async function expectFrame(page: Page, number: number, mode: string): Promise<void> {
  await page.locator(`[data-testid=stage][data-frame="${number}"][data-mode="${mode}"]`).waitFor()
  expect(await page.getByTestId('frame-number').textContent()).toBe(String(number))
}

beforeAll(async () => {
  const built = await buildSyntheticLibrary(dir, { subjects: 1, clipsPerSubject: 1, seed: 3 })
  session = await openSession(built.library)
  ;[clip] = session.query<typeof clip>(
    `SELECT c.id, s.code AS subject, c.name, c.first_frame AS firstFrame
     FROM clips c JOIN subjects s ON s.id = c.subject_id`,
  )
})
afterAll(async () => {
  await session?.close()
  cleanup()
})

describe('signal processing in the viewer', () => {
  it('shows the magnified clip with m and the apex-spotting curve with the suggested apex', async () => {
    const { page, problems } = await session.openPage()
    const f0 = clip.firstFrame
    await page.getByRole('button', { name: `Open ${clip.subject} ${clip.name}` }).click()
    await expectFrame(page, f0, 'raw')
    await page.getByRole('img').first().click()

    // m: the clip is magnified by a job (progress bar), then its magnified frames show.
    await page.keyboard.press('m')
    await screenshot(page, 'viewer-magnifying')
    await page
      .getByRole('button', { name: 'Magnified' })
      .and(page.locator('[aria-pressed=true]'))
      .waitFor()
    await expectFrame(page, f0, 'magnified')
    expect(await stageDifference(page, magnifiedKey(f0))).toBe(0)
    await expect
      .poll(() => page.getByTestId('pass-band').textContent())
      .toMatch(/^Pass band 1\.4–20 Hz at 200 fps$/)
    const frame = f0 + 10
    await page.keyboard.press('Shift+ArrowRight')
    await expectFrame(page, frame, 'magnified')
    expect(await stageDifference(page, magnifiedKey(frame))).toBe(0)
    expect(await stageDifference(page, rawKey(frame))).toBeGreaterThan(0)

    // No curve yet: the button computes it (a job); the timeline then draws it.
    await page.getByRole('button', { name: /Spot the apex/ }).click()
    await page.getByTestId('suggested-apex').waitFor()
    const [{ apex }] = session.query<{ apex: number }>(
      'SELECT apex_frame AS apex FROM apex_curves WHERE clip_id = ?',
      clip.id,
    )
    expect(await page.getByTestId('suggested-apex').textContent()).toContain(`frame ${apex}`)
    await page.locator('[data-testid=timeline][data-curve=shown]').waitFor()
    await screenshot(page, 'viewer-magnified')
    await page.getByRole('img').first().click()
    await page.keyboard.press('s')
    await expectFrame(page, apex, 'magnified')

    // m again: back to the raw frame under the playhead.
    await page.keyboard.press('m')
    await expectFrame(page, apex, 'raw')
    expect(await stageDifference(page, rawKey(apex))).toBe(0)
    expect(problems).toEqual([])
  })
})
