import path from 'node:path'
import Database from 'better-sqlite3'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServe, type ServeProcess } from '../helpers/cli'
import { tempDir } from '../helpers/temp'
import { launchChromium, openPage, screenshot } from './browser'

const { dir, cleanup } = tempDir()
const db = path.join(dir, 'e2e.sqlite')
let server: ServeProcess
let browser: Browser

beforeAll(async () => {
  server = await startServe(db)
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
  cleanup()
})

describe('Library screen in browser mode', () => {
  it('creates a dataset through the UI, finds it again after a reload, and it is in the SQLite file', async () => {
    const { page, problems } = await openPage(browser, server.url)
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

    const file = new Database(db, { readonly: true })
    const rows = file.prepare('SELECT name FROM datasets').all()
    file.close()
    expect(rows).toEqual([{ name: 'Pilot study (final)' }])
    expect(problems).toEqual([])
  })
})
