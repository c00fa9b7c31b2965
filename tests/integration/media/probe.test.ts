import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { probeVideo } from '../../../src/engine/media/probe'
import { tempDir } from '../../helpers/temp'
import { ffmpeg, indexedVideo, INDEX_SIZE, toolSets, turnedVideo } from './fixtures'

const sets = await toolSets()
let dir: string
let cleanup: () => void

beforeAll(() => {
  ;({ dir, cleanup } = tempDir('microau-probe-'))
  const tools = sets[0].tools
  indexedVideo(tools, path.join(dir, 'fast.mp4'), { fps: '200', frames: 60, codec: 'x264' })
  indexedVideo(tools, path.join(dir, 'ntsc.mp4'), { fps: '30000/1001', frames: 31, codec: 'x264' })
  indexedVideo(tools, path.join(dir, 'ntsc.mkv'), { fps: '30000/1001', frames: 29, codec: 'ffv1' })
  indexedVideo(tools, path.join(dir, 'plain.avi'), { fps: '25', frames: 12, codec: 'mjpeg' })
  turnedVideo(tools, path.join(dir, 'turned.mp4'))
  ffmpeg(tools, ['-f', 'lavfi', '-i', 'sine=d=0.2', path.join(dir, 'tone.wav')])
  fs.writeFileSync(
    path.join(dir, 'noise.mp4'),
    Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)),
  )
  fs.writeFileSync(
    path.join(dir, 'cut.mp4'),
    fs.readFileSync(path.join(dir, 'fast.mp4')).subarray(0, 2000),
  )
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'subject 3, clip 2: apex around frame 40\n')
  fs.writeFileSync(path.join(dir, 'empty.mp4'), '')
})
afterAll(() => cleanup())

describe.each(sets)('probeVideo with $name', ({ tools }) => {
  it('reads a 200 fps MP4 exactly', async () => {
    const probe = await probeVideo(path.join(dir, 'fast.mp4'), { tools })
    expect(probe).toMatchObject({
      codec: 'h264',
      fps: { num: 200, den: 1 },
      frameRate: 200,
      frameCount: 60,
      width: INDEX_SIZE,
      height: INDEX_SIZE,
      rotation: 0,
    })
    expect(probe.duration).toBeCloseTo(0.3, 2)
    expect(probe.frameCountSource).toBe(tools.ffprobe ? 'container' : 'packets')
    expect(probe.file).toBe(path.join(dir, 'fast.mp4'))
  })

  it('keeps 30000/1001 as an exact rational in MP4 and Matroska', async () => {
    const mp4 = await probeVideo(path.join(dir, 'ntsc.mp4'), { tools })
    expect(mp4.fps).toEqual({ num: 30000, den: 1001 })
    expect(mp4.frameCount).toBe(31)
    const mkv = await probeVideo(path.join(dir, 'ntsc.mkv'), { tools })
    expect(mkv).toMatchObject({ codec: 'ffv1', fps: { num: 30000, den: 1001 }, frameCount: 29 })
    // Matroska states no frame count: the packets are counted.
    expect(mkv.frameCountSource).toBe('packets')
  })

  it('counts the frames of an AVI', async () => {
    const avi = await probeVideo(path.join(dir, 'plain.avi'), { tools })
    expect(avi).toMatchObject({ codec: 'mjpeg', fps: { num: 25, den: 1 }, frameCount: 12 })
  })

  it('reports rotation and the turned frame size', async () => {
    const probe = await probeVideo(path.join(dir, 'turned.mp4'), { tools })
    expect([90, 270]).toContain(probe.rotation)
    expect({ width: probe.width, height: probe.height }).toEqual({ width: 48, height: 64 })
    expect(probe.frameCount).toBe(5)
  })

  it.each([
    ['noise.mp4', 'invalid_file'],
    ['cut.mp4', 'invalid_file'],
    ['notes.txt', 'invalid_file'],
    ['empty.mp4', 'invalid_file'],
    ['tone.wav', 'invalid_file'],
    ['missing.mp4', 'not_found'],
  ])('refuses %s with a clear %s error naming it', async (name, code) => {
    const file = path.join(dir, name)
    const error = await probeVideo(file, { tools }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe(code)
    expect((error as AppError).message).toContain(file)
  })

  it('says an audio file has no video stream', async () => {
    await expect(probeVideo(path.join(dir, 'tone.wav'), { tools })).rejects.toThrow(
      /has no video stream/,
    )
  })
})
