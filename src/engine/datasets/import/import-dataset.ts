import type { LibraryDb } from '../../db/open-library'
import { AppError } from '../../../shared/errors'
import { importCasme2 } from './casme2'
import { importCasme3 } from './casme3'
import { importEaf } from '../eaf/eaf-import'
import { importFolderClip } from './folder-clip'
import type { ImportFormat, ImportReport } from './import-plan'
import { importMmew } from './mmew'
import { importPlainCsv } from './plain-csv'
import { importSamm } from './samm'
import { importVideos } from './videos'

/** One request for any import format. */
export interface ImportRequest {
  format: ImportFormat
  /** The coding sheet: required by casme2, samm, casme3, mmew and csv; the .eaf file or folder for eaf. */
  sheet?: string
  /**
   * Where the frames are: the frames root for sheet formats, the frame folder for 'folder',
   * the video files for 'videos', where to look for media whose links are broken for 'eaf'.
   */
  frames: string | readonly string[]
  dataset: string
  /** Frame rate, overriding the format's default (not for 'videos'). */
  fps?: number
  /** Import coder name, overriding the format's default (sheet formats). */
  coder?: string
  /** Subject of the clip(s) ('folder' and 'videos'). */
  subject?: string
  /** CASME II only: raw or cropped frames. */
  variant?: 'raw' | 'cropped'
  /** ELAN only: tier id → coder name. */
  tiers?: Readonly<Record<string, string>>
}

/** Imports any supported format: checks that the request has what the format needs, then runs its importer. */
export async function importDataset(db: LibraryDb, request: ImportRequest): Promise<ImportReport> {
  const { format, dataset, fps, coder } = request
  const single = (): string => {
    if (typeof request.frames === 'string') return request.frames
    if (request.frames.length === 1) return request.frames[0]
    throw new AppError('invalid_input', `The ${format} import takes one frames folder`, { format })
  }
  const sheet = (): string => {
    if (!request.sheet)
      throw new AppError('invalid_input', `The ${format} import needs a sheet`, { format })
    return request.sheet
  }
  switch (format) {
    case 'casme2':
      return importCasme2(db, {
        sheet: sheet(),
        framesRoot: single(),
        dataset,
        fps,
        coder,
        variant: request.variant,
      })
    case 'samm':
      return importSamm(db, { sheet: sheet(), framesRoot: single(), dataset, fps, coder })
    case 'casme3':
      return importCasme3(db, { sheet: sheet(), framesRoot: single(), dataset, fps, coder })
    case 'mmew':
      return importMmew(db, { sheet: sheet(), framesRoot: single(), dataset, fps, coder })
    case 'csv':
      return importPlainCsv(db, { sheet: sheet(), framesRoot: single(), dataset, fps, coder })
    case 'folder':
      return importFolderClip(db, { folder: single(), dataset, fps, subject: request.subject })
    case 'videos':
      if (fps !== undefined) {
        throw new AppError('invalid_input', 'Videos bring their own frame rate; leave fps out', {
          format,
          fps,
        })
      }
      return importVideos(db, {
        files: typeof request.frames === 'string' ? [request.frames] : request.frames,
        dataset,
        subject: request.subject,
      })
    case 'eaf':
      return importEaf(db, {
        source: sheet(),
        mediaFolder: single(),
        dataset,
        fps,
        subject: request.subject,
        tierCoders: request.tiers,
      })
    default:
      throw new AppError('unsupported', `Unknown import format '${format as string}'`, { format })
  }
}
