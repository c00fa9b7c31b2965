import fs from 'node:fs/promises'
import path from 'node:path'
import { AppError } from '../../shared/errors'
import { isFrameKey } from '../../shared/frame-url'
import type { LibraryDb } from '../db/open-library'

/** What a sweep of the frame cache found and did. */
export interface CacheSweep {
  /** PNGs the library still refers to. */
  kept: number
  /** PNGs no row refers to that were removed (or would be, on a dry run). */
  removed: number
  /** Bytes those PNGs took. */
  freedBytes: number
  /** Unreferenced PNGs left alone because they are newer than the minimum age. */
  recent: number
  dryRun: boolean
}

/** Unreferenced frames younger than this are kept: another process may be about to record them. */
export const SWEEP_MIN_AGE_MS = 60 * 60 * 1000

/** Every string value inside a JSON value that is a frame key (Grad-CAM job results). */
function keysIn(value: unknown, into: Set<string>): void {
  if (isFrameKey(value)) into.add(value)
  else if (Array.isArray(value)) for (const v of value) keysIn(v, into)
  else if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) keysIn(v, into)
  }
}

/**
 * The frame keys the library refers to: extracted frames (`frames`), magnified frames
 * (`magnified_frames`) and the overlays finished Grad-CAM jobs answered with.
 */
export function referencedFrameKeys(db: LibraryDb): Set<string> {
  const keys = new Set<string>(
    db
      .prepare(
        `SELECT cache_key FROM frames WHERE cache_key IS NOT NULL
         UNION SELECT cache_key FROM magnified_frames`,
      )
      .pluck()
      .all() as string[],
  )
  const results = db
    .prepare(`SELECT result FROM jobs WHERE kind = 'ml.gradCam' AND result IS NOT NULL`)
    .pluck()
    .all() as string[]
  for (const result of results) keysIn(JSON.parse(result), keys)
  return keys
}

/** Throws a conflict naming the first job of the library that is queued or running. */
function assertNoJobRuns(db: LibraryDb): void {
  const busy = db
    .prepare(`SELECT id, kind FROM jobs WHERE status IN ('queued', 'running') ORDER BY id LIMIT 1`)
    .get() as { id: number; kind: string } | undefined
  if (busy) {
    throw new AppError(
      'conflict',
      `Job ${busy.id} (${busy.kind}) is queued or running; sweep the frame cache when it has finished (a job left "running" by a crash reads as interrupted once the app has opened the library).`,
      { jobId: busy.id },
    )
  }
}

/**
 * Removes the PNGs of the frame cache (`<cache>/<2 hex>/<key>.png`) that nothing in the
 * library refers to any more (frames of deleted clips, magnifications with old settings),
 * older than `minAgeMs`. Refuses while a job of the library is queued or running (checked
 * before each cache folder), since a job records the keys of the frames it wrote only after
 * writing them; a frame an operation reuses has its time renewed by FrameStage.put. The staging folder
 * and files that are not cache frames are never touched.
 */
export async function sweepFrameCache(
  db: LibraryDb,
  cacheDir: string,
  options: { dryRun?: boolean; minAgeMs?: number; now?: number } = {},
): Promise<CacheSweep> {
  const { dryRun = false, minAgeMs = SWEEP_MIN_AGE_MS, now = Date.now() } = options
  assertNoJobRuns(db)
  const live = referencedFrameKeys(db)
  const sweep: CacheSweep = { kept: 0, removed: 0, freedBytes: 0, recent: 0, dryRun }
  const root = path.resolve(cacheDir)
  const folders = await fs.readdir(root, { withFileTypes: true }).catch(() => [])
  for (const folder of folders) {
    if (!folder.isDirectory() || !/^[0-9a-f]{2}$/.test(folder.name)) continue
    // Checked again per folder: a job may have started since.
    assertNoJobRuns(db)
    for (const name of await fs.readdir(path.join(root, folder.name))) {
      const key = name.endsWith('.png') ? name.slice(0, -4) : ''
      if (!isFrameKey(key) || !key.startsWith(folder.name)) continue
      if (live.has(key)) {
        sweep.kept++
        continue
      }
      const file = path.join(root, folder.name, name)
      const stat = await fs.stat(file)
      if (now - stat.mtimeMs < minAgeMs) {
        sweep.recent++
        continue
      }
      if (!dryRun) await fs.rm(file, { force: true })
      sweep.removed++
      sweep.freedBytes += stat.size
    }
  }
  return sweep
}
