import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openLibrary, type LibraryDb } from '../../../src/engine/db/open-library'
import { FrameStage, frameCacheDir, resolveFramePath } from '../../../src/engine/media/frame-cache'
import { sweepFrameCache } from '../../../src/engine/media/frame-cache-sweep'
import { runMicroau } from '../../helpers/cli'
import { tempDir } from '../../helpers/temp'
import { seedClips } from '../labelling/seed'

let dir: string
let cleanup: () => void
let file: string
let cache: string
let db: LibraryDb
const HOUR = 60 * 60 * 1000

/** Puts distinct fake PNG payloads in the cache; returns their keys. */
async function put(count: number, tag: string): Promise<string[]> {
  const stage = await FrameStage.open(cache)
  const keys: string[] = []
  for (let i = 0; i < count; i++) keys.push(await stage.put(Buffer.from(`${tag}-${i}`)))
  await stage.commit()
  return keys
}

/** Makes cached frames look written `ms` ago. */
function age(keys: string[], ms: number): void {
  const when = new Date(Date.now() - ms)
  for (const key of keys) fs.utimesSync(resolveFramePath(cache, key), when, when)
}

const exists = (key: string) => fs.existsSync(resolveFramePath(cache, key))

beforeEach(() => {
  ;({ dir, cleanup } = tempDir())
  file = path.join(dir, 'library.sqlite')
  cache = frameCacheDir(file)
  db = openLibrary(file)
})
afterEach(() => {
  db.close()
  cleanup()
})

describe('sweeping the frame cache', () => {
  it('removes old frames nothing refers to and keeps frames, magnified frames and Grad-CAM overlays in use', async () => {
    const [clipId] = seedClips(db, 'Sweep', [{ subject: 's1', name: 'c1', frames: 2 }])
    const [frame, magnified, overlay, orphan, fresh] = await put(5, 'png')
    db.prepare('UPDATE frames SET cache_key = ? WHERE clip_id = ? AND number = 46').run(
      frame,
      clipId,
    )
    db.prepare(
      `INSERT INTO magnified_frames (clip_id, params_key, number, cache_key) VALUES (?, ?, 46, ?)`,
    ).run(clipId, '0123456789abcdef', magnified)
    db.prepare(
      `INSERT INTO jobs (kind, status, input, result) VALUES ('ml.gradCam', 'succeeded', '{}', ?)`,
    ).run(JSON.stringify({ overlays: [{ au: '4', key: overlay }] }))
    const [reused] = await put(1, 'again')
    age([frame, magnified, overlay, orphan, reused], 2 * HOUR)
    // An operation stages the same frame again: it must survive until its key is recorded.
    const stage = await FrameStage.open(cache)
    expect(await stage.put(Buffer.from('again-0'))).toBe(reused)
    await stage.discard()
    const stray = path.join(cache, orphan.slice(0, 2), 'notes.txt')
    fs.writeFileSync(stray, 'not a frame')

    const dry = await sweepFrameCache(db, cache, { dryRun: true })
    expect(dry).toMatchObject({ kept: 3, removed: 1, recent: 2, dryRun: true })
    expect(exists(orphan)).toBe(true)

    const swept = await sweepFrameCache(db, cache)
    expect(swept).toEqual({
      kept: 3,
      removed: 1,
      freedBytes: 'png-3'.length,
      recent: 2,
      dryRun: false,
    })
    expect([frame, magnified, overlay, fresh, reused].map(exists)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ])
    expect(exists(orphan)).toBe(false)
    expect(fs.existsSync(stray)).toBe(true)
  })

  it('refuses while a job is queued or running, removing nothing', async () => {
    const [orphan] = await put(1, 'busy')
    age([orphan], 2 * HOUR)
    db.prepare(
      `INSERT INTO jobs (kind, status, input) VALUES ('signal.magnify', 'running', '{}')`,
    ).run()
    await expect(sweepFrameCache(db, cache)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('signal.magnify'),
    })
    expect(exists(orphan)).toBe(true)
  })

  it('runs as `microau db gc`', async () => {
    const [orphan] = await put(1, 'cli')
    age([orphan], 2 * HOUR)
    db.close()
    const dry = runMicroau(['db', 'gc', '--db', file, '--dry-run', '--json'])
    expect(dry.code, dry.stderr).toBe(0)
    expect(JSON.parse(dry.stdout)).toMatchObject({ removed: 1, dryRun: true })
    const run = runMicroau(['db', 'gc', '--db', file])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('removed 1 unreferenced frames')
    expect(exists(orphan)).toBe(false)
    db = openLibrary(file)
  })
})
