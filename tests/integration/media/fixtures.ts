import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import type { FfmpegTools } from '../../../src/engine/media/ffmpeg-locate'
import { locateFfmpeg } from '../../../src/engine/media/ffmpeg-locate'

/** Side of the index-coded test frames: a 4×4 grid of 16-pixel blocks, one bit each. */
export const INDEX_SIZE = 64

/**
 * The tool sets the media tests run against: the located ffmpeg with its ffprobe, the same
 * ffmpeg without ffprobe (the `ffmpeg -i` probing path), and the ffmpeg on PATH when it is
 * another binary (here: Debian's 5.1 besides @ffmpeg-installer's 2018 build).
 */
export async function toolSets(): Promise<{ name: string; tools: FfmpegTools }[]> {
  const located = await locateFfmpeg()
  const sets = [
    { name: `${located.source} ${located.version}`, tools: located },
    {
      name: `${located.source} ${located.version} without ffprobe`,
      tools: { ...located, ffprobe: null },
    },
  ]
  const onPath = await locateFfmpeg({ sources: ['path'] }).catch(() => null)
  if (onPath && onPath.ffmpeg !== located.ffmpeg) {
    sets.push({ name: `PATH ${onPath.version}`, tools: onPath })
  }
  return sets
}

/** Runs ffmpeg synchronously and fails the test with its stderr when it fails. */
export function ffmpeg(tools: FfmpegTools, args: string[]): void {
  const run = spawnSync(tools.ffmpeg, ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args], {
    encoding: 'utf8',
  })
  if (run.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${run.stderr}`)
}

/** Codecs the fixtures are written with. */
export type FixtureCodec = 'x264' | 'ffv1' | 'mjpeg'

/**
 * Writes a video with ffmpeg alone (not the code under test) whose frame n (0-based) shows
 * n in binary: bit b is the block in column b % 4, row ⌊b / 4⌋, white when set. The blocks
 * survive lossy coding, so every frame can be identified after any round trip.
 * 'x264' is ordinary 4:2:0 H.264 with B-frames (the usual camera/phone file).
 */
export function indexedVideo(
  tools: FfmpegTools,
  out: string,
  options: { fps: string; frames: number; codec: FixtureCodec },
): string {
  const bits = 'if(bitand(N\\,pow(2\\,floor(X/16)+4*floor(Y/16)))\\,255\\,0)'
  const codec = {
    x264: [
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-crf',
      '20',
      '-pix_fmt',
      'yuv420p',
      '-bf',
      '3',
    ],
    ffv1: ['-c:v', 'ffv1', '-pix_fmt', 'gray'],
    mjpeg: ['-c:v', 'mjpeg', '-q:v', '3', '-pix_fmt', 'yuvj420p'],
  }[options.codec]
  fs.mkdirSync(path.dirname(out), { recursive: true })
  ffmpeg(tools, [
    '-f',
    'lavfi',
    '-i',
    `color=c=black:s=${INDEX_SIZE}x${INDEX_SIZE}:r=${options.fps}`,
    '-vf',
    `format=gray,geq=lum='${bits}'`,
    '-frames:v',
    String(options.frames),
    ...codec,
    out,
  ])
  return out
}

/** The index an index-coded RGB frame shows (see indexedVideo). */
export function frameIndex(data: Uint8Array, width = INDEX_SIZE): number {
  let index = 0
  for (let bit = 0; bit < 16; bit++) {
    const x = (bit % 4) * 16 + 8
    const y = Math.floor(bit / 4) * 16 + 8
    if (data[(y * width + x) * 3] > 127) index |= 1 << bit
  }
  return index
}

/**
 * Writes a 64×48 H.264 MP4 of black frames with a white 16×16 block in the top-left corner,
 * marked to be shown turned 90° (whichever way this ffmpeg can mark it): a wide frame that
 * turns tall, with a corner that shows which way it turned.
 */
export function turnedVideo(tools: FfmpegTools, out: string): string {
  const plain = `${out}.plain.mp4`
  ffmpeg(tools, [
    '-f',
    'lavfi',
    '-i',
    'color=c=black:s=64x48:r=25',
    '-vf',
    'drawbox=x=0:y=0:w=16:h=16:color=white:t=fill',
    '-frames:v',
    '5',
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    plain,
  ])
  rotatedCopy(tools, plain, out)
  fs.rmSync(plain)
  return out
}

/** Copies a video, marking it to be shown turned 90° (whichever way this ffmpeg supports). */
function rotatedCopy(tools: FfmpegTools, input: string, out: string): string {
  const help = spawnSync(tools.ffmpeg, ['-hide_banner', '-h', 'long'], { encoding: 'utf8' }).stdout
  if (/^-display_rotation\b/m.test(help)) {
    ffmpeg(tools, ['-display_rotation:v:0', '90', '-i', input, '-c', 'copy', out])
  } else {
    ffmpeg(tools, ['-i', input, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', out])
  }
  return out
}

/** Every file below a folder, relative to it. */
export function filesBelow(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
}
