import { ffmpegTools, type FfmpegTools } from './ffmpeg-locate'
import { FrameStage } from './frame-cache'
import { runPngPipe } from './png-pipe'
import { probeVideo, type VideoProbe } from './probe'
import { unreadableVideo } from './probe-parse'
import { failureText } from './process'
import { throwIfCancelled, type WorkOptions } from './work'

/** One cached frame: its number in the clip and its cache key (frames.number, frames.cache_key). */
export interface CachedFrame {
  number: number
  key: string
}

/** What extracting a video gave. */
export interface ExtractResult {
  probe: VideoProbe
  /** Every decoded frame, numbered from 1 in decoding order. */
  frames: CachedFrame[]
  /** Things the import report should flag, e.g. a frame count that differs from the probe's. */
  warnings: string[]
}

/** Options of extractVideoFrames: a probe the caller already has saves probing twice. */
export interface ExtractOptions extends WorkOptions {
  tools?: FfmpegTools
  probe?: VideoProbe
  /**
   * Only these frames (1-based decoded numbers, inclusive): a spotted interval of a long
   * recording caches its own frames, not the recording's. ffmpeg encodes only the selected
   * frames and is stopped after the last one.
   */
  range?: { first: number; last: number }
}

/**
 * Extracts every frame of a video's first video stream into the frame cache: decoded in
 * passthrough mode (no rate conversion: no frame dropped or duplicated), rotation applied,
 * encoded by ffmpeg as RGB PNG straight into a pipe, hashed and staged, then committed to
 * the cache in one step. Progress counts frames against the probed total. On cancel (the
 * 'cancelled' AppError) or failure ffmpeg is killed and nothing is left in the cache.
 */
export async function extractVideoFrames(
  file: string,
  cacheDir: string,
  options: ExtractOptions = {},
): Promise<ExtractResult> {
  const { signal, onProgress } = options
  const what = `Extracting the frames of ${file}`
  throwIfCancelled(signal, what)
  const tools = options.tools ?? (await ffmpegTools())
  const probe = options.probe ?? (await probeVideo(file, { signal, tools }))
  throwIfCancelled(signal, what)
  const stage = await FrameStage.open(cacheDir)
  try {
    const frames: CachedFrame[] = []
    const { range } = options
    const first = range?.first ?? 1
    const total = range ? range.last - range.first + 1 : probe.frameCount
    onProgress?.({ done: 0, total })
    const select = range
      ? ['-vf', `select=between(n\\,${range.first - 1}\\,${range.last - 1})`]
      : []
    const run = await runPngPipe(
      tools,
      ['-i', probe.file, '-map', '0:V:0', ...tools.passthrough, ...select],
      {
        signal,
        what,
        onPng: async (png, index) => {
          const number = first - 1 + index
          frames.push({ number, key: await stage.put(png) })
          onProgress?.({ done: index, total: Math.max(total, index) })
          return range === undefined || number < range.last
        },
      },
    )
    if (!run.stopped && run.exit.code !== 0) {
      throw unreadableVideo(probe.file, failureText(run.exit, run.stderr))
    }
    if (run.truncated && !run.stopped) {
      throw unreadableVideo(probe.file, 'ffmpeg stopped inside a frame')
    }
    if (frames.length === 0) throw unreadableVideo(probe.file, 'no frame could be decoded')
    const warnings = frames.length === total ? [] : [countWarning(probe, frames.length, total)]
    await stage.commit()
    return { probe, frames, warnings }
  } catch (error) {
    await stage.discard()
    throw error
  }
}

function countWarning(probe: VideoProbe, decoded: number, wanted: number): string {
  if (wanted !== probe.frameCount) {
    return `${probe.file}: ${wanted} frames were asked for but ${decoded} were decoded; the decoded frames were kept`
  }
  const stated =
    probe.frameCountSource === 'container' ? 'the container states' : 'the stream holds'
  return `${probe.file}: ${stated} ${probe.frameCount} frames but ${decoded} were decoded; the decoded frames were kept`
}
