import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { AppError } from '../../shared/errors'
import { ffmpegTools, type FfmpegTools } from './ffmpeg-locate'
import { cannotStart, failureText, startTool, type ToolProcess } from './process'
import { rationalText, toRational, type Rational } from './rational'
import { cancelledError } from './work'

/**
 * How to compress:
 * - 'x264-lossless': H.264 in RGB (libx264rgb, qp 0): decodes to the exact input bytes;
 *   compact; played by ffmpeg-based tools (not by most browsers). .mkv, .mp4, .mov.
 * - 'ffv1': FFV1 in RGB: exact, larger, the archival choice. .mkv, .avi, .nut.
 * - 'x264': ordinary H.264 4:2:0 (crf 18) that every player and browser opens; lossy, and
 *   width and height must be even. .mp4, .mkv, .mov.
 */
export type VideoCodec = 'x264-lossless' | 'ffv1' | 'x264'

/** Options of encodeVideo. */
export interface EncodeVideoOptions {
  width: number
  height: number
  /** Frames per second: 200, or {num: 30000, den: 1001}. */
  fps: number | Rational
  /** The video file to write; its extension picks the container. */
  out: string
  /** Default 'x264-lossless'. */
  codec?: VideoCodec
  /** Layout of the frames handed in: 'rgb24' (default, 3 bytes a pixel) or 'gray' (1). */
  inputPixelFormat?: 'rgb24' | 'gray'
  signal?: AbortSignal
  tools?: FfmpegTools
}

/** What encodeVideo wrote. */
export interface EncodedVideo {
  out: string
  frameCount: number
}

const CODECS: Record<VideoCodec, { args: string[]; containers: string[] }> = {
  'x264-lossless': {
    args: ['-c:v', 'libx264rgb', '-qp', '0', '-preset', 'veryfast', '-pix_fmt', 'rgb24'],
    containers: ['.mkv', '.mp4', '.mov'],
  },
  ffv1: {
    args: ['-c:v', 'ffv1', '-level', '3', '-pix_fmt', 'bgr0'],
    containers: ['.mkv', '.avi', '.nut'],
  },
  x264: {
    args: ['-c:v', 'libx264', '-crf', '18', '-preset', 'medium', '-pix_fmt', 'yuv420p'],
    containers: ['.mp4', '.mkv', '.mov'],
  },
}

/**
 * Writes a video from raw RGB or grey frames (width × height × 3 or × 1 bytes each, rows top
 * to bottom)
 * piped to ffmpeg's stdin. The file appears at `out` only when complete (it is written
 * beside it under a temporary name first); on failure or cancel (the 'cancelled' AppError)
 * nothing is left behind. A frame's bytes may be reused by the caller once the next frame
 * is asked for.
 */
export async function encodeVideo(
  frames: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: EncodeVideoOptions,
): Promise<EncodedVideo> {
  const { width, height, signal } = options
  const codec = options.codec ?? 'x264-lossless'
  const inputFormat = options.inputPixelFormat ?? 'rgb24'
  const out = path.resolve(options.out)
  const what = `Writing ${out}`
  if (signal?.aborted) throw cancelledError(what)
  const rate = checkOptions(options, codec, out)
  const tools = options.tools ?? (await ffmpegTools())
  const ext = path.extname(out)
  const partial = path.join(
    path.dirname(out),
    `.${path.basename(out, ext)}.${crypto.randomBytes(4).toString('hex')}.partial${ext}`,
  )
  await fs.mkdir(path.dirname(out), { recursive: true })
  const proc = startTool(
    tools.ffmpeg,
    ['-hide_banner', '-nostdin', '-v', 'error', '-y']
      .concat(['-f', 'rawvideo', '-pix_fmt', inputFormat, '-s', `${width}x${height}`])
      .concat(['-framerate', rationalText(rate), '-i', 'pipe:0', ...tools.passthrough])
      .concat(CODECS[codec].args)
      .concat(
        ext.toLowerCase() === '.mp4' || ext.toLowerCase() === '.mov'
          ? ['-movflags', '+faststart']
          : [],
      )
      .concat([partial]),
    { signal },
  )
  try {
    const channels = inputFormat === 'gray' ? 1 : 3
    const frameCount = await feed(proc, frames, width * height * channels, signal)
    const exit = await proc.exited
    if (signal?.aborted) throw cancelledError(what)
    if (exit.error) throw cannotStart(tools.ffmpeg, exit.error)
    if (exit.code !== 0) {
      const reason = failureText(exit, proc.stderr())
      const missing = /Unknown encoder|Encoder not found/i.test(reason)
      throw new AppError(
        missing ? 'unsupported' : 'internal',
        `Cannot write ${out}: ${missing ? `this ffmpeg (${tools.ffmpeg}) lacks the ${codec} encoder` : reason}`,
        { out, codec, reason },
      )
    }
    await fs.rename(partial, out)
    return { out, frameCount }
  } catch (error) {
    proc.kill()
    await proc.exited
    await fs.rm(partial, { force: true })
    throw error
  }
}

function checkOptions(options: EncodeVideoOptions, codec: VideoCodec, out: string): Rational {
  const { width, height } = options
  const bad = (message: string) =>
    new AppError('invalid_input', `Cannot write ${out}: ${message}`, { out, codec, width, height })
  if (!(codec in CODECS)) throw bad(`unknown codec '${codec}'`)
  if (![width, height].every((side) => Number.isInteger(side) && side > 0)) {
    throw bad(`frame size ${width}×${height} is not valid`)
  }
  if (codec === 'x264' && (width % 2 !== 0 || height % 2 !== 0)) {
    throw bad(`the 'x264' codec needs an even width and height, not ${width}×${height}`)
  }
  const { containers } = CODECS[codec]
  if (!containers.includes(path.extname(out).toLowerCase())) {
    throw bad(`the '${codec}' codec goes in ${containers.join(', ')} files`)
  }
  const rate = toRational(options.fps)
  if (rate === null) throw bad(`frame rate ${JSON.stringify(options.fps)} is not a positive number`)
  return rate
}

/** Writes each frame and waits until ffmpeg has taken it; returns how many were written. */
async function feed(
  proc: ToolProcess,
  frames: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  frameSize: number,
  signal: AbortSignal | undefined,
): Promise<number> {
  let count = 0
  let offered = 0
  for await (const frame of frames) {
    offered += 1
    if (signal?.aborted) break
    if (!(frame instanceof Uint8Array) || frame.length !== frameSize) {
      throw new AppError(
        'invalid_input',
        `Frame ${count + 1} has ${frame instanceof Uint8Array ? frame.length : 'no'} bytes; ${frameSize} expected`,
        { frame: count + 1, expected: frameSize },
      )
    }
    const written = await new Promise<boolean>((resolve) =>
      proc.stdin.write(frame, (error) => resolve(!error)),
    )
    // ffmpeg stopped reading: its exit status says why.
    if (!written) break
    count += 1
  }
  if (offered === 0) throw new AppError('invalid_input', 'No frames to encode')
  proc.stdin.end()
  return count
}
