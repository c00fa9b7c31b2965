import path from 'node:path'
import { AppError } from '../../shared/errors'
import { ffmpegTools, type FfmpegTools } from './ffmpeg-locate'
import { readStreamHeader } from './probe'
import { unreadableVideo } from './probe-parse'
import { cannotStart, failureText, startTool } from './process'
import { throwIfCancelled } from './work'

/** One decoded frame: rows top to bottom, width × height × channels bytes long. */
export interface DecodedFrame {
  /** 1-based, in decoding order: the frame's number in the clip. */
  index: number
  width: number
  height: number
  /** 3 for RGB (the default), 1 for grey (`pixelFormat: 'gray'`). */
  channels: 1 | 3
  data: Uint8Array
}

/** The raw pixel layouts decodeFrames asks ffmpeg for. */
export type DecodePixelFormat = 'rgb24' | 'gray'

/** Options of decodeFrames. */
export interface DecodeOptions {
  signal?: AbortSignal
  /** Resize every frame to exactly this size (ffmpeg's area filter). */
  scale?: { width: number; height: number }
  /** 'rgb24' (default) or 'gray': ffmpeg converts, so a grey analysis moves a third of the bytes. */
  pixelFormat?: DecodePixelFormat
  tools?: FfmpegTools
}

/**
 * Decodes every frame of a video's first video stream straight to RGB or grey through a pipe
 * (`-f rawvideo -pix_fmt rgb24|gray pipe:1`, passthrough, rotation applied), reading exact
 * frame-sized chunks. Each yielded frame owns its bytes. Memory stays bounded whatever the
 * video's length: the pipe is read only as fast as the caller consumes frames, so ffmpeg
 * waits (pipe back-pressure) and at most one frame plus the stream's small read buffer is
 * held here. Stopping the iteration early kills ffmpeg; the signal firing makes the next
 * step reject with the 'cancelled' AppError.
 */
export async function* decodeFrames(
  file: string,
  options: DecodeOptions = {},
): AsyncGenerator<DecodedFrame, void, undefined> {
  const { signal, scale } = options
  const pixelFormat = options.pixelFormat ?? 'rgb24'
  const channels = pixelFormat === 'gray' ? 1 : 3
  const absolute = path.resolve(file)
  const what = `Decoding ${absolute}`
  throwIfCancelled(signal, what)
  if (scale && !(isSide(scale.width) && isSide(scale.height))) {
    throw new AppError(
      'invalid_input',
      `decodeFrames: scale ${scale.width}×${scale.height} is not a size`,
      scale,
    )
  }
  const tools = options.tools ?? (await ffmpegTools())
  const header = await readStreamHeader(absolute, tools, signal)
  const { width, height } = scale ?? header
  const frameSize = width * height * channels
  const proc = startTool(
    tools.ffmpeg,
    [
      '-hide_banner',
      '-nostdin',
      '-v',
      'error',
      '-i',
      absolute,
      '-map',
      '0:V:0',
      ...tools.passthrough,
    ]
      .concat(scale ? ['-vf', `scale=${width}:${height}:flags=area`] : [])
      .concat(['-f', 'rawvideo', '-pix_fmt', pixelFormat, 'pipe:1']),
    { signal },
  )
  proc.stdin.end()
  try {
    let frame = new Uint8Array(frameSize)
    let filled = 0
    let index = 0
    for await (const chunk of proc.stdout as AsyncIterable<Buffer>) {
      if (signal?.aborted) break
      let offset = 0
      while (offset < chunk.length) {
        const take = Math.min(frameSize - filled, chunk.length - offset)
        frame.set(chunk.subarray(offset, offset + take), filled)
        filled += take
        offset += take
        if (filled === frameSize) {
          index += 1
          yield { index, width, height, channels, data: frame }
          throwIfCancelled(signal, what)
          frame = new Uint8Array(frameSize)
          filled = 0
        }
      }
    }
    const exit = await proc.exited
    throwIfCancelled(signal, what)
    if (exit.error) throw cannotStart(tools.ffmpeg, exit.error)
    if (exit.code !== 0) throw unreadableVideo(absolute, failureText(exit, proc.stderr()))
    if (filled !== 0) throw unreadableVideo(absolute, 'the decoder stopped inside a frame')
  } finally {
    // Reaped before anything settles, so no ffmpeg outlives the call.
    proc.kill()
    await proc.exited
  }
}

function isSide(value: number): boolean {
  return Number.isInteger(value) && value > 0 && value <= 65_536
}
