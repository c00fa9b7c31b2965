import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  FrameStage,
  frameKey,
  readCachedFrame,
  resolveFramePath,
  servableFramePath,
} from '../../../src/engine/media/frame-cache'
import { encodePng } from '../../../src/engine/media/image-io'
import { tempDir } from '../../helpers/temp'
import { filesBelow } from './fixtures'

let cache: string
let cleanup: () => void

beforeEach(() => {
  const t = tempDir('microau-cache-')
  cache = path.join(t.dir, 'library.sqlite.frames')
  cleanup = t.cleanup
})
afterEach(() => cleanup())

const png = (level: number) =>
  encodePng({ width: 2, height: 2, data: new Uint8Array(12).fill(level) })

describe('FrameStage', () => {
  it('commits new frames to <cache>/<key[0..2]>/<key>.png and removes its staging folder', async () => {
    const stage = await FrameStage.open(cache)
    const keys = [await stage.put(png(1)), await stage.put(png(2)), await stage.put(png(1))]
    expect(keys[0]).toBe(frameKey(png(1)))
    expect(keys[2]).toBe(keys[0])
    expect(fs.readdirSync(stage.dir).sort()).toEqual([`${keys[0]}.png`, `${keys[1]}.png`].sort())
    await stage.commit()
    expect(filesBelow(cache).sort()).toEqual(
      [`${keys[0].slice(0, 2)}/${keys[0]}.png`, `${keys[1].slice(0, 2)}/${keys[1]}.png`].sort(),
    )
    expect(fs.readFileSync(resolveFramePath(cache, keys[1]))).toEqual(png(2))
    expect((await readCachedFrame(cache, keys[0])).data).toEqual(new Uint8Array(12).fill(1))
  })

  it('does not write a frame the cache already has', async () => {
    const first = await FrameStage.open(cache)
    const key = await first.put(png(7))
    await first.commit()
    const second = await FrameStage.open(cache)
    expect(await second.put(png(7))).toBe(key)
    expect(fs.readdirSync(second.dir)).toEqual([])
    await second.discard()
  })

  it('discards everything staged', async () => {
    const stage = await FrameStage.open(cache)
    await stage.put(png(3))
    await stage.discard()
    expect(filesBelow(cache)).toEqual([])
  })

  it('clears staging left by a process that is gone, and keeps that of a live one', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    })
    const deadDir = path.join(cache, '.staging', `${gone.stdout}-abc`)
    const liveDir = path.join(cache, '.staging', `${process.pid}-def`)
    for (const folder of [deadDir, liveDir]) {
      fs.mkdirSync(folder, { recursive: true })
      fs.writeFileSync(path.join(folder, 'partial.png'), 'x')
    }
    const stage = await FrameStage.open(cache)
    expect(fs.existsSync(deadDir)).toBe(false)
    expect(fs.existsSync(liveDir)).toBe(true)
    await stage.discard()
  })

  it('says which cache is missing a frame', async () => {
    await expect(readCachedFrame(cache, 'a'.repeat(64))).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringContaining(cache),
    })
  })
})

describe('servableFramePath', () => {
  it('gives the real file of a cached frame, also when the cache folder is reached by a link', async () => {
    const stage = await FrameStage.open(cache)
    const key = await stage.put(png(9))
    await stage.commit()
    const linkedCache = `${cache}-link`
    fs.symlinkSync(cache, linkedCache)
    expect(await servableFramePath(linkedCache, key)).toBe(
      fs.realpathSync(resolveFramePath(cache, key)),
    )
  })

  it('refuses a link planted in the cache that leads out of it, and a folder under a key', async () => {
    const outside = path.join(path.dirname(cache), 'library.sqlite')
    fs.writeFileSync(outside, 'the library itself')
    const planted = resolveFramePath(cache, 'b'.repeat(64))
    fs.mkdirSync(path.dirname(planted), { recursive: true })
    fs.symlinkSync(outside, planted)
    expect(fs.readFileSync(planted, 'utf8')).toBe('the library itself')
    expect(await servableFramePath(cache, 'b'.repeat(64))).toBeUndefined()
    fs.mkdirSync(resolveFramePath(cache, 'c'.repeat(64)), { recursive: true })
    expect(await servableFramePath(cache, 'c'.repeat(64))).toBeUndefined()
    expect(await servableFramePath(cache, 'd'.repeat(64))).toBeUndefined()
  })
})
