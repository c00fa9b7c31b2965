import fs from 'node:fs/promises'
import path from 'node:path'
import { AppError } from '../../../shared/errors'
import { decodeFrames } from '../../media/decode-frames'
import { ffmpegTools } from '../../media/ffmpeg-locate'
import { decodeImage } from '../../media/image-io'
import { readStreamHeader } from '../../media/probe'
import { sameSize, type ClipFrame } from '../data/clip-images'

const IMAGE = /\.(png|jpe?g)$/i
const VIDEO = /\.(mp4|m4v|mov|avi|mkv|webm|mpe?g|wmv)$/i

/** One clip found on disk: a folder of frame images or a video file. */
export interface ClipFile {
  kind: 'frames' | 'video'
  path: string
  /** File or folder name without extension. */
  name: string
}

function trailingNumber(name: string): number {
  const match = /(\d+)(?!.*\d)/.exec(path.basename(name, path.extname(name)))
  return match ? Number(match[1]) : Number.NaN
}

/**
 * What `--in` names: a video file is one clip; a folder with frame images is one clip;
 * a folder of video files is one clip per video. Anything else is an 'invalid_input' error.
 */
export async function findClipFiles(input: string): Promise<ClipFile[]> {
  const absolute = path.resolve(input)
  const stat = await fs.stat(absolute).catch(() => null)
  if (!stat) throw new AppError('not_found', `${absolute} does not exist`, { file: absolute })
  if (stat.isFile()) {
    return [
      { kind: 'video', path: absolute, name: path.basename(absolute, path.extname(absolute)) },
    ]
  }
  const names = (await fs.readdir(absolute)).filter((n) => !n.startsWith('.')).sort()
  if (names.some((n) => IMAGE.test(n)))
    return [{ kind: 'frames', path: absolute, name: path.basename(absolute) }]
  const videos = names.filter((n) => VIDEO.test(n))
  if (videos.length === 0) {
    throw new AppError('invalid_input', `${absolute} holds neither frame images nor videos`, {
      file: absolute,
    })
  }
  return videos.map((n) => ({
    kind: 'video',
    path: path.join(absolute, n),
    name: path.basename(n, path.extname(n)),
  }))
}

/**
 * The frame rate of a clip on disk: a video's own (its stream header), or undefined for a
 * folder of frames (which states none).
 */
export async function clipFileRate(clip: ClipFile): Promise<number | undefined> {
  if (clip.kind !== 'video') return undefined
  const header = await readStreamHeader(clip.path, await ffmpegTools())
  return header.fps.num / header.fps.den
}

/**
 * Streams a clip from disk: frame images ordered by the trailing number of their names
 * (files without one are skipped), or the frames of a video numbered from 1, one frame held
 * at a time. Frames must all have one size; a clip without frames is an 'invalid_input' error.
 */
export async function* clipFileFrames(
  clip: ClipFile,
  signal?: AbortSignal,
): AsyncGenerator<ClipFrame, void, undefined> {
  const check = sameSize(0)
  let count = 0
  if (clip.kind === 'video') {
    for await (const frame of decodeFrames(clip.path, { signal })) {
      count++
      const image = { width: frame.width, height: frame.height, data: frame.data }
      yield check({ number: frame.index, image })
    }
  } else {
    const files = (await fs.readdir(clip.path))
      .filter((n) => IMAGE.test(n) && !n.startsWith('.') && Number.isFinite(trailingNumber(n)))
      .sort((a, b) => trailingNumber(a) - trailingNumber(b))
    for (const file of files) {
      count++
      const image = await decodeImage(path.join(clip.path, file))
      yield check({ number: trailingNumber(file), image })
    }
  }
  if (count === 0) {
    throw new AppError('invalid_input', `${clip.path} has no frames`, { file: clip.path })
  }
}
