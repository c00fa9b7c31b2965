import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/temp'
import { openSession, type Session } from './session'
import { buildSyntheticLibrary } from './synthetic-library'

/*
 * Issue #12, must show 1: every control of the viewer's toolbars and AU panel is used with the
 * mouse, and then, while that control still has the focus, the coding keys do what they do on
 * the stage: → steps the frame, o/a/f set markers at the frame, a digit toggles its AU, Ctrl+Z
 * takes each of those back, Space plays and pauses. Markers and AU labels in the SQLite file
 * must then be exactly what they were after the mouse: no key reached the control.
 */

const { dir, cleanup } = tempDir()
let session: Session
let clip: { id: number; firstFrame: number; frameCount: number }

interface Marks {
  onset: number | null
  apex: number | null
  offset: number | null
}

/** Every coder's markers and AU labels in the library: what no stray key may change. */
function codesInFile(): { markers: unknown[]; labels: unknown[] } {
  return {
    markers: session.query(
      'SELECT clip_id, coder_id, onset, apex, offset FROM markers ORDER BY clip_id, coder_id',
    ),
    labels: session.query(
      "SELECT clip_id, coder_id, au, ifnull(side, '') AS side, ifnull(intensity, '') AS intensity FROM au_labels ORDER BY clip_id, coder_id, au, side",
    ),
  }
}

function auditEntries(): number {
  return session.query<{ n: number }>('SELECT count(*) AS n FROM audit')[0].n
}

function annMarkers(): Marks {
  const rows = session.query<Marks>(
    `SELECT onset, apex, offset FROM markers m JOIN coders c ON c.id = m.coder_id
     WHERE m.clip_id = ? AND c.name = 'Ann'`,
    clip.id,
  )
  return rows[0] ?? { onset: null, apex: null, offset: null }
}

async function frameShown(page: Page): Promise<number> {
  return Number(await page.getByTestId('frame-number').textContent())
}

/** A list's chosen value (null for other controls, whose value may follow the frame). */
function chosenOption(control: Locator): Promise<string | null> {
  // This side is compiled without DOM types: the page's element is described by what is read.
  return control.evaluate((el) => {
    const list = el as unknown as { tagName: string; value: string }
    return list.tagName === 'SELECT' ? list.value : null
  })
}

async function hasFocus(control: Locator): Promise<boolean> {
  return control.evaluate(
    (el) =>
      (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument
        .activeElement === el,
  )
}

/** How the test uses one control with the mouse (and what it needs first). */
interface ControlCase {
  name: string
  control: (page: Page) => Locator
  /** Brings the viewer into the state where the control is shown. */
  before?: (page: Page) => Promise<void>
  use: (control: Locator, page: Page) => Promise<unknown>
  /** Audit entries the mouse use writes (0 for controls that only change the view). */
  writes?: number
  /** The control is disabled (and so loses the focus) once a key made a new change. */
  disabledByKeys?: boolean
}

const quickAu = (page: Page, au: number) =>
  page.locator('.quick button').filter({ hasText: new RegExp(`AU${au}\\b`) })
const click = (control: Locator) => control.click()
const choose = (index: number) => async (control: Locator) => {
  // What a mouse choice leaves behind: the list has the focus and the new value.
  await control.focus()
  await control.selectOption({ index })
}

function magnifyJobsDone(): number {
  return session.query<{ n: number }>(
    "SELECT count(*) AS n FROM jobs WHERE kind = 'signal.magnify' AND status = 'succeeded'",
  )[0].n
}

/** Uses a control that magnifies the clip, then waits until every magnified frame is ready. */
const magnifying =
  (use: (control: Locator) => Promise<unknown>) => async (control: Locator, page: Page) => {
    const done = magnifyJobsDone()
    await use(control)
    await expect.poll(magnifyJobsDone, { timeout: 120_000 }).toBeGreaterThan(done)
    await expect
      .poll(() => page.locator('.magnify .ready').textContent(), { timeout: 60_000 })
      .toBe(`${clip.frameCount}/${clip.frameCount} ready`)
  }

const CASES: ControlCase[] = [
  {
    name: 'Play button (played and paused)',
    control: (p) => p.getByRole('button', { name: /^(Play|Pause)$/ }),
    use: async (c) => {
      await c.click()
      await c.click()
    },
  },
  // 1/20 of the frame rate: playback lasts long enough to be seen playing.
  { name: 'speed list', control: (p) => p.getByLabel('Speed'), use: choose(1) },
  { name: 'view: Raw', control: (p) => p.getByRole('button', { name: 'Raw' }), use: click },
  {
    name: 'view: Onset | frame',
    control: (p) => p.getByRole('button', { name: 'Onset | frame' }),
    use: click,
  },
  {
    name: 'view: Difference',
    control: (p) => p.getByRole('button', { name: 'Difference' }),
    use: click,
  },
  { name: 'gain list', control: (p) => p.getByLabel('Gain'), use: choose(2) },
  { name: 'zoom: Eyes', control: (p) => p.getByRole('button', { name: 'Eyes' }), use: click },
  { name: 'zoom: Face', control: (p) => p.getByRole('button', { name: 'Face' }), use: click },
  { name: 'frame slider', control: (p) => p.getByRole('slider', { name: 'Frame' }), use: click },
  {
    name: 'Set onset button',
    control: (p) => p.getByTestId('marker-onset').getByRole('button', { name: /Set/ }),
    use: click,
    writes: 1,
  },
  {
    name: 'Set apex button',
    control: (p) => p.getByTestId('marker-apex').getByRole('button', { name: /Set/ }),
    use: click,
    writes: 1,
  },
  {
    name: 'Set offset button',
    control: (p) => p.getByTestId('marker-offset').getByRole('button', { name: /Set/ }),
    use: click,
    writes: 1,
  },
  {
    name: 'onset frame button (go to)',
    control: (p) => p.getByTestId('marker-onset').getByRole('button', { name: /^\d+$/ }),
    use: click,
  },
  { name: 'AU toggle button (AU4)', control: (p) => quickAu(p, 4), use: click, writes: 1 },
  {
    name: 'side list of AU12',
    control: (p) => p.getByLabel('Side of AU12'),
    use: choose(2),
    writes: 1,
  },
  {
    name: 'intensity list of AU12',
    control: (p) => p.getByLabel('Intensity of AU12'),
    use: choose(3),
    writes: 1,
  },
  {
    name: 'Add button of the typed AUs (empty)',
    control: (p) => p.getByRole('button', { name: 'Add', exact: true }),
    use: click,
  },
  {
    name: 'Undo button',
    control: (p) => p.getByRole('button', { name: /^Undo/ }),
    use: click,
    writes: 1,
  },
  {
    name: 'Redo button',
    control: (p) => p.getByRole('button', { name: /^Redo/ }),
    before: async (p) => {
      await p.getByRole('button', { name: /^Undo/ }).click()
      await p.getByRole('button', { name: /^Undo/ }).click()
    },
    use: click,
    writes: 3,
    // o makes a new change, which empties the redo stack: Redo is disabled from then on.
    disabledByKeys: true,
  },
  { name: "'Coding as' list", control: (p) => p.getByLabel('Coding as'), use: choose(0) },
  {
    name: 'number key list of AU17 (set to none)',
    control: (p) => p.getByLabel('Key of AU17'),
    before: async (p) => {
      if (!(await p.getByLabel('Key of AU17').isVisible())) await p.getByText('Number keys').click()
    },
    use: choose(0),
  },
  {
    name: 'view: Magnified',
    control: (p) => p.getByRole('button', { name: 'Magnified' }),
    use: magnifying(click),
  },
  { name: 'magnification α list', control: (p) => p.getByLabel('α'), use: magnifying(choose(0)) },
]

/** Presses o, a, f at the frame, checks only Ann's markers moved, then undoes them. */
async function marksAndUndo(page: Page, before: ReturnType<typeof codesInFile>): Promise<void> {
  const frame = await frameShown(page)
  const old = annMarkers()
  for (const key of ['o', 'a', 'f']) await page.keyboard.press(key)
  const want = { onset: frame, apex: frame, offset: frame }
  await expect.poll(() => annMarkers()).toEqual(want)
  // Labels untouched: the edits are queued in order, so any stray write landed before these.
  expect(codesInFile().labels).toEqual(before.labels)
  // A marker already at this frame was not written, so it is not undone either.
  const changed = (['onset', 'apex', 'offset'] as const).filter((m) => old[m] !== frame).length
  for (let i = 0; i < changed; i++) await page.keyboard.press('Control+z')
  await expect.poll(() => codesInFile()).toEqual(before)
}

/** Presses 1 (the AU of key 1 is toggled: one label more or less), then undoes it. */
async function digitAndUndo(page: Page, before: ReturnType<typeof codesInFile>): Promise<void> {
  await page.keyboard.press('1')
  await expect.poll(() => Math.abs(codesInFile().labels.length - before.labels.length)).toBe(1)
  expect(codesInFile().markers).toEqual(before.markers)
  await page.keyboard.press('Control+z')
  await expect.poll(() => codesInFile()).toEqual(before)
}

/** Space plays from the first frame (slowly enough to be seen playing), Space again pauses. */
async function spacePlaysAndPauses(page: Page, first: number): Promise<void> {
  const play = page.locator('button.play')
  await page.keyboard.press('Home')
  await expect.poll(() => frameShown(page)).toBe(first)
  await page.keyboard.press(' ')
  await expect.poll(() => play.getAttribute('aria-pressed')).toBe('true')
  await expect.poll(() => frameShown(page)).toBeGreaterThan(first)
  await page.keyboard.press(' ')
  await expect.poll(() => play.getAttribute('aria-pressed')).toBe('false')
}

beforeAll(async () => {
  // The dataset's AUs are 1, 2, 4, 6, 7, 12, 14, 15, 17 (see coding.test.ts): key 1 is AU1.
  const built = await buildSyntheticLibrary(dir, { subjects: 2, clipsPerSubject: 2, seed: 7 })
  session = await openSession(built.library)
  ;[clip] = session.query<typeof clip>(
    'SELECT id, first_frame AS firstFrame, frame_count AS frameCount FROM clips ORDER BY id LIMIT 1',
  )
})
afterAll(async () => {
  await session?.close()
  cleanup()
})

describe('coding keys whatever control of the viewer has the focus', () => {
  it('steps, plays, marks, toggles and undoes after each control was used with the mouse', async () => {
    const { page, problems } = await session.openPage()
    await page.evaluate(`location.hash = '#/clip/${clip.id}'`)
    await page.locator(`[data-testid=stage][data-frame="${clip.firstFrame}"]`).waitFor()
    await page.getByRole('button', { name: 'New coder' }).click()
    await page.getByLabel("New coder's name").fill('Ann')
    await page.getByRole('button', { name: 'Add coder' }).click()
    await page.getByLabel('Type AUs').fill('12')
    await page.getByLabel('Type AUs').press('Enter')
    await page.getByLabel('Side of AU12').waitFor()
    await page.getByRole('img').first().click()
    await page.keyboard.press('Shift+ArrowRight')

    const last = clip.firstFrame + clip.frameCount - 1
    for (const c of CASES) {
      const audited = auditEntries()
      await c.before?.(page)
      const control = c.control(page)
      await c.use(control, page)
      await page.locator('button.play[aria-pressed="false"]').waitFor()
      // The mouse's own edits land before the reference is taken.
      await expect.poll(auditEntries, { message: c.name }).toBe(audited + (c.writes ?? 0))
      const value = await chosenOption(control)
      await expect.poll(() => hasFocus(control), { message: c.name }).toBe(true)
      const before = codesInFile()

      const frame = await frameShown(page)
      const step = frame < last ? 'ArrowRight' : 'ArrowLeft'
      await page.keyboard.press(step)
      await expect
        .poll(() => frameShown(page), { message: `${c.name}: → steps` })
        .toBe(frame + (step === 'ArrowRight' ? 1 : -1))
      await marksAndUndo(page, before)
      await digitAndUndo(page, before)
      await spacePlaysAndPauses(page, clip.firstFrame)

      expect(codesInFile(), c.name).toEqual(before)
      expect(await hasFocus(control), `${c.name} kept the focus`).toBe(!c.disabledByKeys)
      expect(await chosenOption(control), `${c.name} kept its value`).toBe(value)
    }
    expect(problems).toEqual([])
    // Two magnifications run in it: on two busy cores that takes minutes, not seconds.
  }, 480_000)

  it('leaves every key to the fields that take typed text', async () => {
    const { page, problems } = await session.openPage()
    await page.evaluate(`location.hash = '#/clip/${clip.id}'`)
    await page.locator('[data-testid=stage][data-frame]').waitFor()
    await page.getByLabel('Coding as').selectOption({ label: 'Ann' })
    const before = codesInFile()
    const frame = await frameShown(page)

    // The typed-AU field: digits, o/a/f, Space and the arrows are the coder's typing.
    const field = page.getByLabel('Type AUs')
    await field.click()
    await page.keyboard.type('1+2 oaf')
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('Home')
    await page.keyboard.type('4+')
    expect(await field.inputValue()).toBe('4+1+2 oaf')
    // Enter submits: the entry is refused whole, and its answer comes after any stray edit.
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('typed-message').textContent()).toMatch(/^Nothing/)

    // A new coder's name field, likewise.
    await page.getByRole('button', { name: 'New coder' }).click()
    await page.getByLabel("New coder's name").pressSequentially('Zoe 1 f')
    expect(await page.getByLabel("New coder's name").inputValue()).toBe('Zoe 1 f')
    await page.getByRole('button', { name: 'Cancel' }).click()

    expect(await frameShown(page)).toBe(frame)
    expect(await page.locator('button.play').getAttribute('aria-pressed')).toBe('false')
    expect(codesInFile()).toEqual(before)
    expect(problems).toEqual([])
  })
})
