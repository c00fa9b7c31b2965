import { AppError } from '../../shared/errors'
import { parseRational, type Rational } from './rational'

/** What a video's first video stream says about itself before any counting. */
export interface StreamHeader {
  codec: string
  /** Size of the frames as ffmpeg decodes them: rotation applied, so 90°/270° swap sides. */
  width: number
  height: number
  fps: Rational
  /** Clockwise degrees, in [0, 360), that ffmpeg applies when decoding (display matrix). */
  rotation: number
  /** Seconds, when the file says. */
  duration: number | null
  /** The container's frame count, only where it can be trusted (MP4/MOV, consistent). */
  containerFrames: number | null
}

/** The error for a file ffmpeg cannot read as a video. */
export function unreadableVideo(file: string, failure: string): AppError {
  // ffmpeg prefixes its messages with the input's name, which the message already has.
  const reason = failure.split(`${file}: `).join('')
  return new AppError('invalid_file', `${file} is not a readable video: ${reason}`, {
    file,
    reason,
  })
}

/** The error for a media file without a video stream (audio only, subtitles, ...). */
export function noVideoStream(file: string): AppError {
  return new AppError('invalid_file', `${file} has no video stream`, { file })
}

/**
 * Refuses what ffmpeg can open but is no video: text (the 'tty' demuxer shows text files as
 * ANSI art) and single still images.
 */
function checkFormat(formatName: string, file: string): void {
  const names = formatName.split(',')
  if (names.includes('tty')) throw unreadableVideo(file, 'it is a text file')
  if (names.some((name) => name === 'image2' || name.endsWith('_pipe'))) {
    throw unreadableVideo(file, 'it is a still image')
  }
}

/** Clockwise display rotation from the display matrix angle (counter-clockwise degrees). */
export function clockwiseRotation(counterClockwise: number): number {
  if (!Number.isFinite(counterClockwise)) return 0
  return ((-Math.round(counterClockwise) % 360) + 360) % 360
}

function swapsSides(rotation: number): boolean {
  return rotation === 90 || rotation === 270
}

/**
 * The frame rate to use from ffprobe's two: r_frame_rate (the exact base rate of a constant
 * rate stream, e.g. 30000/1001) unless the average differs by more than 1%, which marks a
 * variable-rate file where only the average means anything.
 */
export function chooseFrameRate(base: Rational | null, average: Rational | null): Rational | null {
  if (base && average) {
    const b = base.num / base.den
    const a = average.num / average.den
    return Math.abs(a - b) <= 0.01 * b ? base : average
  }
  return base ?? average
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function text(value: unknown): string | null {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null
}

function positiveNumber(value: unknown): number | null {
  const n = Number(text(value) ?? Number.NaN)
  return Number.isFinite(n) && n > 0 ? n : null
}

/**
 * Reads `ffprobe -select_streams V:0 -show_streams -show_format -of json` output. Trusts
 * nb_frames only from the MP4/MOV family (its sample table) and only when it agrees with
 * duration × average rate within one frame; other containers' counts are estimates or absent.
 */
export function headerFromFfprobe(json: string, file: string): StreamHeader {
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    throw unreadableVideo(file, 'ffprobe gave no readable answer')
  }
  const streams = isRecord(parsed) && Array.isArray(parsed.streams) ? parsed.streams : []
  const stream: unknown = streams[0]
  if (!isRecord(stream)) throw noVideoStream(file)
  const format = isRecord(parsed) && isRecord(parsed.format) ? parsed.format : {}
  checkFormat(text(format.format_name) ?? '', file)

  const codedWidth = positiveNumber(stream.width)
  const codedHeight = positiveNumber(stream.height)
  if (codedWidth === null || codedHeight === null) {
    throw unreadableVideo(file, 'the video stream has no frame size')
  }
  const average = parseRational(text(stream.avg_frame_rate) ?? '')
  const fps = chooseFrameRate(parseRational(text(stream.r_frame_rate) ?? ''), average)
  if (fps === null) throw unknownFrameRate(file)

  const sideData = Array.isArray(stream.side_data_list) ? stream.side_data_list : []
  const matrix = sideData.find((entry) => isRecord(entry) && text(entry.rotation) !== null)
  const tags = isRecord(stream.tags) ? stream.tags : {}
  const rotation = isRecord(matrix)
    ? clockwiseRotation(Number(matrix.rotation))
    : clockwiseRotation(-Number(text(tags.rotate) ?? 0))

  const duration = positiveNumber(stream.duration) ?? positiveNumber(format.duration)
  const nbFrames = positiveNumber(stream.nb_frames)
  const movFamily = /(^|,)(mov|mp4)(,|$)/.test(text(format.format_name) ?? '')
  const consistent =
    nbFrames !== null &&
    duration !== null &&
    average !== null &&
    Math.abs(nbFrames - (duration * average.num) / average.den) <= 1
  const swap = swapsSides(rotation)
  return {
    codec: text(stream.codec_name) ?? 'unknown',
    width: swap ? codedHeight : codedWidth,
    height: swap ? codedWidth : codedHeight,
    fps,
    rotation,
    duration,
    containerFrames: movFamily && consistent ? nbFrames : null,
  }
}

/** The error for a stream whose frame rate neither the container nor the codec states. */
export function unknownFrameRate(file: string): AppError {
  return new AppError(
    'unsupported',
    `${file}: the video stream does not state a frame rate, so frames cannot be timed`,
    { file },
  )
}

/**
 * Reads the stderr of `ffmpeg -i file -map 0:V:0 -frames:v 1 -vf showinfo -f null -`, the
 * probe used when no ffprobe is available: the showinfo filter states the exact frame rate
 * and the decoded (rotated) size of the first frame; the input listing gives the codec,
 * the display matrix and the duration.
 */
export function headerFromFfmpeg(stderr: string, file: string): StreamHeader {
  checkFormat(/^Input #0, (.+), from /m.exec(stderr)?.[1] ?? '', file)
  const mapping = /Stream #0:(\d+)\S* -> #0:0 \(([^\s)]+)/.exec(stderr)
  if (!mapping) throw noVideoStream(file)
  const fpsMatch = /config in time_base: \d+\/\d+, frame_rate: (\d+\/\d+)/.exec(stderr)
  const fps = fpsMatch ? parseRational(fpsMatch[1]) : null
  if (fps === null) throw unknownFrameRate(file)
  const size = /\bn:\s*0\s.*?\bs:(\d+)x(\d+)/.exec(stderr)
  if (!size) throw unreadableVideo(file, 'its first frame cannot be decoded')

  const block = streamBlock(stderr, mapping[1])
  const matrix = /displaymatrix: rotation of (-?[\d.]+) degrees/.exec(block)
  const tag = /^\s*rotate\s*:\s*(-?\d+)/m.exec(block)
  const rotation = matrix
    ? clockwiseRotation(Number(matrix[1]))
    : clockwiseRotation(-Number(tag?.[1] ?? 0))
  const duration = /Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(stderr)
  return {
    codec: mapping[2],
    width: Number(size[1]),
    height: Number(size[2]),
    fps,
    rotation,
    duration: duration
      ? Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3])
      : null,
    containerFrames: null,
  }
}

/** The lines that describe input stream `index`: its header, metadata and side data. */
function streamBlock(stderr: string, index: string): string {
  const lines = stderr.split(/\r?\n/)
  const start = lines.findIndex((line) => new RegExp(`^\\s*Stream #0:${index}\\D`).test(line))
  if (start < 0) return ''
  const block = [lines[start]]
  for (const line of lines.slice(start + 1)) {
    if (/^\s*Stream #|^Stream mapping|^Output #|^\[/.test(line)) break
    block.push(line)
  }
  return block.join('\n')
}

/** The last `frame=N` of ffmpeg's `-progress` output: frames (or packets) it wrote. */
export function lastProgressFrame(progress: string): number | null {
  const all = [...progress.matchAll(/^frame=(\d+)\s*$/gm)]
  return all.length > 0 ? Number(all[all.length - 1][1]) : null
}
