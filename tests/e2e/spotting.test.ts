import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeLongRecording } from '../../src/engine/datasets/synthetic/long-recording'
import { tempDir } from '../helpers/temp'
import { screenshot } from './browser'
import { openSession, type Session } from './session'

/*
 * Issue #13, must show 3: a long recording (synthetic: 12 s at 50 fps, 320×240, H.264, with
 * planted micro- and macro-expressions and a blink) is imported and spotted from the
 * Spotting screen, and a coder works through the queue with keys only (accept, reject, take
 * back, adjust apex and onset with ←/→ and a/o, open in the viewer) while a button the mouse
 * used last still has the focus. The decisions and markers are then read from the SQLite file,
 * with their audit entries.
 */

const { dir, cleanup } = tempDir()
const video = path.join(dir, 'p07', 'interview.mp4')
let session: Session

interface Frames {
  onset: number
  apex: number
  offset: number
}

beforeAll(async () => {
  await writeLongRecording({
    seed: 21,
    seconds: 12,
    fps: 50,
    width: 320,
    height: 240,
    micro: 3,
    macro: 1,
    blinks: 1,
    out: video,
  })
  session = await openSession(path.join(dir, 'library.sqlite'))
}, 120_000)
afterAll(async () => {
  await session?.close()
  cleanup()
})

function spottedClips(): { id: number; first_frame: number }[] {
  return session.query(
    `SELECT c.id, c.first_frame FROM clips c JOIN markers m ON m.clip_id = c.id
     JOIN coders s ON s.id = m.coder_id AND s.name = 'spotter' ORDER BY m.onset, c.id`,
  )
}

function markersOf(clipId: number, coder: string): Frames | undefined {
  return session.query<Frames>(
    `SELECT onset, apex, offset FROM markers m JOIN coders c ON c.id = m.coder_id
     WHERE m.clip_id = ? AND c.name = ?`,
    clipId,
    coder,
  )[0]
}

function decisions(): { clip_id: number; status: string }[] {
  return session.query(
    `SELECT d.clip_id, d.status FROM spot_decisions d JOIN coders c ON c.id = d.coder_id
     WHERE c.name = 'Ann' ORDER BY d.clip_id`,
  )
}

function trail(
  clipId: number,
  entity: string,
): { before: string | null; after: string | null; source: string }[] {
  return session.query(
    `SELECT a.before, a.after, a.source FROM audit a JOIN coders c ON c.id = a.coder_id
     WHERE a.clip_id = ? AND a.entity = ? AND c.name = 'Ann' ORDER BY a.id`,
    clipId,
    entity,
  )
}

const statusOf = (json: string | null) =>
  json === null ? 'pending' : (JSON.parse(json) as { status: string }).status

/** The absolute frame number the stage has painted. */
async function paintedFrame(page: Page): Promise<number> {
  return Number(await page.getByTestId('stage').getAttribute('data-frame'))
}

async function selectedRow(page: Page): Promise<number> {
  return Number(await page.locator('tr[aria-selected="true"]').getAttribute('data-clip'))
}

describe('spotting queue', () => {
  it('imports and spots a recording, and the queue is worked through with keys', async () => {
    const { page, problems } = await session.openPage()
    await page.getByRole('button', { name: 'Spotting' }).click()
    await page.getByRole('button', { name: 'New coder' }).click()
    await page.getByLabel("New coder's name").fill('Ann')
    await page.getByRole('button', { name: 'Add coder' }).click()
    await page.getByTestId('spot-empty').waitFor()

    await page.getByRole('button', { name: 'Import and spot a recording…' }).click()
    await page.locator('#spot-video').fill(video)
    await page.locator('#spot-dataset').fill('Interviews')
    await page.locator('#spot-subject').fill('p07')
    await page.getByLabel('Find the face').uncheck()
    await page.getByRole('button', { name: 'Spot', exact: true }).click()
    await page.getByTestId('spot-queue').waitFor({ timeout: 150_000 })

    const clips = spottedClips()
    // Seed 21 at 12 s (p01 of tests/integration/cli/spot-cli.test.ts): without face detection
    // the spotter finds a micro- and a macro-expression there (checked by hand with microau spot).
    expect(clips.length).toBeGreaterThanOrEqual(2)
    await expect
      .poll(() => page.locator('[data-testid="spot-queue"] tbody tr').count())
      .toBe(clips.length)
    expect(session.query('SELECT path, fps, frame_count FROM recordings')).toEqual([
      { path: video, fps: 50, frame_count: 600 },
    ])
    const [first, second] = clips
    const spotted = markersOf(second.id, 'spotter')!
    expect(await selectedRow(page)).toBe(first.id)

    // The mouse uses a button last: its focus must not take the keys.
    await page.getByRole('button', { name: 'Take back (u)' }).click()
    await page.keyboard.press('y')
    await expect.poll(decisions).toEqual([{ clip_id: first.id, status: 'accepted' }])
    await page.keyboard.press('j')
    await expect.poll(() => selectedRow(page)).toBe(second.id)
    await page.keyboard.press('x')
    await expect.poll(decisions).toEqual([
      { clip_id: first.id, status: 'accepted' },
      { clip_id: second.id, status: 'rejected' },
    ])

    // The playhead starts on the apex; → and ← step, a and o put the markers there.
    await expect.poll(() => paintedFrame(page), { timeout: 60_000 }).toBe(spotted.apex)
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => paintedFrame(page)).toBe(spotted.apex + 2)
    await page.keyboard.press('a')
    await expect
      .poll(() => markersOf(second.id, 'Ann'))
      .toEqual({ ...spotted, apex: spotted.apex + 2 })
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('ArrowLeft')
    await expect.poll(() => paintedFrame(page)).toBe(spotted.apex - 1)
    await page.keyboard.press('o')
    const adjusted = { onset: spotted.apex - 1, apex: spotted.apex + 2, offset: spotted.offset }
    await expect.poll(() => markersOf(second.id, 'Ann')).toEqual(adjusted)
    // The spotter's own markers stay what it found.
    expect(markersOf(second.id, 'spotter')).toEqual(spotted)

    // Back to the first: take the decision back, then accept again.
    await page.keyboard.press('k')
    await expect.poll(() => selectedRow(page)).toBe(first.id)
    await page.keyboard.press('u')
    await expect.poll(decisions).toEqual([{ clip_id: second.id, status: 'rejected' }])
    await page.keyboard.press('y')
    await expect.poll(() => decisions().length).toBe(2)

    expect(
      trail(first.id, 'spot_decision').map((e) => [
        statusOf(e.before),
        statusOf(e.after),
        e.source,
      ]),
    ).toEqual([
      ['pending', 'accepted', 'manual'],
      ['accepted', 'pending', 'manual'],
      ['pending', 'accepted', 'manual'],
    ])
    expect(trail(second.id, 'spot_decision').map((e) => statusOf(e.after))).toEqual(['rejected'])
    const markerTrail = trail(second.id, 'marker')
    expect(markerTrail.map((e) => e.source)).toEqual(['manual', 'manual'])
    expect(JSON.parse(markerTrail[1].after!)).toMatchObject(adjusted)
    await expect.poll(() => page.getByTestId('spot-counts').textContent()).toContain('1 rejected')

    await page.keyboard.press('j')
    await expect.poll(() => selectedRow(page)).toBe(second.id)
    await page.setViewportSize({ width: 1280, height: 800 })
    await expect.poll(() => paintedFrame(page), { timeout: 60_000 }).toBe(adjusted.apex)
    await expect
      .poll(() => page.getByRole('img', { name: /^Frames / }).getAttribute('aria-label'))
      .toContain(`interval ${adjusted.onset}–${adjusted.offset}, apex ${adjusted.apex}`)
    expect(
      await page.locator('[data-testid="spot-queue"] tbody td:nth-child(2)').allTextContents(),
    ).toEqual(clips.map(() => 'p07'))
    await screenshot(page, 'spotting-queue')
    // At 1280×800 the screen's actions show without scrolling.
    for (const name of ['Import and spot a recording…', 'Accept (y)', 'Open in the viewer (w)']) {
      const box = (await page.getByRole('button', { name }).boundingBox())!
      expect(box.y >= 0 && box.y + box.height <= 800 && box.x + box.width <= 1280, name).toBe(true)
    }

    // w opens the candidate in the viewer, on the recording's absolute frames.
    await page.keyboard.press('w')
    await page.getByTestId('frame-number').waitFor()
    expect(await page.evaluate('location.hash')).toBe(`#/clip/${second.id}`)
    expect(problems).toEqual([])
  })
})
