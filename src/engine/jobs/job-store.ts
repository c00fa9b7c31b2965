import type { Job, JobStatus } from '../../shared/domain'
import { AppError } from '../../shared/errors'
import type { LibraryDb } from '../db/open-library'
import type { JobProgress } from './job-kind'

interface JobRow {
  id: number
  kind: string
  status: JobStatus
  input: string
  progress: string | null
  state: string | null
  result: string | null
  error: string | null
  cancel_requested: number
  created_at: string
  started_at: string | null
  finished_at: string | null
}

const now = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    input: JSON.parse(row.input) as unknown,
    progress: row.progress ? (JSON.parse(row.progress) as JobProgress) : null,
    result: row.result ? (JSON.parse(row.result) as unknown) : null,
    error: row.error ? (JSON.parse(row.error) as Job['error']) : null,
    cancelRequested: row.cancel_requested === 1,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  }
}

/** The jobs table: every durable job's lifecycle, written by the host process only. */
export class JobStore {
  /**
   * @param runner the id of the runner this store writes for (`<pid>:<random>`), recorded
   *   on the jobs it queues, so other runners can tell its jobs from orphans
   */
  constructor(
    private readonly db: LibraryDb,
    private readonly runner: string,
  ) {}

  /** Adds a queued job, owned by this store's runner. */
  create(kind: string, input: unknown): Job {
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO jobs (kind, input, runner) VALUES (?, ?, ?)')
      .run(kind, JSON.stringify(input), this.runner)
    return this.get(Number(lastInsertRowid))
  }

  /** One job, or not_found. */
  get(id: number): Job {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined
    if (!row) throw new AppError('not_found', `There is no job with id ${id}.`, { id })
    return toJob(row)
  }

  /** Recent jobs, newest first. */
  list(limit = 100): Job[] {
    return (
      this.db.prepare('SELECT * FROM jobs ORDER BY id DESC LIMIT ?').all(limit) as JobRow[]
    ).map(toJob)
  }

  /** The state a resumable job saved last. */
  savedState(id: number): unknown {
    const row = this.db.prepare('SELECT state FROM jobs WHERE id = ?').get(id) as {
      state: string | null
    }
    return row.state ? (JSON.parse(row.state) as unknown) : undefined
  }

  markRunning(id: number): void {
    this.db
      .prepare(
        `UPDATE jobs SET status = 'running', cancel_requested = 0, error = NULL, finished_at = NULL,
         started_at = coalesce(started_at, ${now}) WHERE id = ?`,
      )
      .run(id)
  }

  setProgress(id: number, progress: JobProgress): void {
    this.db.prepare('UPDATE jobs SET progress = ? WHERE id = ?').run(JSON.stringify(progress), id)
  }

  setState(id: number, state: unknown): void {
    this.db.prepare('UPDATE jobs SET state = ? WHERE id = ?').run(JSON.stringify(state), id)
  }

  /** Puts a stopped job back in the queue, keeping its saved state. */
  requeue(id: number): void {
    this.db
      .prepare(
        `UPDATE jobs SET status = 'queued', cancel_requested = 0, error = NULL, result = NULL, finished_at = NULL, runner = ? WHERE id = ?`,
      )
      .run(this.runner, id)
  }

  requestCancel(id: number): void {
    this.db.prepare('UPDATE jobs SET cancel_requested = 1 WHERE id = ?').run(id)
  }

  finish(
    id: number,
    status: 'succeeded' | 'failed' | 'cancelled',
    outcome: { result?: unknown; error?: unknown },
  ): void {
    this.db
      .prepare(
        `UPDATE jobs SET status = ?, result = ?, error = ?, finished_at = ${now} WHERE id = ?`,
      )
      .run(
        status,
        outcome.result === undefined ? null : JSON.stringify(outcome.result),
        outcome.error === undefined ? null : JSON.stringify(outcome.error),
        id,
      )
  }

  /**
   * Jobs left queued or running by a runner that is gone (its process crashed or quit, or
   * the row has no owner) are marked interrupted; resumable ones can be resumed. Jobs of
   * runners still alive (`alive(runner)`) are theirs and left alone. Returns the ids marked.
   */
  markInterrupted(alive: (runner: string) => boolean): number[] {
    const orphans = (
      this.db
        .prepare(`SELECT id, runner FROM jobs WHERE status IN ('queued', 'running')`)
        .all() as { id: number; runner: string | null }[]
    ).filter((r) => r.runner === null || !alive(r.runner))
    const mark = this.db.prepare(
      `UPDATE jobs SET status = 'interrupted', finished_at = ${now} WHERE id = ? AND status IN ('queued', 'running')`,
    )
    return orphans.filter((r) => mark.run(r.id).changes === 1).map((r) => r.id)
  }
}
