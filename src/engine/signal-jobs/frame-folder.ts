/**
 * Magnification and apex spotting on a folder of frame images (the CLI's `--in DIR`), with
 * no library: frames are ordered by the trailing number of their file names, and magnified
 * frames keep that number (`img46.jpg` → `img46.png`).
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { AppError } from '../../shared/errors'
import type { MagnifySettings } from '../../shared/signal'
import { decodeImage, encodePng, type RgbImage } from '../media/image-io'
import { throwIfCancelled } from '../media/work'
import { toBytes, toUnitFloats, type ClipFrame } from '../ml/data/clip-images'
import { createMagnifier } from '../signal'
import { scoreFrames, type ScoredClip } from './apex-curves'
import { magnifyParamsOf } from './settings'

const IMAGE = /\.(png|jpe?g)$/i

/** One frame image of a folder and the frame number its name carries. */
export interface FrameFile {
  number: number
  /** Absolute path. */
  file: string
}

/** Progress of work on a folder, one step per frame. */
export type FolderProgress = (done: number, total: number) => void

function trailingNumber(name: string): number | null {
  const match = /(\d+)(?!.*\d)/.exec(path.basename(name, path.extname(name)))
  return match ? Number(match[1]) : null
}

/**
 * The PNG and JPEG files of a folder whose names end in a number, by that number. A missing
 * folder, a folder without such files, or two files with one number is an AppError naming
 * the folder or the files.
 */
export async function listFrameFiles(dir: string): Promise<FrameFile[]> {
  const folder = path.resolve(dir)
  const stat = await fs.stat(folder).catch(() => null)
  if (!stat) throw new AppError('not_found', `${folder} does not exist`, { file: folder })
  if (!stat.isDirectory()) {
    throw new AppError('invalid_input', `${folder} is not a folder of frame images`, {
      file: folder,
    })
  }
  const frames: FrameFile[] = []
  for (const name of await fs.readdir(folder)) {
    const number = name.startsWith('.') || !IMAGE.test(name) ? null : trailingNumber(name)
    if (number !== null) frames.push({ number, file: path.join(folder, name) })
  }
  if (frames.length === 0) {
    throw new AppError(
      'invalid_input',
      `${folder} holds no frame images (PNG or JPEG files named with a frame number)`,
      { file: folder },
    )
  }
  frames.sort((a, b) => a.number - b.number)
  for (let i = 1; i < frames.length; i++) {
    if (frames[i].number === frames[i - 1].number) {
      throw new AppError(
        'invalid_input',
        `${frames[i - 1].file} and ${frames[i].file} both carry frame number ${frames[i].number}`,
        { files: [frames[i - 1].file, frames[i].file], number: frames[i].number },
      )
    }
  }
  return frames
}

/** Decodes a frame and checks it has the clip's size; errors name the file. */
async function readFrame(frame: FrameFile, size?: { width: number; height: number }) {
  const image = await decodeImage(frame.file)
  if (size && (image.width !== size.width || image.height !== size.height)) {
    throw new AppError(
      'invalid_file',
      `${frame.file} is ${image.width}×${image.height}, the first frame is ${size.width}×${size.height}`,
      { file: frame.file },
    )
  }
  return image
}

/**
 * Magnifies the frames of `inDir` into PNGs in `outDir` (created if needed), one frame in
 * memory at a time. Writing into the input folder is refused (it would overwrite frames).
 */
export async function magnifyFolder(
  inDir: string,
  outDir: string,
  settings: MagnifySettings,
  options: { signal?: AbortSignal; onProgress?: FolderProgress } = {},
): Promise<{ frames: number; width: number; height: number; files: string[] }> {
  const frames = await listFrameFiles(inDir)
  const out = path.resolve(outDir)
  await fs.mkdir(out, { recursive: true })
  if ((await fs.realpath(out)) === (await fs.realpath(path.resolve(inDir)))) {
    throw new AppError('invalid_input', `The output folder ${out} is the input folder`, {
      file: out,
    })
  }
  const first = await readFrame(frames[0])
  const { width, height } = first
  const magnifier = createMagnifier(width, height, 3, magnifyParamsOf(settings))
  const input = new Float32Array(width * height * 3)
  const output = new Float32Array(input.length)
  const files: string[] = []
  for (let i = 0; i < frames.length; i++) {
    throwIfCancelled(options.signal, `Magnifying ${inDir}`)
    const image = i === 0 ? first : await readFrame(frames[i], { width, height })
    magnifier.push(toUnitFloats(image, input), output)
    const name = path.basename(frames[i].file, path.extname(frames[i].file)) + '.png'
    const file = path.join(out, name)
    try {
      await fs.writeFile(file, encodePng(toBytes(output, width, height)))
    } catch (error) {
      throw new AppError('internal', `Cannot write ${file}: ${(error as Error).message}`, { file })
    }
    files.push(file)
    options.onProgress?.(i + 1, frames.length)
  }
  return { frames: frames.length, width, height, files }
}

/**
 * The apex-spotting curve of the frames of a folder and the frame it suggests as apex, in one
 * pass holding one decoded frame at a time.
 */
export async function spotFolderApex(
  inDir: string,
  options: { onProgress?: FolderProgress } = {},
): Promise<ScoredClip> {
  const frames = await listFrameFiles(inDir)
  async function* read(): AsyncGenerator<ClipFrame> {
    let size: RgbImage | undefined
    for (const frame of frames) {
      const image = await readFrame(frame, size)
      size ??= image
      yield { number: frame.number, image }
    }
  }
  return scoreFrames(read(), undefined, (done) => options.onProgress?.(done, frames.length))
}
