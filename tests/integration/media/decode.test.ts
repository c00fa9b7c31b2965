import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeFrames } from '../../../src/engine/media/decode-frames'
import { tempDir } from '../../helpers/temp'
import { frameIndex, indexedVideo, INDEX_SIZE, toolSets, turnedVideo } from './fixtures'

const sets = await toolSets()
let dir: string
let cleanup: () => void

beforeAll(() => {
  ;({ dir, cleanup } = tempDir('microau-decode-'))
  const tools = sets[0].tools
  indexedVideo(tools, path.join(dir, 'fast.mp4'), { fps: '200', frames: 120, codec: 'x264' })
  indexedVideo(tools, path.join(dir, 'long.mkv'), { fps: '200', frames: 2000, codec: 'ffv1' })
  turnedVideo(tools, path.join(dir, 'turned.mp4'))
})
afterAll(() => cleanup())

/** ffmpeg processes that are children of this test process. */
function childFfmpegs(): number {
  const ps = spawnSync('ps', ['-o', 'comm=', '--ppid', String(process.pid)], { encoding: 'utf8' })
  return ps.stdout.split('\n').filter((name) => name.startsWith('ffmpeg')).length
}

describe.each(sets)('decodeFrames with $name', ({ tools }) => {
  it('yields every frame once, in order, as RGB of the probed size', async () => {
    const seen: number[] = []
    for await (const frame of decodeFrames(path.join(dir, 'fast.mp4'), { tools })) {
      expect(frame.index).toBe(seen.length + 1)
      expect([frame.width, frame.height, frame.data.length]).toEqual([
        INDEX_SIZE,
        INDEX_SIZE,
        INDEX_SIZE ** 2 * 3,
      ])
      seen.push(frameIndex(frame.data))
    }
    expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => i))
  })

  it('gives each frame its own bytes', async () => {
    const frames = []
    for await (const frame of decodeFrames(path.join(dir, 'fast.mp4'), { tools }))
      frames.push(frame)
    expect(frames.map((f) => frameIndex(f.data))).toEqual(Array.from({ length: 120 }, (_, i) => i))
  })

  it('scales to the size asked for', async () => {
    const sizes = new Set<string>()
    let count = 0
    for await (const frame of decodeFrames(path.join(dir, 'fast.mp4'), {
      tools,
      scale: { width: 32, height: 16 },
    })) {
      sizes.add(`${frame.width}x${frame.height}:${frame.data.length}`)
      count += 1
    }
    expect([...sizes]).toEqual([`32x16:${32 * 16 * 3}`])
    expect(count).toBe(120)
  })

  it('decodes grey frames, one byte per pixel, the same frames in the same order', async () => {
    const seen: number[] = []
    for await (const frame of decodeFrames(path.join(dir, 'fast.mp4'), {
      tools,
      pixelFormat: 'gray',
    })) {
      expect([frame.channels, frame.data.length]).toEqual([1, INDEX_SIZE ** 2])
      // frameIndex reads every third byte: spread the grey plane out as RGB.
      seen.push(frameIndex(Uint8Array.from(Array.from(frame.data).flatMap((v) => [v, v, v]))))
    }
    expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => i))
  })

  it('turns the frames of a rotated video', async () => {
    const first = await decodeFrames(path.join(dir, 'turned.mp4'), { tools }).next()
    expect(first.done).toBe(false)
    expect(first.value).toMatchObject({ index: 1, width: 48, height: 64 })
  })

  it('stops ffmpeg when the loop ends early', async () => {
    let count = 0
    for await (const frame of decodeFrames(path.join(dir, 'long.mkv'), { tools })) {
      count = frame.index
      if (count === 3) break
    }
    expect(count).toBe(3)
    expect(childFfmpegs()).toBe(0)
  })

  it('rejects with cancelled when the signal fires', async () => {
    const controller = new AbortController()
    const seen: number[] = []
    const run = async () => {
      for await (const frame of decodeFrames(path.join(dir, 'long.mkv'), {
        tools,
        signal: controller.signal,
      })) {
        seen.push(frame.index)
        if (frame.index === 5) controller.abort()
      }
    }
    await expect(run()).rejects.toMatchObject({ code: 'cancelled' })
    expect(seen).toEqual([1, 2, 3, 4, 5])
    expect(childFfmpegs()).toBe(0)
  })

  it('refuses a size that is not one', async () => {
    await expect(
      decodeFrames(path.join(dir, 'fast.mp4'), { tools, scale: { width: 0, height: 10 } }).next(),
    ).rejects.toMatchObject({ code: 'invalid_input' })
  })
})
