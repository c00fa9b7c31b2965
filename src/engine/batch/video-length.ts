import { ffmpegTools, type FfmpegTools } from '../media/ffmpeg-locate'
import { readStreamHeader } from '../media/probe'
import type { StreamHeader } from '../media/probe-parse'
import type { BatchVideo } from './batch-videos'

/**
 * The rule between the two kinds of batch video: a video of at most this many seconds is one
 * micro-expression clip (as a lab's cut clips are: CASME II, SAMM and CAS(ME)² clips last
 * well under 5 s) and is analysed whole, its apex found by apex spotting; a longer one is a
 * recording, spotted for its micro- and macro-expressions, one row per event.
 */
export const SHORT_VIDEO_SECONDS = 5

/** A batch video with its length, as the probe gives it. */
export interface MeasuredVideo extends BatchVideo {
  /** Frames expected: the container's count when exact, else duration × rate, else 0. */
  frames: number
  /** Seconds: frames / fps (the rate given for the batch, else the file's); NaN when unknown. */
  seconds: number
  /** True for a recording to spot (longer than SHORT_VIDEO_SECONDS, or of unknown length). */
  long: boolean
}

/**
 * How long a video is in frames and seconds, from its stream header and the rate that counts
 * (the batch's --fps, else the file's). A length that cannot be told counts as long: spotting
 * works at any length, a whole clip would be read into memory.
 */
export function videoLength(
  header: Pick<StreamHeader, 'fps' | 'duration' | 'containerFrames'>,
  fps?: number,
): { frames: number; seconds: number; long: boolean } {
  const fileFps = header.fps.num / header.fps.den
  const frames =
    header.containerFrames ?? (header.duration === null ? 0 : Math.round(header.duration * fileFps))
  const rate = fps ?? fileFps
  const seconds = frames > 0 && rate > 0 ? frames / rate : Number.NaN
  return { frames, seconds, long: !(seconds <= SHORT_VIDEO_SECONDS) }
}

/** Probes every video of a batch for its length (a file that is no video fails, naming it). */
export async function measureVideos(
  videos: readonly BatchVideo[],
  options: { fps?: number; signal?: AbortSignal; tools?: FfmpegTools } = {},
): Promise<MeasuredVideo[]> {
  const tools = options.tools ?? (await ffmpegTools())
  const out: MeasuredVideo[] = []
  for (const video of videos) {
    const header = await readStreamHeader(video.file, tools, options.signal)
    out.push({ ...video, ...videoLength(header, options.fps) })
  }
  return out
}
