import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeFramePairs } from '../../../src/engine/media/decode-paired'
import { decodeFrames, type DecodedFrame } from '../../../src/engine/media/decode-frames'
import type { FfmpegTools } from '../../../src/engine/media/ffmpeg-locate'
import { AppError } from '../../../src/shared/errors'
import { tempDir } from '../../helpers/temp'
import { ffmpeg, toolSets, turnedVideo } from './fixtures'

/*
 * One decode, two forms: the grey (scaled) frames must be byte for byte what decodeFrames
 * gives the spotter, and the RGB frames what decodeFrames gives everything else, with every
 * ffmpeg the media tests know, on a colour H.264 video with B-frames and on a turned one.
 */

const { dir, cleanup } = tempDir('microau-decode-paired-')
let sets: { name: string; tools: FfmpegTools }[] = []
const colour = path.join(dir, 'colour.mp4')
const turned = path.join(dir, 'turned.mp4')

beforeAll(async () => {
  sets = await toolSets()
  const tools = sets[0].tools
  ffmpeg(
    tools,
    ['-f', 'lavfi', '-i', 'testsrc=size=96x64:rate=25', '-frames:v', '40'].concat([
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      '-bf',
      '3',
      colour,
    ]),
  )
  turnedVideo(tools, turned)
}, 60_000)
afterAll(() => cleanup())

async function collect(frames: AsyncIterable<DecodedFrame>): Promise<DecodedFrame[]> {
  const out: DecodedFrame[] = []
  for await (const f of frames) out.push(f)
  return out
}

describe('decodeFramePairs', () => {
  it('gives the grey and the RGB frames of separate decodes, from one decode', async () => {
    for (const { name, tools } of sets) {
      for (const [file, scale] of [
        [colour, { width: 48, height: 32 }],
        [turned, undefined],
      ] as const) {
        const grey = await collect(decodeFrames(file, { pixelFormat: 'gray', scale, tools }))
        const rgb = await collect(decodeFrames(file, { tools }))
        const pairs = []
        for await (const pair of decodeFramePairs(file, { scale, tools })) pairs.push(pair)
        expect(pairs.length, name).toBe(grey.length)
        expect(pairs.map((p) => p.index)).toEqual(grey.map((f) => f.index))
        expect(
          pairs.map((p) => p.grey),
          `${name} ${file}`,
        ).toEqual(grey)
        expect(
          pairs.map((p) => p.rgb),
          `${name} ${file}`,
        ).toEqual(rgb)
      }
    }
  }, 120_000)

  it('stops ffmpeg when the caller stops early, and names a file that is no video', async () => {
    let seen = 0
    for await (const pair of decodeFramePairs(colour)) {
      seen = pair.index
      if (seen === 3) break
    }
    expect(seen).toBe(3)
    const notVideo = path.join(dir, 'notes.txt')
    const fs = await import('node:fs')
    fs.writeFileSync(notVideo, 'not a video')
    const run = async () => {
      for await (const _ of decodeFramePairs(notVideo)) void _
    }
    await expect(run()).rejects.toThrow(AppError)
    await expect(run()).rejects.toThrow(notVideo)
  })
})
