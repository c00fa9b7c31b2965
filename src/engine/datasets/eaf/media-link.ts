import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { EafMedia } from './eaf-document'

const VIDEO_MIME: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.avi': 'video/x-msvideo',
  '.mkv': 'video/x-matroska',
  '.webm': 'video/webm',
  '.mpg': 'video/mpeg',
  '.mpeg': 'video/mpeg',
}

/**
 * The media link of a clip's source (a video file or a frame folder) as seen from the .eaf
 * at `eafFile`: the absolute file URL, and the path relative to the .eaf's folder when one
 * exists (not across Windows drives). ELAN plays videos; a frame folder is linked with MIME
 * type 'unknown' so the link still says where the frames are.
 */
export function mediaLink(source: string, kind: 'frames' | 'video', eafFile: string): EafMedia {
  const url = pathToFileURL(source).href + (kind === 'frames' ? '/' : '')
  const mimeType =
    kind === 'video' ? (VIDEO_MIME[path.extname(source).toLowerCase()] ?? 'unknown') : 'unknown'
  const relative = path.relative(path.dirname(eafFile), source)
  if (path.isAbsolute(relative)) return { url, mimeType }
  const parts = relative.split(path.sep).map(encodeURIComponent)
  const prefix = parts[0] === '..' ? '' : './'
  const suffix = kind === 'frames' ? '/' : ''
  return { url, mimeType, relativeUrl: prefix + parts.join('/') + suffix }
}

/**
 * Where a linked media file is, as ELAN looks for it: the relative link from the .eaf's
 * folder, then the absolute link, then a file or folder of the same name in `searchFolder`.
 * Null when none exists.
 */
export function resolveMedia(
  media: EafMedia,
  eafFile: string,
  searchFolder: string | null,
): string | null {
  const candidates: string[] = []
  if (media.relativeUrl) candidates.push(fromRelative(media.relativeUrl, eafFile))
  const absolute = fromUrl(media.url)
  if (absolute) candidates.push(absolute)
  const name = absolute ? path.basename(absolute) : null
  if (searchFolder && name) candidates.push(path.join(searchFolder, name))
  return candidates.find((c) => fs.existsSync(c)) ?? null
}

function fromRelative(relativeUrl: string, eafFile: string): string {
  const parts = relativeUrl
    .replace(/^file:/, '')
    .split('/')
    .filter((p) => p !== '')
    .map(safeDecode)
  return path.resolve(path.dirname(eafFile), ...parts)
}

function fromUrl(url: string): string | null {
  try {
    return url.startsWith('file:') ? path.resolve(fileURLToPath(url)) : path.resolve(url)
  } catch {
    return null
  }
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    return part
  }
}
