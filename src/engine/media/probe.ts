import fs from 'node:fs/promises'
import path from 'node:path'
import { AppError } from '../../shared/errors'
import { ffmpegTools, type FfmpegTools } from './ffmpeg-locate'
import { failureText, runTool } from './process'
import {
  headerFromFfmpeg,
  headerFromFfprobe,
  lastProgressFrame,
  noVideoStream,
  unreadableVideo,
  type StreamHeader,
} from './probe-parse'
import type { Rational } from './rational'
import { throwIfCancelled } from './work'

/** What the app needs to know about a video before it extracts frames. */
export interface VideoProbe {
  /** Absolute path of the probed file. */
  file: string
  codec: string
  /** Exact frame rate, e.g. {num: 200, den: 1} or {num: 30000, den: 1001}. */
  fps: Rational
  /** fps as a number (clips.fps). */
  frameRate: number
  /** Frames in the first video stream. */
  frameCount: number
  /**
   * Where frameCount comes from: the MP4/MOV sample table, or a count of the stream's
   * packets (read, not decoded). Extraction reports any disagreement with what it decodes.
   */
  frameCountSource: 'container' | 'packets'
  /** Size of the extracted frames (rotation applied: 90°/270° swap the coded sides). */
  width: number
  height: number
  /** Seconds, when the file states it. */
  duration: number | null
  /** Clockwise degrees in [0, 360) that decoding applies (display matrix / rotate tag). */
  rotation: number
}

/** Options of probeVideo. `tools` defaults to the located ffmpeg. */
export interface ProbeOptions {
  signal?: AbortSignal
  tools?: FfmpegTools
}

/**
 * Probes the first video stream of a file (attached cover pictures are ignored): exact frame
 * rate, exact frame count, decoded size, duration and rotation. Uses ffprobe when there is
 * one, else `ffmpeg -i` with the showinfo filter and a packet count. A missing file is a
 * 'not_found' AppError; a corrupt or non-video file an 'invalid_file' AppError naming it.
 */
export async function probeVideo(file: string, options: ProbeOptions = {}): Promise<VideoProbe> {
  const tools = options.tools ?? (await ffmpegTools())
  const absolute = path.resolve(file)
  const header = await readStreamHeader(absolute, tools, options.signal)
  const frameCount = header.containerFrames ?? (await countPackets(absolute, tools, options.signal))
  if (frameCount === 0) throw unreadableVideo(absolute, 'its video stream holds no frames')
  return {
    file: absolute,
    codec: header.codec,
    fps: header.fps,
    frameRate: header.fps.num / header.fps.den,
    frameCount,
    frameCountSource: header.containerFrames === null ? 'packets' : 'container',
    width: header.width,
    height: header.height,
    duration: header.duration,
    rotation: header.rotation,
  }
}

/**
 * Checks that a probed video holds every frame its container lists, by reading (not
 * decoding) all its packets: a file cut short, e.g. by an interrupted copy, keeps the full
 * frame count in its header but fewer packets. Throws an 'invalid_file' AppError naming the
 * file when frames are missing; a count that came from the packets needs no check.
 */
export async function checkVideoWhole(
  probe: VideoProbe,
  options: ProbeOptions = {},
): Promise<void> {
  if (probe.frameCountSource === 'packets') return
  const tools = options.tools ?? (await ffmpegTools())
  const packets = await countPackets(probe.file, tools, options.signal)
  if (packets < probe.frameCount) {
    throw unreadableVideo(
      probe.file,
      `it is truncated or damaged: its header lists ${probe.frameCount} frames but only ${packets} can be read`,
    )
  }
}

/**
 * The stream header alone (no counting): what decoding needs to size its frames. `file`
 * must be absolute so that no name can be taken for an ffmpeg option or protocol.
 */
export async function readStreamHeader(
  file: string,
  tools: FfmpegTools,
  signal?: AbortSignal,
): Promise<StreamHeader> {
  await checkFile(file)
  const what = `Probing ${file}`
  if (tools.ffprobe !== null) {
    const run = await runTool(
      tools.ffprobe,
      [
        '-v',
        'error',
        '-select_streams',
        'V:0',
        '-show_streams',
        '-show_format',
        '-of',
        'json',
        file,
      ],
      { signal },
    )
    throwIfCancelled(signal, what)
    if (run.exit.code !== 0) throw unreadableVideo(file, failureText(run.exit, run.stderr))
    return headerFromFfprobe(run.stdout, file)
  }
  const run = await runTool(
    tools.ffmpeg,
    ['-hide_banner', '-nostdin', '-i', file, '-map', '0:V:0', '-frames:v', '1'].concat([
      '-vf',
      'showinfo',
      '-f',
      'null',
      '-',
    ]),
    { signal },
  )
  throwIfCancelled(signal, what)
  if (/matches no streams/.test(run.stderr)) throw noVideoStream(file)
  if (run.exit.code !== 0) throw unreadableVideo(file, failureText(run.exit, run.stderr))
  return headerFromFfmpeg(run.stderr, file)
}

/** Existence and kind checks, so the common mistakes get plain messages. */
async function checkFile(file: string): Promise<void> {
  let stat
  try {
    stat = await fs.stat(file)
  } catch {
    throw new AppError('not_found', `Video file ${file} does not exist`, { file })
  }
  if (!stat.isFile()) throw unreadableVideo(file, 'it is not a file')
  if (stat.size === 0) throw unreadableVideo(file, 'it is empty')
}

async function countPackets(
  file: string,
  tools: FfmpegTools,
  signal?: AbortSignal,
): Promise<number> {
  const what = `Counting the frames of ${file}`
  if (tools.ffprobe !== null) {
    const run = await runTool(
      tools.ffprobe,
      ['-v', 'error', '-select_streams', 'V:0', '-count_packets'].concat([
        '-show_entries',
        'stream=nb_read_packets',
        '-of',
        'csv=p=0',
        file,
      ]),
      { signal },
    )
    throwIfCancelled(signal, what)
    const count = Number(run.stdout.trim())
    if (run.exit.code !== 0 || !Number.isInteger(count)) {
      throw unreadableVideo(file, failureText(run.exit, run.stderr))
    }
    return count
  }
  const run = await runTool(
    tools.ffmpeg,
    ['-hide_banner', '-nostdin', '-v', 'error', '-i', file, '-map', '0:V:0', '-c', 'copy'].concat([
      '-f',
      'null',
      '-',
      '-progress',
      'pipe:1',
      '-nostats',
    ]),
    { signal },
  )
  throwIfCancelled(signal, what)
  const count = lastProgressFrame(run.stdout)
  if (run.exit.code !== 0 || count === null) {
    throw unreadableVideo(file, failureText(run.exit, run.stderr))
  }
  return count
}
