import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeFrames } from '../../../src/engine/media/decode-frames'
import { encodeVideo, type VideoCodec } from '../../../src/engine/media/encode-video'
import { probeVideo } from '../../../src/engine/media/probe'
import { tempDir } from '../../helpers/temp'
import { toolSets } from './fixtures'

const sets = await toolSets()
let dir: string
let cleanup: () => void

beforeAll(() => {
  ;({ dir, cleanup } = tempDir('microau-encode-'))
})
afterAll(() => cleanup())

/** Deterministic noisy RGB frames: the hardest case for a codec that claims to be exact. */
function noiseFrames(count: number, width: number, height: number): Uint8Array[] {
  let state = 12345
  return Array.from({ length: count }, () => {
    const frame = new Uint8Array(width * height * 3)
    for (let i = 0; i < frame.length; i++) {
      state = (state * 1103515245 + 12345) >>> 0
      frame[i] = state >>> 24
    }
    return frame
  })
}

async function decodeAll(
  file: string,
  tools: Parameters<typeof decodeFrames>[1],
): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = []
  for await (const frame of decodeFrames(file, tools)) frames.push(frame.data)
  return frames
}

describe.each(sets)('encodeVideo with $name', ({ name, tools }) => {
  const out = (file: string) => path.join(dir, name.replace(/\W+/g, '-'), file)

  it.each([
    ['x264-lossless', 'exact.mkv'],
    ['x264-lossless', 'exact.mp4'],
    ['ffv1', 'archive.mkv'],
  ] as [VideoCodec, string][])('%s into %s gives back the exact bytes', async (codec, file) => {
    const frames = noiseFrames(12, 40, 30)
    const written = await encodeVideo(frames, {
      width: 40,
      height: 30,
      fps: 200,
      out: out(file),
      codec,
      tools,
    })
    expect(written).toEqual({ out: out(file), frameCount: 12 })
    const decoded = await decodeAll(out(file), { tools })
    expect(decoded.length).toBe(12)
    decoded.forEach((frame, i) => expect(Buffer.compare(frame, frames[i])).toBe(0))
    const probe = await probeVideo(out(file), { tools })
    expect(probe).toMatchObject({
      fps: { num: 200, den: 1 },
      frameCount: 12,
      width: 40,
      height: 30,
    })
  })

  it('writes an ordinary MP4 at 30000/1001 from an async generator', async () => {
    async function* frames() {
      // One buffer reused for every frame: encodeVideo must be done with it before the next.
      const frame = new Uint8Array(32 * 24 * 3)
      for (let i = 0; i < 20; i++) {
        frame.fill(i * 12)
        yield frame
      }
    }
    const file = out('users.mp4')
    await encodeVideo(frames(), {
      width: 32,
      height: 24,
      fps: { num: 30000, den: 1001 },
      out: file,
      codec: 'x264',
      tools,
    })
    const probe = await probeVideo(file, { tools })
    expect(probe).toMatchObject({ codec: 'h264', fps: { num: 30000, den: 1001 }, frameCount: 20 })
    const levels = (await decodeAll(file, { tools })).map((f) => f[(12 * 32 + 16) * 3])
    levels.forEach((level, i) => expect(Math.abs(level - i * 12)).toBeLessThanOrEqual(3))
  })

  it('refuses bad options before starting ffmpeg', async () => {
    const frames = noiseFrames(1, 31, 20)
    await expect(
      encodeVideo(frames, {
        width: 31,
        height: 20,
        fps: 25,
        out: out('odd.mp4'),
        codec: 'x264',
        tools,
      }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('even width and height'),
    })
    await expect(
      encodeVideo(frames, {
        width: 31,
        height: 20,
        fps: 25,
        out: out('x.mp4'),
        codec: 'ffv1',
        tools,
      }),
    ).rejects.toThrow(/ffv1.*\.mkv/)
    await expect(
      encodeVideo(frames, { width: 31, height: 20, fps: 0, out: out('x.mkv'), tools }),
    ).rejects.toThrow(/frame rate/)
    await expect(
      encodeVideo([], { width: 16, height: 16, fps: 25, out: out('none.mkv'), tools }),
    ).rejects.toThrow('No frames to encode')
    expect(fs.existsSync(out('odd.mp4'))).toBe(false)
    expect(fs.readdirSync(path.dirname(out('none.mkv'))).filter((f) => f.includes('none'))).toEqual(
      [],
    )
  })

  it('refuses a frame of the wrong length, naming it, and leaves no file', async () => {
    const frames = [...noiseFrames(3, 16, 16), new Uint8Array(10)]
    await expect(
      encodeVideo(frames, { width: 16, height: 16, fps: 25, out: out('short.mkv'), tools }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('Frame 4 has 10 bytes'),
    })
    expect(
      fs.readdirSync(path.dirname(out('short.mkv'))).filter((f) => f.includes('short')),
    ).toEqual([])
  })

  it('cancels: rejects with cancelled and leaves no file', async () => {
    const controller = new AbortController()
    function* frames() {
      const frame = new Uint8Array(64 * 64 * 3)
      for (let i = 0; i < 1000; i++) {
        if (i === 10) controller.abort()
        yield frame
      }
    }
    const file = out('cancelled.mkv')
    await expect(
      encodeVideo(frames(), {
        width: 64,
        height: 64,
        fps: 25,
        out: file,
        signal: controller.signal,
        tools,
      }),
    ).rejects.toMatchObject({
      code: 'cancelled',
    })
    expect(fs.readdirSync(path.dirname(file)).filter((f) => f.includes('cancelled'))).toEqual([])
  })

  it('replaces an existing file only when the new one is complete', async () => {
    const file = out('kept.mkv')
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, 'previous')
    await expect(
      encodeVideo([new Uint8Array(5)], { width: 4, height: 4, fps: 25, out: file, tools }),
    ).rejects.toThrow()
    expect(fs.readFileSync(file, 'utf8')).toBe('previous')
    await encodeVideo(noiseFrames(2, 4, 4), { width: 4, height: 4, fps: 25, out: file, tools })
    expect((await probeVideo(file, { tools })).frameCount).toBe(2)
  })
})
