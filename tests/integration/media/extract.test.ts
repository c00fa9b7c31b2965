import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { extractVideoFrames } from '../../../src/engine/media/extract-frames'
import { readCachedFrame, resolveFramePath } from '../../../src/engine/media/frame-cache'
import { probeVideo } from '../../../src/engine/media/probe'
import type { Progress } from '../../../src/shared/domain'
import { tempDir } from '../../helpers/temp'
import { filesBelow, frameIndex, indexedVideo, toolSets, turnedVideo } from './fixtures'

const sets = await toolSets()
let dir: string
let cleanup: () => void

beforeAll(() => {
  ;({ dir, cleanup } = tempDir('microau-extract-'))
  const tools = sets[0].tools
  indexedVideo(tools, path.join(dir, 'fast.mp4'), { fps: '200', frames: 200, codec: 'x264' })
  indexedVideo(tools, path.join(dir, 'ntsc.mp4'), { fps: '30000/1001', frames: 45, codec: 'x264' })
  indexedVideo(tools, path.join(dir, 'ntsc.mkv'), { fps: '30000/1001', frames: 40, codec: 'ffv1' })
  indexedVideo(tools, path.join(dir, 'long.mkv'), { fps: '200', frames: 600, codec: 'ffv1' })
  turnedVideo(tools, path.join(dir, 'turned.mp4'))
  fs.writeFileSync(
    path.join(dir, 'cut.mp4'),
    fs.readFileSync(path.join(dir, 'fast.mp4')).subarray(0, 3000),
  )
})
afterAll(() => cleanup())

/** The index each cached frame shows, in frame-number order. */
async function shownIndexes(cache: string, keys: string[]): Promise<number[]> {
  const shown: number[] = []
  for (const key of keys) shown.push(frameIndex((await readCachedFrame(cache, key)).data))
  return shown
}

describe.each(sets)('extractVideoFrames with $name', ({ name, tools }) => {
  const cacheFor = (label: string) => path.join(dir, `${name.replace(/\W+/g, '-')}-${label}.frames`)

  it.each([
    ['fast.mp4', 200, { num: 200, den: 1 }],
    ['ntsc.mp4', 45, { num: 30000, den: 1001 }],
    ['ntsc.mkv', 40, { num: 30000, den: 1001 }],
  ])('extracts every frame of %s once, in order, numbered from 1', async (file, count, fps) => {
    const cache = cacheFor(file)
    const progress: Progress[] = []
    const result = await extractVideoFrames(path.join(dir, file), cache, {
      tools,
      onProgress: (p) => progress.push(p),
    })
    expect(result.probe.fps).toEqual(fps)
    expect(result.probe.frameCount).toBe(count)
    expect(result.frames.length).toBe(result.probe.frameCount)
    expect(result.frames.map((f) => f.number)).toEqual(
      Array.from({ length: count }, (_, i) => i + 1),
    )
    expect(
      await shownIndexes(
        cache,
        result.frames.map((f) => f.key),
      ),
    ).toEqual(Array.from({ length: count }, (_, i) => i))
    expect(result.warnings).toEqual([])
    // Every frame differs, so every key is its own file, and nothing else is left around.
    const files = filesBelow(cache).sort()
    expect(files).toEqual(
      result.frames.map((f) => path.relative(cache, resolveFramePath(cache, f.key))).sort(),
    )
    expect(progress[0]).toEqual({ done: 0, total: count })
    expect(progress.at(-1)).toEqual({ done: count, total: count })
    expect(progress.map((p) => p.done)).toEqual(Array.from({ length: count + 1 }, (_, i) => i))
  })

  it('extracts only a range of frames, keeping their absolute numbers', async () => {
    const cache = cacheFor('range')
    const result = await extractVideoFrames(path.join(dir, 'fast.mp4'), cache, {
      tools,
      range: { first: 121, last: 130 },
    })
    expect(result.frames.map((f) => f.number)).toEqual(
      Array.from({ length: 10 }, (_, i) => 121 + i),
    )
    // frame n shows index n − 1
    expect(
      await shownIndexes(
        cache,
        result.frames.map((f) => f.key),
      ),
    ).toEqual(Array.from({ length: 10 }, (_, i) => 120 + i))
    expect(result.warnings).toEqual([])
    expect(filesBelow(cache)).toHaveLength(10)
  })

  it('stores a frame seen before only once', async () => {
    const cache = cacheFor('twice')
    const first = await extractVideoFrames(path.join(dir, 'ntsc.mkv'), cache, { tools })
    // The same files, never written again (a rewrite would give each a new inode); only their
    // times are renewed, for the cache sweep.
    const files = () => filesBelow(cache).map((f) => [f, fs.statSync(path.join(cache, f)).ino])
    const before = files()
    const second = await extractVideoFrames(path.join(dir, 'ntsc.mkv'), cache, { tools })
    expect(second.frames).toEqual(first.frames)
    expect(files()).toEqual(before)
  })

  it('keeps the decoded frames and flags a probe count that disagrees', async () => {
    const file = path.join(dir, 'ntsc.mkv')
    const probe = await probeVideo(file, { tools })
    const result = await extractVideoFrames(file, cacheFor('flag'), {
      tools,
      probe: { ...probe, frameCount: 41 },
    })
    expect(result.frames.length).toBe(40)
    expect(result.warnings).toEqual([
      `${probe.file}: the stream holds 41 frames but 40 were decoded; the decoded frames were kept`,
    ])
  })

  it('applies the rotation the file asks for', async () => {
    const cache = cacheFor('turned')
    const result = await extractVideoFrames(path.join(dir, 'turned.mp4'), cache, { tools })
    expect(result.frames.length).toBe(5)
    const frame = await readCachedFrame(cache, result.frames[0].key)
    expect({ width: frame.width, height: frame.height }).toEqual({ width: 48, height: 64 })
    // The white top-left block of the stored frame, turned clockwise by `rotation`.
    const white = (x: number, y: number) => frame.data[(y * frame.width + x) * 3] > 127
    const corners = { topRight: white(40, 8), bottomLeft: white(8, 56), topLeft: white(8, 8) }
    expect(corners).toEqual(
      result.probe.rotation === 90
        ? { topRight: true, bottomLeft: false, topLeft: false }
        : { topRight: false, bottomLeft: true, topLeft: false },
    )
  })

  it('rejects a corrupt video naming it, leaving the cache empty', async () => {
    const cache = cacheFor('cut')
    const file = path.join(dir, 'cut.mp4')
    const error = await extractVideoFrames(file, cache, { tools }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AppError)
    expect(error).toMatchObject({ code: 'invalid_file' })
    expect((error as AppError).message).toContain(file)
    expect(filesBelow(cache)).toEqual([])
  })

  it('cancels mid-extraction: rejects with cancelled and leaves no cache files', async () => {
    const cache = cacheFor('cancel')
    const controller = new AbortController()
    let lastDone = 0
    const error = await extractVideoFrames(path.join(dir, 'long.mkv'), cache, {
      tools,
      signal: controller.signal,
      onProgress: ({ done }) => {
        lastDone = done
        if (done === 20) controller.abort()
      },
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AppError)
    expect(error).toMatchObject({ code: 'cancelled' })
    expect(lastDone).toBe(20)
    expect(filesBelow(cache)).toEqual([])
  })

  it('rejects at once when cancelled before it starts', async () => {
    const cache = cacheFor('early')
    await expect(
      extractVideoFrames(path.join(dir, 'ntsc.mkv'), cache, { tools, signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ code: 'cancelled' })
    expect(fs.existsSync(cache)).toBe(false)
  })
})
