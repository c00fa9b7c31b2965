import path from 'node:path'
import type { Readable } from 'node:stream'
import type { DecodedFrame } from './decode-frames'
import { ffmpegTools, type FfmpegTools } from './ffmpeg-locate'
import { readStreamHeader } from './probe'
import { unreadableVideo } from './probe-parse'
import { cannotStart, failureText, startTool } from './process'
import { throwIfCancelled } from './work'

/** One decoded frame in two forms: grey (possibly scaled) and RGB at the video's own size. */
export interface FramePair {
  /** 1-based, in decoding order, as decodeFrames numbers them. */
  index: number
  grey: DecodedFrame
  rgb: DecodedFrame
}

/** Options of decodeFramePairs. */
export interface PairedDecodeOptions {
  /** Size of the grey frames (ffmpeg's area filter, as decodeFrames' `scale`); RGB stays whole. */
  scale?: { width: number; height: number }
  signal?: AbortSignal
  tools?: FfmpegTools
}

/** Frames a pipe may run ahead of the other before it is paused (ffmpeg writes them in step). */
const AHEAD = 16

/**
 * Cuts a byte stream into frames of `size` bytes. Frames wait in a queue; the stream is
 * paused while AHEAD of them wait, so a pipe never holds more than AHEAD frames.
 */
class FrameQueue {
  private readonly frames: Uint8Array[] = []
  private current: Uint8Array
  private filled = 0
  private ended = false
  private failure: Error | null = null
  private wake: (() => void) | null = null

  constructor(
    private readonly stream: Readable,
    private readonly size: number,
  ) {
    this.current = new Uint8Array(size)
    stream.on('data', (chunk: Buffer) => this.take(chunk))
    stream.on('end', () => this.finish(null))
    stream.on('error', (error: Error) => this.finish(error))
  }

  /** True when the stream ended inside a frame. */
  get partial(): boolean {
    return this.filled !== 0
  }

  /** The next whole frame, or null once the stream has ended. */
  async next(): Promise<Uint8Array | null> {
    while (this.frames.length === 0 && !this.ended) {
      await new Promise<void>((resolve) => (this.wake = resolve))
    }
    if (this.failure) throw this.failure
    const frame = this.frames.shift() ?? null
    if (this.frames.length < AHEAD) this.stream.resume()
    return frame
  }

  private take(chunk: Buffer): void {
    let offset = 0
    while (offset < chunk.length) {
      const take = Math.min(this.size - this.filled, chunk.length - offset)
      this.current.set(chunk.subarray(offset, offset + take), this.filled)
      this.filled += take
      offset += take
      if (this.filled === this.size) {
        this.frames.push(this.current)
        this.current = new Uint8Array(this.size)
        this.filled = 0
      }
    }
    if (this.frames.length >= AHEAD) this.stream.pause()
    this.notify()
  }

  private finish(error: Error | null): void {
    this.failure = error
    this.ended = true
    this.notify()
  }

  private notify(): void {
    const wake = this.wake
    this.wake = null
    wake?.()
  }
}

/** The filtergraph: one decode split into the grey (scaled) and the RGB output. */
function pairGraph(scale: PairedDecodeOptions['scale']): string {
  const grey = scale ? `scale=${scale.width}:${scale.height}:flags=area,format=gray` : 'format=gray'
  return `[0:V:0]split=2[g][c];[g]${grey}[grey];[c]format=rgb24[rgb]`
}

/**
 * Decodes a video's first video stream once and yields each frame twice: grey, scaled by
 * ffmpeg exactly as decodeFrames({ pixelFormat: 'gray', scale }) gives it (for the spotter),
 * and RGB at the video's size (for what needs colour). One ffmpeg process, one decode,
 * a filtergraph split to two pipes (stdout and fd 3) read side by side. Memory stays
 * bounded whatever the length: each pipe holds at most AHEAD frames, and ffmpeg waits when
 * the caller is slower. Stopping early kills ffmpeg; the signal makes the next step reject
 * with the 'cancelled' AppError; a pipe ending inside a frame or before the other is an
 * AppError naming the file.
 */
export async function* decodeFramePairs(
  file: string,
  options: PairedDecodeOptions = {},
): AsyncGenerator<FramePair, void, undefined> {
  const { signal, scale } = options
  const absolute = path.resolve(file)
  const what = `Decoding ${absolute}`
  throwIfCancelled(signal, what)
  const tools = options.tools ?? (await ffmpegTools())
  const header = await readStreamHeader(absolute, tools, signal)
  const greySize = scale ?? header
  const output = (label: string, format: string, pipe: string) => [
    '-map',
    label,
    ...tools.passthrough,
    '-f',
    'rawvideo',
    '-pix_fmt',
    format,
    pipe,
  ]
  const args = ['-hide_banner', '-nostdin', '-v', 'error', '-i', absolute]
    .concat(['-filter_complex', pairGraph(scale)])
    .concat(output('[grey]', 'gray', 'pipe:1'), output('[rgb]', 'rgb24', 'pipe:3'))
  const proc = startTool(tools.ffmpeg, args, { signal, outputs: 1 })
  proc.stdin.end()
  const greys = new FrameQueue(proc.stdout, greySize.width * greySize.height)
  const rgbs = new FrameQueue(proc.outputs[0], header.width * header.height * 3)
  const frame = (
    index: number,
    size: { width: number; height: number },
    channels: 1 | 3,
    data: Uint8Array,
  ) => ({
    ...{ index, width: size.width, height: size.height },
    ...{ channels, data },
  })
  try {
    for (let index = 1; ; index++) {
      const [grey, rgb] = await Promise.all([greys.next(), rgbs.next()])
      throwIfCancelled(signal, what)
      if (grey === null || rgb === null) {
        if (grey !== rgb) throw unreadableVideo(absolute, 'the grey and colour frames differ')
        break
      }
      yield { index, grey: frame(index, greySize, 1, grey), rgb: frame(index, header, 3, rgb) }
      throwIfCancelled(signal, what)
    }
    const exit = await proc.exited
    throwIfCancelled(signal, what)
    if (exit.error) throw cannotStart(tools.ffmpeg, exit.error)
    if (exit.code !== 0) throw unreadableVideo(absolute, failureText(exit, proc.stderr()))
    if (greys.partial || rgbs.partial) {
      throw unreadableVideo(absolute, 'the decoder stopped inside a frame')
    }
  } finally {
    proc.kill()
    await proc.exited
  }
}
