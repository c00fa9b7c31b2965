import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MODEL_FILES } from '../../src/engine/ml/weights/sidecar'
import { CLI, trainTinyArgs } from '../helpers/cli'
import { tempDir } from '../helpers/temp'
import { screenshot } from './browser'
import { openSession, queryLibrary, type Session } from './session'
import { buildSyntheticLibrary } from './synthetic-library'

/*
 * A crash in the middle of a job: a training run is killed with SIGKILL after its first
 * epoch; the next start of the app finds the job interrupted, says so on every screen, and
 * Resume carries it on to the end from its saved state.
 */

const { dir, cleanup } = tempDir()
let library: string
let session: Session | undefined

interface JobRow {
  id: number
  status: string
  progress: string | null
  state: string | null
}

function jobs(): JobRow[] {
  return queryLibrary<JobRow>(library, 'SELECT id, status, progress, state FROM jobs ORDER BY id')
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

/** A job worker's entry: compiled (out/cli/worker.js) or from the sources (worker-main.ts). */
const JOB_WORKER = /worker-main\.ts|[/\\]out[/\\]cli[/\\]worker\.js/

/** The job worker processes `pid` forked (Linux /proc: parent id and command line). */
function workersOf(pid: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8')
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
        return ppid === pid && JOB_WORKER.test(fs.readFileSync(`/proc/${name}/cmdline`, 'utf8'))
      } catch {
        return false // the process ended while we looked
      }
    })
    .map(Number)
}

const alive = (pid: number) => fs.existsSync(`/proc/${pid}`)

beforeAll(async () => {
  const built = await buildSyntheticLibrary(dir, { subjects: 4, clipsPerSubject: 2, seed: 5 })
  library = built.library
}, 120_000)
afterAll(async () => {
  await session?.close()
  cleanup()
})

describe('a job interrupted by a crash', () => {
  it('is reported when the app starts again and resumes to the end', async () => {
    const cli = spawn(
      process.execPath,
      [
        CLI,
        ...trainTinyArgs({
          db: library,
          out: path.join(dir, 'model'),
          seed: 2,
          variant: 'baseline',
          epochs: 3,
        }),
      ],
      { stdio: 'ignore' },
    )
    const exited = new Promise((resolve) => cli.once('exit', resolve))
    // Once an epoch is saved, the app "crashes".
    const running = await until('an epoch to be saved', () =>
      jobs().find((j) => j.status === 'running' && j.state?.includes('epochsDone')),
    )
    const [worker] = workersOf(cli.pid!)
    expect(worker).toBeGreaterThan(0)
    cli.kill('SIGKILL')
    await exited
    expect(jobs().find((j) => j.id === running.id)?.status).toBe('running')
    // Its worker does not train on as an orphan: it stops with its parent, before the final
    // model (two training runs later) could be written.
    await until('the orphaned worker to stop', () => (alive(worker) ? undefined : true))
    expect(fs.existsSync(path.join(dir, 'model', MODEL_FILES.sidecar))).toBe(false)

    session = await openSession(library)
    expect(jobs().find((j) => j.id === running.id)?.status).toBe('interrupted')
    const { page, problems } = await session.openPage()
    const notice = page.getByTestId('stopped-jobs')
    await notice.getByText(`Training (job ${running.id}) stopped when the app closed`).waitFor()
    await screenshot(page, 'stopped-jobs')
    await notice.getByRole('button', { name: 'Resume' }).click()
    await notice.waitFor({ state: 'detached' })

    const done = await until('the resumed job to finish', () =>
      jobs().find((j) => j.id === running.id && ['succeeded', 'failed'].includes(j.status)),
    )
    expect(done.status).toBe('succeeded')
    expect(session.query('SELECT count(*) AS n FROM models')).toEqual([{ n: 1 }])
    expect(problems).toEqual([])
  }, 600_000)
})
