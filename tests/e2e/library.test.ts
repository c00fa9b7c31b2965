import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/temp'
import { screenshot } from './browser'
import { openSession, type Session } from './session'

const { dir, cleanup } = tempDir()
const db = path.join(dir, 'e2e.sqlite')
let session: Session

beforeAll(async () => {
  session = await openSession(db)
})
afterAll(async () => {
  await session?.close()
  cleanup()
})

describe('Library screen in browser mode', () => {
  it('creates a dataset through the UI, finds it again after a reload, and it is in the SQLite file', async () => {
    const { page, problems } = await session.openPage()
    await expect.poll(() => page.getByText('No datasets yet').isVisible()).toBe(true)

    await page.getByLabel('New dataset name').fill('Pilot study 2026')
    await page.getByRole('button', { name: 'Create' }).click()
    await page.getByTestId('dataset').filter({ hasText: 'Pilot study 2026' }).waitFor()
    await screenshot(page, 'library')

    await page.reload()
    await page.getByTestId('dataset').filter({ hasText: 'Pilot study 2026' }).waitFor()

    await page.getByRole('button', { name: 'Rename Pilot study 2026' }).click()
    await page.getByLabel('New name for Pilot study 2026').fill('Pilot study (final)')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByTestId('dataset').filter({ hasText: 'Pilot study (final)' }).waitFor()

    await page.getByLabel('New dataset name').fill('Pilot study (final)')
    await page.getByRole('button', { name: 'Create' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('already exists')

    expect(session.query('SELECT name FROM datasets')).toEqual([{ name: 'Pilot study (final)' }])
    expect(problems).toEqual([])
  })
})
