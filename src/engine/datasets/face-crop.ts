import path from 'node:path'
import { AppError } from '../../shared/errors'
import type { LibraryDb } from '../db/open-library'
import { findFaceCrop, findVideoFaceCrop, type FaceDetector } from '../media/face/detector'
import { decodeImage } from '../media/image-io'
import { throwIfCancelled } from '../media/work'
import type { CropBox } from '../media/face/align'

interface ClipSource {
  id: number
  name: string
  sourceKind: 'frames' | 'video'
  sourcePath: string
  firstFile: string | null
}

/** What face cropping did to each clip. */
export interface FaceCropResult {
  clipId: number
  clip: string
  crop: CropBox | null
  /** Why no crop was stored, when none was. */
  problem?: string
}

/**
 * Finds the face in the first frame of each clip (raw lab videos, frame folders) and stores
 * the eye-aligned crop box in clips.crop; frames read for training and inference are then
 * cut to it. A clip without a detectable face keeps no crop and is reported, not guessed.
 */
export async function cropClipFaces(
  db: LibraryDb,
  clipIds: readonly number[],
  detector: FaceDetector,
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<FaceCropResult[]> {
  const select = db.prepare(
    `SELECT c.id, c.name, c.source_kind AS sourceKind, c.source_path AS sourcePath,
            (SELECT f.file FROM frames f WHERE f.clip_id = c.id ORDER BY f.number LIMIT 1) AS firstFile
     FROM clips c WHERE c.id = ?`,
  )
  const store = db.prepare('UPDATE clips SET crop = ? WHERE id = ?')
  const results: FaceCropResult[] = []
  for (const [index, clipId] of clipIds.entries()) {
    throwIfCancelled(options.signal, 'Face cropping')
    const clip = select.get(clipId) as ClipSource | undefined
    if (!clip) throw new AppError('not_found', `There is no clip with id ${clipId}.`, { clipId })
    let crop: CropBox | null = null
    let problem: string | undefined
    try {
      if (clip.sourceKind === 'video') {
        crop = (await findVideoFaceCrop(clip.sourcePath, detector, { signal: options.signal })).crop
      } else if (clip.firstFile !== null) {
        const found = await findFaceCrop(
          await decodeImage(path.join(clip.sourcePath, clip.firstFile)),
          detector,
        )
        crop = found?.crop ?? null
        if (!found) problem = `No face was found in the first frame of ${clip.name}`
      } else {
        problem = `Clip ${clip.name} has no frame file to look at`
      }
    } catch (error) {
      if (error instanceof AppError && error.code === 'cancelled') throw error
      problem = (error as Error).message
    }
    if (crop) store.run(JSON.stringify(crop), clipId)
    results.push(
      problem === undefined
        ? { clipId, clip: clip.name, crop }
        : { clipId, clip: clip.name, crop, problem },
    )
    options.onProgress?.(index + 1, clipIds.length)
  }
  return results
}
