import type { FfmpegTools } from './ffmpeg-locate'
import { PngStreamSplitter } from './png-stream'
import { cannotStart, startTool, type ProcessExit } from './process'
import { throwIfCancelled } from './work'

/**
 * How ffmpeg encodes frames for the cache: 8-bit RGB PNG at zlib level 1. On camera footage
 * level 1 is about three times faster than ffmpeg's default for files about 10% larger.
 */
export const CACHE_PNG_OPTIONS: readonly string[] = [
  '-pix_fmt',
  'rgb24',
  '-c:v',
  'png',
  '-compression_level',
  '1',
  '-f',
  'image2pipe',
  'pipe:1',
]

/** How a PNG pipe run ended. */
export interface PngPipeRun {
  exit: ProcessExit
  stderr: string
  /** Images handed to onPng. */
  count: number
  /** The stream ended inside an image. */
  truncated: boolean
  /** onPng asked to stop; ffmpeg was killed. */
  stopped: boolean
}

/**
 * Runs ffmpeg with `inputArgs` (everything up to the output options) writing PNGs to a pipe,
 * and hands each image, in order, to `onPng` (1-based index), which may return false to stop.
 * Rejects with the 'cancelled' AppError (`what` names the work) when `signal` fires, and kills
 * ffmpeg on any way out. Exit status is for the caller to judge.
 */
export async function runPngPipe(
  tools: FfmpegTools,
  inputArgs: readonly string[],
  options: {
    signal?: AbortSignal
    what: string
    onPng: (png: Buffer, index: number) => Promise<boolean | void>
  },
): Promise<PngPipeRun> {
  const { signal, what } = options
  throwIfCancelled(signal, what)
  const proc = startTool(
    tools.ffmpeg,
    ['-hide_banner', '-nostdin', '-v', 'error', ...inputArgs, ...CACHE_PNG_OPTIONS],
    { signal },
  )
  proc.stdin.end()
  const splitter = new PngStreamSplitter()
  let count = 0
  let stopped = false
  try {
    reading: for await (const chunk of proc.stdout as AsyncIterable<Buffer>) {
      if (signal?.aborted) break
      for (const png of splitter.push(chunk)) {
        count += 1
        if ((await options.onPng(png, count)) === false) {
          stopped = true
          break reading
        }
        if (signal?.aborted) break reading
      }
    }
    if (stopped) proc.kill()
    const exit = await proc.exited
    throwIfCancelled(signal, what)
    if (exit.error) throw cannotStart(tools.ffmpeg, exit.error)
    return { exit, stderr: proc.stderr(), count, truncated: splitter.pending > 0, stopped }
  } finally {
    // Reaped before anything settles, so no ffmpeg outlives the call.
    proc.kill()
    await proc.exited
  }
}
