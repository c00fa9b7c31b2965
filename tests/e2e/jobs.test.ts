import { spawn } from 'node:child_process'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI, startServe, type ServeProcess } from '../helpers/cli'
import { tempDir } from '../helpers/temp'
import { launchChromium, openPage, screenshot } from './browser'
import { buildSyntheticLibrary } from './synthetic-library'

/*
 * A crash in the middle of a job: a training run is killed with SIGKILL after its first
 * epoch; the next start of the app finds the job interrupted, says so on every screen, and
 * Resume carries it on to the end from its saved state.
 */

const { dir, cleanup } = tempDir()
let library: string
let server: ServeProcess | undefined
let browser: Browser

interface JobRow {
  id: number
  status: string
  progress: string | null
  state: string | null
}

function jobs(): JobRow[] {
  const db = new Database(library, { readonly: true })
  try {
    return db.prepare('SELECT id, status, progress, state FROM jobs ORDER BY id').all() as JobRow[]
  } finally {
    db.close()
  }
}

async function until<T>(what: string, probe: () => T | undefined, ms = 240_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const value = probe()
    if (value !== undefined) return value
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

beforeAll(async () => {
  const built = await buildSyntheticLibrary(dir, { subjects: 4, clipsPerSubject: 2, seed: 5 })
  library = built.library
  browser = await launchChromium()
}, 120_000)
afterAll(async () => {
  await browser?.close()
  await server?.stop()
  cleanup()
})

describe('a job interrupted by a crash', () => {
  it('is reported when the app starts again and resumes to the end', async () => {
    const cli = spawn(
      process.execPath,
      [
        CLI,
        'train',
        ...['--db', library, '--preset', 'tiny', '--variant', 'baseline', '--folds', '2'],
        ...['--epochs', '3', '--seed', '2', '--min-positives', '2', '--backend', 'wasm'],
        ...['--out', path.join(dir, 'model')],
      ],
      { stdio: 'ignore' },
    )
    const exited = new Promise((resolve) => cli.once('exit', resolve))
    // Once an epoch is saved, the app "crashes".
    const running = await until('an epoch to be saved', () =>
      jobs().find((j) => j.status === 'running' && j.state?.includes('epochsDone')),
    )
    cli.kill('SIGKILL')
    await exited
    expect(jobs().find((j) => j.id === running.id)?.status).toBe('running')

    server = await startServe(library)
    expect(jobs().find((j) => j.id === running.id)?.status).toBe('interrupted')
    const { page, problems } = await openPage(browser, server.url)
    const notice = page.getByTestId('stopped-jobs')
    await notice.getByText(`Training (job ${running.id}) stopped when the app closed`).waitFor()
    await screenshot(page, 'stopped-jobs')
    await notice.getByRole('button', { name: 'Resume' }).click()
    await notice.waitFor({ state: 'detached' })

    const done = await until('the resumed job to finish', () =>
      jobs().find((j) => j.id === running.id && ['succeeded', 'failed'].includes(j.status)),
    )
    expect(done.status).toBe('succeeded')
    const db = new Database(library, { readonly: true })
    const models = db.prepare('SELECT count(*) FROM models').pluck().get()
    db.close()
    expect(models).toBe(1)
    expect(problems).toEqual([])
  }, 600_000)
})
