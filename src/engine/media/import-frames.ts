import fs from 'node:fs/promises'
import path from 'node:path'
import { AppError } from '../../shared/errors'
import { ffmpegTools, type FfmpegTools } from './ffmpeg-locate'
import { FrameStage } from './frame-cache'
import { parseImageHeader, type FrameImageFormat, type ImageHeader } from './image-header'
import { decodeImage, encodePngWithSharp } from './image-io'
import { runPngPipe } from './png-pipe'
import { pngSize } from './png-stream'
import { failureText } from './process'
import { throwIfCancelled, type WorkOptions } from './work'

/** A frame image to import: its absolute frame number and its file. */
export interface FrameImage {
  number: number
  file: string
}

/** An imported frame (frames.number, frames.file, frames.cache_key). */
export interface ImportedFrame {
  number: number
  file: string
  key: string
}

/** What importing frame images gave. All frames of a clip share one size. */
export interface ImportFramesResult {
  frames: ImportedFrame[]
  width: number
  height: number
}

/**
 * Frames decoded and encoded at once: sharp works on libuv's thread pool, so a few frames in
 * flight keep every core busy while memory stays a few frames.
 */
const IN_FLIGHT = 4

/** A PNG or JPEG file as the frame cache stores it: RGB PNG at zlib level 1, like video frames. */
async function cachePng(image: FrameImage): Promise<Buffer> {
  return encodePngWithSharp(await decodeImage(image.file), { compressionLevel: 1 })
}

/** Options of the frame image importers. */
export interface ImportFramesOptions extends WorkOptions {
  /** The ffmpeg that converts BMP files (found when needed if left out). */
  tools?: FfmpegTools
}

/**
 * Any visible PNG/JPEG/BMP file whose name ends in an integer: group 1 is the frame number
 * ('img46.jpg', 'reg_img046.jpg', '006_05562.jpg').
 */
export const FRAME_IMAGE_PATTERN = /^(?!\.).*?(\d+)\.(?:jpe?g|png|bmp)$/i

/**
 * Imports the frame images of one clip folder: files matching `pattern` (group 1 is the
 * frame number; zero padding may vary), in frame-number order. Other entries are returned
 * as `skipped`; two files with one number are an 'invalid_file' AppError.
 */
export async function importFrameFolder(
  dir: string,
  cacheDir: string,
  options: ImportFramesOptions & { pattern?: RegExp } = {},
): Promise<ImportFramesResult & { skipped: string[] }> {
  const folder = path.resolve(dir)
  let entries
  try {
    entries = await fs.readdir(folder, { withFileTypes: true })
  } catch {
    throw new AppError('not_found', `Frame folder ${folder} cannot be read`, { folder })
  }
  const pattern = options.pattern ?? FRAME_IMAGE_PATTERN
  const images: FrameImage[] = []
  const skipped: string[] = []
  const byNumber = new Map<number, string>()
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const match = entry.isFile() ? pattern.exec(entry.name) : null
    if (!match) {
      skipped.push(entry.name)
      continue
    }
    const number = Number(match[1])
    const other = byNumber.get(number)
    if (other !== undefined) {
      throw new AppError(
        'invalid_file',
        `${folder}: ${other} and ${entry.name} both claim frame number ${number}`,
        { folder, files: [other, entry.name], number },
      )
    }
    byNumber.set(number, entry.name)
    images.push({ number, file: path.join(folder, entry.name) })
  }
  if (images.length === 0) {
    throw new AppError('invalid_file', `${folder} holds no numbered frame images`, { folder })
  }
  return { ...(await importFrameImages(images, cacheDir, options)), skipped }
}

/**
 * Imports frame images (PNG, JPEG, BMP; grey or colour) into the frame cache as RGB PNGs, in
 * frame-number order. Every header is read first, so a missing, foreign or differently sized
 * file is named before any work. PNG and JPEG files are decoded by `decodeImage`, the decoder
 * training, prediction and the signal passes read them with, so the viewer shows the pixels
 * the model sees; a damaged file fails with its name. BMP, which that decoder does not read,
 * goes through ffmpeg: each run of BMP files in one process, failing on damaged data rather
 * than concealing it; when a run fails, its files are tried one by one so that the error
 * names the unreadable one. Like extraction, nothing reaches the cache unless all frames do.
 */
export async function importFrameImages(
  images: readonly FrameImage[],
  cacheDir: string,
  options: ImportFramesOptions = {},
): Promise<ImportFramesResult> {
  const { signal, onProgress } = options
  const what = `Importing ${images.length} frame images`
  throwIfCancelled(signal, what)
  const sorted = [...images].sort((a, b) => a.number - b.number)
  checkNumbers(sorted)
  const headers: ImageHeader[] = []
  // A few files at a time: a clip folder can hold thousands.
  for (let i = 0; i < sorted.length; i += 16) {
    throwIfCancelled(signal, what)
    headers.push(
      ...(await Promise.all(sorted.slice(i, i + 16).map((image) => readHeader(image.file)))),
    )
  }
  const { width, height } = headers[0]
  headers.forEach((header, i) => {
    if (header.width !== width || header.height !== height)
      throw sizeMismatch(sorted[i].file, header, sorted[0].file, headers[0])
  })
  const stage = await FrameStage.open(cacheDir)
  try {
    const frames: ImportedFrame[] = []
    const store = async (image: FrameImage, png: Uint8Array) => {
      const made = pngSize(png)
      // The header said otherwise; ffmpeg would rescale such a frame without a word.
      if (made.width !== width || made.height !== height) {
        throw new AppError(
          'invalid_file',
          `Frame image ${image.file} declares ${width}×${height} but decodes to ${made.width}×${made.height}`,
          { file: image.file },
        )
      }
      frames.push({ ...image, key: await stage.put(png) })
      onProgress?.({ done: frames.length, total: sorted.length })
    }
    let tools = options.tools
    for (const run of runsOf(sorted, headers)) {
      if (run.format !== 'bmp') {
        for (let i = 0; i < run.images.length; i += IN_FLIGHT) {
          throwIfCancelled(signal, what)
          const batch = run.images.slice(i, i + IN_FLIGHT)
          const pngs = await Promise.all(batch.map(cachePng))
          for (const [k, png] of pngs.entries()) await store(batch[k], png)
        }
        continue
      }
      tools ??= await ffmpegTools()
      await convertBmpRun(tools, stage.dir, run.images, { signal, what, store })
    }
    await stage.commit()
    return { frames, width, height }
  } catch (error) {
    await stage.discard()
    throw error
  }
}

function checkNumbers(images: readonly FrameImage[]): void {
  if (images.length === 0) throw new AppError('invalid_input', 'No frame images to import')
  for (let i = 0; i < images.length; i++) {
    const { number, file } = images[i]
    if (!Number.isSafeInteger(number)) {
      throw new AppError('invalid_input', `${file}: frame number ${number} is not an integer`, {
        file,
        number,
      })
    }
    if (i > 0 && images[i - 1].number === number) {
      throw new AppError(
        'invalid_input',
        `${images[i - 1].file} and ${file} both claim frame number ${number}`,
        { files: [images[i - 1].file, file], number },
      )
    }
  }
}

/** Reads an image's header, reading the whole file only when its first bytes are not enough. */
async function readHeader(file: string): Promise<ImageHeader> {
  let head: { size: number; parsed: ReturnType<typeof parseImageHeader> }
  try {
    head = await readHead(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AppError('not_found', `Frame image ${file} does not exist`, { file })
    }
    throw unreadableImage(file, (error as Error).message)
  }
  const { size, parsed } = head
  if (size === 0) throw unreadableImage(file, 'the file is empty')
  if (parsed === 'unknown') throw unreadableImage(file, 'it is not a PNG, JPEG or BMP image')
  if (parsed === 'incomplete' || parsed.width === 0 || parsed.height === 0) {
    throw unreadableImage(file, 'its header is truncated or damaged')
  }
  return parsed
}

async function readHead(
  file: string,
): Promise<{ size: number; parsed: ReturnType<typeof parseImageHeader> }> {
  const handle = await fs.open(file, 'r')
  try {
    const { size } = await handle.stat()
    const head = Buffer.alloc(Math.min(size, 65_536))
    await handle.read(head, 0, head.length, 0)
    const parsed = parseImageHeader(head)
    if (parsed !== 'incomplete' || size <= head.length) return { size, parsed }
    return { size, parsed: parseImageHeader(await handle.readFile()) }
  } finally {
    await handle.close()
  }
}

function unreadableImage(file: string, reason: string): AppError {
  return new AppError('invalid_file', `Frame image ${file} cannot be read: ${reason}`, {
    file,
    reason,
  })
}

/** Consecutive images of one format (an ffmpeg run's decoder cannot change). */
function runsOf(
  images: readonly FrameImage[],
  headers: readonly ImageHeader[],
): { format: FrameImageFormat; images: FrameImage[] }[] {
  const runs: { format: FrameImageFormat; images: FrameImage[] }[] = []
  images.forEach((image, i) => {
    const { format } = headers[i]
    if (i === 0 || format !== headers[i - 1].format) runs.push({ format, images: [] })
    runs[runs.length - 1].images.push(image)
  })
  return runs
}

/**
 * Converts a run of BMP files with ffmpeg, handing each PNG to `store`; a failed run is
 * diagnosed file by file so that the error names the unreadable one.
 */
async function convertBmpRun(
  tools: FfmpegTools,
  workDir: string,
  run: readonly FrameImage[],
  options: {
    signal: AbortSignal | undefined
    what: string
    store: (image: FrameImage, png: Uint8Array) => Promise<void>
  },
): Promise<void> {
  const { signal, what, store } = options
  let stored = 0
  const batch = await convert(tools, workDir, run, signal, what, async (png, index) => {
    if (index > run.length) return false
    await store(run[index - 1], png)
    stored += 1
    return true
  })
  if (!batch.ok || stored !== run.length) {
    await diagnose(tools, workDir, run, signal, what, batch.reason)
  }
}

/**
 * Feeds `images` to ffmpeg through a concat list; every PNG goes to `accept` (with its
 * 1-based index), which returns false to stop. `-xerror` with `-err_detect explode` makes a
 * damaged image fail the run instead of being concealed.
 */
async function convert(
  tools: FfmpegTools,
  workDir: string,
  images: readonly FrameImage[],
  signal: AbortSignal | undefined,
  what: string,
  accept: (png: Buffer, index: number) => Promise<boolean>,
): Promise<{ ok: boolean; reason: string }> {
  const list = path.join(workDir, 'frames.ffconcat')
  await fs.writeFile(list, concatList(images))
  const run = await runPngPipe(
    tools,
    ['-xerror', '-err_detect', 'explode', '-f', 'concat', '-safe', '0', '-i', list].concat([
      '-map',
      '0:v:0',
      ...tools.passthrough,
    ]),
    { signal, what, onPng: accept },
  )
  await fs.rm(list, { force: true })
  const ok = run.exit.code === 0 && !run.truncated && !run.stopped
  return {
    ok,
    reason: run.stopped ? 'ffmpeg made more images than files' : failureText(run.exit, run.stderr),
  }
}

/** An ffconcat script; in single quotes only the quote itself needs escaping. */
function concatList(images: readonly FrameImage[]): string {
  const lines = ['ffconcat version 1.0']
  for (const { file } of images) {
    if (/[\r\n]/.test(file))
      throw unreadableImage(file, 'file names with line breaks are not supported')
    lines.push(`file '${path.resolve(file).replace(/'/g, "'\\''")}'`)
  }
  return `${lines.join('\n')}\n`
}

/** Finds, one file at a time, which image made a run fail, and throws an error naming it. */
async function diagnose(
  tools: FfmpegTools,
  workDir: string,
  images: readonly FrameImage[],
  signal: AbortSignal | undefined,
  what: string,
  reason: string,
): Promise<never> {
  for (const image of images) {
    let count = 0
    const single = await convert(tools, workDir, [image], signal, what, async () => {
      count += 1
      return true
    })
    if (!single.ok) throw unreadableImage(image.file, single.reason)
    if (count !== 1) throw unreadableImage(image.file, `it holds ${count} images`)
  }
  throw new AppError('invalid_file', `ffmpeg could not convert the frame images (${reason})`, {
    files: images.map((image) => image.file),
    reason,
  })
}

function sizeMismatch(
  file: string,
  size: ImageHeader,
  firstFile: string,
  first: ImageHeader,
): AppError {
  return new AppError(
    'invalid_file',
    `Frame image ${file} is ${size.width}×${size.height} but ${firstFile} is ${first.width}×${first.height}; all frames of a clip must have one size`,
    {
      file,
      width: size.width,
      height: size.height,
      expected: { file: firstFile, width: first.width, height: first.height },
    },
  )
}
