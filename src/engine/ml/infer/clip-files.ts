import fs from 'node:fs/promises'
import path from 'node:path'
import { AppError } from '../../../shared/errors'
import { decodeFrames } from '../../media/decode-frames'
import { decodeImage, type RgbImage } from '../../media/image-io'
import { finish, type ClipImages } from '../data/clip-images'

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
 * Reads a clip from disk: frame images ordered by the trailing number of their names
 * (files without one are skipped), or every frame of a video numbered from 1.
 */
export async function readClipFile(clip: ClipFile, signal?: AbortSignal): Promise<ClipImages> {
  const numbers: number[] = []
  const images: RgbImage[] = []
  if (clip.kind === 'video') {
    for await (const frame of decodeFrames(clip.path, { signal })) {
      numbers.push(frame.index)
      images.push({ width: frame.width, height: frame.height, data: frame.data })
    }
  } else {
    const files = (await fs.readdir(clip.path))
      .filter((n) => IMAGE.test(n) && !n.startsWith('.') && Number.isFinite(trailingNumber(n)))
      .sort((a, b) => trailingNumber(a) - trailingNumber(b))
    for (const file of files) {
      numbers.push(trailingNumber(file))
      images.push(await decodeImage(path.join(clip.path, file)))
    }
  }
  if (images.length === 0) {
    throw new AppError('invalid_input', `${clip.path} has no frames`, { file: clip.path })
  }
  return finish(0, numbers, images)
}
