// The entry of a job worker process. It receives one `start` message, opens the library
// itself, runs the job's code and reports back; a `cancel` message aborts the job's signal.
import { AppError } from '../../shared/errors'
import { openLibrary } from '../db/open-library'
import type { JobContext, JobProgress } from './job-kind'
import { loadJobKind } from './registry'
import type { FromWorker, ToWorker } from './worker-protocol'

interface ParentPort {
  on(event: 'message', listener: (event: { data: ToWorker }) => void): void
  postMessage(message: FromWorker): void
}

/** Electron's utilityProcess gives process.parentPort; child_process.fork gives process.send. */
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort

function post(message: FromWorker): void {
  if (parentPort) parentPort.postMessage(message)
  else process.send?.(message)
}

function onMessage(listener: (message: ToWorker) => void): void {
  if (parentPort) parentPort.on('message', (event) => listener(event.data))
  else process.on('message', (message) => listener(message as ToWorker))
}

const abort = new AbortController()

// A forked worker whose parent died (a crash, a kill) stops at once instead of working on
// as an orphan: its job reads as interrupted when the library is next opened, and resumes
// from the state it saved. (Electron ends utility processes with the app by itself.)
if (!parentPort) process.on('disconnect', () => process.exit(1))

async function run(start: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  const db = openLibrary(start.libraryPath)
  try {
    const kind = await loadJobKind(start.kind)
    const input = kind.input.parse(start.input)
    const ctx: JobContext<unknown> = {
      jobId: start.jobId,
      db,
      libraryPath: start.libraryPath,
      frameCacheDir: start.frameCacheDir,
      signal: abort.signal,
      resumeState: start.resumeState,
      progress: (progress: JobProgress) => post({ type: 'progress', progress }),
      saveState: (state: unknown) => post({ type: 'state', state }),
    }
    const result = await kind.run(input, ctx)
    post({ type: 'done', result: result ?? null })
  } catch (error) {
    const info =
      error instanceof AppError
        ? error.toInfo()
        : abort.signal.aborted
          ? { code: 'cancelled' as const, message: 'The job was cancelled.' }
          : { code: 'internal' as const, message: (error as Error).message ?? String(error) }
    post({ type: 'failed', error: info })
  } finally {
    db.close()
  }
}

onMessage((message) => {
  if (message.type === 'cancel') abort.abort()
  else if (message.type === 'start') {
    void run(message).finally(() => {
      // Let the last message flush before leaving.
      setTimeout(() => process.exit(0), 50)
    })
  }
})
