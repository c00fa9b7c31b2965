import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Job } from '../../../src/shared/domain'
import { openLibrary, type LibraryDb } from '../../../src/engine/db/open-library'
import { JobRunner } from '../../../src/engine/jobs/job-runner'
import type { FromWorker, ToWorker, WorkerHandle } from '../../../src/engine/jobs/worker-protocol'
import { tempDir } from '../../helpers/temp'

/**
 * The runner's bookkeeping, driven through its worker boundary: each spawned "process" is a
 * handle the test scripts (the real fork/utilityProcess workers are exercised by the job
 * kinds' own integration tests).
 */
class ScriptedWorker implements WorkerHandle {
  sent: ToWorker[] = []
  private messageListener: (m: FromWorker) => void = () => undefined
  private exitListener: (code: number | null) => void = () => undefined
  send(message: ToWorker) {
    this.sent.push(message)
  }
  onMessage(listener: (m: FromWorker) => void) {
    this.messageListener = listener
  }
  onExit(listener: (code: number | null) => void) {
    this.exitListener = listener
  }
  kill() {
    this.exitListener(null)
  }
  emit(message: FromWorker) {
    this.messageListener(message)
  }
  exit(code: number | null) {
    this.exitListener(code)
  }
}

let db: LibraryDb
let file: string
let cleanup: () => void
let workers: ScriptedWorker[]
let changes: Job[]

function runner(): JobRunner {
  return new JobRunner(db, {
    libraryPath: file,
    frameCacheDir: `${file}.frames`,
    spawn: () => {
      const w = new ScriptedWorker()
      workers.push(w)
      return w
    },
    onChange: (job) => changes.push(job),
  })
}

beforeEach(() => {
  const t = tempDir()
  cleanup = t.cleanup
  file = path.join(t.dir, 'library.sqlite')
  db = openLibrary(file)
  workers = []
  changes = []
})
afterEach(() => {
  db.close()
  cleanup()
})

describe('JobRunner', () => {
  it('runs jobs one at a time in order and records progress and results', async () => {
    const jobs = runner()
    const a = jobs.start('signal.apex', { clipId: 1 })
    const b = jobs.start('signal.apex', { clipId: 2 })
    expect(workers).toHaveLength(1)
    expect(jobs.get(a.id).status).toBe('running')
    expect(jobs.get(b.id).status).toBe('queued')
    expect(workers[0].sent[0]).toMatchObject({
      type: 'start',
      jobId: a.id,
      kind: 'signal.apex',
      input: { clipId: 1 },
    })

    workers[0].emit({ type: 'progress', progress: { done: 3, total: 10, message: 'frame 3' } })
    expect(jobs.get(a.id).progress).toEqual({ done: 3, total: 10, message: 'frame 3' })
    workers[0].emit({ type: 'done', result: { apexIndex: 4 } })
    const settled = jobs.whenSettled(a.id)
    workers[0].exit(0)
    expect(await settled).toMatchObject({ status: 'succeeded', result: { apexIndex: 4 } })
    expect(workers).toHaveLength(2)
    expect(jobs.get(b.id).status).toBe('running')
    expect(changes.some((j) => j.id === a.id && j.status === 'succeeded')).toBe(true)
  })

  it('cancels: a running worker is told, a queued job stops at once', () => {
    const jobs = runner()
    const a = jobs.start('train', {})
    const b = jobs.start('train', {})
    expect(jobs.cancel(b.id).status).toBe('cancelled')
    jobs.cancel(a.id)
    expect(workers[0].sent.at(-1)).toEqual({ type: 'cancel' })
    workers[0].emit({ type: 'failed', error: { code: 'cancelled', message: 'stopped' } })
    workers[0].exit(0)
    expect(jobs.get(a.id).status).toBe('cancelled')
    expect(workers).toHaveLength(1)
  })

  it('resumes a cancelled job with the state it saved', () => {
    const jobs = runner()
    const a = jobs.start('train', { epochs: 4 })
    workers[0].emit({ type: 'state', state: { epoch: 2 } })
    jobs.cancel(a.id)
    workers[0].emit({ type: 'failed', error: { code: 'cancelled', message: 'stopped' } })
    workers[0].exit(0)
    expect(jobs.resume(a.id).status).toBe('running')
    expect(workers[1].sent[0]).toMatchObject({
      type: 'start',
      jobId: a.id,
      resumeState: { epoch: 2 },
    })
    expect(() => jobs.resume(a.id)).toThrow(/only a stopped job/)
  })

  it('marks a worker that dies without an answer as failed, and running jobs as interrupted after a restart', () => {
    const jobs = runner()
    const a = jobs.start('train', {})
    workers[0].exit(137)
    expect(jobs.get(a.id)).toMatchObject({ status: 'failed', error: { code: 'internal' } })
    expect(jobs.get(a.id).error?.message).toContain('137')

    const b = jobs.start('train', {})
    expect(jobs.get(b.id).status).toBe('running')
    // The app crashes: its process is gone, and a new runner on the same library finds b
    // running with no runner behind it.
    db.prepare("UPDATE jobs SET runner = '2147483646:crashed' WHERE id = ?").run(b.id)
    const afterCrash = runner()
    expect(afterCrash.get(b.id).status).toBe('interrupted')
  })

  it('leaves the jobs of runners that still work alone (the app while a CLI command starts)', () => {
    const app = runner()
    const training = app.start('train', {})
    expect(app.get(training.id).status).toBe('running')
    const queued = app.start('train', {})
    // A second runner on the same library, in this process or another live one.
    const cli = runner()
    expect(cli.get(training.id).status).toBe('running')
    expect(cli.get(queued.id).status).toBe('queued')
    // Rows of a process that is gone, or with no owner (older libraries), are orphans.
    const insert = db.prepare(
      "INSERT INTO jobs (kind, input, status, runner) VALUES ('train', '{}', 'running', ?)",
    )
    const gone = Number(insert.run('2147483646:dead').lastInsertRowid)
    const ownerless = Number(insert.run(null).lastInsertRowid)
    const living = Number(insert.run(`${process.ppid}:parent`).lastInsertRowid)
    const third = runner()
    expect(third.get(gone).status).toBe('interrupted')
    expect(third.get(ownerless).status).toBe('interrupted')
    expect(third.get(living).status).toBe('running')
    expect(third.get(training.id).status).toBe('running')
  })
})
