import fs from 'node:fs'
import path from 'node:path'
import { AppError } from '../../shared/errors'
import { processAlive } from '../process-alive'
import { SPILL_PREFIX, spillBytesFor } from './crop-spill'

/** Bytes free to this user in the file system holding `folder` (fs.statfs: bavail × bsize). */
export function freeBytes(folder: string): number {
  const stat = fs.statfsSync(folder)
  return stat.bavail * stat.bsize
}

/**
 * Whether a recording's spill fits: the bytes it needs (spillBytesFor its expected frames at
 * the crop side) against the bytes free where it goes. A recording of unknown length
 * (0 frames expected) needs nothing known and fits.
 * Example: 12,000 frames of 256-pixel crops need 2,359,296,000 bytes: they fit in 3 GB free,
 * not in 2 GB.
 */
export function spillRoom(
  frames: number,
  side: number,
  free: number,
): { needed: number; free: number; fits: boolean } {
  const needed = spillBytesFor(frames, side)
  return { needed, free, fits: needed <= free }
}

/**
 * Refuses to read a recording whose spill would not fit on the disk of `folder` (so a batch
 * fails before the disk fills, not after it filled it): an AppError naming the file, the
 * bytes needed and the bytes free, before anything of the recording is read or stored.
 */
export function assertSpillRoom(
  video: { file: string; frames: number },
  side: number,
  folder: string,
  free: (folder: string) => number = freeBytes,
): void {
  const room = spillRoom(video.frames, side, free(folder))
  if (room.fits) return
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`
  throw new AppError(
    'invalid_input',
    `Not enough free disk to analyse ${video.file}: its temporary face crops need ` +
      `${room.needed} bytes (${mb(room.needed)}: ${video.frames} frames of ${side}×${side} ` +
      `pixels) in ${folder}, where ${room.free} bytes (${mb(room.free)}) are free.`,
    { file: video.file, field: 'disk', folder, neededBytes: room.needed, freeBytes: room.free },
  )
}

/** The owner's process id in a spill folder's name (`microau-spill-<pid>-…`); null if none. */
export function spillOwner(name: string): number | null {
  const match = /^microau-spill-(\d+)-/.exec(name)
  return match ? Number(match[1]) : null
}

/**
 * Removes the spill folders in `folder` whose owner process is gone (a batch worker killed
 * while it read a recording leaves its crops behind: 2.4 GB per minute of 200 fps video at
 * the paper preset), so the disk is given back when the next batch starts. Folders of live
 * processes, and folders without an owner in their name, are left alone. Returns the folders
 * removed.
 */
export function sweepStaleSpills(folder: string): string[] {
  const removed: string[] = []
  for (const name of fs.readdirSync(folder)) {
    const owner = spillOwner(name)
    if (!name.startsWith(SPILL_PREFIX) || owner === null || processAlive(owner)) continue
    const stale = path.join(folder, name)
    fs.rmSync(stale, { recursive: true, force: true })
    removed.push(stale)
  }
  return removed
}
