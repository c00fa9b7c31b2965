import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/temp'
import { screenshot } from './browser'
import { openSession, type Session } from './session'
import { buildSyntheticLibrary } from './synthetic-library'

/*
 * Issue #12, must show 2 and item 4: the number keys of the AU panel belong to the dataset
 * and stay put when a second coder scores an AU new to it; a typed AU entry is saved whole
 * or not at all, and says which.
 */

const { dir, cleanup } = tempDir()
let session: Session
let clipId: number

/** The AU panel's quick list as shown: AU number → its key ('' for none). */
async function shownKeys(page: Page): Promise<Record<string, string>> {
  const buttons = page.locator('.quick button')
  await buttons.first().waitFor()
  const keys: Record<string, string> = {}
  for (const button of await buttons.all()) {
    const au = (await button.locator('.au').textContent())?.replace('AU', '') ?? '?'
    keys[au] = (await button.getAttribute('data-key')) ?? ''
  }
  return keys
}

function labelsOf(name: string) {
  return session.query(
    `SELECT au, side, intensity FROM au_labels l JOIN coders c ON c.id = l.coder_id
     WHERE l.clip_id = ? AND c.name = ? ORDER BY au, ifnull(side, '')`,
    clipId,
    name,
  )
}

async function openClipAs(page: Page, coder: string, create: boolean): Promise<void> {
  await page.evaluate(`location.hash = '#/clip/${clipId}'`)
  await page.getByTestId('frame-number').waitFor()
  if (create) {
    await page.getByRole('button', { name: 'New coder' }).click()
    await page.getByLabel("New coder's name").fill(coder)
    await page.getByRole('button', { name: 'Add coder' }).click()
  } else {
    await page.getByLabel('Coding as').selectOption({ label: coder })
  }
  await expect
    .poll(() => page.getByLabel('Coding as').locator('option:checked').textContent())
    .toBe(coder)
}

async function typeAus(page: Page, text: string): Promise<string> {
  await page.getByLabel('Type AUs').fill(text)
  await page.getByLabel('Type AUs').press('Enter')
  const message = page.getByTestId('typed-message')
  await message.waitFor()
  return (await message.textContent()) ?? ''
}

beforeAll(async () => {
  // The dataset's AUs are 1, 2, 4, 6, 7, 12, 14, 15, 17 (see coding.test.ts).
  const built = await buildSyntheticLibrary(dir, { subjects: 2, clipsPerSubject: 2, seed: 7 })
  session = await openSession(built.library)
  ;[{ id: clipId }] = session.query<{ id: number }>('SELECT id FROM clips ORDER BY id LIMIT 1')
})
afterAll(async () => {
  await session?.close()
  cleanup()
})

describe('AU number keys and typed AUs', () => {
  it('keeps the first coder’s keys when a second coder adds AUs new to the dataset', async () => {
    const { page, problems } = await session.openPage()
    await openClipAs(page, 'Ann', true)
    const annKeys = await shownKeys(page)
    expect(annKeys).toEqual({
      '1': '1',
      '2': '2',
      '4': '3',
      '6': '4',
      '7': '5',
      '12': '6',
      '14': '7',
      '15': '8',
      '17': '9',
    })

    // Bob scores AU5 (which sorts between AU4 and AU6) and AU20, both new to the dataset.
    await openClipAs(page, 'Bob', true)
    expect(await typeAus(page, '5+20')).toContain('Saved 2 AUs: 5, 20.')
    await expect.poll(() => labelsOf('Bob').length).toBe(2)
    await expect.poll(() => shownKeys(page)).toEqual({ ...annKeys, '5': '0', '20': '' })

    // Ann comes back after a reload: every key she knew is where it was.
    await page.reload()
    await openClipAs(page, 'Ann', false)
    await expect.poll(() => shownKeys(page)).toEqual({ ...annKeys, '5': '0', '20': '' })
    await page.getByRole('img').first().click()
    await page.keyboard.press('6')
    await expect.poll(() => labelsOf('Ann')).toEqual([{ au: 12, side: null, intensity: null }])
    await screenshot(page, 'au-keys-stable')

    // The keys are hers to change: key 1 goes to AU20, AU1 keeps no key, for every coder.
    await page.getByText('Number keys').click()
    await page.getByLabel('Key of AU20').selectOption('1')
    await expect.poll(() => shownKeys(page)).toMatchObject({ '1': '', '20': '1' })
    expect(session.query('SELECT au, key FROM au_keys WHERE au IN (1, 20) ORDER BY au')).toEqual([
      { au: 1, key: null },
      { au: 20, key: 1 },
    ])
    await page.getByRole('img').first().click()
    await page.keyboard.press('1')
    await expect.poll(() => labelsOf('Ann').map((l) => (l as { au: number }).au)).toEqual([12, 20])
    expect(problems).toEqual([])
  })

  it('saves a typed entry whole or not at all, and says which', async () => {
    const { page, problems } = await session.openPage()
    await openClipAs(page, 'Cat', true)
    const refused = await typeAus(page, '1+99+X12')
    expect(refused).toMatch(/^Nothing was saved: .*'99'.*'X12'/)
    expect(await page.getByRole('alert').first().textContent()).toContain('Nothing was saved')
    expect(await page.getByLabel('Type AUs').inputValue()).toBe('1+99+X12')
    expect(labelsOf('Cat')).toEqual([])
    await screenshot(page, 'au-typed-refused')

    expect(await typeAus(page, '1+L12B')).toContain('Saved 2 AUs: 1, L12B.')
    expect(await page.getByLabel('Type AUs').inputValue()).toBe('')
    await expect
      .poll(() => labelsOf('Cat'))
      .toEqual([
        { au: 1, side: null, intensity: null },
        { au: 12, side: 'L', intensity: 'B' },
      ])
    expect(problems).toEqual([])
  })
})
