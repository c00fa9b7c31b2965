import fs from 'node:fs'
import path from 'node:path'
import { AppError } from '../../shared/errors'
import { VIDEO_EXTENSIONS } from '../datasets/import/plain-csv'

/** One video of a batch folder and the clip it becomes. */
export interface BatchVideo {
  /** Absolute path of the video file. */
  file: string
  /** The participant: the subfolder's name, or the file's name for a video in the folder itself. */
  subject: string
  /**
   * The video's name within its participant: its path relative to the participant's folder,
   * parts joined by '/' (`day1/task.mp4`), or the file's name for a video in the folder
   * itself. Unique within the participant, so clips named after it never collide.
   */
  name: string
  /** The clip: the name without its extension (`day1/task`). */
  clip: string
  /** True when the subject was taken from the file name (a video directly in the folder). */
  subjectFromFile: boolean
}

const byName = new Intl.Collator(undefined, { numeric: true })

function isVideo(name: string): boolean {
  return !name.startsWith('.') && VIDEO_EXTENSIONS.includes(path.extname(name).toLowerCase())
}

function entries(folder: string): fs.Dirent[] {
  return fs
    .readdirSync(folder, { withFileTypes: true })
    .sort((a, b) => byName.compare(a.name, b.name))
}

/** What an entry is once symbolic links are followed (a broken link is neither). */
function kindOf(folder: string, entry: fs.Dirent): 'file' | 'folder' | 'other' {
  if (entry.isFile()) return 'file'
  if (entry.isDirectory()) return 'folder'
  if (!entry.isSymbolicLink()) return 'other'
  const target = fs.statSync(path.join(folder, entry.name), { throwIfNoEntry: false })
  return target?.isFile() ? 'file' : target?.isDirectory() ? 'folder' : 'other'
}

/**
 * The videos of a batch folder (.mkv, .mp4, .avi, .mov, any case): each subfolder is a
 * participant and the videos anywhere inside it (`P01/day1/task.mp4`, `P01/day2/task.mp4`:
 * labs file sessions in folders of their own) are that participant's, named by their path
 * inside it; a video directly in the folder is its own participant, named after the file.
 * Symbolic links count as what they point to (labs link recordings from a share); a link back
 * to a folder being walked is not followed again. Hidden entries and other files are left out.
 * Sorted by subject and clip, numbers in names compared as numbers. A folder that is missing,
 * not a folder or holds no video, or two files that would make the same clip (`a.mp4` and
 * `a.mkv`), is an AppError naming the path.
 */
export function findBatchVideos(folder: string): BatchVideo[] {
  const root = path.resolve(folder)
  let stat: fs.Stats
  try {
    stat = fs.statSync(root)
  } catch {
    throw new AppError('not_found', `The folder ${root} does not exist.`, { folder: root })
  }
  if (!stat.isDirectory()) {
    throw new AppError('invalid_input', `${root} is not a folder.`, { folder: root })
  }
  const videos: BatchVideo[] = []
  for (const entry of entries(root)) {
    if (entry.name.startsWith('.')) continue
    const full = path.join(root, entry.name)
    const kind = kindOf(root, entry)
    if (kind === 'folder') {
      for (const name of videosInside(full)) {
        videos.push(video(path.join(full, ...name.split('/')), entry.name, name, false))
      }
    } else if (kind === 'file' && isVideo(entry.name)) {
      const subject = path.basename(entry.name, path.extname(entry.name))
      videos.push(video(full, subject, entry.name, true))
    }
  }
  if (videos.length === 0) {
    throw new AppError(
      'not_found',
      `There is no video (${VIDEO_EXTENSIONS.join(', ')}) in ${root} or its subfolders.`,
      { folder: root },
    )
  }
  const seen = new Map<string, string>()
  for (const v of videos) {
    const key = `${v.subject}/${v.clip}`
    const other = seen.get(key)
    if (other) {
      throw new AppError('invalid_input', `${v.file} and ${other} would both be clip ${key}.`, {
        file: v.file,
        other,
      })
    }
    seen.set(key, v.file)
  }
  return videos.sort(
    (a, b) => byName.compare(a.subject, b.subject) || byName.compare(a.clip, b.clip),
  )
}

/**
 * The videos anywhere inside a participant's folder, as paths relative to it joined by '/'.
 * `walking` holds the real paths of the folders being walked, so a link to one of them (a
 * loop) is not entered again.
 */
function videosInside(folder: string, walking: ReadonlySet<string> = new Set()): string[] {
  const real = fs.realpathSync(folder)
  if (walking.has(real)) return []
  const inside = new Set(walking).add(real)
  const names: string[] = []
  for (const entry of entries(folder)) {
    if (entry.name.startsWith('.')) continue
    const kind = kindOf(folder, entry)
    if (kind === 'file' && isVideo(entry.name)) names.push(entry.name)
    if (kind !== 'folder') continue
    for (const name of videosInside(path.join(folder, entry.name), inside)) {
      names.push(`${entry.name}/${name}`)
    }
  }
  return names
}

function video(file: string, subject: string, name: string, subjectFromFile: boolean): BatchVideo {
  const clip = name.slice(0, name.length - path.extname(name).length)
  return { file, subject, name, clip, subjectFromFile }
}
