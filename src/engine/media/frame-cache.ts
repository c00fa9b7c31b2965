import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { AppError } from '../../shared/errors'
import { isFrameKey } from '../../shared/frame-url'
import { decodeImage, type RgbImage } from './image-io'
import { pathExists } from '../files/path-exists'
import { processAlive } from '../process-alive'

/*
 * The frame cache is content-addressed: a frame's key is the SHA-256 (lowercase hex) of its
 * encoded PNG bytes, and it lives at `<cache>/<key[0..2]>/<key>.png`. Identical frames are
 * stored once. New frames are written to a private staging folder first and moved into place
 * only when the whole operation succeeds, so a cancelled or failed extraction leaves the
 * cache as it was.
 */
const STAGING = '.staging'

/** The cache folder of a library file: `<library>.frames` beside it. */
export function frameCacheDir(libraryFile: string): string {
  return `${path.resolve(libraryFile)}.frames`
}

/** The cache key of encoded PNG bytes. */
export function frameKey(png: Uint8Array): string {
  return crypto.createHash('sha256').update(png).digest('hex')
}

/**
 * The file of a cached frame. Accepts only well-formed keys, so the result is always a file
 * two levels below `cacheDir` whatever the key came from (an HTTP path, a protocol URL):
 * anything else is an 'invalid_input' AppError.
 */
export function resolveFramePath(cacheDir: string, key: unknown): string {
  if (!isFrameKey(key)) {
    throw new AppError('invalid_input', 'A frame key must be 64 lowercase hex digits', {
      key: typeof key === 'string' ? key.slice(0, 100) : typeof key,
    })
  }
  const root = path.resolve(cacheDir)
  const file = path.join(root, key.slice(0, 2), `${key}.png`)
  // Cannot happen with a checked key; kept as the last line of defence for the servers.
  if (path.relative(root, file) !== path.join(key.slice(0, 2), `${key}.png`)) {
    throw new AppError('internal', `Frame key resolved outside the cache ${root}`)
  }
  return file
}

/**
 * The real file of a cached frame, for the servers: the key's path with every link
 * resolved, or undefined when the frame is missing, is not a regular file, or resolves
 * outside the (resolved) cache folder, so a link planted in the cache leads nowhere.
 */
export async function servableFramePath(
  cacheDir: string,
  key: string,
): Promise<string | undefined> {
  try {
    const root = await fs.realpath(cacheDir)
    const real = await fs.realpath(resolveFramePath(cacheDir, key))
    if (!real.startsWith(root + path.sep)) return undefined
    return (await fs.stat(real)).isFile() ? real : undefined
  } catch {
    return undefined
  }
}

/** Decodes a cached frame. A key that is not in the cache is a 'not_found' AppError. */
export async function readCachedFrame(cacheDir: string, key: string): Promise<RgbImage> {
  const file = resolveFramePath(cacheDir, key)
  try {
    return await decodeImage(file)
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') {
      throw new AppError('not_found', `Frame ${key} is not in the cache ${cacheDir}`, {
        key,
        cacheDir,
      })
    }
    throw error
  }
}

/**
 * Frames being added to a cache by one operation. `put` stores new frames in a private
 * staging folder; `commit` moves them into the cache; `discard` removes them. Either way
 * the staging folder is gone afterwards.
 */
export class FrameStage {
  private readonly staged = new Set<string>()

  private constructor(
    readonly cacheDir: string,
    /** The private staging folder; other files of the operation may go here too. */
    readonly dir: string,
  ) {}

  /**
   * Opens a stage in `cacheDir` (created if needed), first removing staging folders that
   * processes which no longer run left behind.
   */
  static async open(cacheDir: string): Promise<FrameStage> {
    const root = path.resolve(cacheDir)
    const staging = path.join(root, STAGING)
    await fs.mkdir(staging, { recursive: true })
    for (const name of await fs.readdir(staging)) {
      const pid = Number(/^(\d+)-/.exec(name)?.[1])
      if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) {
        await fs.rm(path.join(staging, name), { recursive: true, force: true })
      }
    }
    const dir = path.join(staging, `${process.pid}-${crypto.randomBytes(6).toString('hex')}`)
    await fs.mkdir(dir)
    return new FrameStage(root, dir)
  }

  /**
   * Adds encoded PNG bytes; returns their key. Frames already cached are not written again
   * (their modification time is renewed, so `microau db gc` leaves them be).
   * A file system failure is an 'internal' AppError naming the cache.
   */
  async put(png: Uint8Array): Promise<string> {
    const key = frameKey(png)
    if (this.staged.has(key)) return key
    const cached = resolveFramePath(this.cacheDir, key)
    if (await pathExists(cached)) {
      // Reused: look new to a frame-cache sweep until this operation records the key.
      const now = new Date()
      await fs.utimes(cached, now, now).catch(() => undefined)
      return key
    }
    try {
      await fs.writeFile(path.join(this.dir, `${key}.png`), png)
    } catch (error) {
      throw this.writeError(error)
    }
    this.staged.add(key)
    return key
  }

  /** Moves the staged frames into the cache and removes the staging folder. */
  async commit(): Promise<void> {
    const made = new Set<string>()
    try {
      for (const key of this.staged) {
        const target = resolveFramePath(this.cacheDir, key)
        const folder = path.dirname(target)
        if (!made.has(folder)) {
          await fs.mkdir(folder, { recursive: true })
          made.add(folder)
        }
        // Renaming over a file another operation committed meanwhile is harmless: same bytes.
        await fs.rename(path.join(this.dir, `${key}.png`), target)
      }
    } catch (error) {
      throw this.writeError(error)
    }
    this.staged.clear()
    await fs.rm(this.dir, { recursive: true, force: true })
  }

  private writeError(error: unknown): AppError {
    const reason = (error as Error).message
    return new AppError('internal', `Cannot write to the frame cache ${this.cacheDir}: ${reason}`, {
      cacheDir: this.cacheDir,
      reason,
    })
  }

  /** Removes everything staged. */
  async discard(): Promise<void> {
    this.staged.clear()
    await fs.rm(this.dir, { recursive: true, force: true })
  }
}
